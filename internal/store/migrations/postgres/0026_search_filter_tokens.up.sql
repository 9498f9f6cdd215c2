-- The pair of SQLite's 0026: a record's filter values as index tokens
-- (§s<status>, §c<chain code in hex>, §y<year of publication>), so that a
-- search narrowed by a filter intersects them with the query's lexemes in
-- the GIN index (store/search.go, filterTokens). The store writes
-- search_filter with the record, in the same statement; here it is
-- computed for the existing rows by the same rule. search_all, generated
-- from the three, is what a search matches and ranks (one tsvector a row,
-- read once: the concatenation of the three in every row a search's walk
-- tested cost half the walk), and the GIN index covers it.
ALTER TABLE achievements ADD COLUMN search_filter tsvector NOT NULL DEFAULT '';
ALTER TABLE needs ADD COLUMN search_filter tsvector NOT NULL DEFAULT '';
UPDATE achievements SET search_filter = CAST('§s' || status || ' §c' || encode(convert_to(chain_code, 'UTF8'), 'hex') || ' §y' ||
  CASE WHEN published_on LIKE '____-%' THEN substr(published_on, 1, 4) ELSE '' END AS tsvector);
UPDATE needs SET search_filter = CAST('§s' || status || ' §c' || encode(convert_to(chain_code, 'UTF8'), 'hex') AS tsvector);
DROP INDEX achievements_search;
DROP INDEX needs_search;
ALTER TABLE achievements ADD COLUMN search_all tsvector GENERATED ALWAYS AS (search_title || search_body || search_filter) STORED;
ALTER TABLE needs ADD COLUMN search_all tsvector GENERATED ALWAYS AS (search_title || search_body || search_filter) STORED;
-- Kept in the row (MAIN: not moved to TOAST while the row fits a page), so
-- that the walk reads each row's tsvector from its heap page instead of
-- through the TOAST index and chunks (3× less time for the newest 1,000
-- matches of a frequent term, measured at 200,000); rows written before
-- this migration keep theirs in TOAST until rewritten (VACUUM FULL).
ALTER TABLE achievements ALTER COLUMN search_all SET STORAGE MAIN;
ALTER TABLE needs ALTER COLUMN search_all SET STORAGE MAIN;
CREATE INDEX achievements_search ON achievements USING gin (search_all);
CREATE INDEX needs_search ON needs USING gin (search_all);
