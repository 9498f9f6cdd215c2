-- Feedback on the matching engine's suggestions (精准对接): one decision
-- per surface (need, achievement, challenge), record and suggested item.
-- A decline (with its reason) demotes the pair in later rankings; an
-- accepted achievement for a need is an intention of the chain (signed_on
-- set), counted with the intentions signed at events.
CREATE TABLE match_feedback (
  id INTEGER PRIMARY KEY,
  surface TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  item_kind TEXT NOT NULL,
  item_id BIGINT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  signed_on TEXT NOT NULL DEFAULT '',
  org_id BIGINT NOT NULL DEFAULT 0,
  user_id BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (surface, subject_id, item_kind, item_id)
);
CREATE INDEX match_feedback_item ON match_feedback (item_kind, item_id);
CREATE INDEX match_feedback_signed ON match_feedback (signed_on);
