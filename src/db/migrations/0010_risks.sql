-- 0010_risks: each org's risk register, the guideline controls each risk is linked to, and the one
-- risk matrix (size and bands) every risk is levelled on (core/risk).

-- A risk. Scores are likelihood x impact, kept for ordering and roll-ups; levels are never stored
-- (every answer computes them from risk_matrix, so a change of bands re-levels every risk at once).
-- residual_*: after treatment, the inherent values until given. status 'accepted' only with
-- treatment 'accept', accepted_by, accepted_at and acceptance_reason (core/risk's risk_accept).
-- Dates are YYYY-MM-DD. catalog_id: the guideline catalog the linked controls are of. parent_org,
-- province and sector are the owner org's, kept here by the trigger risks_follow_org, for the heat
-- map's tallies (below; docs/decisions.md 61).
CREATE TABLE risks (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    owner_org           TEXT NOT NULL REFERENCES orgs(id),
    parent_org          TEXT,
    province            TEXT,
    sector              TEXT,
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
-- What the heat map reads besides the tallies: the risks whose treatment may be overdue, by due
-- date; those whose review may be overdue; the RED ones (counted only for a viewer who may read
-- them); an owner's risks (a register, and the root's own in a roll-up).
CREATE INDEX risks_due ON risks(province, sector, due_date, owner_org, status, tlp)
    WHERE status IN ('open', 'in_progress') AND tlp <> 'RED';
CREATE INDEX risks_review ON risks(review_date, province, sector, owner_org, status, tlp)
    WHERE status <> 'closed' AND tlp <> 'RED';
CREATE INDEX risks_red ON risks(owner_org) WHERE tlp = 'RED';
CREATE INDEX risks_owner ON risks(owner_org, status, tlp, id);
-- The register's order: highest residual score first, then newest.
CREATE INDEX risks_order ON risks(residual_score, seq);

-- The heat map's tallies, kept by the triggers below in the transaction of every change of a risk:
-- how many risks count for every viewer (not closed, not RED), per owner's parent, province, sector
-- and cell (basis 0: residual likelihood and impact; 1: inherent), and per owner. A roll-up over a
-- subtree reads the tallies of the orgs whose parent is in it (some thousand rows for the nation)
-- instead of every risk ('' stands for none: the root has no parent, an org may have no province).
CREATE TABLE risk_tally (
    parent_org TEXT NOT NULL,
    province   TEXT NOT NULL,
    sector     TEXT NOT NULL,
    basis      INTEGER NOT NULL CHECK (basis IN (0, 1)),
    l          INTEGER NOT NULL,
    i          INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (parent_org, province, sector, basis, l, i)
) WITHOUT ROWID;
CREATE TABLE risk_owner_tally (
    owner_org  TEXT PRIMARY KEY,
    parent_org TEXT NOT NULL,
    province   TEXT NOT NULL,
    sector     TEXT NOT NULL,
    n          INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX risk_owner_tally_parent ON risk_owner_tally(parent_org, province, sector, n);

CREATE TRIGGER risks_tally_add AFTER INSERT ON risks
WHEN NEW.status <> 'closed' AND NEW.tlp <> 'RED'
BEGIN
    INSERT INTO risk_tally VALUES (coalesce(NEW.parent_org, ''), coalesce(NEW.province, ''),
        coalesce(NEW.sector, ''), 0, NEW.residual_likelihood, NEW.residual_impact, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO risk_tally VALUES (coalesce(NEW.parent_org, ''), coalesce(NEW.province, ''),
        coalesce(NEW.sector, ''), 1, NEW.likelihood, NEW.impact, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO risk_owner_tally VALUES (NEW.owner_org, coalesce(NEW.parent_org, ''),
        coalesce(NEW.province, ''), coalesce(NEW.sector, ''), 1)
        ON CONFLICT DO UPDATE SET n = n + 1, parent_org = excluded.parent_org,
        province = excluded.province, sector = excluded.sector;
END;
CREATE TRIGGER risks_tally_drop AFTER DELETE ON risks
WHEN OLD.status <> 'closed' AND OLD.tlp <> 'RED'
BEGIN
    UPDATE risk_tally SET n = n - 1 WHERE parent_org = coalesce(OLD.parent_org, '') AND
        province = coalesce(OLD.province, '') AND sector = coalesce(OLD.sector, '') AND
        basis = 0 AND l = OLD.residual_likelihood AND i = OLD.residual_impact;
    UPDATE risk_tally SET n = n - 1 WHERE parent_org = coalesce(OLD.parent_org, '') AND
        province = coalesce(OLD.province, '') AND sector = coalesce(OLD.sector, '') AND
        basis = 1 AND l = OLD.likelihood AND i = OLD.impact;
    UPDATE risk_owner_tally SET n = n - 1 WHERE owner_org = OLD.owner_org;
END;
-- A change is the old row taken out and the new one put in (either may not count).
CREATE TRIGGER risks_tally_change_old AFTER UPDATE OF status, tlp, likelihood, impact,
    residual_likelihood, residual_impact, owner_org, parent_org, province, sector ON risks
WHEN OLD.status <> 'closed' AND OLD.tlp <> 'RED'
BEGIN
    UPDATE risk_tally SET n = n - 1 WHERE parent_org = coalesce(OLD.parent_org, '') AND
        province = coalesce(OLD.province, '') AND sector = coalesce(OLD.sector, '') AND
        basis = 0 AND l = OLD.residual_likelihood AND i = OLD.residual_impact;
    UPDATE risk_tally SET n = n - 1 WHERE parent_org = coalesce(OLD.parent_org, '') AND
        province = coalesce(OLD.province, '') AND sector = coalesce(OLD.sector, '') AND
        basis = 1 AND l = OLD.likelihood AND i = OLD.impact;
    UPDATE risk_owner_tally SET n = n - 1 WHERE owner_org = OLD.owner_org;
END;
CREATE TRIGGER risks_tally_change_new AFTER UPDATE OF status, tlp, likelihood, impact,
    residual_likelihood, residual_impact, owner_org, parent_org, province, sector ON risks
WHEN NEW.status <> 'closed' AND NEW.tlp <> 'RED'
BEGIN
    INSERT INTO risk_tally VALUES (coalesce(NEW.parent_org, ''), coalesce(NEW.province, ''),
        coalesce(NEW.sector, ''), 0, NEW.residual_likelihood, NEW.residual_impact, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO risk_tally VALUES (coalesce(NEW.parent_org, ''), coalesce(NEW.province, ''),
        coalesce(NEW.sector, ''), 1, NEW.likelihood, NEW.impact, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO risk_owner_tally VALUES (NEW.owner_org, coalesce(NEW.parent_org, ''),
        coalesce(NEW.province, ''), coalesce(NEW.sector, ''), 1)
        ON CONFLICT DO UPDATE SET n = n + 1, parent_org = excluded.parent_org,
        province = excluded.province, sector = excluded.sector;
END;

-- An org's parent, province and sector follow it onto its risks (and so into the tallies).
CREATE TRIGGER risks_follow_org AFTER UPDATE OF parent_id, province, sector ON orgs
WHEN OLD.parent_id IS NOT NEW.parent_id OR OLD.province IS NOT NEW.province OR
     OLD.sector IS NOT NEW.sector
BEGIN
    UPDATE risks SET parent_org = NEW.parent_id, province = NEW.province, sector = NEW.sector
        WHERE owner_org = NEW.id;
END;

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
