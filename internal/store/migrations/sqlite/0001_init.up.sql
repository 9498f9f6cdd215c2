-- Kechuang schema, SQLite dialect. Paired with postgres/0001_init.up.sql:
-- the two differ only in identity columns, BLOB/BYTEA and BOOLEAN literals.
-- Dates are TEXT 'YYYY-MM-DD' and timestamps TEXT RFC 3339 UTC in both
-- databases so one set of queries serves both (see store/dialect.go).
CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL, parent_code TEXT NOT NULL DEFAULT '');
CREATE TABLE chains (code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL DEFAULT 0);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE targets (year INTEGER NOT NULL, metric TEXT NOT NULL, value BIGINT NOT NULL, PRIMARY KEY (year, metric));

CREATE TABLE orgs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  uscc TEXT,
  region_code TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX orgs_uscc ON orgs (uscc) WHERE uscc IS NOT NULL;
CREATE INDEX orgs_kind ON orgs (kind, name);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  password_hash TEXT NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE contracts (
  id INTEGER PRIMARY KEY,
  registry_id BIGINT NOT NULL REFERENCES orgs (id),
  title TEXT NOT NULL,
  contract_no TEXT NOT NULL DEFAULT '',
  seller_org_id BIGINT REFERENCES orgs (id),
  seller_name TEXT NOT NULL,
  seller_uscc TEXT NOT NULL,
  seller_region TEXT NOT NULL,
  seller_type TEXT NOT NULL,
  seller_local BOOLEAN NOT NULL,
  buyer_org_id BIGINT REFERENCES orgs (id),
  buyer_name TEXT NOT NULL,
  buyer_uscc TEXT NOT NULL,
  buyer_region TEXT NOT NULL,
  buyer_type TEXT NOT NULL,
  buyer_local BOOLEAN NOT NULL,
  broker_org_id BIGINT REFERENCES orgs (id),
  signed_on TEXT NOT NULL,
  term_start TEXT NOT NULL,
  term_end TEXT NOT NULL,
  category TEXT NOT NULL,
  sub_type TEXT NOT NULL,
  form TEXT NOT NULL,
  seals_match BOOLEAN NOT NULL,
  tech_field TEXT NOT NULL,
  chain_code TEXT NOT NULL DEFAULT '',
  turnover_fen BIGINT NOT NULL CHECK (turnover_fen > 0),
  tech_transaction_fen BIGINT NOT NULL CHECK (tech_transaction_fen >= 0 AND tech_transaction_fen <= turnover_fen),
  tech_income_fen BIGINT NOT NULL DEFAULT 0,
  cost_items TEXT NOT NULL DEFAULT '[]',
  flags TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  reg_no TEXT UNIQUE,
  reg_year INTEGER,
  reg_serial BIGINT,
  registered_on TEXT,
  refusal_ground TEXT NOT NULL DEFAULT '',
  refusal_note TEXT NOT NULL DEFAULT '',
  accepted_on TEXT NOT NULL DEFAULT '',
  owner_org_id BIGINT NOT NULL REFERENCES orgs (id),
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (registry_id, reg_year, reg_serial)
);
CREATE INDEX contracts_status ON contracts (status, accepted_on);
CREATE INDEX contracts_owner ON contracts (owner_org_id);
CREATE INDEX contracts_seller ON contracts (seller_org_id);
CREATE INDEX contracts_buyer ON contracts (buyer_org_id);
CREATE INDEX contracts_registered ON contracts (registered_on);

CREATE TABLE contract_events (
  id INTEGER PRIMARY KEY,
  contract_id BIGINT NOT NULL REFERENCES contracts (id),
  at TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  ground TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contract_events_contract ON contract_events (contract_id, id);

CREATE TABLE contract_documents (
  contract_id BIGINT PRIMARY KEY REFERENCES contracts (id),
  name TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  uploaded_at TEXT NOT NULL
);

-- Registration serials: one row per registry and year, bumped in the
-- registering transaction, so a rolled-back registration gives its number back.
CREATE TABLE reg_sequences (
  registry_id BIGINT NOT NULL REFERENCES orgs (id),
  year INTEGER NOT NULL,
  last_serial BIGINT NOT NULL,
  PRIMARY KEY (registry_id, year)
);

-- Statistics rollup of registered contracts, kept in the same transaction as
-- the registration. dim/key: all/'', category, field, chain, seller_region,
-- buyer_region, seller_type, buyer_type, flow (output|absorb|local).
CREATE TABLE contract_rollup (
  year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  dim TEXT NOT NULL,
  key TEXT NOT NULL,
  n BIGINT NOT NULL,
  turnover_fen BIGINT NOT NULL,
  tech_fen BIGINT NOT NULL,
  PRIMARY KEY (year, month, dim, key)
);

-- Append-only audit log; each row's hash covers its content and the
-- previous row's hash. audit_head serialises writers on one row.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
