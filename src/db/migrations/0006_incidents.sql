-- 0006_incidents: incidents and what every kind needs to make people act on them: the reporting
-- policy (deadline clocks per tier and severity), the handling CERTs an incident passed through
-- (acknowledgement and escalation), tasks, links, the per-org inbox, and one outbound queue for
-- webhooks and e-mail that survives restarts.

-- An incident. owner_org reported it (an institution about itself, or a CERT about an org of its
-- constituency); org_id is the affected org and province its province when reported. The handling
-- CERT is the current one; incident_handlers keeps every one. Clock due times are stored while
-- the incident is open (core/deadline: computed from the reporting policy, again when the policy
-- changes); next_due is the earliest unmet one (the overdue filter) and next_check the next time
-- the scheduler has something to say about it (a deadline within the hour, or passing).
-- version is the incident counter's value at its last change (core/incident_index follows it).
CREATE TABLE incidents (
    seq               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    owner_org         TEXT NOT NULL REFERENCES orgs(id),
    org_id            TEXT NOT NULL REFERENCES orgs(id),
    province          TEXT,
    handling_org      TEXT NOT NULL REFERENCES orgs(id),
    handling_since    TEXT NOT NULL,
    tlp               TEXT NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    rsit_class        TEXT NOT NULL,
    rsit_type         TEXT NOT NULL,
    severity          TEXT NOT NULL CHECK (severity IN ('emergency','severe','high','medium','low',
                                                        'baseline')),
    status            TEXT NOT NULL CHECK (status IN ('new','triaged','contained','eradicated',
                                                      'recovered','closed','rejected','merged')),
    cii               INTEGER NOT NULL DEFAULT 0 CHECK (cii IN (0,1)),
    affected_services TEXT NOT NULL DEFAULT '',
    merged_into       TEXT REFERENCES incidents(id),
    reported_by       TEXT NOT NULL,
    detected_at       TEXT NOT NULL,
    reported_at       TEXT NOT NULL,
    acknowledged_at   TEXT,
    contained_at      TEXT,
    notified_at       TEXT,
    final_report_at   TEXT,
    ended_at          TEXT,
    ack_due           TEXT,
    early_warning_due TEXT,
    notification_due  TEXT,
    final_report_due  TEXT,
    next_due          TEXT,
    next_check        TEXT,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL
);
CREATE INDEX incidents_version ON incidents(version);
CREATE INDEX incidents_next_check ON incidents(next_check) WHERE next_check IS NOT NULL;
CREATE INDEX incidents_org ON incidents(org_id, seq);

-- One counter per kind that an in-memory index follows: bumped by every write of the kind.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters(name, value) VALUES ('incident', 0);

