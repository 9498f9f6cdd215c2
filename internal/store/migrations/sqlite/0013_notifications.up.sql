-- Notifications (issue 8 item 4): in the app, and by e-mail when SMTP is
-- configured.
--
-- A user's optional e-mail address and the language of the mail sent to
-- them ('' for zh-CN).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '';

-- One notice to one user about one entity. The text is rendered from kind,
-- title and detail in the reader's language when shown. dedup makes a
-- notice idempotent for its user: "event:<entity_events.id>" for a
-- workflow step, "due_soon:<contract>:<due_on>" for the sweep.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  link TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  dedup TEXT NOT NULL,
  created_at TEXT NOT NULL,
  read_at TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX notifications_dedup ON notifications (user_id, dedup);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- Mail waiting to be sent, queued in the transaction of the notice; the
-- sender marks it sent, or retries with backoff and marks it failed after
-- its last attempt.
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  notification_id BIGINT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  to_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at TEXT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  sent_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_at);
