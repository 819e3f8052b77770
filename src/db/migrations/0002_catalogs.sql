-- 0002_catalogs: guideline catalogs (OSCAL) and profiles that select controls and say to whom
-- they apply. Each group and control keeps its own OSCAL JSON (without nested children) so the
-- catalog can be exported back to OSCAL faithfully.

CREATE TABLE catalogs (
    id                 TEXT PRIMARY KEY,
    oscal_uuid         TEXT NOT NULL,
    title              TEXT NOT NULL,
    version            TEXT,
    oscal_version      TEXT,
    last_modified      TEXT,
    owner_org          TEXT NOT NULL REFERENCES orgs(id),
    tlp                TEXT NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
    metadata_json      TEXT NOT NULL,
    params_json        TEXT,
    back_matter_json   TEXT,
    groups_count       INTEGER NOT NULL,
    controls_count     INTEGER NOT NULL,
    enhancements_count INTEGER NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX catalogs_uuid ON catalogs(oscal_uuid);
CREATE INDEX catalogs_order ON catalogs(created_at, id);

CREATE TABLE catalog_groups (
    catalog_id  TEXT NOT NULL REFERENCES catalogs(id),
    idx         INTEGER NOT NULL,
    oscal_id    TEXT NOT NULL,
    title       TEXT NOT NULL,
    class       TEXT,
    parent_idx  INTEGER,
    depth       INTEGER NOT NULL,
    json        TEXT NOT NULL,
    PRIMARY KEY (catalog_id, idx)
);

CREATE TABLE controls (
    catalog_id   TEXT NOT NULL REFERENCES catalogs(id),
    idx          INTEGER NOT NULL,
    oscal_id     TEXT NOT NULL,
    label        TEXT,
    title        TEXT NOT NULL,
    class        TEXT,
    group_idx    INTEGER,          -- nearest enclosing group
    domain_idx   INTEGER,          -- top-level group: the "domain" scores roll up by
    parent_idx   INTEGER,          -- the parent control of an enhancement
    statement    TEXT,
    guidance     TEXT,
    objectives   TEXT,
    csf_function TEXT,
    weight       REAL NOT NULL DEFAULT 1,
    cii_only     INTEGER NOT NULL DEFAULT 0,
    json         TEXT NOT NULL,
    PRIMARY KEY (catalog_id, idx),
    UNIQUE (catalog_id, oscal_id)
);

CREATE TABLE profiles (
    id              TEXT PRIMARY KEY,
    catalog_id      TEXT NOT NULL REFERENCES catalogs(id),
    oscal_uuid      TEXT,
    title           TEXT NOT NULL,
    version         TEXT,
    owner_org       TEXT NOT NULL REFERENCES orgs(id),
    tlp             TEXT NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
    applies_kinds   TEXT,          -- comma-separated org kinds, NULL = every kind
    applies_sectors TEXT,          -- comma-separated sectors, NULL = every sector
    cii_only        INTEGER NOT NULL DEFAULT 0,
    min_cii_grade   INTEGER,
    json            TEXT,
    controls_count  INTEGER NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX profiles_catalog ON profiles(catalog_id);

CREATE TABLE profile_controls (
    profile_id  TEXT NOT NULL REFERENCES profiles(id),
    control_idx INTEGER NOT NULL,
    PRIMARY KEY (profile_id, control_idx)
);
