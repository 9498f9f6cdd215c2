package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"kechuang/internal/domain"
)

// The store's module kit: a module's table described once (entityTable)
// gives it insert, update by version, delete of a draft, find by id, a
// page of a filtered list and a chunked bulk insert; the JSON columns of
// a row are written with jsonText and read back with decodeJSON.

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// record is the bookkeeping every module row carries, as pointers into
// one value, for the generic writes to stamp.
type record struct {
	ID                   *int64
	CreatedAt, UpdatedAt *time.Time
	Version              *int64
}

// entityTable is what the generic store helpers need to know of one
// module's table.
type entityTable[T any] struct {
	table    string            // "achievements"
	entity   string            // for the wrapped errors: "achievement"
	alias    string            // the table's alias in readCols and from: "a"
	write    []string          // the columns an insert writes, in values' order, version last
	readCols string            // the SELECT list scan reads
	from     string            // " FROM achievements a LEFT JOIN … "
	values   func(*Q, T) []any // the write columns' values (q: the dialect's search tokens)
	scan     func(rowScanner) (T, error)
	rec      func(T) record
	notFound string // the message for a missing id
	stale    string // the message for an update of a version since changed
	chunk    int    // rows per INSERT of bulkInsert (650 parameters or so: see achievementChunk)
	// keepUpdated keeps an UpdatedAt the caller set on insert (the demo's
	// years write records last changed long ago); else insert stamps now.
	keepUpdated bool
	// unique, when set, is the refusal of an insert that breaks the
	// table's unique index: a field error naming uniqueField.
	uniqueField, unique string
}

// jsonText is a list (or any value) as a JSON column; nil is "[]".
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

// jsonCol is one JSON column read as text, to decode into dst.
type jsonCol struct {
	src string
	dst any
}

// decodeJSON decodes a row's JSON columns; an error names the entity and
// its id.
func decodeJSON(entity string, id int64, cols ...jsonCol) error {
	for _, c := range cols {
		if err := json.Unmarshal([]byte(c.src), c.dst); err != nil {
			return fmt.Errorf("store: %s %d: %w", entity, id, err)
		}
	}
	return nil
}

// insert stores a new row, stamping its times and version 1, and sets
// its id.
func (t *entityTable[T]) insert(ctx context.Context, q *Q, x T) error {
	r := t.rec(x)
	now := q.Now()
	if r.CreatedAt.IsZero() {
		*r.CreatedAt = now
	}
	if !t.keepUpdated || r.UpdatedAt.IsZero() {
		*r.UpdatedAt = now
	}
	*r.Version = 1
	return t.insertAsIs(ctx, q, x)
}

// insertAsIs stores a new row with the times and version it carries (the
// demo's years: a record created and closed long ago) and sets its id.
func (t *entityTable[T]) insertAsIs(ctx context.Context, q *Q, x T) error {
	query := `INSERT INTO ` + t.table + ` (` + strings.Join(t.write, ",") + `) VALUES (` +
		placeholders(len(t.write), 1) + `) RETURNING id`
	err := q.w.QueryRowContext(ctx, query, t.values(q, x)...).Scan(t.rec(x).ID)
	if t.unique != "" && isUniqueViolation(err) {
		return domain.FieldErrorf(t.uniqueField, "%s", domain.Msg(t.unique))
	} else if err != nil {
		return fmt.Errorf("store: insert %s: %w", t.entity, err)
	}
	return nil
}

// update writes a row back if its version is unchanged since it was read
// (else t.stale, a conflict), and bumps the version.
func (t *entityTable[T]) update(ctx context.Context, q *Q, x T) error {
	r := t.rec(x)
	*r.UpdatedAt = q.Now()
	cols := t.write[:len(t.write)-1]
	var set strings.Builder
	for i, col := range cols {
		if i > 0 {
			set.WriteString(", ")
		}
		fmt.Fprintf(&set, "%s = $%d", col, i+1)
	}
	n := len(cols)
	vals := t.values(q, x)
	query := fmt.Sprintf(`UPDATE %s SET %s, version = version + 1 WHERE id = $%d AND version = $%d`, t.table, set.String(), n+1, n+2)
	res, err := q.w.ExecContext(ctx, query, append(vals[:n:n], *r.ID, *r.Version)...)
	if err != nil {
		return fmt.Errorf("store: update %s: %w", t.entity, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "%s", domain.Msg(t.stale))
	}
	*r.Version++
	return nil
}

// deleteDraft removes a row still in status draft (the service checks it
// is one and may be deleted).
func (t *entityTable[T]) deleteDraft(ctx context.Context, q *Q, id int64) error {
	_, err := t.deleteDraftN(ctx, q, id)
	return err
}

