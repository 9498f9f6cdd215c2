-- Technology needs (技术需求) posted by enterprises (issue 9 item 2).
-- Indicators, keywords and cooperation modes are JSON (read with the need,
-- never queried alone); search_text is the normalised title, keywords,
-- problem and indicators the keyword search scans. Expiry is computed from
-- the deadline (YYYY-MM-DD, China time) with the injected clock: no sweep.
CREATE TABLE needs (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  problem TEXT NOT NULL,
  indicators TEXT NOT NULL DEFAULT '[]',
  budget_min_fen BIGINT NOT NULL DEFAULT 0,
  budget_max_fen BIGINT NOT NULL DEFAULT 0,
  deadline TEXT NOT NULL,
  chain_code TEXT NOT NULL DEFAULT '',
  keywords TEXT NOT NULL DEFAULT '[]',
  stage TEXT NOT NULL DEFAULT '',
  modes TEXT NOT NULL DEFAULT '[]',
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  owner_org_id BIGINT NOT NULL REFERENCES orgs (id),
  status TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  outcome_note TEXT NOT NULL DEFAULT '',
  published_on TEXT NOT NULL DEFAULT '',
  closed_on TEXT NOT NULL DEFAULT '',
  return_reason TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '',
  title_key TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX needs_owner ON needs (owner_org_id, id);
CREATE INDEX needs_status ON needs (status, deadline, id);
