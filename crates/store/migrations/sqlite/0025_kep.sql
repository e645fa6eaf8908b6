-- Issue 17 §5, KEP: what a letter's dispatch left as evidence (delil):
-- the message as it was handed to the institution's KEP provider, and
-- the provider's delivery evidence the Kalem adds when it arrives.

CREATE TABLE outgoing_evidence (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    -- kep_sent (the message as sent), kep_delivery (the provider's evidence)
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    added_by    INTEGER NOT NULL REFERENCES users(id),
    added_at    TEXT NOT NULL
);
CREATE INDEX outgoing_evidence_letter ON outgoing_evidence (outgoing_id);
CREATE INDEX outgoing_evidence_sha ON outgoing_evidence (sha256);
