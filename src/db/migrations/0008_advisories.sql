-- 0008_advisories: security advisories (CSAF 2.0), their revisions, the acknowledgement record of
-- every org that may read a published one, the deadlines per severity, and each org's inventory of
-- the products it runs (what makes an org "likely affected").

-- An advisory. doc is the current revision's CSAF 2.0 document as stored (imported as received,
-- or built from what the author wrote); tracking_id and publisher_ns name it in the CSAF world
-- (one advisory per pair). status: a draft is read only by its owner org, whatever its TLP;
-- published is read by the sharing policy. severity is rabta's (critical ... none): the author's,
-- or derived on import from the highest CVSS base score, else the document's aggregate severity.
-- cves and products hold the words searched (space-separated CVE ids; product names). input is
-- what the author of an authored one wrote (JSON), from which each revision's document is built.
-- file_name is the CSAF file name of the tracking id ("ncert-2026-0001.json").
CREATE TABLE advisories (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    owner_org     TEXT NOT NULL REFERENCES orgs(id),
    tlp           TEXT NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
    source        TEXT NOT NULL CHECK (source IN ('authored','imported')),
    status        TEXT NOT NULL CHECK (status IN ('draft','published')),
    tracking_id   TEXT NOT NULL,
    publisher_ns  TEXT NOT NULL,
    title         TEXT NOT NULL,
    category      TEXT NOT NULL,
    severity      TEXT NOT NULL CHECK (severity IN ('critical','high','medium','low','none')),
    max_score     REAL,
    version       TEXT NOT NULL,
    revision      INTEGER NOT NULL,
    initial_release TEXT NOT NULL,
    current_release TEXT NOT NULL,
    cves          TEXT NOT NULL DEFAULT '',
    products      TEXT NOT NULL DEFAULT '',
    doc           TEXT NOT NULL,
    input         TEXT,
    file_name     TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    published_at  TEXT,
    updated_at    TEXT NOT NULL,
    UNIQUE (publisher_ns, tracking_id)
);
CREATE INDEX advisories_owner ON advisories(owner_org, seq);
-- The CSAF directory distribution names each document <year>/<file_name> (CSAF 2.0 §5.1, §7.1.11).
CREATE INDEX advisories_file ON advisories(file_name);

-- Every revision's document, kept: the current one is also advisories.doc. material: the author
-- said this revision reopens acknowledgement.
CREATE TABLE advisory_revisions (
    advisory_id TEXT NOT NULL REFERENCES advisories(id),
    revision    INTEGER NOT NULL,
    version     TEXT NOT NULL,
    material    INTEGER NOT NULL DEFAULT 0 CHECK (material IN (0,1)),
    summary     TEXT NOT NULL DEFAULT '',
    doc         TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (advisory_id, revision)
);

-- The acknowledgement record of one org for one published advisory: made for every org that may
-- read it (but its owner) when it is published or shared further. ack_due and mitigate_due come
-- from advisory_policy by severity at delivery (a material revision delivers again). matched: the
-- inventory entry and the advisory's product that made the org likely affected, or NULL.
CREATE TABLE advisory_acks (
    advisory_id     TEXT NOT NULL REFERENCES advisories(id),
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    status          TEXT NOT NULL CHECK (status IN ('delivered','acknowledged','not_affected',
                                                    'affected','mitigating','mitigated')),
    likely_affected INTEGER NOT NULL DEFAULT 0 CHECK (likely_affected IN (0,1)),
    matched         TEXT,
    note            TEXT NOT NULL DEFAULT '',
    delivered_at    TEXT NOT NULL,
    acknowledged_at TEXT,
    resolved_at     TEXT,
    ack_due         TEXT NOT NULL,
    mitigate_due    TEXT,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT,
    PRIMARY KEY (advisory_id, org_id)
);
CREATE INDEX advisory_acks_org ON advisory_acks(org_id, status);

-- How long an org has to acknowledge an advisory, and to mitigate one that affects it, by
-- severity (the national admin changes them; docs/operations.md has the defaults).
CREATE TABLE advisory_policy (
    severity      TEXT PRIMARY KEY CHECK (severity IN ('critical','high','medium','low','none')),
    ack_hours     INTEGER NOT NULL CHECK (ack_hours BETWEEN 1 AND 8760),
    mitigate_days INTEGER NOT NULL CHECK (mitigate_days BETWEEN 1 AND 3650),
    updated_at    TEXT,
    updated_by    TEXT
);
INSERT INTO advisory_policy(severity, ack_hours, mitigate_days) VALUES
    ('critical', 4, 7), ('high', 24, 30), ('medium', 72, 90), ('low', 168, 180),
    ('none', 336, 365);

-- The products an org runs (core/inventory: at most 2,000 per org). version is '' when not known;
-- cpe (a CPE 2.3 formatted string or a CPE 2.2 URI) and purl are optional. One item per vendor,
-- product and version of an org, compared without case (ASCII letters): the unique index, which
-- also serves the list's order and an import's duplicate check.
CREATE TABLE inventory (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    vendor     TEXT NOT NULL,
    product    TEXT NOT NULL,
    version    TEXT NOT NULL DEFAULT '',
    cpe        TEXT,
    purl       TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX inventory_org ON inventory(org_id, vendor COLLATE NOCASE,
                                               product COLLATE NOCASE, version COLLATE NOCASE);

-- Settings of the deployment: "namespace" is the URL (or URN) that names this rabta as a CSAF
-- publisher (document.publisher.namespace).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The CSAF directory distributions imported from by URL (rabta import csaf URL): the newest
-- current release date of changes.csv handled, so the next run fetches only what changed since.
CREATE TABLE csaf_feeds (
    url          TEXT PRIMARY KEY,
    last_release TEXT,
    last_run     TEXT NOT NULL
);