-- Text search over what people type (SQLite FTS5, kept in step by triggers).
CREATE VIRTUAL TABLE incidents_fts USING fts5(title, description, affected_services,
    content='incidents', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER incidents_fts_ins AFTER INSERT ON incidents BEGIN
    INSERT INTO incidents_fts(rowid, title, description, affected_services)
        VALUES (new.seq, new.title, new.description, new.affected_services);
END;
CREATE TRIGGER incidents_fts_upd AFTER UPDATE OF title, description, affected_services
    ON incidents BEGIN
    INSERT INTO incidents_fts(incidents_fts, rowid, title, description, affected_services)
        VALUES ('delete', old.seq, old.title, old.description, old.affected_services);
    INSERT INTO incidents_fts(rowid, title, description, affected_services)
        VALUES (new.seq, new.title, new.description, new.affected_services);
END;

-- Each CERT that handled an incident, in order (n = 0 the first): since when, its acknowledgement
-- deadline and when it acknowledged, and why it got the incident (reported, or the escalation
-- rule and its reason). The primary key makes an escalation happen once: a second attempt to
-- open period n + 1 conflicts.
CREATE TABLE incident_handlers (
    incident_id     TEXT NOT NULL REFERENCES incidents(id),
    n               INTEGER NOT NULL,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    since           TEXT NOT NULL,
    ack_due         TEXT,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    until           TEXT,
    rule            TEXT NOT NULL,
    reason          TEXT,
    PRIMARY KEY (incident_id, n)
);
CREATE INDEX incident_handlers_org ON incident_handlers(org_id, since);

CREATE TABLE incident_tasks (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    incident_id  TEXT NOT NULL REFERENCES incidents(id),
    title        TEXT NOT NULL,
    assignee_org TEXT REFERENCES orgs(id),
    due_date     TEXT,
    done_at      TEXT,
    done_by      TEXT,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, seq);
CREATE INDEX incident_tasks_assignee ON incident_tasks(assignee_org, done_at);

-- Related incidents, one row per pair (a_id < b_id), with the reason.
CREATE TABLE incident_links (
    a_id       TEXT NOT NULL REFERENCES incidents(id),
    b_id       TEXT NOT NULL REFERENCES incidents(id),
    reason     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (a_id, b_id),
    CHECK (a_id < b_id)
);
CREATE INDEX incident_links_b ON incident_links(b_id);

-- The reporting policy: one row per handling tier (the handling CERT's kind) and severity, in
-- seconds; 0 turns a deadline off. The defaults are DESIGN §6 (core/deadline).
CREATE TABLE reporting_policy (
    tier              TEXT NOT NULL,
    severity          TEXT NOT NULL,
    ack               INTEGER NOT NULL CHECK (ack >= 0),
    early_warning     INTEGER NOT NULL CHECK (early_warning >= 0),
    early_warning_cii INTEGER NOT NULL CHECK (early_warning_cii >= 0),
    notification      INTEGER NOT NULL CHECK (notification >= 0),
    final_report      INTEGER NOT NULL CHECK (final_report >= 0),
    updated_by        TEXT,
    updated_at        TEXT,
    PRIMARY KEY (tier, severity)
);
INSERT INTO reporting_policy(tier, severity, ack, early_warning, early_warning_cii, notification,
                             final_report)
    SELECT t.tier, s.severity, s.ack, 86400, 21600, 259200, 2592000
    FROM (SELECT 'national_cert' AS tier UNION ALL SELECT 'provincial_cert'
          UNION ALL SELECT 'sectoral_cert' UNION ALL SELECT 'government_cert'
          UNION ALL SELECT 'cii_cert') t,
         (SELECT 'emergency' AS severity, 3600 AS ack UNION ALL SELECT 'severe', 14400
          UNION ALL SELECT 'high', 28800 UNION ALL SELECT 'medium', 86400
          UNION ALL SELECT 'low', 259200 UNION ALL SELECT 'baseline', 259200) s;

-- Who must act: one item per org and event. dedup makes the scheduler's items happen once
-- ("overdue:<incident>:<clock>:<due>"); reads are per user.
CREATE TABLE inbox (
    seq         INTEGER PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    kind        TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    dedup       TEXT UNIQUE,
    created_at  TEXT NOT NULL
);
CREATE INDEX inbox_org ON inbox(org_id, seq);
CREATE INDEX inbox_object ON inbox(object_kind, object_id);

CREATE TABLE inbox_reads (
    item_seq INTEGER NOT NULL REFERENCES inbox(seq),
    user_id  TEXT NOT NULL REFERENCES users(id),
    read_at  TEXT NOT NULL,
    PRIMARY KEY (item_seq, user_id)
);
CREATE INDEX inbox_reads_user ON inbox_reads(user_id, item_seq);

-- Whether a user wants e-mail for their org's inbox items.
ALTER TABLE users ADD COLUMN email_notify INTEGER NOT NULL DEFAULT 1 CHECK (email_notify IN (0,1));

-- Outbound webhooks of an org: JSON POSTs signed with HMAC-SHA256 of the secret.
CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    events     TEXT NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX webhooks_org ON webhooks(org_id);

-- The outbound queue: one row per message (a webhook POST or an e-mail), retried with backoff
-- until delivered or given up; each try is kept in outbound_attempts (the delivery log).
CREATE TABLE outbound (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    channel      TEXT NOT NULL CHECK (channel IN ('webhook','email')),
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    webhook_id   TEXT REFERENCES webhooks(id),
    recipient    TEXT NOT NULL,
    event        TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT NOT NULL,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX outbound_due ON outbound(status, next_at);
CREATE INDEX outbound_webhook ON outbound(webhook_id, seq);

CREATE TABLE outbound_attempts (
    outbound_seq INTEGER NOT NULL REFERENCES outbound(seq),
    n            INTEGER NOT NULL,
    at           TEXT NOT NULL,
    status_code  INTEGER,
    error        TEXT,
    PRIMARY KEY (outbound_seq, n)
);
