-- The house issue (12): rules moved to domain, and the legal corrections
-- that need new facts.
--
-- Incoming: no invented periods. A document no law gives a period has no
-- legal deadline (due_date NULL) and may carry an internal target date;
-- trays sort by sort_due (the legal deadline, else the target, else
-- 9999-12-31), which both engines order the same way. Existing rows keep
-- the deadline they were registered with.
ALTER TABLE incoming RENAME COLUMN due_date TO sort_due;
ALTER TABLE incoming ADD COLUMN due_date TEXT;
UPDATE incoming SET due_date = sort_due;
ALTER TABLE incoming ADD COLUMN target_date TEXT;
-- 4982 m.11: the extension's reason and the date its notice was given.
ALTER TABLE incoming ADD COLUMN extension_reason TEXT;
ALTER TABLE incoming ADD COLUMN extension_notice_date TEXT;

-- The archive (Devlet Arşiv Hizmetleri Hakkında Yönetmelik): a file is
-- yearly or of one matter; retention counts from the end of the year its
-- matter ended (a matter file: the year it was closed, recorded with the
-- closing; a B-coded file: the year its matter ended); a legal hold
-- (litigation, investigation, audit) keeps it whatever its retention.
ALTER TABLE archive_files ADD COLUMN span TEXT NOT NULL DEFAULT 'yearly';
ALTER TABLE archive_files ADD COLUMN closed_year INTEGER;
ALTER TABLE archive_files ADD COLUMN matter_ended_year INTEGER;
ALTER TABLE archive_files ADD COLUMN legal_hold TEXT;
ALTER TABLE archive_files ADD COLUMN hold_note TEXT NOT NULL DEFAULT '';
-- A file closed before this migration: its year is its closing year.
UPDATE archive_files SET closed_year = year WHERE state <> 'open';

-- A disposal list is proposed (the commission's decision, recorded by the
-- holder of dispose_archive) and carried out only once approved by the
-- holder of approve_disposal. Disposals made before were carried out at
-- once: they are done.
ALTER TABLE disposals ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE disposals ADD COLUMN approved_by INTEGER REFERENCES users(id);
ALTER TABLE disposals ADD COLUMN approved_at TEXT;
-- The State Archives' favourable opinion (its date and number), recorded
-- with the approval when the installation requires it.
ALTER TABLE disposals ADD COLUMN state_archives_opinion TEXT;
CREATE TABLE disposal_files (
    disposal_id INTEGER NOT NULL REFERENCES disposals(id),
    file_id     INTEGER NOT NULL REFERENCES archive_files(id),
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
