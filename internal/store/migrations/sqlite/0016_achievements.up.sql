-- Achievements (科技成果), the first link of the city's chain (issue 9).
-- The lists a filing carries (keywords, team, IP rights, transfer modes,
-- the 赋权 grant) are JSON: they are read with the achievement and never
-- queried alone; search_text is the normalised title, keywords, abstract
-- and patent numbers the catalogue's keyword search scans (the matching
-- engine indexes the same records in memory).
CREATE TABLE achievements (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  abstract TEXT NOT NULL,
  keywords TEXT NOT NULL DEFAULT '[]',
  owner_org_id BIGINT NOT NULL REFERENCES orgs (id),
  team TEXT NOT NULL DEFAULT '[]',
  discipline TEXT NOT NULL DEFAULT '',
  chain_code TEXT NOT NULL DEFAULT '',
  trl INTEGER NOT NULL,
  trl_evidence TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '[]',
  funding TEXT NOT NULL,
  excluded BOOLEAN NOT NULL DEFAULT FALSE,
  empowerment TEXT NOT NULL DEFAULT '',
  modes TEXT NOT NULL DEFAULT '[]',
  asking_fen BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  filed_on TEXT NOT NULL DEFAULT '',
  published_on TEXT NOT NULL DEFAULT '',
  return_reason TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '',
  title_key TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX achievements_owner ON achievements (owner_org_id, id);
CREATE INDEX achievements_status ON achievements (status, id);
CREATE INDEX achievements_published ON achievements (published_on);
