-- The administration module: organisations and user accounts can be
-- disabled (正常 ⇄ 已停用) and carry an optimistic version and the time of
-- their last change, like contracts.
ALTER TABLE orgs ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE orgs ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE orgs ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE orgs SET updated_at = created_at;
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE users SET updated_at = created_at;
CREATE INDEX users_org ON users (org_id);
