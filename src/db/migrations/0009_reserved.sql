-- 0009_reserved: a placeholder on the risks branch only. Migration 0009 belongs to another branch
-- (docs/decisions.md 64); when that branch is merged, its 0009 replaces this file, which is then
-- deleted. It changes nothing.
SELECT 1;
