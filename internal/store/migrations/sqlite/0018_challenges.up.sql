-- 揭榜挂帅 challenges (榜单), their answers (揭榜方案) and the projects'
-- milestones (issue 9 item 3). Indicators are JSON (read with the
-- challenge, never queried alone); search_text is the normalised title and
-- problem the keyword search scans. The project (agreement, acceptance) is
-- on the challenge's row: one project per challenge. An answer is one per
-- organisation per challenge (the unique index); its scoring is the
-- evaluation engine's case (evaluation_id).
CREATE TABLE challenges (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  problem TEXT NOT NULL,
  indicators TEXT NOT NULL DEFAULT '[]',
  eligibility TEXT NOT NULL DEFAULT '',
  budget_fen BIGINT NOT NULL,
  gov_share_fen BIGINT NOT NULL DEFAULT 0,
  deadline TEXT NOT NULL,
  chain_code TEXT NOT NULL DEFAULT '',
  need_id BIGINT NOT NULL DEFAULT 0,
  publisher TEXT NOT NULL DEFAULT '',
  owner_org_id BIGINT NOT NULL REFERENCES orgs (id),
  status TEXT NOT NULL,
  return_reason TEXT NOT NULL DEFAULT '',
  confirmed_on TEXT NOT NULL DEFAULT '',
  published_on TEXT NOT NULL DEFAULT '',
  closed_on TEXT NOT NULL DEFAULT '',
  winner_answer_id BIGINT NOT NULL DEFAULT 0,
  winner_org_id BIGINT NOT NULL DEFAULT 0,
  selected_on TEXT NOT NULL DEFAULT '',
  agreement_date TEXT NOT NULL DEFAULT '',
  agreed_fen BIGINT NOT NULL DEFAULT 0,
  attachment_id BIGINT NOT NULL DEFAULT 0,
  ended_on TEXT NOT NULL DEFAULT '',
  report TEXT NOT NULL DEFAULT '',
  key_tech_solved BIGINT NOT NULL DEFAULT 0,
  key_tech_intl BIGINT NOT NULL DEFAULT 0,
  search_text TEXT NOT NULL DEFAULT '',
  title_key TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX challenges_owner ON challenges (owner_org_id, id);
CREATE INDEX challenges_status ON challenges (status, id);
CREATE INDEX challenges_published ON challenges (published_on, chain_code);
CREATE INDEX challenges_need ON challenges (need_id);

CREATE TABLE challenge_answers (
  id INTEGER PRIMARY KEY,
  challenge_id BIGINT NOT NULL REFERENCES challenges (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  team TEXT NOT NULL,
  approach TEXT NOT NULL,
  milestones TEXT NOT NULL DEFAULT '',
  price_fen BIGINT NOT NULL,
  status TEXT NOT NULL,
  evaluation_id BIGINT NOT NULL DEFAULT 0,
  defence_on TEXT NOT NULL DEFAULT '',
  defence_notes TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX challenge_answers_one ON challenge_answers (challenge_id, org_id);
CREATE INDEX challenge_answers_org ON challenge_answers (org_id, id);

CREATE TABLE challenge_milestones (
  id INTEGER PRIMARY KEY,
  challenge_id BIGINT NOT NULL REFERENCES challenges (id),
  seq BIGINT NOT NULL,
  title TEXT NOT NULL,
  due_on TEXT NOT NULL,
  payment_fen BIGINT NOT NULL DEFAULT 0,
  done_on TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX challenge_milestones_seq ON challenge_milestones (challenge_id, seq);
