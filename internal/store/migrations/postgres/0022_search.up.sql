-- The catalogue's full-text search and the achievement rollup (issue 9).
-- search_title and search_body hold the index tokens of a record
-- (internal/search: Chinese bigrams, ASCII words, gse words) as tsvectors
-- with positions (the title's weighted A), written by Go in the tsvector
-- input format (no text-search parser, so no dependence on the server's
-- locale), with the record; a GIN index covers their concatenation.
-- Existing rows get their tokens from Go (kechuang search reindex; serve
-- reindexes when search_index.version is older than the tokeniser's).
ALTER TABLE achievements ADD COLUMN search_title tsvector NOT NULL DEFAULT '';
ALTER TABLE achievements ADD COLUMN search_body tsvector NOT NULL DEFAULT '';
ALTER TABLE needs ADD COLUMN search_title tsvector NOT NULL DEFAULT '';
ALTER TABLE needs ADD COLUMN search_body tsvector NOT NULL DEFAULT '';
CREATE INDEX achievements_search ON achievements USING gin ((search_title || search_body));
CREATE INDEX needs_search ON needs USING gin ((search_title || search_body));

-- The tokeniser version each index was built with (0: not yet).
CREATE TABLE search_index (
  name TEXT PRIMARY KEY,
  version INTEGER NOT NULL
);
INSERT INTO search_index (name, version) VALUES ('achievements', 0), ('needs', 0);

-- Achievements by year of first publication (0: never), chain and status:
-- the chain's achievements_published figure reads it; the store keeps it
-- in the transaction of every insert, change and deletion.
CREATE TABLE achievement_rollup (
  year INTEGER NOT NULL,
  chain_code TEXT NOT NULL,
  status TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (year, chain_code, status)
);
INSERT INTO achievement_rollup (year, chain_code, status, n)
SELECT CASE WHEN published_on = '' THEN 0 ELSE CAST(substr(published_on, 1, 4) AS INTEGER) END, chain_code, status, COUNT(*)
FROM achievements GROUP BY 1, 2, 3;
