-- The matching index's change sequence (issue 11 item 2). Every write that
-- changes what the in-memory matching index holds (an achievement or a
-- need inserted, updated in a field the index or its features read, or
-- deleted; an organisation's region, which is the locality of its
-- records) appends a row here in the same transaction, by the triggers
-- below: every write path (the workflow, the imports, the demo's bulk
-- inserts, any later one) is covered without each having to remember it.
-- Each serve process follows the rows after the last seq it applied and
-- reloads the records they name (internal/service/match_feed.go).
-- AUTOINCREMENT: a seq is never reused after old rows are pruned.
CREATE TABLE match_changes (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL,            -- achievement | need | rebuild
  entity_id  INTEGER NOT NULL DEFAULT 0,
  changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX match_changes_changed_at ON match_changes (changed_at);

-- +statement begin
CREATE TRIGGER match_achievements_ai AFTER INSERT ON achievements BEGIN
  INSERT INTO match_changes (kind, entity_id) VALUES ('achievement', new.id);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER match_achievements_au AFTER UPDATE ON achievements
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.keywords IS NOT new.keywords
  OR old.owner_org_id IS NOT new.owner_org_id OR old.discipline IS NOT new.discipline OR old.chain_code IS NOT new.chain_code
  OR old.trl IS NOT new.trl OR old.stage IS NOT new.stage OR old.status IS NOT new.status
  OR old.published_on IS NOT new.published_on OR old.excluded IS NOT new.excluded OR old.modes IS NOT new.modes BEGIN
  INSERT INTO match_changes (kind, entity_id) VALUES ('achievement', new.id);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER match_achievements_ad AFTER DELETE ON achievements BEGIN
  INSERT INTO match_changes (kind, entity_id) VALUES ('achievement', old.id);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER match_needs_ai AFTER INSERT ON needs BEGIN
  INSERT INTO match_changes (kind, entity_id) VALUES ('need', new.id);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER match_needs_au AFTER UPDATE ON needs
WHEN old.title IS NOT new.title OR old.problem IS NOT new.problem OR old.indicators IS NOT new.indicators
  OR old.keywords IS NOT new.keywords OR old.owner_org_id IS NOT new.owner_org_id OR old.chain_code IS NOT new.chain_code
  OR old.stage IS NOT new.stage OR old.status IS NOT new.status OR old.deadline IS NOT new.deadline
  OR old.published_on IS NOT new.published_on OR old.modes IS NOT new.modes BEGIN
  INSERT INTO match_changes (kind, entity_id) VALUES ('need', new.id);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER match_needs_ad AFTER DELETE ON needs BEGIN
  INSERT INTO match_changes (kind, entity_id) VALUES ('need', old.id);
END;
-- +statement end
-- +statement begin
CREATE TRIGGER match_orgs_au AFTER UPDATE OF region_code ON orgs
WHEN old.region_code IS NOT new.region_code BEGIN
  INSERT INTO match_changes (kind, entity_id) SELECT 'achievement', id FROM achievements WHERE owner_org_id = new.id AND status IN ('published', 'transferred');
  INSERT INTO match_changes (kind, entity_id) SELECT 'need', id FROM needs WHERE owner_org_id = new.id AND status = 'published';
END;
-- +statement end
