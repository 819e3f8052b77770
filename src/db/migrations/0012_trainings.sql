-- 0012_trainings: capacity building. Training sessions organised by a CERT, their topics (domains
-- or controls of a guideline catalog), the orgs invited, the people registered and their
-- attendance, feedback, materials given as links (files live in the shared files table), and
-- each org's calendar feed token (only its hash is stored).

-- A session. status: a draft is read only by its owner org (what the gaps view's "draft this
-- session" button makes); scheduled is read by the sharing policy (GREEN by default: the whole
-- community); cancelled stays readable and says so. mode: how people may join. capacity: the
-- most people that may register (NULL: no limit). catalog_id: the catalog the topics are of (NULL
-- when there are none). sequence counts the changes (iCalendar SEQUENCE).
CREATE TABLE trainings (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    owner_org    TEXT NOT NULL REFERENCES orgs(id),
    tlp          TEXT NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
    status       TEXT NOT NULL CHECK (status IN ('draft','scheduled','cancelled')),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    mode         TEXT NOT NULL CHECK (mode IN ('in_person','virtual','hybrid')),
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    venue        TEXT,
    meeting_url  TEXT,
    capacity     INTEGER CHECK (capacity IS NULL OR capacity > 0),
    catalog_id   TEXT REFERENCES catalogs(id),
    sequence     INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX trainings_starts ON trainings(starts_at, seq);
CREATE INDEX trainings_owner ON trainings(owner_org, starts_at);

-- The topics of a session: a domain (a top-level group of the catalog) or a control, each with
-- the domain it belongs to (domain_idx: catalog_groups.idx), so coverage rolls up by domain.
CREATE TABLE training_topics (
    training_id TEXT NOT NULL REFERENCES trainings(id),
    rank        INTEGER NOT NULL,
    topic       TEXT NOT NULL,
    topic_kind  TEXT NOT NULL CHECK (topic_kind IN ('domain','control')),
    domain_idx  INTEGER,
    PRIMARY KEY (training_id, topic)
);
CREATE INDEX training_topics_domain ON training_topics(domain_idx, training_id);

-- The orgs invited. An invitation is a record of its own, not a grant (decision 65).
CREATE TABLE training_invites (
    training_id TEXT NOT NULL REFERENCES trainings(id),
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    invited_by  TEXT NOT NULL,
    invited_at  TEXT NOT NULL,
    PRIMARY KEY (training_id, org_id)
);
CREATE INDEX training_invites_org ON training_invites(org_id, training_id);

-- A person registered by an invited org (or by the organiser for one), and how they attended:
-- attended_mode NULL until recorded; in_person or virtual as the session's mode allows.
CREATE TABLE training_people (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    training_id   TEXT NOT NULL REFERENCES trainings(id),
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    name          TEXT NOT NULL,
    email         TEXT,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    attended_mode TEXT CHECK (attended_mode IS NULL OR attended_mode IN ('in_person','virtual')),
    attended_at   TEXT,
    recorded_by   TEXT
);
-- Who attended each session, read without the table (the gaps view streams it); the unique index
-- below serves the lookups by session and org.
CREATE INDEX training_people_attended ON training_people(training_id, attended_mode, org_id);
CREATE UNIQUE INDEX training_people_name ON training_people(training_id, org_id, name COLLATE NOCASE);

-- Feedback of one attendee: a rating 1-5 and a comment (one per person; a new one replaces it).
CREATE TABLE training_feedback (
    person_id   TEXT PRIMARY KEY REFERENCES training_people(id),
    training_id TEXT NOT NULL REFERENCES trainings(id),
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     TEXT NOT NULL DEFAULT '',
    given_by    TEXT NOT NULL,
    given_at    TEXT NOT NULL
);
CREATE INDEX training_feedback_session ON training_feedback(training_id);

-- Materials given as links (slides online, a recording); files are in the shared files table.
CREATE TABLE training_links (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    training_id TEXT NOT NULL REFERENCES trainings(id),
    title       TEXT NOT NULL,
    url         TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL
);
CREATE INDEX training_links_session ON training_links(training_id, seq);

-- An org's calendar feed: the SHA-256 of the token in its URL (the token is shown once). One
-- active feed per org; revoking it (or making a new one) sets revoked_at, and its URL answers 404.
CREATE TABLE calendar_feeds (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    token_hash  TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX calendar_feeds_org ON calendar_feeds(org_id, revoked_at);
