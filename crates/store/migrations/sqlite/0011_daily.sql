-- Who sent a letter back (iade or ret) and when, so the writer sees it
-- beside the reason (issue 14: approval screens).
ALTER TABLE outgoing ADD COLUMN returned_by INTEGER REFERENCES users(id);
ALTER TABLE outgoing ADD COLUMN returned_at TEXT;
