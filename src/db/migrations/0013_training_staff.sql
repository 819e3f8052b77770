-- 0013_training_staff: the organising staff of a training session (issue 11): people of the
-- organising CERT, in the order given (rank 0 is the lead organiser). A session made before this
-- migration gets its creator as its lead, where the creator's e-mail names a person of the
-- organising CERT (created_by holds the creator's e-mail).
CREATE TABLE training_staff (
    training_id TEXT NOT NULL REFERENCES trainings(id),
    rank        INTEGER NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (training_id, user_id)
) WITHOUT ROWID;

INSERT INTO training_staff(training_id, rank, user_id)
    SELECT t.id, 0, u.id FROM trainings t JOIN users u ON u.email = t.created_by
    AND u.org_id = t.owner_org;
