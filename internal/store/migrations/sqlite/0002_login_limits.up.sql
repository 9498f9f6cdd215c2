-- The login limiter's counters, shared by every serve process on this
-- database. One row per (scope, key): a user name or a client address.
-- failures counts the attempts of the window that began at window_start
-- (an attempt is counted when it is reserved, so concurrent guesses cannot
-- overrun the limit, and uncounted again when it succeeds); locked_until is
-- '' or the time until which the key is refused. Times are the store's
-- fixed-width RFC 3339 UTC text, so text order is time order.
CREATE TABLE login_limits (
  scope TEXT NOT NULL,
  limit_key TEXT NOT NULL,
  failures INTEGER NOT NULL,
  window_start TEXT NOT NULL,
  locked_until TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (scope, limit_key)
);
CREATE INDEX login_limits_window ON login_limits (window_start);
