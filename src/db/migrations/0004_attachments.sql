-- 0004_attachments: evidence files attached to an assessment's controls. Kept in the database
-- (capped at 5 MiB each) so a backup of the file is a backup of everything; served only as
-- downloads, never rendered.

CREATE TABLE assessment_attachments (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    control_idx   INTEGER NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    seq           INTEGER NOT NULL UNIQUE -- upload order (times have one-second resolution)
);
CREATE INDEX assessment_attachments_a ON assessment_attachments(assessment_id, control_idx, seq);
