package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/store"
)

// newToken returns a random secret with a prefix, and its SHA-256 hash (the
// only form stored).
func newToken(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, TokenHash(secret)
}

// TokenHash is how session and API tokens are stored.
func TokenHash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Auth is sign-in: passwords, sessions and API tokens.
type Auth struct {
	*core
	limiter Limiter
	counts  loginCounts

	failedLogs, refusedLogs logBudget
}

// SessionTTL is how long a browser session lasts.
const SessionTTL = 12 * time.Hour

// MaxSessions is how many sessions one user keeps: a login beyond it ends
// the oldest, so a flood of good logins cannot grow the table (L10) and a
// user with many browsers loses only the longest unused.
const MaxSessions = 20

// Login checks a password and opens a session, returning its token. Every
// password check is counted against the limiter first (loginRules), in the
// database, so every serve process counts the same attempts; beyond the
// limit the answer is 429 and the password is not checked at all.
func (s *Auth) Login(ctx context.Context, username, pw, client string) (string, *domain.User, error) {
	username = strings.TrimSpace(username)
	if username == "" || pw == "" {
		return "", nil, domain.FieldErrorf("username", "请输入用户名和密码")
	}
	var u *domain.User
	err := s.attempt(ctx, "login", username, client, func() (bool, error) {
		var err error
		if u, err = s.store.FindUserByUsername(ctx, username); domain.ErrorCode(err) == domain.ENOTFOUND {
			u, err = nil, nil
		}
		if err != nil {
			return false, err
		}
		return s.verify(u, pw)
	})
	if errors.Is(err, errWrongSecret) {
		if u != nil {
			// A failed login of an existing account (bounded by the
			// limiter's per-name and per-pair counts).
			s.auditAuth(ctx, nil, "user.login_failed", u.ID, map[string]string{"username": u.Username, "client": client})
		}
		return "", nil, domain.Errorf(domain.EUNAUTHORIZED, "用户名或密码错误")
	} else if errors.Is(err, ErrLimited) {
		return "", nil, domain.RetryLater(lockoutSeconds, "登录失败次数过多，请15分钟后再试")
	} else if err != nil {
		return "", nil, err
	}
	return s.openSession(ctx, u, client)
}

// verify checks pw against u's hash, or against the dummy hash when there
// is no such user, and fails a disabled user only after the check: every
// failure costs the same argon2 work, so timing tells nothing (L7).
func (s *Auth) verify(u *domain.User, pw string) (bool, error) {
	hash := password.Dummy()
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := s.check(hash, pw)
	return ok && u != nil && !u.Disabled, err
}

// check runs one bounded argon2 check (password.Verify) and counts it.
func (s *Auth) check(hash, pw string) (bool, error) {
	ok, err := password.Verify(hash, pw)
	if err == nil {
		s.counts.checks.Add(1)
	}
	return ok, err
}

// openSession stores a new session of u, ends its oldest beyond
// MaxSessions and audits the login, in one transaction.
func (s *Auth) openSession(ctx context.Context, u *domain.User, client string) (string, *domain.User, error) {
	secret, hash := newToken("")
	err := s.store.InTx(ctx, func(tx *store.Q) error {
		if err := tx.CreateSession(ctx, hash, u.ID, s.now().Add(SessionTTL)); err != nil {
			return err
		}
		if _, err := tx.TrimUserSessions(ctx, u.ID, hash, MaxSessions); err != nil {
			return err
		}
		return tx.Audit(ctx, ActorOf(u), "user.login", "user", u.ID, nil, map[string]string{"client": client})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, u, nil
}

// Logout ends a session and audits it (an unknown or expired session
// ends silently).
func (s *Auth) Logout(ctx context.Context, token string) error {
	u, err := s.store.FindSessionUser(ctx, TokenHash(token), s.now())
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	if err := s.store.DeleteSession(ctx, TokenHash(token)); err != nil {
		return err
	}
	if u != nil {
		s.auditAuth(ctx, ActorOf(u), "user.logout", u.ID, nil)
	}
	return nil
}

// UserBySession returns the user of a session token.
func (s *Auth) UserBySession(ctx context.Context, token string) (*domain.User, error) {
	return s.store.FindSessionUser(ctx, TokenHash(token), s.now())
}

// APITokenPrefix marks API tokens so they are recognisable in logs and scanners.
const APITokenPrefix = "kc_"

// UserByAPIToken returns the user of an API token.
func (s *Auth) UserByAPIToken(ctx context.Context, token string) (*domain.User, error) {
	u, _, err := s.APITokenUser(ctx, token)
	return u, err
}

// APITokenUser returns the user of an API token and the token, whose scope
// the HTTP kernel checks against the request's method. An expired token is
// refused like an unknown one (it is kept, listed as expired, until its
// owner revokes it).
func (s *Auth) APITokenUser(ctx context.Context, token string) (*domain.User, *domain.APIToken, error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return nil, nil, domain.Errorf(domain.EUNAUTHORIZED, "API令牌无效")
	}
	u, t, err := s.store.FindAPITokenUser(ctx, TokenHash(token))
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil, domain.Errorf(domain.EUNAUTHORIZED, "API令牌无效")
	} else if err != nil {
		return nil, nil, err
	}
	if t.Expired(s.now()) {
		return nil, nil, domain.Errorf(domain.EUNAUTHORIZED, "API令牌已过期")
	}
	// Record the use only when the stored time is stale, so a busy script
	// costs a read per request and a write a minute. Losing the write is
	// no reason to refuse the request.
	if now := s.now(); now.Sub(t.LastUsedAt) >= store.TokenTouchInterval {
		if _, err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			s.log.Warn("service: record token use", "token", t.ID, "err", err)
		}
	}
	return u, t, nil
}

