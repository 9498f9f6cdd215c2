package store

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"
)

// Counters whose keys share a prefix: the limiter keys a user name from
// one address as "name\naddress", so an administrator's unlock and the
// lock shown on the user's page cover every address at once.

// prefixed matches limit_key by prefix without LIKE, whose wildcards a
// user name may contain; substr counts characters on both databases.
const prefixed = `scope = $1 AND substr(limit_key, 1, $3) = $2`

// ClearAttemptsWithPrefix forgets every counter of scope whose key starts
// with prefix, lockouts included.
func (s *Store) ClearAttemptsWithPrefix(ctx context.Context, scope, prefix string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM login_limits WHERE `+prefixed, scope, prefix, utf8.RuneCountInString(prefix))
	if err != nil {
		return fmt.Errorf("store: clear attempts: %w", err)
	}
	return nil
}

// LockedUntilWithPrefix returns the latest lockout still running at now
// among the counters of scope whose key starts with prefix (zero: none).
func (q *Q) LockedUntilWithPrefix(ctx context.Context, scope, prefix string, now time.Time) (time.Time, error) {
	var locked string
	err := q.r.QueryRowContext(ctx, `SELECT coalesce(max(locked_until), '') FROM login_limits WHERE `+prefixed+` AND locked_until > $4`,
		scope, prefix, utf8.RuneCountInString(prefix), ts(now)).Scan(&locked)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: locked until: %w", err)
	}
	if locked == "" {
		return time.Time{}, nil
	}
	return parseTS(locked), nil
}
