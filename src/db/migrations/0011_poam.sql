-- 0011_poam: the org's plan for each gap of a reviewed assessment, what its POA&M export
-- (OSCAL plan-of-action-and-milestones, core/assessment_poam.c) carries with each item: who owns
-- the remediation (a person or a role), by when (a date), and what the weakness is and what will
-- be done about it. One row per (assessment, control) the org has planned; clearing the plan
-- keeps the row with the three NULL, so that the export's last-modified still moves with it.
-- Written by the assessed org (audit "assessment.poam").
CREATE TABLE assessment_poam (
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    control_idx   INTEGER NOT NULL,
    owner         TEXT,  -- FIELD_NAME (json/field.h)
    due_date      TEXT,  -- YYYY-MM-DD
    weakness      TEXT,  -- FIELD_NOTE
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (assessment_id, control_idx)
);
