-- 0003_assessments: assessment campaigns, each org's assessment, its answers per control, the
-- review, per-domain scores kept at submission (so roll-ups never re-aggregate answers), and the
-- assessment's history.

CREATE TABLE campaigns (
    id                TEXT PRIMARY KEY,
    profile_id        TEXT NOT NULL REFERENCES profiles(id),
    title             TEXT NOT NULL,
    owner_org         TEXT NOT NULL REFERENCES orgs(id),
    tlp               TEXT NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
    status            TEXT NOT NULL CHECK (status IN ('open','closed')),
    due_date          TEXT NOT NULL,
    filter_kind       TEXT,
    filter_province   TEXT,
    filter_sector     TEXT,
    assessments_count INTEGER NOT NULL,
    seq               INTEGER NOT NULL UNIQUE, -- launch order (times have one-second resolution)
    created_at        TEXT NOT NULL
);
CREATE INDEX campaigns_profile ON campaigns(profile_id, seq);

CREATE TABLE assessments (
    id           TEXT PRIMARY KEY,
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id),
    owner_org    TEXT NOT NULL REFERENCES orgs(id),
    tlp          TEXT NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
    status       TEXT NOT NULL CHECK (status IN ('not_started','draft','submitted','returned',
                                                 'accepted')),
    score        REAL,
    -- per-domain scores at submission, "<domain idx>:<score>;..." (see core/assessment.c): the
    -- national roll-up reads one row per assessment instead of one per assessment and domain
    domain_scores TEXT,
    answered     INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL,
    submitted_at TEXT,
    reviewed_at  TEXT,
    updated_at   TEXT NOT NULL,
    UNIQUE (campaign_id, owner_org)
);
CREATE INDEX assessments_org ON assessments(owner_org, campaign_id);
CREATE INDEX assessments_campaign ON assessments(campaign_id, status);

CREATE TABLE assessment_answers (
    assessment_id  TEXT NOT NULL REFERENCES assessments(id),
    control_idx    INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('implemented','partial','planned',
                                                   'not_implemented','not_applicable')),
    maturity       INTEGER NOT NULL CHECK (maturity BETWEEN 0 AND 5),
    evidence       TEXT,
    review         TEXT CHECK (review IN ('accepted','returned')),
    review_comment TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (assessment_id, control_idx)
);


CREATE TABLE assessment_events (
    id            INTEGER PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    control_id    TEXT,
    comment       TEXT
);
CREATE INDEX assessment_events_a ON assessment_events(assessment_id, id);
