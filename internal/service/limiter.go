package service

import (
	"context"
	"errors"
	"sync"
	"time"

	"kechuang/internal/store"
)

// Limiter bounds guesses of a secret (a password) per key: a user name
// from one client address, a user name, a client address. An attempt is
// reserved before the secret is checked, so that concurrent guesses cannot
// overrun the limit, then settled by Fail, Succeed or (never checked)
// Release.
type Limiter interface {
	// Reserve counts one attempt against every key, all or none. It
	// returns ErrLimited when a key is full or locked out.
	Reserve(ctx context.Context, keys ...LimitKey) (Reservation, error)
	// Clear forgets the keys' counts and lockouts (an administrator
	// unlocking an account).
	Clear(ctx context.Context, keys ...LimitKey) error
	// LockedUntil reports until when a key is locked out (zero: it is not).
	LockedUntil(ctx context.Context, key LimitKey) (time.Time, error)
	// ClearPrefix and LockedUntilPrefix are Clear and LockedUntil for
	// every key of scope that starts with prefix (a name from any address);
	// LockedUntilPrefix reports the latest lockout.
	ClearPrefix(ctx context.Context, scope, prefix string) error
	LockedUntilPrefix(ctx context.Context, scope, prefix string) (time.Time, error)
}

// Reservation is one reserved attempt.
type Reservation interface {
	// Fail: the secret was wrong, the attempt stays counted. It returns
	// the keys this failure locked out (for the log).
	Fail(ctx context.Context) ([]LimitKey, error)
	Succeed(ctx context.Context) error // the secret was right
	Release(ctx context.Context) error // the secret was never checked: the attempt is given back
}

// LimitKey is one counter: a scope (whose rule applies) and a value.
type LimitKey struct{ Scope, Key string }

// ErrLimited is Reserve's answer when a key has no attempts left.
var ErrLimited = errors.New("service: too many attempts")

// Limiter scopes.
const (
	ScopeLoginPair   = "login.pair"   // a user name from one client address
	ScopeLoginUser   = "login.user"   // a user name from any address
	ScopeLoginClient = "login.client" // a client address, whatever the name
)

// LimitRule is how many attempts a scope allows.
type LimitRule struct {
	Max            int
	Window         time.Duration // counted from a window's first attempt
	Lockout        time.Duration // refused for this long after Max failures
	ClearOnSuccess bool          // a success forgets earlier failures
}

// loginRules. Five wrong passwords for one name from one address lock
// that pair for 15 minutes: a guesser elsewhere cannot lock the real user
// out (M5). An address gets six times that across names, as one address
// may serve an office behind NAT. And a name gets 50 an hour from all
// addresses together, so guessing spread over many addresses is still
// bounded (at most 1,200 guesses a day per account); locking a user out
// that way takes ten addresses or more, each spending its own five. A
// success forgets the failures of its name, not of its address.
var loginRules = map[string]LimitRule{
	ScopeLoginPair:   {Max: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute, ClearOnSuccess: true},
	ScopeLoginUser:   {Max: 50, Window: time.Hour, Lockout: time.Hour, ClearOnSuccess: true},
	ScopeLoginClient: {Max: 30, Window: 15 * time.Minute, Lockout: 15 * time.Minute},
}

// loginKeys are the keys of a password attempt by username from client.
func loginKeys(username, client string) []LimitKey {
	return []LimitKey{{ScopeLoginPair, pairKey(username, client)}, {ScopeLoginUser, username}, {ScopeLoginClient, client}}
}

// pairKey is the key of a user name from one address: the name first, so
// every pair of a name shares its prefix (an unlock clears them all).
func pairKey(username, client string) string { return username + "\n" + client }

// dbLimiter keeps the counters in the database (table login_limits), so
// every serve process on one database enforces the same limit.
type dbLimiter struct {
	st    *store.Store
	now   func() time.Time
	rules map[string]LimitRule

	mu        sync.Mutex
	lastPrune time.Time
}

// NewDBLimiter returns the database-backed limiter over st with rules per
// scope (nil: the login rules), reading the time from now.
func NewDBLimiter(st *store.Store, now func() time.Time, rules map[string]LimitRule) Limiter {
	if rules == nil {
		rules = loginRules
	}
	return &dbLimiter{st: st, now: now, rules: rules}
}

