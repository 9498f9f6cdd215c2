-- A search narrowed by a filter (a chain, a year of publication, a status)
-- intersects the query's doclists with the filter's in the full-text index
-- (store/search.go, filterTokens) instead of reading every match's row to
-- test the filter: search_filter holds the filter values of a record as
-- tokens that no typed query can produce (they begin with §, which is not
-- a letter or a digit): §s<status>, §c<chain code in hex>, §y<year of
-- publication>. The store writes it with the record, in the same statement
-- (every insert and update computes it from the record's columns); here it
-- is computed for the existing rows by the same rule, and the FTS5 tables
-- are rebuilt with the third column.
DROP TRIGGER achievements_fts_ai;
DROP TRIGGER achievements_fts_ad;
DROP TRIGGER achievements_fts_au;
DROP TRIGGER needs_fts_ai;
DROP TRIGGER needs_fts_ad;
DROP TRIGGER needs_fts_au;
DROP TABLE achievements_fts;
DROP TABLE needs_fts;

ALTER TABLE achievements ADD COLUMN search_filter TEXT NOT NULL DEFAULT '';
ALTER TABLE needs ADD COLUMN search_filter TEXT NOT NULL DEFAULT '';
UPDATE achievements SET search_filter = '§s' || status || ' §c' || lower(hex(chain_code)) || ' §y' ||
  CASE WHEN published_on LIKE '____-%' THEN substr(published_on, 1, 4) ELSE '' END;
UPDATE needs SET search_filter = '§s' || status || ' §c' || lower(hex(chain_code));

CREATE VIRTUAL TABLE achievements_fts USING fts5(search_title, search_body, search_filter, content = 'achievements', content_rowid = 'id', tokenize = 'ascii');
CREATE VIRTUAL TABLE needs_fts USING fts5(search_title, search_body, search_filter, content = 'needs', content_rowid = 'id', tokenize = 'ascii');
INSERT INTO achievements_fts (achievements_fts) VALUES ('rebuild');
INSERT INTO needs_fts (needs_fts) VALUES ('rebuild');

-- +statement begin
CREATE TRIGGER achievements_fts_ai AFTER INSERT ON achievements BEGIN
  INSERT INTO achievements_fts (rowid, search_title, search_body, search_filter) VALUES (new.id, new.search_title, new.search_body, new.search_filter);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER achievements_fts_ad AFTER DELETE ON achievements BEGIN
  INSERT INTO achievements_fts (achievements_fts, rowid, search_title, search_body, search_filter) VALUES ('delete', old.id, old.search_title, old.search_body, old.search_filter);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER achievements_fts_au AFTER UPDATE OF search_title, search_body, search_filter ON achievements
WHEN old.search_title IS NOT new.search_title OR old.search_body IS NOT new.search_body OR old.search_filter IS NOT new.search_filter BEGIN
  INSERT INTO achievements_fts (achievements_fts, rowid, search_title, search_body, search_filter) VALUES ('delete', old.id, old.search_title, old.search_body, old.search_filter);
  INSERT INTO achievements_fts (rowid, search_title, search_body, search_filter) VALUES (new.id, new.search_title, new.search_body, new.search_filter);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER needs_fts_ai AFTER INSERT ON needs BEGIN
  INSERT INTO needs_fts (rowid, search_title, search_body, search_filter) VALUES (new.id, new.search_title, new.search_body, new.search_filter);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER needs_fts_ad AFTER DELETE ON needs BEGIN
  INSERT INTO needs_fts (needs_fts, rowid, search_title, search_body, search_filter) VALUES ('delete', old.id, old.search_title, old.search_body, old.search_filter);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER needs_fts_au AFTER UPDATE OF search_title, search_body, search_filter ON needs
WHEN old.search_title IS NOT new.search_title OR old.search_body IS NOT new.search_body OR old.search_filter IS NOT new.search_filter BEGIN
  INSERT INTO needs_fts (needs_fts, rowid, search_title, search_body, search_filter) VALUES ('delete', old.id, old.search_title, old.search_body, old.search_filter);
  INSERT INTO needs_fts (rowid, search_title, search_body, search_filter) VALUES (new.id, new.search_title, new.search_body, new.search_filter);
END;
-- +statement end
