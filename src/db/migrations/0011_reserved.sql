-- 0011_reserved: a placeholder on the poam branch only. Migration 0011 belongs to the trainings
-- branch (0011_trainings.sql); when that branch is merged, its 0011 replaces this file, which is
-- then deleted (docs/decisions.md 74). It changes nothing.
SELECT 1;