// pruneEvery bounds how often a process sweeps expired counters.
const pruneEvery = 10 * time.Minute

func (l *dbLimiter) Reserve(ctx context.Context, keys ...LimitKey) (Reservation, error) {
	cs := make([]store.LimitCounter, len(keys))
	for i, k := range keys {
		r, ok := l.rules[k.Scope]
		if !ok {
			return nil, errors.New("service: limiter: no rule for scope " + k.Scope)
		}
		cs[i] = store.LimitCounter{Scope: k.Scope, Key: k.Key, Max: r.Max, Window: r.Window, Lockout: r.Lockout, ClearOnSuccess: r.ClearOnSuccess}
	}
	now := l.now()
	l.prune(ctx, now)
	ok, err := l.st.ReserveAttempt(ctx, now, cs...)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrLimited
	}
	return &dbReservation{l: l, cs: cs}, nil
}

// Clear deletes the keys' counters.
func (l *dbLimiter) Clear(ctx context.Context, keys ...LimitKey) error {
	cs := make([]store.LimitCounter, len(keys))
	for i, k := range keys {
		cs[i] = store.LimitCounter{Scope: k.Scope, Key: k.Key}
	}
	return l.st.ClearAttempts(ctx, cs...)
}

// LockedUntil reads the key's lockout.
func (l *dbLimiter) LockedUntil(ctx context.Context, key LimitKey) (time.Time, error) {
	return l.st.LockedUntil(ctx, key.Scope, key.Key, l.now())
}

func (l *dbLimiter) ClearPrefix(ctx context.Context, scope, prefix string) error {
	return l.st.ClearAttemptsWithPrefix(ctx, scope, prefix)
}

func (l *dbLimiter) LockedUntilPrefix(ctx context.Context, scope, prefix string) (time.Time, error) {
	return l.st.LockedUntilWithPrefix(ctx, scope, prefix, l.now())
}

// clearName forgets the failures counted against a user name, from all
// addresses together and from each one (not the addresses' own counts,
// which other users share): an administrator's unlock.
func (s *Auth) clearName(ctx context.Context, username string) error {
	if err := s.limiter.Clear(ctx, LimitKey{ScopeLoginUser, username}); err != nil {
		return err
	}
	return s.limiter.ClearPrefix(ctx, ScopeLoginPair, pairKey(username, ""))
}

// nameLockedUntil is the latest lockout of a user name, from all
// addresses or from one of them (zero: none).
func (s *Auth) nameLockedUntil(ctx context.Context, username string) (time.Time, error) {
	all, err := s.limiter.LockedUntil(ctx, LimitKey{ScopeLoginUser, username})
	if err != nil {
		return time.Time{}, err
	}
	one, err := s.limiter.LockedUntilPrefix(ctx, ScopeLoginPair, pairKey(username, ""))
	if err != nil {
		return time.Time{}, err
	}
	if one.After(all) {
		return one, nil
	}
	return all, nil
}

// prune deletes counters idle for a day, at most every pruneEvery per
// process; a failed sweep only leaves rows for the next one.
func (l *dbLimiter) prune(ctx context.Context, now time.Time) {
	l.mu.Lock()
	due := now.Sub(l.lastPrune) >= pruneEvery || now.Before(l.lastPrune)
	if due {
		l.lastPrune = now
	}
	l.mu.Unlock()
	if due {
		l.st.PruneAttempts(ctx, now.Add(-24*time.Hour), now)
	}
}

type dbReservation struct {
	l  *dbLimiter
	cs []store.LimitCounter
}

func (r *dbReservation) Fail(ctx context.Context) ([]LimitKey, error) {
	locked, err := r.l.st.FailAttempt(ctx, r.l.now(), r.cs...)
	keys := make([]LimitKey, len(locked))
	for i, c := range locked {
		keys[i] = LimitKey{c.Scope, c.Key}
	}
	return keys, err
}

func (r *dbReservation) Succeed(ctx context.Context) error {
	return r.l.st.SucceedAttempt(ctx, r.cs...)
}

func (r *dbReservation) Release(ctx context.Context) error {
	return r.l.st.ReleaseAttempt(ctx, r.cs...)
}
