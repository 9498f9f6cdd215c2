package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"kechuang/internal/domain"
)

// CreateOrg inserts an organisation and sets its ID.
func (q *Q) CreateOrg(ctx context.Context, o *domain.Org) error {
	if o.CreatedAt.IsZero() {
		o.CreatedAt = q.Now()
	}
	o.UpdatedAt, o.Version = o.CreatedAt, 1
	err := q.w.QueryRowContext(ctx, `INSERT INTO orgs (kind, name, uscc, region_code, disabled, version, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
		o.Kind, o.Name, nullUSCC(o.USCC), o.RegionCode, o.Disabled, o.Version, ts(o.CreatedAt), ts(o.UpdatedAt)).Scan(&o.ID)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("uscc", "统一社会信用代码 %s 已被其他机构使用", o.USCC)
	} else if err != nil {
		return fmt.Errorf("store: create org: %w", err)
	}
	return nil
}

// nullUSCC stores an absent credit code as NULL, so the unique index
// admits any number of organisations without one.
func nullUSCC(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const orgCols = `id, kind, name, COALESCE(uscc, ''), region_code, disabled, version, created_at, updated_at`

func scanOrg(row interface{ Scan(...any) error }) (*domain.Org, error) {
	var o domain.Org
	var created, updated string
	if err := row.Scan(&o.ID, &o.Kind, &o.Name, &o.USCC, &o.RegionCode, &o.Disabled, &o.Version, &created, &updated); err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt = parseTS(created), parseTS(updated)
	return &o, nil
}

// FindOrgByID returns one organisation.
func (q *Q) FindOrgByID(ctx context.Context, id int64) (*domain.Org, error) {
	return findOrg(ctx, q.r, `WHERE id = $1`, id)
}

func findOrg(ctx context.Context, q querier, where string, args ...any) (*domain.Org, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgCols+` FROM orgs `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "机构不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find org: %w", err)
	}
	return o, nil
}

// FindOrgs lists organisations by kind, status and name or credit code,
// with the total count.
func (q *Q) FindOrgs(ctx context.Context, f domain.OrgFilter) ([]*domain.Org, int, error) {
	where, args := "WHERE 1=1", []any{}
	if f.Kind != "" {
		args = append(args, f.Kind)
		where += fmt.Sprintf(" AND kind = $%d", len(args))
	}
	if f.Status != "" {
		args = append(args, f.Status == domain.StatusDisabled)
		where += fmt.Sprintf(" AND disabled = $%d", len(args))
	}
	if f.Query != "" {
		args = append(args, likePattern(f.Query))
		// case-insensitive on both databases
		where += fmt.Sprintf(` AND (LOWER(name) LIKE LOWER($%d) ESCAPE '\' OR LOWER(COALESCE(uscc, '')) LIKE LOWER($%d) ESCAPE '\')`, len(args), len(args))
	}
	var total int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count orgs: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	args = append(args, limit, f.Offset)
	rows, err := q.r.QueryContext(ctx, fmt.Sprintf(`SELECT `+orgCols+` FROM orgs %s ORDER BY %s LIMIT $%d OFFSET $%d`,
		where, orderBy(f.Sort, "kind, id", "id", orgSorts), len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find orgs: %w", err)
	}
	defer rows.Close()
	var out []*domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// orgSorts maps the organisation list's sort keys to columns.
var orgSorts = map[string]string{"id": "id", "name": "name", "kind": "kind", "region_code": "region_code",
	"created_at": "created_at", "updated_at": "updated_at"}

// orderBy turns a sort key ("-" for descending) into an ORDER BY list
// ending in the id column, so pages are stable; unknown keys give def.
func orderBy(sort, def, id string, cols map[string]string) string {
	key, dir := strings.TrimPrefix(sort, "-"), "ASC"
	if strings.HasPrefix(sort, "-") {
		dir = "DESC"
	}
	col, ok := cols[key]
	if !ok {
		return def
	}
	if col == id {
		return id + " " + dir
	}
	return col + " " + dir + ", " + id + " " + dir
}

// UpdateOrg saves an organisation's fields and status, bumping its
// version; the caller checked the version it started from.
func (q *Q) UpdateOrg(ctx context.Context, o *domain.Org) error {
	o.UpdatedAt = q.Now()
	res, err := q.w.ExecContext(ctx, `UPDATE orgs SET kind = $1, name = $2, uscc = $3, region_code = $4, disabled = $5,
		version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8`,
		o.Kind, o.Name, nullUSCC(o.USCC), o.RegionCode, o.Disabled, ts(o.UpdatedAt), o.ID, o.Version)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("uscc", "统一社会信用代码 %s 已被其他机构使用", o.USCC)
	} else if err != nil {
		return fmt.Errorf("store: update org: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "机构已被他人修改，请刷新后重试")
	}
	o.Version++
	return nil
}

// PutChain inserts or replaces an industrial chain.
func (q *Q) PutChain(ctx context.Context, c domain.Chain, sort int) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO chains (code, name, sort) VALUES ($1,$2,$3)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, sort = excluded.sort`, c.Code, c.Name, sort)
	if err != nil {
		return err
	}
	return q.statsChanged(ctx) // chain names label the statistics
}

// Chains lists the industrial chains in their configured order.
func (q *Q) Chains(ctx context.Context) ([]domain.Chain, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT code, name FROM chains ORDER BY sort, code`)
	if err != nil {
		return nil, fmt.Errorf("store: chains: %w", err)
	}
	defer rows.Close()
	var out []domain.Chain
	for rows.Next() {
		var c domain.Chain
		if err := rows.Scan(&c.Code, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetSetting stores a configuration value.
func (q *Q) SetSetting(ctx context.Context, key, value string) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1,$2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return err
	}
	return q.statsChanged(ctx) // the city's name and code shape the statistics
}

// Setting returns a configuration value, or def if unset.
func (q *Q) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := q.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	} else if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, nil
}

// SetTarget stores a yearly target (a configured goal, not a statistic).
func (q *Q) SetTarget(ctx context.Context, year int, metric string, value int64) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO targets (year, metric, value) VALUES ($1,$2,$3)
		ON CONFLICT (year, metric) DO UPDATE SET value = excluded.value`, year, metric, value)
	if err != nil {
		return err
	}
	return q.statsChanged(ctx) // the dashboard shows progress towards it
}

// Target returns a yearly target and whether one is set.
func (q *Q) Target(ctx context.Context, year int, metric string) (int64, bool, error) {
	var v int64
	err := q.r.QueryRowContext(ctx, `SELECT value FROM targets WHERE year = $1 AND metric = $2`, year, metric).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("store: target: %w", err)
	}
	return v, true, nil
}
