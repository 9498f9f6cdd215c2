-- The evaluation engine's records (internal/evaluate holds the rules; the
-- indicator sets are data files, versioned, so a case stores the id and
-- version it was opened with, never a copy of the set).
--
-- The expert pool: an expert is a user (they sign in to score) with a kind
-- (technical, finance, economic, management), the fields they cover
-- (discipline and chain codes, a JSON array) and the relations they
-- declared (a JSON array of {org_id, relation}).
CREATE TABLE evaluation_experts (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  kind TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '[]',
  declared TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL
);

-- One scored case of any module (subject_kind names it: achievement,
-- challenge_answer …), moved by domain.EvaluationFlow. The application's
-- side for conflicts of interest and field fit: the applicant, the
-- co-applicants' organisations and the people named (user ids), and the
-- discipline and chain codes (JSON arrays). result is the panel's
-- aggregated result (JSON of evaluate.Result) once publicised.
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  version BIGINT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  applicant_org_id BIGINT NOT NULL REFERENCES orgs (id),
  co_applicant_org_ids TEXT NOT NULL DEFAULT '[]',
  people TEXT NOT NULL DEFAULT '[]',
  fields TEXT NOT NULL DEFAULT '[]',
  set_id TEXT NOT NULL,
  set_version INTEGER NOT NULL,
  result_type TEXT NOT NULL,
  status TEXT NOT NULL,
  round INTEGER NOT NULL DEFAULT 0,
  publicity_from TEXT NOT NULL DEFAULT '',
  publicity_until TEXT NOT NULL DEFAULT '',
  open_objections INTEGER NOT NULL DEFAULT 0,
  result_tenths BIGINT NOT NULL DEFAULT 0,
  result TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX evaluations_subject ON evaluations (subject_kind, subject_id);
CREATE INDEX evaluations_status ON evaluations (status, id);

-- The panel of a case, in the order assigned; the index serves an
-- expert's scoring queue.
CREATE TABLE evaluation_panel (
  evaluation_id BIGINT NOT NULL REFERENCES evaluations (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  seq INTEGER NOT NULL,
  PRIMARY KEY (evaluation_id, user_id)
);
CREATE INDEX evaluation_panel_user ON evaluation_panel (user_id, evaluation_id);

-- Each expert's independent form, per scoring round (an upheld objection
-- opens a new round; the old forms stay): scores in tenths of a point by
-- item code, comments by indicator code (JSON objects).
CREATE TABLE evaluation_forms (
  evaluation_id BIGINT NOT NULL REFERENCES evaluations (id),
  round INTEGER NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users (id),
  scores TEXT NOT NULL,
  comments TEXT NOT NULL DEFAULT '{}',
  opinion TEXT NOT NULL DEFAULT '',
  submitted_at TEXT NOT NULL,
  PRIMARY KEY (evaluation_id, round, user_id)
);

-- Written, real-name objections to a result in 公示, and their handling.
CREATE TABLE evaluation_objections (
  id INTEGER PRIMARY KEY,
  evaluation_id BIGINT NOT NULL REFERENCES evaluations (id),
  by_user BIGINT NOT NULL REFERENCES users (id),
  by_name TEXT NOT NULL,
  text TEXT NOT NULL,
  filed_at TEXT NOT NULL,
  status TEXT NOT NULL,
  reply TEXT NOT NULL DEFAULT '',
  handled_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX evaluation_objections_case ON evaluation_objections (evaluation_id, id);
