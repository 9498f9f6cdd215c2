package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// LimitCounter names one counter of the attempt limiter (table
// login_limits) and the rule it is counted under. The service owns the
// rules; the store makes each step atomic, so that every serve process on
// one database shares the same counts.
type LimitCounter struct {
	Scope, Key string
	Max        int           // attempts a window allows
	Window     time.Duration // a window's length from its first attempt
	Lockout    time.Duration // how long the key is refused after Max failures
	// ClearOnSuccess forgets the key's failures when an attempt succeeds
	// (a user who remembers the password starts afresh); otherwise a
	// success only takes its own attempt back off the count.
	ClearOnSuccess bool
}

// reserveAttempt counts one attempt, starting a new window when the last
// one is over or its lockout has ended. $3 is now, $4 the start of the
// oldest window still open (now − Window), $5 Max. A locked key and a key
// at Max keep their count; the caller refuses both (RETURNING gives the
// new row, so a refusal shows as locked_until > now or failures > Max,
// the latter because the count of a full window is bumped once past Max).
const reserveAttempt = `INSERT INTO login_limits (scope, limit_key, failures, window_start, locked_until)
VALUES ($1, $2, 1, $3, '')
ON CONFLICT (scope, limit_key) DO UPDATE SET
  failures = CASE
    WHEN login_limits.locked_until > $3 THEN login_limits.failures
    WHEN login_limits.locked_until <> '' OR login_limits.window_start <= $4 THEN 1
    WHEN login_limits.failures > $5 THEN login_limits.failures
    ELSE login_limits.failures + 1 END,
  window_start = CASE
    WHEN login_limits.locked_until > $3 THEN login_limits.window_start
    WHEN login_limits.locked_until <> '' OR login_limits.window_start <= $4 THEN $3
    ELSE login_limits.window_start END,
  locked_until = CASE WHEN login_limits.locked_until > $3 THEN login_limits.locked_until ELSE '' END
RETURNING failures, locked_until`

// ReserveAttempt counts an attempt against every counter, all or none, in
// one write transaction: it returns true when each of them still had room,
// and false (counting nothing) when one is full or locked. Counters are
// taken in a fixed order so that concurrent reservations on PostgreSQL
// lock their rows in the same order and never deadlock.
func (s *Store) ReserveAttempt(ctx context.Context, now time.Time, cs ...LimitCounter) (bool, error) {
	cs = sortedCounters(cs)
	err := s.InTx(ctx, func(tx *Q) error {
		for _, c := range cs {
			var failures int
			var locked string
			err := tx.w.QueryRowContext(ctx, reserveAttempt, c.Scope, c.Key, ts(now), ts(now.Add(-c.Window)), c.Max).Scan(&failures, &locked)
			if err != nil {
				return fmt.Errorf("store: reserve attempt: %w", err)
			}
			if locked > ts(now) || failures > c.Max {
				return errRefused
			}
		}
		return nil
	})
	if errors.Is(err, errRefused) {
		return false, nil
	}
	return err == nil, err
}

// errRefused rolls back a reservation that one counter refused.
var errRefused = errors.New("store: attempt refused")

// FailAttempt records that a reserved attempt failed: its count stays, and
// a counter that has reached Max is locked for its Lockout from now. It
// returns the counters this failure locked (for the log).
func (s *Store) FailAttempt(ctx context.Context, now time.Time, cs ...LimitCounter) ([]LimitCounter, error) {
	var locked []LimitCounter
	err := s.InTx(ctx, func(tx *Q) error {
		locked = nil // a retried transaction starts afresh
		for _, c := range sortedCounters(cs) {
			res, err := tx.w.ExecContext(ctx, `UPDATE login_limits SET locked_until = $1
				WHERE scope = $2 AND limit_key = $3 AND failures >= $4 AND locked_until <= $5`,
				ts(now.Add(c.Lockout)), c.Scope, c.Key, c.Max, ts(now))
			if err != nil {
				return fmt.Errorf("store: fail attempt: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				locked = append(locked, c)
			}
		}
		return nil
	})
	return locked, err
}

// SucceedAttempt records that a reserved attempt succeeded: a counter with
// ClearOnSuccess is forgotten, lockout included (the secret was right),
// any other gives its attempt back and keeps a lockout set meanwhile.
func (s *Store) SucceedAttempt(ctx context.Context, cs ...LimitCounter) error {
	return s.settleAttempt(ctx, true, cs)
}

// ReleaseAttempt gives a reserved attempt back without judging it: the
// secret was never checked (every hashing slot was busy).
func (s *Store) ReleaseAttempt(ctx context.Context, cs ...LimitCounter) error {
	return s.settleAttempt(ctx, false, cs)
}

func (s *Store) settleAttempt(ctx context.Context, succeeded bool, cs []LimitCounter) error {
	return s.InTx(ctx, func(tx *Q) error {
		for _, c := range sortedCounters(cs) {
			q := `UPDATE login_limits SET failures = failures - 1 WHERE scope = $1 AND limit_key = $2 AND failures > 0`
			if succeeded && c.ClearOnSuccess {
				q = `DELETE FROM login_limits WHERE scope = $1 AND limit_key = $2`
			}
			if _, err := tx.w.ExecContext(ctx, q, c.Scope, c.Key); err != nil {
				return fmt.Errorf("store: settle attempt: %w", err)
			}
		}
		return nil
	})
}

// LockedUntil returns until when a counter is locked out at now (zero when
// it is not).
func (q *Q) LockedUntil(ctx context.Context, scope, key string, now time.Time) (time.Time, error) {
	var locked string
	err := q.r.QueryRowContext(ctx, `SELECT locked_until FROM login_limits WHERE scope = $1 AND limit_key = $2 AND locked_until > $3`,
		scope, key, ts(now)).Scan(&locked)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, fmt.Errorf("store: locked until: %w", err)
	}
	return parseTS(locked), nil
}

// ClearAttempts forgets counters, lockout included (an administrator
// unlocking an account).
func (s *Store) ClearAttempts(ctx context.Context, cs ...LimitCounter) error {
	return s.InTx(ctx, func(tx *Q) error {
		for _, c := range sortedCounters(cs) {
			if _, err := tx.w.ExecContext(ctx, `DELETE FROM login_limits WHERE scope = $1 AND limit_key = $2`, c.Scope, c.Key); err != nil {
				return fmt.Errorf("store: clear attempts: %w", err)
			}
		}
		return nil
	})
}

// PruneAttempts deletes the counters whose window began before cutoff and
// that are not locked at now, so that a spray of names or addresses does
// not grow the table for good. It returns how many it deleted.
func (s *Store) PruneAttempts(ctx context.Context, cutoff, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM login_limits WHERE window_start < $1 AND locked_until <= $2`, ts(cutoff), ts(now))
	if err != nil {
		return 0, fmt.Errorf("store: prune attempts: %w", err)
	}
	return res.RowsAffected()
}

func sortedCounters(cs []LimitCounter) []LimitCounter {
	cs = slices.Clone(cs)
	slices.SortFunc(cs, func(a, b LimitCounter) int {
		if c := strings.Compare(a.Scope, b.Scope); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return cs
}
