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
func (tx *Tx) CreateUser(ctx context.Context, u *domain.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, role, org_id, password_hash, disabled, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
		u.Username, u.DisplayName, u.Role, u.OrgID, u.PasswordHash, u.Disabled, ts(u.CreatedAt)).Scan(&u.ID)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("username", "用户名 %s 已存在", u.Username)
	} else if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	return nil
}

// SetPassword replaces a user's password hash.
func (tx *Tx) SetPassword(ctx context.Context, userID int64, hash string) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "用户不存在")
	}
	return nil
}

const userCols = `u.id, u.username, u.display_name, u.role, u.org_id, o.name, u.password_hash, u.disabled, u.created_at`

func scanUser(row interface{ Scan(...any) error }) (*domain.User, error) {
	var u domain.User
	var created string
	if err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.OrgID, &u.OrgName, &u.PasswordHash, &u.Disabled, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = parseTS(created)
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
func (s *Store) FindUserByUsername(ctx context.Context, username string) (*domain.User, error) {
	return findUser(ctx, s.r, `WHERE u.username = $1`, username)
}

// FindUserByID returns one user.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*domain.User, error) {
	return findUser(ctx, s.r, `WHERE u.id = $1`, id)
}

// FindUsers lists users, optionally of one organisation.
func (s *Store) FindUsers(ctx context.Context, orgID int64) ([]*domain.User, error) {
	where, args := "", []any{}
	if orgID != 0 {
		where, args = "WHERE u.org_id = $1", []any{orgID}
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+` FROM users u JOIN orgs o ON o.id = u.org_id `+where+` ORDER BY u.id`, args...)
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

// CreateSession stores a session under the hash of its token.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, userID int64, expires time.Time) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4)`,
		tokenHash, userID, ts(time.Now()), ts(expires))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// FindSessionUser returns the user of an unexpired session.
func (s *Store) FindSessionUser(ctx context.Context, tokenHash string, now time.Time) (*domain.User, error) {
	return findUser(ctx, s.r, `JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, tokenHash, ts(now))
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, ts(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CreateAPIToken stores a token under its hash.
func (tx *Tx) CreateAPIToken(ctx context.Context, t *domain.APIToken, tokenHash string) error {
	t.CreatedAt = time.Now().UTC()
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1,$2,$3,$4) RETURNING id`,
		t.UserID, t.Name, tokenHash, ts(t.CreatedAt)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	return nil
}

// FindTokenUser returns the user owning an API token.
func (s *Store) FindTokenUser(ctx context.Context, tokenHash string) (*domain.User, error) {
	return findUser(ctx, s.r, `JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1 AND NOT u.disabled`, tokenHash)
}
