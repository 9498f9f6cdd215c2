-- The pair of SQLite's 0023 (narrow indexes for a search's filter lookups).
-- PostgreSQL needs none: the long texts of a row are TOASTed out of line,
-- so the heap tuple a match is checked against is already narrow.
SELECT 1;
