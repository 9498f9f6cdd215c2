package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kechuang/internal/domain"
)

// CreateUser inserts a user and sets its ID.
func (q *Q) CreateUser(ctx context.Context, u *domain.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = q.Now()
	}
	u.UpdatedAt, u.Version = u.CreatedAt, 1
	err := q.w.QueryRowContext(ctx, `INSERT INTO users (username, display_name, role, org_id, password_hash, disabled, version, created_at, updated_at, email, lang)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
		u.Username, u.DisplayName, u.Role, u.OrgID, u.PasswordHash, u.Disabled, u.Version, ts(u.CreatedAt), ts(u.UpdatedAt), u.Email, u.Lang).Scan(&u.ID)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("username", "用户名 %s 已存在", u.Username)
	} else if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	return nil
}

// SetPassword replaces a user's password hash.
func (q *Q) SetPassword(ctx context.Context, userID int64, hash string) error {
	res, err := q.w.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "用户不存在")
	}
	return nil
}

const userCols = `u.id, u.username, u.display_name, u.role, u.org_id, o.name, u.password_hash, u.disabled, u.version, u.created_at, u.updated_at, u.email, u.lang`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*domain.User, error) {
	var u domain.User
	var created, updated string
	dest := append([]any{&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.OrgID, &u.OrgName, &u.PasswordHash, &u.Disabled, &u.Version, &created, &updated, &u.Email, &u.Lang}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = parseTS(created), parseTS(updated)
	return &u, nil
}

func findUser(ctx context.Context, q querier, where string, args ...any) (*domain.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u JOIN orgs o ON o.id = u.org_id `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "用户不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find user: %w", err)
	}
	return u, nil
}

// FindUserByUsername returns the user with the login name.
func (q *Q) FindUserByUsername(ctx context.Context, username string) (*domain.User, error) {
	return findUser(ctx, q.r, `WHERE u.username = $1`, username)
}

// FindUserByID returns one user.
func (q *Q) FindUserByID(ctx context.Context, id int64) (*domain.User, error) {
	return findUser(ctx, q.r, `WHERE u.id = $1`, id)
}

