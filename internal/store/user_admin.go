package store

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
)

// The user queries of the administration module: the filtered list,
// saving an account and ending its access.

// userSorts maps the user list's sort keys to columns.
var userSorts = map[string]string{"id": "u.id", "username": "u.username", "display_name": "u.display_name", "role": "u.role",
	"org_name": "o.name", "created_at": "u.created_at", "updated_at": "u.updated_at"}

// FindUsersPage lists users by organisation, role, status and name, with
// the total count.
func (q *Q) FindUsersPage(ctx context.Context, f domain.UserFilter) ([]*domain.User, int, error) {
	where, args := "WHERE 1=1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.OrgID != 0 {
		add("u.org_id = $%d", f.OrgID)
	}
	if f.Role != "" {
		add("u.role = $%d", f.Role)
	}
	if f.Status != "" {
		add("u.disabled = $%d", f.Status == domain.StatusDisabled)
	}
	if f.Query != "" {
		args = append(args, likePattern(f.Query))
		where += fmt.Sprintf(` AND (LOWER(u.username) LIKE LOWER($%d) ESCAPE '\' OR LOWER(u.display_name) LIKE LOWER($%d) ESCAPE '\')`, len(args), len(args))
	}
	from := ` FROM users u JOIN orgs o ON o.id = u.org_id `
	var total int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count users: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	order := orderBy(f.Sort, "u.id", "u.id", userSorts)
	args = append(args, limit, f.Offset)
	rows, err := q.r.QueryContext(ctx, fmt.Sprintf(`SELECT `+userCols+from+`%s ORDER BY %s LIMIT $%d OFFSET $%d`, where, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find users: %w", err)
	}
	defer rows.Close()
	out := []*domain.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// UpdateUser saves a user's name, role, organisation and status, bumping
// the version; the caller checked the version it started from. The
// password is not touched (SetPassword).
func (q *Q) UpdateUser(ctx context.Context, u *domain.User) error {
	u.UpdatedAt = q.Now()
	res, err := q.w.ExecContext(ctx, `UPDATE users SET display_name = $1, role = $2, org_id = $3, disabled = $4,
		version = version + 1, updated_at = $5, email = $8, lang = $9 WHERE id = $6 AND version = $7`,
		u.DisplayName, u.Role, u.OrgID, u.Disabled, ts(u.UpdatedAt), u.ID, u.Version, u.Email, u.Lang)
	if err != nil {
		return fmt.Errorf("store: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "用户已被他人修改，请刷新后重试")
	}
	u.Version++
	return nil
}

// DeleteUserTokens revokes every API token of a user, returning how many.
func (q *Q) DeleteUserTokens(ctx context.Context, userID int64) (int64, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("store: delete user tokens: %w", err)
	}
	return res.RowsAffected()
}

// CountUserAccess counts a user's live sessions and API tokens.
func (q *Q) CountUserAccess(ctx context.Context, userID int64) (sessions, tokens int64, err error) {
	err = q.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM sessions WHERE user_id = $1), (SELECT COUNT(*) FROM api_tokens WHERE user_id = $1)`,
		userID).Scan(&sessions, &tokens)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count user access: %w", err)
	}
	return sessions, tokens, nil
}

// CountActiveUsers counts the enabled users of an organisation.
func (q *Q) CountActiveUsers(ctx context.Context, orgID int64) (int, error) {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE org_id = $1 AND NOT disabled`, orgID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}
