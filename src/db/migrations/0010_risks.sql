-- 0010_risks: each org's risk register, the guideline controls each risk is linked to, and the one
-- risk matrix (size and bands) every risk is levelled on (core/risk).

-- A risk. Scores are likelihood x impact, kept for ordering and roll-ups; levels are never stored
-- (every answer computes them from risk_matrix, so a change of bands re-levels every risk at once).
-- residual_*: after treatment, the inherent values until given. status 'accepted' only with
-- treatment 'accept', accepted_by, accepted_at and acceptance_reason (core/risk's risk_accept).
-- Dates are YYYY-MM-DD. catalog_id: the guideline catalog the linked controls are of.
CREATE TABLE risks (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    owner_org           TEXT NOT NULL REFERENCES orgs(id),
    tlp                 TEXT NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    category            TEXT NOT NULL,
    likelihood          INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 10),
    impact              INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 10),
    inherent_score      INTEGER NOT NULL,
    residual_likelihood INTEGER NOT NULL CHECK (residual_likelihood BETWEEN 1 AND 10),
    residual_impact     INTEGER NOT NULL CHECK (residual_impact BETWEEN 1 AND 10),
    residual_score      INTEGER NOT NULL,
    treatment           TEXT NOT NULL CHECK (treatment IN ('mitigate','accept','transfer','avoid')),
    status              TEXT NOT NULL CHECK (status IN ('open','in_progress','done','accepted',
                                                        'closed')),
    owner               TEXT NOT NULL DEFAULT '',
    due_date            TEXT,
    review_date         TEXT,
    catalog_id          TEXT REFERENCES catalogs(id),
    accepted_by         TEXT,
    accepted_at         TEXT,
    acceptance_reason   TEXT,
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (status <> 'accepted' OR (treatment = 'accept' AND acceptance_reason IS NOT NULL))
);
-- The heat map reads this index alone: one org's risks grouped by residual cell.
CREATE INDEX risks_rollup ON risks(owner_org, residual_likelihood, residual_impact, status,
                                   treatment, due_date, review_date, tlp);
-- The register's order: highest residual score first, then newest.
CREATE INDEX risks_order ON risks(residual_score, seq);

-- The linked controls of a risk (OSCAL control ids of risks.catalog_id), in the order given.
CREATE TABLE risk_controls (
    risk_id    TEXT NOT NULL REFERENCES risks(id),
    ord        INTEGER NOT NULL,
    control_id TEXT NOT NULL,
    PRIMARY KEY (risk_id, control_id)
);

-- The one matrix: likelihood and impact run 1..size; a score's level is the highest band whose
-- minimum it reaches (low from 1). The default is 5x5: medium 5, high 10, critical 15.
CREATE TABLE risk_matrix (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    size         INTEGER NOT NULL CHECK (size BETWEEN 3 AND 10),
    medium_min   INTEGER NOT NULL,
    high_min     INTEGER NOT NULL,
    critical_min INTEGER NOT NULL,
    updated_at   TEXT,
    updated_by   TEXT,
    CHECK (1 < medium_min AND medium_min < high_min AND high_min < critical_min AND
           critical_min <= size * size)
);
INSERT INTO risk_matrix(id, size, medium_min, high_min, critical_min) VALUES (1, 5, 5, 10, 15);