// FindUsers lists users, optionally of one organisation.
func (q *Q) FindUsers(ctx context.Context, orgID int64) ([]*domain.User, error) {
	where, args := "", []any{}
	if orgID != 0 {
		where, args = "WHERE u.org_id = $1", []any{orgID}
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+userCols+` FROM users u JOIN orgs o ON o.id = u.org_id `+where+` ORDER BY u.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: find users: %w", err)
	}
	defer rows.Close()
	var out []*domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUserContact sets a user's e-mail address and mail language (the
// user's own account page), bumping the version.
func (q *Q) SetUserContact(ctx context.Context, u *domain.User) error {
	u.UpdatedAt = q.Now()
	res, err := q.w.ExecContext(ctx, `UPDATE users SET email = $1, lang = $2, version = version + 1, updated_at = $3 WHERE id = $4`,
		u.Email, u.Lang, ts(u.UpdatedAt), u.ID)
	if err != nil {
		return fmt.Errorf("store: set user contact: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "用户不存在")
	}
	u.Version++
	return nil
}

// CreateSession stores a session under the hash of its token.
func (q *Q) CreateSession(ctx context.Context, tokenHash string, userID int64, expires time.Time) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4)`,
		tokenHash, userID, ts(q.Now()), ts(expires))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// FindSessionUser returns the user of an unexpired session.
func (q *Q) FindSessionUser(ctx context.Context, tokenHash string, now time.Time) (*domain.User, error) {
	return findUser(ctx, q.r, `JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, tokenHash, ts(now))
}

// DeleteSession ends a session.
func (q *Q) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := q.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// TrimUserSessions ends the oldest sessions of a user beyond max, keeping
// the one stored under keepHash (the session just opened, which a clock
// standing still would otherwise tie with the others), and returns how
// many ended.
func (q *Q) TrimUserSessions(ctx context.Context, userID int64, keepHash string, max int) (int64, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 AND token_hash NOT IN (
		SELECT token_hash FROM sessions WHERE user_id = $1 AND token_hash <> $2
		ORDER BY created_at DESC, expires_at DESC, token_hash LIMIT $3)`, userID, keepHash, max-1)
	if err != nil {
		return 0, fmt.Errorf("store: trim user sessions: %w", err)
	}
	return res.RowsAffected()
}

// CountUserSessions counts a user's sessions, expired or not.
func (q *Q) CountUserSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE user_id = $1`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count sessions: %w", err)
	}
	return n, nil
}

// DeleteExpiredSessions removes sessions past their expiry.
func (q *Q) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, ts(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CreateAPIToken stores a token under its hash, unless its user already
// has max tokens (ECONFLICT naming the field "name"). The user's row is
// written first, so on PostgreSQL two creations for one user wait for each
// other and cannot both pass the count (SQLite has one writer anyway).
func (q *Q) CreateAPIToken(ctx context.Context, t *domain.APIToken, tokenHash string, max int) error {
	if _, err := q.w.ExecContext(ctx, `UPDATE users SET id = id WHERE id = $1`, t.UserID); err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	var n int
	if err := q.w.QueryRowContext(ctx, `SELECT count(*) FROM api_tokens WHERE user_id = $1`, t.UserID).Scan(&n); err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	if n >= max {
		e := domain.Errorf(domain.ECONFLICT, "每个用户最多 %d 个 API 令牌，请先作废不用的令牌", max)
		e.Field = "name"
		return e
	}
	t.CreatedAt = q.Now()
	if t.Scope == "" {
		t.Scope = domain.ScopeWrite
	}
	err := q.w.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
		t.UserID, t.Name, tokenHash, t.Scope, ts(t.CreatedAt), optTS(t.ExpiresAt)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user except the one stored
// under keepHash (empty: all of them), returning how many ended.
func (q *Q) DeleteUserSessions(ctx context.Context, userID int64, keepHash string) (int64, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keepHash)
	if err != nil {
		return 0, fmt.Errorf("store: delete user sessions: %w", err)
	}
	return res.RowsAffected()
}

const tokenCols = `t.id, t.user_id, t.name, t.scope, t.created_at, t.last_used_at, t.expires_at`

// tokenScan holds a token row's columns while it is scanned.
type tokenScan struct {
	t                      domain.APIToken
	created, used, expires string
}

func (s *tokenScan) dest() []any {
	return []any{&s.t.ID, &s.t.UserID, &s.t.Name, &s.t.Scope, &s.created, &s.used, &s.expires}
}

func (s *tokenScan) token() *domain.APIToken {
	s.t.CreatedAt, s.t.LastUsedAt, s.t.ExpiresAt = parseTS(s.created), parseTS(s.used), parseTS(s.expires)
	return &s.t
}

func scanToken(row interface{ Scan(...any) error }) (*domain.APIToken, error) {
	var s tokenScan
	if err := row.Scan(s.dest()...); err != nil {
		return nil, err
	}
	return s.token(), nil
}

// optTS stores an optional time: the zero time as "" (none).
func optTS(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

// FindAPITokens lists a user's API tokens, newest first; never their hashes.
func (q *Q) FindAPITokens(ctx context.Context, userID int64) ([]*domain.APIToken, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: find tokens: %w", err)
	}
	defer rows.Close()
	out := []*domain.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes a token of ownerID (0: of any user) and returns
// it as it was. Another user's token is ENOTFOUND, like a missing one.
func (q *Q) DeleteAPIToken(ctx context.Context, id, ownerID int64) (*domain.APIToken, error) {
	where, args := `WHERE id = $1`, []any{id}
	if ownerID != 0 {
		where, args = `WHERE id = $1 AND user_id = $2`, []any{id, ownerID}
	}
	t, err := scanToken(q.w.QueryRowContext(ctx, `DELETE FROM api_tokens `+where+` RETURNING id, user_id, name, scope, created_at, last_used_at, expires_at`, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "API令牌不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: delete token: %w", err)
	}
	return t, nil
}

// FindAPITokenUser returns the user owning an API token and the token, in
// one read, so the caller can decide whether its use needs recording.
func (q *Q) FindAPITokenUser(ctx context.Context, tokenHash string) (*domain.User, *domain.APIToken, error) {
	var t tokenScan
	u, err := scanUser(q.r.QueryRowContext(ctx, `SELECT `+userCols+`, `+tokenCols+` FROM users u JOIN orgs o ON o.id = u.org_id
		JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1 AND NOT u.disabled`, tokenHash),
		t.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, domain.Errorf(domain.ENOTFOUND, "API令牌不存在")
	} else if err != nil {
		return nil, nil, fmt.Errorf("store: find token user: %w", err)
	}
	return u, t.token(), nil
}

// TokenTouchInterval is how stale a token's last_used_at may grow before a
// use rewrites it: scripts calling many times a second cost one write a
// minute, not one per request.
const TokenTouchInterval = time.Minute

// TouchAPIToken records a use of a token at now unless one was recorded
// less than TokenTouchInterval earlier, reporting whether it wrote.
func (q *Q) TouchAPIToken(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := q.w.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND last_used_at < $3`,
		ts(now), id, ts(now.Add(-TokenTouchInterval)))
	if err != nil {
		return false, fmt.Errorf("store: touch token: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
