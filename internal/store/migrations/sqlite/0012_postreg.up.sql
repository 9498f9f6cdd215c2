-- Post-registration actions (issue 8): 变更登记, 注销登记, 撤销, 异议.
--
-- The contract row holds the current version of a registration:
-- reg_version (1 the original, +1 each approved 变更) and changed_on (the
-- date of the current version's 变更); ended_on, end_ground and end_note
-- the date and ground of its 注销 or 撤销.
ALTER TABLE contracts ADD COLUMN reg_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contracts ADD COLUMN changed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN ended_on TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN end_ground TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN end_note TEXT NOT NULL DEFAULT '';
UPDATE contracts SET reg_version = 1 WHERE status = 'registered';

-- The applicant's requests for 变更 or 注销, decided by the registrar of
-- the contract's registry; at most one pending a contract (the service
-- checks it in the deciding transaction, the partial index enforces it).
CREATE TABLE contract_requests (
  id INTEGER PRIMARY KEY,
  contract_id BIGINT NOT NULL REFERENCES contracts (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  ground TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  attachment TEXT NOT NULL DEFAULT '',
  proposal TEXT NOT NULL DEFAULT '',
  requested_by TEXT NOT NULL,
  requested_on TEXT NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_on TEXT NOT NULL DEFAULT '',
  decision_note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX contract_requests_pending ON contract_requests (contract_id) WHERE status = 'pending';

-- Every superseded version of a registration, kept whole (the contract as
-- JSON) from the day it took effect until the 变更 that replaced it.
CREATE TABLE contract_reg_versions (
  contract_id BIGINT NOT NULL REFERENCES contracts (id),
  version INTEGER NOT NULL,
  valid_from TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  PRIMARY KEY (contract_id, version)
);

-- 异议 against a registration decision, with the registry's outcome; at
-- most one open a contract.
CREATE TABLE contract_objections (
  id INTEGER PRIMARY KEY,
  contract_id BIGINT NOT NULL REFERENCES contracts (id),
  against TEXT NOT NULL,
  reason TEXT NOT NULL,
  raised_by TEXT NOT NULL,
  raiser_role TEXT NOT NULL,
  raised_on TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome_note TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  decided_on TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX contract_objections_open ON contract_objections (contract_id) WHERE status = 'open';
