-- One history table for every module's workflow (contracts first; the
-- rows of contract_events move here unchanged).
CREATE TABLE entity_events (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  at TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
INSERT INTO entity_events (id, entity, entity_id, at, actor_id, actor_name, action, from_status, to_status, comment, reason)
  SELECT id, 'contract', contract_id, at, actor_id, actor_name, action, from_status, to_status, comment, ground FROM contract_events;
CREATE INDEX entity_events_entity ON entity_events (entity, entity_id, id);
DROP TABLE contract_events;
