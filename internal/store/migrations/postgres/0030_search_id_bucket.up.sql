-- A search's walk newest first, on PostgreSQL, by id ranges that the GIN
-- index itself intersects (store/search.go, bucketToken). search_all gains
-- one more lexeme a row, §b<id >> 13>: the bucket of 8,192 consecutive ids
-- the row is in. A search asks for its matches in the newest buckets
-- first (one bucket, then two, four, ...), ANDing the query with the OR of
-- the buckets' lexemes, so that the index returns only the matches in
-- those ids, rather than every match of a rare term (whose rows the
-- planner then fetched and sorted: 12,841 rows for 有限元 at a million) or
-- the primary key walked backwards testing every row (a frequent term).
-- The lexeme is computed from id in the generated column, so every write
-- path holds it without remembering to; § keeps it out of anything typed,
-- like the filter tokens of 0026.
DROP INDEX achievements_search;
DROP INDEX needs_search;
ALTER TABLE achievements DROP COLUMN search_all;
ALTER TABLE needs DROP COLUMN search_all;
ALTER TABLE achievements ADD COLUMN search_all tsvector
  GENERATED ALWAYS AS (search_title || search_body || search_filter || CAST('§b' || (id >> 13) AS tsvector)) STORED;
ALTER TABLE needs ADD COLUMN search_all tsvector
  GENERATED ALWAYS AS (search_title || search_body || search_filter || CAST('§b' || (id >> 13) AS tsvector)) STORED;
ALTER TABLE achievements ALTER COLUMN search_all SET STORAGE MAIN;
ALTER TABLE needs ALTER COLUMN search_all SET STORAGE MAIN;
CREATE INDEX achievements_search ON achievements USING gin (search_all);
CREATE INDEX needs_search ON needs USING gin (search_all);
