package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/store"
)

// errWrongSecret is attempt's answer when the check ran and failed; the
// caller words it (a login and a password change say different things).
var errWrongSecret = errors.New("service: wrong secret")

// lockoutSeconds is the Retry-After of a limited answer: the pair's and
// the address's lockout (the per-name one is longer, but rarer).
const lockoutSeconds = 15 * 60

// attempt runs one password check by username from client under the
// limiter: a slot is reserved atomically first, so no check runs beyond
// the limit whatever the concurrency (H1); check runs only then. It
// returns ErrLimited (nothing checked), errWrongSecret, a busy error when
// every hashing slot was taken (the attempt is given back: nothing was
// checked), or check's own error.
func (s *Auth) attempt(ctx context.Context, what, username, client string, check func() (bool, error)) error {
	r, err := s.limiter.Reserve(ctx, loginKeys(username, client)...)
	if errors.Is(err, ErrLimited) {
		s.counts.refused.Add(1)
		s.warn(&s.refusedLogs, "login refused: too many failures", "what", what, "user", username, "client", client)
		return err
	} else if err != nil {
		return err
	}
	ok, err := check()
	switch {
	case errors.Is(err, password.ErrBusy):
		s.counts.busy.Add(1)
		s.settle(ctx, "release", r.Release)
		return domain.RetryLater(1, "校验密码的请求过多，请稍后再试")
	case err != nil:
		s.settle(ctx, "release", r.Release)
		return err
	case ok:
		s.settle(ctx, "succeed", r.Succeed)
		return nil
	}
	s.counts.failures.Add(1)
	s.warn(&s.failedLogs, "login failed", "what", what, "user", username, "client", client)
	locked, err := r.Fail(context.WithoutCancel(ctx))
	if err != nil {
		s.log.Warn("service: record a failed attempt", "err", err)
	}
	for _, k := range locked {
		s.counts.lockouts.Add(1)
		s.log.Warn("login locked out", "scope", k.Scope, "user", username, "client", client, "for", loginRules[k.Scope].Lockout)
		// The lockout is a security event the bureau reads in the audit
		// log. It is bounded: a key locks once per lockout, after the
		// limiter's failures.
		s.auditAuth(ctx, nil, "user.lockout", 0, map[string]string{
			"what": what, "scope": k.Scope, "username": clip(username, 192), "client": client,
			"minutes": fmt.Sprint(int(loginRules[k.Scope].Lockout / time.Minute))})
	}
	return errWrongSecret
}

// auditAuth writes one authentication event (a failed login, a lockout,
// a logout) in a transaction of its own, even when the request has been
// cancelled meanwhile; a failure to write is logged, not returned: the
// answer to the user does not depend on it.
func (s *Auth) auditAuth(ctx context.Context, actor *domain.Actor, action string, userID int64, details map[string]string) {
	err := s.store.InTx(context.WithoutCancel(ctx), func(q *store.Q) error {
		return q.Audit(ctx, actor, action, "user", userID, nil, details)
	})
	if err != nil {
		s.log.Warn("service: audit an authentication event", "action", action, "err", err)
	}
}

// settle records how a reserved attempt ended, even when the request has
// been cancelled meanwhile. A failure to record is logged, not returned:
// the attempt is already counted, so the limit still holds.
func (s *Auth) settle(ctx context.Context, how string, f func(context.Context) error) {
	if err := f(context.WithoutCancel(ctx)); err != nil {
		s.log.Warn("service: settle a limited attempt", "how", how, "err", err)
	}
}

// warn logs a failed or refused attempt within its budget, so a flood of
// guesses cannot flood the log; the budget's drops are reported with the
// next line it lets through. Failures and refusals have a budget each, so
// cheap refusals cannot crowd out the failures.
func (s *Auth) warn(b *logBudget, msg string, args ...any) {
	ok, dropped := b.allow(s.now())
	if !ok {
		return
	}
	if dropped > 0 {
		args = append(args, "suppressed_before", dropped)
	}
	s.log.Warn(msg, args...)
}

// LoginCounts are the process's counts of password attempts since start,
// for /metrics.
type LoginCounts struct {
	Checks   int64 // passwords checked (argon2 run), logins and password changes
	Failures int64 // wrong passwords, unknown and disabled users
	Refused  int64 // refused by the limiter without a check (429)
	Busy     int64 // refused because every hashing slot was busy (429)
	Lockouts int64 // keys locked by a failure
}

type loginCounts struct {
	checks, failures, refused, busy, lockouts atomic.Int64
}

// Counts returns the login counts so far.
func (s *Auth) Counts() LoginCounts {
	c := &s.counts
	return LoginCounts{Checks: c.checks.Load(), Failures: c.failures.Load(), Refused: c.refused.Load(),
		Busy: c.busy.Load(), Lockouts: c.lockouts.Load()}
}

// logBudget lets at most logLinesPerMinute lines through per minute and
// counts the rest.
type logBudget struct {
	mu      sync.Mutex
	minute  time.Time
	n       int
	dropped int
}

const logLinesPerMinute = 30

func (b *logBudget) allow(now time.Time) (ok bool, dropped int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if m := now.Truncate(time.Minute); !m.Equal(b.minute) {
		b.minute, b.n = m, 0
	}
	if b.n >= logLinesPerMinute {
		b.dropped++
		return false, 0
	}
	b.n++
	dropped, b.dropped = b.dropped, 0
	return true, dropped
}