// deleteDraftN is deleteDraft reporting whether a row went (a module with
// a rollup takes the row out of it).
func (t *entityTable[T]) deleteDraftN(ctx context.Context, q *Q, id int64) (bool, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM `+t.table+` WHERE id = $1 AND status = 'draft'`, id)
	if err != nil {
		return false, fmt.Errorf("store: delete %s: %w", t.entity, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// find returns one row by id (unscoped: the service checks access); a
// missing one is t.notFound.
func (t *entityTable[T]) find(ctx context.Context, q *Q, id int64) (T, error) {
	x, err := t.scan(q.r.QueryRowContext(ctx, `SELECT `+t.readCols+t.from+`WHERE `+t.alias+`.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		var zero T
		return zero, domain.Errorf(domain.ENOTFOUND, "%s", domain.Msg(t.notFound))
	} else if err != nil {
		var zero T
		return zero, fmt.Errorf("store: find %s: %w", t.entity, err)
	}
	return x, nil
}

// all returns the rows of the table's SELECT followed by tail (joins, the
// WHERE clause and the ORDER BY: an unpaged list, such as one entity's
// children).
func (t *entityTable[T]) all(ctx context.Context, q *Q, tail string, args ...any) ([]T, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+t.readCols+t.from+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: find %s: %w", t.table, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		x, err := t.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// listQuery is one page of a filtered list: the WHERE clause and its
// arguments, the sort key ("title", "-published_on"; "" newest first)
// against the module's sort columns, and the page.
type listQuery struct {
	join          string // the full-text index's join ("" without a query)
	where         string
	args          []any
	rank          string // the placeholder of a query's rank argument ("" without one): ranks when sort is ""
	sort          string
	sorts         map[string]string
	order         string // the ORDER BY when sort is "" ("": the newest id first)
	page, perPage int
}

// list returns a page of the rows matching l with the count of the filter
// (capped at domain.ListCountCap+1; a search's at domain.SearchCountCap+1,
// searchCount); a page size outside 1–200 is 20.
func (t *entityTable[T]) list(ctx context.Context, q *Q, l listQuery) ([]T, int, error) {
	args := l.args
	per := l.perPage
	if per <= 0 || per > 200 {
		per = 20
	}
	page := max(l.page, 1)
	if l.sort == "" && l.rank != "" { // a ranked search: one walk gives the page and the count
		ids, total, err := q.searchPage(ctx, t.table, t.alias, l.where, l.rank, args[:len(args):len(args)], per, (page-1)*per)
		if err != nil || len(ids) == 0 {
			return []T{}, total, err
		}
		out, err := t.byIDs(ctx, q, ids)
		return out, total, err
	}
	var total int
	if l.rank != "" { // a search sorted by a column: the index's walk, stopped at the search's cap
		var err error
		if total, err = q.searchCount(ctx, t.table, t.alias, l.where, args); err != nil {
			return nil, 0, err
		}
	} else if err := q.r.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM %s %s %s %s LIMIT %d) capped`,
		t.table, t.alias, l.join, l.where, domain.ListCountCap+1), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count %s: %w", t.table, err)
	}
	order, err := q.orderBy(l.sort, l.sorts, t.alias+".id")
	if err != nil {
		return nil, 0, err
	}
	if l.sort == "" && l.order != "" {
		order = l.order
	}
	args = append(args[:len(args):len(args)], per, (page-1)*per)
	out, err := t.all(ctx, q, fmt.Sprintf(` %s %s ORDER BY %s LIMIT $%d OFFSET $%d`, l.join, l.where, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// byIDs reads the rows of ids, in that order (a ranked page).
func (t *entityTable[T]) byIDs(ctx context.Context, q *Q, ids []int64) ([]T, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+t.readCols+t.from+`WHERE `+t.alias+`.id IN (`+idList(ids)+`)`)
	if err != nil {
		return nil, fmt.Errorf("store: find %s: %w", t.table, err)
	}
	defer rows.Close()
	byID := map[int64]T{}
	for rows.Next() {
		x, err := t.scan(rows)
		if err != nil {
			return nil, err
		}
		byID[*t.rec(x).ID] = x
	}
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if x, ok := byID[id]; ok {
			out = append(out, x)
		}
	}
	return out, rows.Err()
}

// bulkInsert stores many rows in multi-row INSERTs of t.chunk rows,
// stamping none: each carries its own times and version 1. The ids are
// not read back.
func (t *entityTable[T]) bulkInsert(ctx context.Context, q *Q, xs []T) error {
	cols := strings.Join(t.write, ",")
	for start := 0; start < len(xs); start += t.chunk {
		end := min(start+t.chunk, len(xs))
		var b strings.Builder
		args := make([]any, 0, (end-start)*len(t.write))
		for i, x := range xs[start:end] {
			*t.rec(x).Version = 1
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("(" + placeholders(len(t.write), len(args)+1) + ")")
			args = append(args, t.values(q, x)...)
		}
		if _, err := q.w.ExecContext(ctx, `INSERT INTO `+t.table+` (`+cols+`) VALUES `+b.String(), args...); err != nil {
			return fmt.Errorf("store: bulk insert %s: %w", t.table, err)
		}
	}
	return nil
}
