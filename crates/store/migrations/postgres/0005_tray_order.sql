-- Trays and due lists read "soonest first, then by id". With the id in the
-- index the LIMIT stops early even when thousands of documents share one
-- due date (a busy registration day); without it PostgreSQL sorted them all.
DROP INDEX incoming_open_due;
CREATE INDEX incoming_open_due ON incoming (state, due_date, id);
DROP INDEX routings_open_user;
CREATE INDEX routings_open_user ON routings (to_user, due, id) WHERE open;
DROP INDEX routings_open_unit;
CREATE INDEX routings_open_unit ON routings (to_unit, due, id) WHERE open;
DROP INDEX routings_open_due;
CREATE INDEX routings_open_due ON routings (due, id) WHERE open;
