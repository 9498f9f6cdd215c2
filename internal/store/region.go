package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"kechuang/internal/domain"
)

const regionCols = `code, name, parent_code, level, full_name, withdrawn`

func scanRegion(row interface{ Scan(...any) error }) (domain.Region, error) {
	var r domain.Region
	err := row.Scan(&r.Code, &r.Name, &r.Parent, &r.Level, &r.FullName, &r.Withdrawn)
	return r, err
}

// PutRegion inserts or replaces one region (tests and old fixtures; the
// national table is written by WriteRegions). A missing level is the one
// the code's digits say, a missing full name the name.
func (q *Q) PutRegion(ctx context.Context, r domain.Region) error {
	if err := q.putRegions(ctx, []domain.Region{r}); err != nil {
		return err
	}
	return q.statsChanged(ctx) // region names label the statistics
}

// WriteRegions inserts or replaces regions in batches (withdrawn ones
// included: a row is never deleted) and bumps the statistics version once.
func (q *Q) WriteRegions(ctx context.Context, rs []domain.Region) error {
	if len(rs) == 0 {
		return nil
	}
	if err := q.putRegions(ctx, rs); err != nil {
		return err
	}
	return q.statsChanged(ctx)
}

const regionBatch = 500

func (q *Q) putRegions(ctx context.Context, rs []domain.Region) error {
	for start := 0; start < len(rs); start += regionBatch {
		batch := rs[start:min(start+regionBatch, len(rs))]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO regions (` + regionCols + `) VALUES `)
		args := make([]any, 0, len(batch)*6)
		for i, r := range batch {
			if r.Level == 0 {
				r.Level = domain.RegionLevelOf(r.Code)
			}
			if r.FullName == "" {
				r.FullName = r.Name
			}
			if i > 0 {
				sb.WriteByte(',')
			}
			n := len(args)
			fmt.Fprintf(&sb, "($%d,$%d,$%d,$%d,$%d,$%d)", n+1, n+2, n+3, n+4, n+5, n+6)
			args = append(args, r.Code, r.Name, r.Parent, int(r.Level), r.FullName, r.Withdrawn)
		}
		sb.WriteString(` ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code,
			level = excluded.level, full_name = excluded.full_name, withdrawn = excluded.withdrawn`)
		if _, err := q.w.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("store: write regions: %w", err)
		}
	}
	return nil
}

// Regions lists every region by code, withdrawn ones included.
func (q *Q) Regions(ctx context.Context) ([]domain.Region, error) {
	return q.queryRegions(ctx, `SELECT `+regionCols+` FROM regions ORDER BY code`)
}

// Region finds one region by code (nil, nil when there is none): the one
// lookup behind every check of a typed region code.
func (q *Q) Region(ctx context.Context, code string) (*domain.Region, error) {
	r, err := scanRegion(q.r.QueryRowContext(ctx, `SELECT `+regionCols+` FROM regions WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: region: %w", err)
	}
	return &r, nil
}

// RegionsByCode finds the regions of the given codes (withdrawn included),
// for pages that name a few records' regions.
func (q *Q) RegionsByCode(ctx context.Context, codes []string) (map[string]domain.Region, error) {
	out := map[string]domain.Region{}
	if len(codes) == 0 {
		return out, nil
	}
	ph, args := make([]string, len(codes)), make([]any, len(codes))
	for i, c := range codes {
		ph[i], args[i] = fmt.Sprintf("$%d", i+1), c
	}
	rs, err := q.queryRegions(ctx, `SELECT `+regionCols+` FROM regions WHERE code IN (`+strings.Join(ph, ",")+`)`, args...)
	for _, r := range rs {
		out[r.Code] = r
	}
	return out, err
}

// FindRegions lists current regions: a division's children, a level, or a
// search by name or code prefix, bounded by f.Limit (at most
// domain.MaxRegionResults). A search lists the exact code first, then the
// exact name, then the configured city's own regions, then by code.
func (q *Q) FindRegions(ctx context.Context, f domain.RegionFilter) ([]domain.Region, error) {
	where, args := []string{"withdrawn = ''"}, []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.ParentSet {
		where = append(where, "parent_code = "+arg(f.Parent))
	}
	if f.Level != 0 {
		where = append(where, "level = "+arg(int(f.Level)))
	}
	order := "code"
	if f.Query != "" {
		exact := arg(f.Query)
		prefix := arg(likePrefix(f.Query))
		where = append(where, `(code LIKE `+prefix+` ESCAPE '\' OR name LIKE `+arg(likePattern(f.Query))+` ESCAPE '\')`)
		local := "0"
		if p := localPrefix(f.CityCode); p != "" {
			local = "CASE WHEN code LIKE " + arg(p+"%") + " THEN 0 ELSE 1 END"
		}
		order = fmt.Sprintf("CASE WHEN code = %[1]s THEN 0 WHEN name = %[1]s THEN 1 ELSE 2 END, %[2]s, code", exact, local)
	}
	limit := f.Limit
	if limit <= 0 || limit > domain.MaxRegionResults {
		limit = domain.MaxRegionResults
	}
	return q.queryRegions(ctx, `SELECT `+regionCols+` FROM regions WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` LIMIT `+arg(limit), args...)
}

// localPrefix is the digits every region of the city starts with
// (domain.IsLocal's rule), "" for no valid city.
func localPrefix(city string) string {
	switch {
	case len(city) != 6:
		return ""
	case domain.IsMunicipality(city):
		return city[:2]
	}
	return city[:4]
}

// likePrefix makes a LIKE pattern matching strings that start with s.
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

func (q *Q) queryRegions(ctx context.Context, query string, args ...any) ([]domain.Region, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: regions: %w", err)
	}
	defer rows.Close()
	var out []domain.Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
