-- 0005_history_files: one timeline (core/history) and one file store (core/files) for every kind,
-- keyed by (object_kind, object_id). The assessments' events and evidence files move here: an
-- event's control becomes its `part`; a file's control becomes its `part` (the control's OSCAL id)
-- and its `part_rank` (the control's place in the catalog, so files list in catalog order).

CREATE TABLE history (
    seq         INTEGER PRIMARY KEY,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    part        TEXT,
    comment     TEXT
);
CREATE INDEX history_object ON history(object_kind, object_id, seq);

INSERT INTO history(seq, object_kind, object_id, at, actor, action, part, comment)
    SELECT id, 'assessment', assessment_id, at, actor, action, control_id, comment
    FROM assessment_events ORDER BY id;
DROP TABLE assessment_events;

CREATE TABLE files (
    id           TEXT PRIMARY KEY,
    object_kind  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    part         TEXT,
    part_rank    INTEGER NOT NULL DEFAULT 0,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    seq          INTEGER NOT NULL UNIQUE -- upload order (times have one-second resolution)
);
CREATE INDEX files_object ON files(object_kind, object_id, part_rank, seq);

INSERT INTO files(id, object_kind, object_id, part, part_rank, filename, content_type, size,
                  sha256, data, created_by, created_at, seq)
    SELECT t.id, 'assessment', t.assessment_id, coalesce(c.oscal_id, '#' || t.control_idx),
           t.control_idx, t.filename, t.content_type, t.size, t.sha256, t.data, t.created_by,
           t.created_at, t.seq
    FROM assessment_attachments t
    LEFT JOIN assessments a ON a.id = t.assessment_id
    LEFT JOIN campaigns k ON k.id = a.campaign_id
    LEFT JOIN profiles p ON p.id = k.profile_id
    LEFT JOIN controls c ON c.catalog_id = p.catalog_id AND c.idx = t.control_idx
    ORDER BY t.seq;
DROP TABLE assessment_attachments;
