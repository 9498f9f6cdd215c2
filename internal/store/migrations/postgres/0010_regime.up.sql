-- Rules by regime (the 2000 办法 or the 2026 办法) and a real 受理 step.
-- Every filing records the regime it is handled under, chosen by its first
-- 受理 date against the cut-over (an administration setting, default
-- 2026-03-01), the last day of its time limit and whether it goes to expert
-- review; a filing may be marked disputed; 不予受理 keeps its ground.
ALTER TABLE contracts ADD COLUMN regime TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN due_on TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN expert_review BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE contracts ADD COLUMN disputed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE contracts ADD COLUMN intake_ground TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN intake_note TEXT NOT NULL DEFAULT '';

-- Old data stays valid: a filing submitted before this migration was
-- accepted on submission (the old flow had no separate 受理), so it is
-- accepted now; a submitted or registered filing without an acceptance
-- date gets its submission date (its registration date for an import).
UPDATE contracts SET status = 'accepted' WHERE status = 'submitted';
UPDATE contracts SET accepted_on = COALESCE((SELECT substr(MAX(e.at), 1, 10) FROM entity_events e
  WHERE e.entity = 'contract' AND e.entity_id = contracts.id AND e.action = 'submit'), COALESCE(registered_on, ''))
  WHERE accepted_on = '' AND status IN ('accepted', 'registered', 'refused', 'returned');
-- The regime by that date against the default cut-over; the 2000 regime's
-- 30 calendar days here, the 2026 regime's working days by the service
-- right after the migration (Service.Migrate: the calendar is not SQL).
UPDATE contracts SET regime = CASE WHEN accepted_on >= '2026-03-01' THEN '2026' ELSE '2000' END WHERE accepted_on <> '';
UPDATE contracts SET due_on = to_char(accepted_on::date + 30, 'YYYY-MM-DD') WHERE regime = '2000';
CREATE INDEX contracts_due ON contracts (status, due_on);

-- Every 补正 cycle: requested on a date with a reason, and the day the
-- corrected materials arrived, from which the clock restarts. A filing
-- returned before this migration gets its open cycle from its last return.
CREATE TABLE contract_corrections (
  contract_id BIGINT NOT NULL REFERENCES contracts (id),
  seq INTEGER NOT NULL,
  requested_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  resubmitted_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (contract_id, seq)
);
INSERT INTO contract_corrections (contract_id, seq, requested_on, reason)
  SELECT c.id, 1, substr(e.at, 1, 10), e.comment FROM contracts c JOIN entity_events e ON e.entity = 'contract' AND e.entity_id = c.id
  WHERE c.status = 'returned' AND e.action = 'return'
    AND e.id = (SELECT MAX(e2.id) FROM entity_events e2 WHERE e2.entity = 'contract' AND e2.entity_id = c.id AND e2.action = 'return');

-- The working-day arrangements the bureau loaded (kechuang calendar load):
-- for a year present here these days alone decide, over the library's.
CREATE TABLE workday_days (
  day TEXT PRIMARY KEY,
  work BOOLEAN NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  loaded_at TEXT NOT NULL
);

-- Expert review of a large or disputed contract: the reviewers the
-- registrar assigned (experts, never of a party's organisation) and the
-- opinion each recorded.
CREATE TABLE contract_reviews (
  contract_id BIGINT NOT NULL REFERENCES contracts (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  org_id BIGINT NOT NULL,
  assigned_on TEXT NOT NULL,
  opinion TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  opined_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (contract_id, user_id)
);
CREATE INDEX contract_reviews_user ON contract_reviews (user_id, contract_id);
