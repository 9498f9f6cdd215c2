-- The catalogue's full-text search and the achievement rollup (issue 9).
-- search_title and search_body hold the index tokens of a record
-- (internal/search: Chinese bigrams, ASCII words, gse words), space
-- separated, written with the record; an external-content FTS5 table per
-- table indexes them, kept current by the triggers below in the same
-- transaction. The ascii tokenizer splits on ASCII space and punctuation
-- only: a bigram is one token. Existing rows get their tokens from Go
-- (kechuang search reindex; serve reindexes when search_index.version is
-- older than the tokeniser's).
ALTER TABLE achievements ADD COLUMN search_title TEXT NOT NULL DEFAULT '';
ALTER TABLE achievements ADD COLUMN search_body TEXT NOT NULL DEFAULT '';
ALTER TABLE needs ADD COLUMN search_title TEXT NOT NULL DEFAULT '';
ALTER TABLE needs ADD COLUMN search_body TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE achievements_fts USING fts5(search_title, search_body, content = 'achievements', content_rowid = 'id', tokenize = 'ascii');
CREATE VIRTUAL TABLE needs_fts USING fts5(search_title, search_body, content = 'needs', content_rowid = 'id', tokenize = 'ascii');

-- +statement begin
CREATE TRIGGER achievements_fts_ai AFTER INSERT ON achievements BEGIN
  INSERT INTO achievements_fts (rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER achievements_fts_ad AFTER DELETE ON achievements BEGIN
  INSERT INTO achievements_fts (achievements_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER achievements_fts_au AFTER UPDATE OF search_title, search_body ON achievements
WHEN old.search_title IS NOT new.search_title OR old.search_body IS NOT new.search_body BEGIN
  INSERT INTO achievements_fts (achievements_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body);
  INSERT INTO achievements_fts (rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER needs_fts_ai AFTER INSERT ON needs BEGIN
  INSERT INTO needs_fts (rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER needs_fts_ad AFTER DELETE ON needs BEGIN
  INSERT INTO needs_fts (needs_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER needs_fts_au AFTER UPDATE OF search_title, search_body ON needs
WHEN old.search_title IS NOT new.search_title OR old.search_body IS NOT new.search_body BEGIN
  INSERT INTO needs_fts (needs_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body);
  INSERT INTO needs_fts (rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body);
END;
-- +statement end

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
