-- 0010_reserved: a placeholder on the poam branch only. Migration 0010 belongs to the risks
-- branch (0010_risks.sql); when that branch is merged, its 0010 replaces this file, which is
-- then deleted (docs/decisions.md 74). It changes nothing.
SELECT 1;
