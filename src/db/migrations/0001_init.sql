-- 0001_init: the spine. Orgs and their closure, users, sessions, API tokens, sign-in failures,
-- grants (the sharing policy's table for every shareable kind), and the audit trail.
-- Portable SQL: TEXT ids (UUID), TEXT times (RFC 3339 UTC), INTEGER booleans.

CREATE TABLE orgs (
    id              TEXT PRIMARY KEY,
    parent_id       TEXT REFERENCES orgs(id),
    kind            TEXT NOT NULL CHECK (kind IN ('national_cert','provincial_cert','sectoral_cert',
                                                  'government_cert','cii_cert','institution')),
    name            TEXT NOT NULL,
    short_name      TEXT,
    province        TEXT,
    sector          TEXT,
    cii             INTEGER NOT NULL DEFAULT 0 CHECK (cii IN (0,1)),
    cii_grade       INTEGER CHECK (cii_grade IS NULL OR cii_grade BETWEEN 1 AND 3),
    cii_review_date TEXT,
    depth           INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((kind = 'national_cert') = (parent_id IS NULL))
);
-- Exactly one root: the National CERT.
CREATE UNIQUE INDEX orgs_one_national ON orgs(kind) WHERE kind = 'national_cert';
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_order ON orgs(depth, name, id);
CREATE UNIQUE INDEX orgs_sibling_name ON orgs(parent_id, name);

-- Every (ancestor, descendant) pair including (x, x) at depth 0: subtree and ancestry queries
-- without recursion, in any SQL database.
CREATE TABLE org_closure (
    ancestor_id   TEXT NOT NULL REFERENCES orgs(id),
    descendant_id TEXT NOT NULL REFERENCES orgs(id),
    depth         INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX org_closure_desc ON org_closure(descendant_id, depth);

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    email       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin','analyst','reporter','viewer','auditor')),
    pw_hash     TEXT NOT NULL,
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX users_org ON users(org_id, email);

-- Session ids and API tokens are stored only as SHA-256 hashes.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id, created_at);

CREATE TABLE login_failures (
    email       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, at);

-- Grants of the sharing policy, for every shareable kind: (kind, object) shared with org, with
-- scope 'org' (that org only) or 'subtree' (that org and every org below it, AMBER only).
CREATE TABLE grants (
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    scope       TEXT NOT NULL CHECK (scope IN ('org','subtree')),
    granted_by  TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (object_kind, object_id, org_id)
);
CREATE INDEX grants_org ON grants(org_id, object_kind);

-- The audit trail: append-only, each entry SHA-256-chained to the previous one (see core/audit).
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    TEXT,
    actor_label TEXT NOT NULL,
    org_id      TEXT,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log(org_id, seq);
