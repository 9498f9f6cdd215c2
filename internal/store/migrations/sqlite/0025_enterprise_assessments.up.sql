-- Enterprise assessments (issue 10 items 4 and 6): one row per firm, year
-- and tier rule set (sme, hnte, eaglet, gazelle, unicorn), replaced by a
-- new assessment. No result JSON is kept: the explanation is recomputed
-- from the filing, and rules_hash tells when the rule file changed since.
CREATE TABLE enterprise_assessments (
  id INTEGER PRIMARY KEY,
  enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
  year BIGINT NOT NULL,
  rule_set TEXT NOT NULL,
  version TEXT NOT NULL,
  rules_hash TEXT NOT NULL,
  verdict TEXT NOT NULL,
  score_min BIGINT,
  score_max BIGINT,
  missing BIGINT NOT NULL DEFAULT 0,
  assessed_on TEXT NOT NULL,
  run_id BIGINT,
  created_at TEXT NOT NULL,
  UNIQUE (enterprise_id, year, rule_set)
);
-- The tier counts and the lists of a run's page (firms by verdict).
CREATE INDEX enterprise_assessments_year ON enterprise_assessments (year, rule_set, verdict, enterprise_id);

-- The bureau's batch runs. running is 1 while the run runs and NULL after:
-- the unique index refuses a second run while one is running.
CREATE TABLE enterprise_assessment_runs (
  id INTEGER PRIMARY KEY,
  year BIGINT NOT NULL,
  rule_sets TEXT NOT NULL,
  started_by BIGINT,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT,
  running BIGINT UNIQUE,
  total BIGINT NOT NULL DEFAULT 0,
  done BIGINT NOT NULL DEFAULT 0,
  counts TEXT NOT NULL DEFAULT '{}',
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enterprise_assessment_runs_year ON enterprise_assessment_runs (year, id);

-- The yearly tier rollup, recomputed from enterprise_assessments for the
-- years a write touches (Y and Y+1) in the same transaction: the public
-- statistics read two rows. Both pool-intake definitions are kept; the
-- setting enterprise_pool_intake picks one.
CREATE TABLE enterprise_tier_counts (
  year BIGINT PRIMARY KEY,
  assessed BIGINT NOT NULL,
  tech BIGINT NOT NULL,
  high_tech BIGINT NOT NULL,
  sme BIGINT NOT NULL,
  eaglet BIGINT NOT NULL,
  gazelle_unicorn BIGINT NOT NULL,
  intake_new_tech BIGINT NOT NULL,
  intake_new_sme BIGINT NOT NULL,
  updated_at TEXT NOT NULL
);
