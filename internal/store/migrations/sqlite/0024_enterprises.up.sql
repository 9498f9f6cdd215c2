-- The enterprise registry (企业库, issue 10 item 1), keyed by the
-- 统一社会信用代码. org_id links the registry firm that has an account
-- (its users see and file for it). district is a GB/T 2260 code of the
-- city, chain one of the city's industrial chains ('' none).
CREATE TABLE enterprises (
  id INTEGER PRIMARY KEY,
  uscc TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL DEFAULT '',
  org_id BIGINT NULL REFERENCES orgs (id),
  district TEXT NOT NULL,
  chain TEXT NOT NULL DEFAULT '',
  registered_on TEXT NOT NULL,
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX enterprises_org ON enterprises (org_id);
CREATE INDEX enterprises_district ON enterprises (district, id);
CREATE INDEX enterprises_chain ON enterprises (chain, id);

-- One filing of the facts (../shared/rules/FACTS.md) a firm and year: year
-- is the year of the facts' assessed_on; facts the object as filed, in
-- its canonical JSON encoding. filed_by is NULL for imports and the demo.
CREATE TABLE enterprise_filings (
  id INTEGER PRIMARY KEY,
  enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
  year INTEGER NOT NULL,
  facts TEXT NOT NULL,
  filed_by BIGINT NULL,
  filed_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (enterprise_id, year)
);
CREATE INDEX enterprise_filings_year ON enterprise_filings (year, id);

-- Qualifications held: 高企证书 (hnte, valid 3 years) and 科技型中小企业
-- 登记编号 (sme, one year). A revoked one keeps its row.
CREATE TABLE enterprise_qualifications (
  id INTEGER PRIMARY KEY,
  enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
  kind TEXT NOT NULL,
  number TEXT NOT NULL,
  year INTEGER NOT NULL,
  issued_on TEXT NOT NULL,
  expires_on TEXT NOT NULL,
  revoked_on TEXT NULL,
  revoke_reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (kind, number)
);
CREATE INDEX enterprise_qualifications_firm ON enterprise_qualifications (enterprise_id, year, id);
CREATE INDEX enterprise_qualifications_year ON enterprise_qualifications (year, kind, enterprise_id);
