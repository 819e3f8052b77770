-- 0014_counters: counters of changes that answers kept in memory depend on, kept by triggers so
-- that every writer bumps them, the CLI and any other process included.
--
-- 'org': what other objects show of an org (its name, its place in the tree). core/incident_answer
-- keeps an incident's answer, with the names of its orgs, until the incident or this counter
-- moves.
INSERT OR IGNORE INTO counters(name, value) VALUES ('org', 0);

CREATE TRIGGER IF NOT EXISTS orgs_counter AFTER UPDATE OF name, parent_id ON orgs
WHEN NEW.name IS NOT OLD.name OR NEW.parent_id IS NOT OLD.parent_id
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'org';
END;

-- 'auth': who a session or an API token stands for (core/auth keeps the caller behind a secret's
-- hash until this counter moves or the secret expires): any change to a session, a token or a
-- user, an org's kind or place, the tree. A new session or token needs none (nothing was kept for
-- it).
INSERT OR IGNORE INTO counters(name, value) VALUES ('auth', 0);

CREATE TRIGGER IF NOT EXISTS auth_counter_sessions_u AFTER UPDATE ON sessions
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_sessions_d AFTER DELETE ON sessions
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_tokens_u AFTER UPDATE ON api_tokens
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_tokens_d AFTER DELETE ON api_tokens
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_users_u AFTER UPDATE ON users
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_users_d AFTER DELETE ON users
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_orgs AFTER UPDATE OF kind, parent_id ON orgs
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_closure_i AFTER INSERT ON org_closure
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_closure_u AFTER UPDATE ON org_closure
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
CREATE TRIGGER IF NOT EXISTS auth_counter_closure_d AFTER DELETE ON org_closure
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'auth'; END;