// MaxAPITokens is how many API tokens one user may hold at once (L10): a
// script needs one, a user a handful; a leaked session cannot mint
// thousands.
const MaxAPITokens = 20

// CreateToken makes a read-write token without expiry for the actor's own
// scripts (the command line's `user token`); see IssueToken.
func (s *Auth) CreateToken(ctx context.Context, a *domain.Actor, name string) (string, *domain.APIToken, error) {
	return s.IssueToken(ctx, a, domain.TokenSpec{Name: name})
}

// IssueToken makes a token for the actor's own scripts with the scope and
// lifetime they chose; the secret is returned once and never stored.
func (s *Auth) IssueToken(ctx context.Context, a *domain.Actor, spec domain.TokenSpec) (string, *domain.APIToken, error) {
	if err := requireLogin(a); err != nil {
		return "", nil, err
	}
	name := strings.TrimSpace(spec.Name)
	if name == "" || utf8.RuneCountInString(name) > 50 {
		return "", nil, domain.FieldErrorf("name", "令牌名称必填，且不超过50字")
	}
	if err := spec.Validate(); err != nil {
		return "", nil, err
	}
	secret, hash := newToken(APITokenPrefix)
	t := &domain.APIToken{UserID: a.UserID, Name: name, Scope: spec.Scope}
	if spec.Days > 0 {
		t.ExpiresAt = s.now().AddDate(0, 0, spec.Days)
	}
	err := s.store.InTx(ctx, func(tx *store.Q) error {
		if err := tx.CreateAPIToken(ctx, t, hash, MaxAPITokens); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "token.create", "api_token", t.ID, nil, t)
	})
	return secret, t, err
}

// ListTokens lists the actor's own tokens, newest first: names and
// dates only, never secrets or hashes.
func (s *Auth) ListTokens(ctx context.Context, a *domain.Actor) ([]*domain.APIToken, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	return s.store.FindAPITokens(ctx, a.UserID)
}

// RevokeToken deletes a token so it stops working at once. Users revoke
// their own; administrators anyone's. Another user's token is reported as
// not found, so ids reveal nothing.
func (s *Auth) RevokeToken(ctx context.Context, a *domain.Actor, id int64) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	owner := a.UserID
	if a.Is(domain.RoleAdmin) {
		owner = 0
	}
	return s.store.InTx(ctx, func(tx *store.Q) error {
		t, err := tx.DeleteAPIToken(ctx, id, owner)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, a, "token.revoke", "api_token", t.ID, t, nil)
	})
}

// ChangeOwnPassword lets a user replace their password after proving the
// current one. Wrong guesses count against the same limiter keys as Login
// (user name and client address), so a stolen session cannot be used to
// guess the password faster than the login page allows. On success every
// other session of the user ends; session is the caller's own session
// token, which survives (empty when the caller used an API token: then all
// sessions end). The user's API tokens are revoked too, unless keepTokens:
// the owner said the change is routine, not a suspected compromise.
func (s *Auth) ChangeOwnPassword(ctx context.Context, a *domain.Actor, current, next, client, session string, keepTokens bool) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	// Validate first: a form error tests no password, so it costs no attempt.
	var v domain.Validator
	v.Check(current != "", "current_password", "请填写当前密码")
	v.Check(password.Validate(next) == nil, "new_password", "新密码至少8位")
	v.Check(next == "" || next != current, "new_password", "新密码不能与当前密码相同")
	if err := v.Err(); err != nil {
		return err
	}
	u, err := s.store.FindUserByID(ctx, a.UserID)
	if err != nil {
		return err
	}
	err = s.attempt(ctx, "password change", a.Username, client, func() (bool, error) {
		return s.check(u.PasswordHash, current)
	})
	if errors.Is(err, errWrongSecret) {
		return domain.FieldErrorf("current_password", "当前密码不正确")
	} else if errors.Is(err, ErrLimited) {
		return domain.RetryLater(lockoutSeconds, "当前密码错误次数过多，请15分钟后再试")
	} else if err != nil {
		return err
	}
	hash, err := password.Hash(next)
	if err != nil {
		return err
	}
	keep := ""
	if session != "" {
		keep = TokenHash(session)
	}
	return s.store.InTx(ctx, func(tx *store.Q) error {
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		ended, err := tx.DeleteUserSessions(ctx, u.ID, keep)
		if err != nil {
			return err
		}
		var revoked int64
		if !keepTokens {
			if revoked, err = tx.DeleteUserTokens(ctx, u.ID); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "user.set_password", "user", u.ID, nil,
			map[string]any{"own": true, "sessions_ended": ended, "tokens_revoked": revoked})
	})
}
