-- PostgreSQL's 0005 adds the id to the tray and due-list indexes so that
-- "soonest first, then by id" needs no sort. SQLite's indexes already end
-- in the rowid (the id), so nothing changes here; the file keeps the two
-- engines' migration numbers in step.
SELECT 1;
