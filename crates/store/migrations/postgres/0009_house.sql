-- The house issue (12): see the SQLite migration of the same number for
-- the reasons; the same changes in PostgreSQL's types.
ALTER TABLE incoming RENAME COLUMN due_date TO sort_due;
ALTER TABLE incoming ADD COLUMN due_date DATE;
UPDATE incoming SET due_date = sort_due;
ALTER TABLE incoming ADD COLUMN target_date DATE;
ALTER TABLE incoming ADD COLUMN extension_reason TEXT;
ALTER TABLE incoming ADD COLUMN extension_notice_date DATE;

ALTER TABLE archive_files ADD COLUMN span TEXT NOT NULL DEFAULT 'yearly';
ALTER TABLE archive_files ADD COLUMN closed_year BIGINT;
ALTER TABLE archive_files ADD COLUMN matter_ended_year BIGINT;
ALTER TABLE archive_files ADD COLUMN legal_hold TEXT;
ALTER TABLE archive_files ADD COLUMN hold_note TEXT NOT NULL DEFAULT '';
UPDATE archive_files SET closed_year = year WHERE state <> 'open';

ALTER TABLE disposals ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE disposals ADD COLUMN approved_by BIGINT REFERENCES users(id);
ALTER TABLE disposals ADD COLUMN approved_at TIMESTAMPTZ;
-- The State Archives' favourable opinion (its date and number), recorded
-- with the approval when the installation requires it.
ALTER TABLE disposals ADD COLUMN state_archives_opinion TEXT;
CREATE TABLE disposal_files (
    disposal_id BIGINT NOT NULL REFERENCES disposals(id),
    file_id     BIGINT NOT NULL REFERENCES archive_files(id),
    PRIMARY KEY (disposal_id, file_id)
);
INSERT INTO disposal_files (disposal_id, file_id) SELECT disposal_id, file_id FROM disposal_tombstones;

-- Outgoing letters: the muhatap line as printed (Resmî Yazışma
-- Yönetmeliği m.14: capitals with the dative), suggested from the name and
-- correctable by the writer; empty on letters made before it, which print
-- the suggestion.
ALTER TABLE outgoing_recipients ADD COLUMN line TEXT NOT NULL DEFAULT '';

-- Who may read a file is decided by the records holding it: found by the
-- file's hash, not by scanning every attachment.
-- (with the holder's id, so that the first few holders are read in order
-- without sorting every record that holds a much-used file)
CREATE INDEX incoming_attachments_sha256 ON incoming_attachments (sha256, incoming_id);
CREATE INDEX outgoing_attachments_sha256 ON outgoing_attachments (sha256, outgoing_id);
CREATE INDEX outgoing_signatures_sha256 ON outgoing_signatures (sha256, outgoing_id);
