-- 0013_org_counter: a counter of the changes to what other objects show of an org (its name, its
-- place in the tree), for answers kept in memory that name orgs (core/incident_answer keeps an
-- incident's answer, with the names of its orgs, until the incident or this counter moves). Kept
-- by triggers, so every writer bumps it, the CLI and any other process included.
INSERT INTO counters(name, value) VALUES ('org', 0);

CREATE TRIGGER orgs_counter AFTER UPDATE OF name, parent_id ON orgs
WHEN NEW.name IS NOT OLD.name OR NEW.parent_id IS NOT OLD.parent_id
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'org';
END;
