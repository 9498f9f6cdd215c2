package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// bulkTable describes the rows of one bulk INSERT: the table, its columns
// in order and, for PostgreSQL, each column's type (a "tsvector" column
// travels as text and is cast by the server).
type bulkTable struct {
	table   string
	cols    []string
	pgTypes []string
	// tail follows the rows in both dialects: an ON CONFLICT clause makes
	// the insert an upsert (a chunk must not hold one key twice).
	tail string
}

// rowValues gives the values of row i (len(cols) of them, in order).
type rowValues func(i int) []any

// The two dialects take different fast paths (measured by the benches):
// SQLite one prepared multi-row INSERT with anonymous `?` parameters, reused
// for every full chunk — `$n` names cost SQLite a linear lookup each, which
// makes a 20,000-parameter statement quadratic; PostgreSQL one INSERT …
// SELECT FROM unnest() of one array per column, a single round trip per
// chunk whatever its size.

// sqliteBulkParams bounds the parameters of one SQLite INSERT (its limit
// is 32,766).
const sqliteBulkParams = 8_600

// sqlite: chunks of as many rows as sqliteBulkParams allows (at most 200).
// On an error, the first row and the size of the failed chunk.
func (sqliteDialect) bulkInsertRows(ctx context.Context, db querier, t bulkTable, n int, values rowValues) (int, int, error) {
	per := max(1, min(200, sqliteBulkParams/len(t.cols)))
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, per*len(t.cols))
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, values(i)...)
		}
		var err error
		if end-start == per {
			if full == nil {
				if full, err = db.PrepareContext(ctx, t.sqliteInsert(per)); err != nil {
					return start, end - start, err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = db.ExecContext(ctx, t.sqliteInsert(end-start), args...)
		}
		if err != nil {
			return start, end - start, err
		}
	}
	return 0, 0, nil
}

// sqliteInsert is an INSERT of rows rows with anonymous parameters.
func (t bulkTable) sqliteInsert(rows int) string {
	row := "(" + strings.Repeat("?,", len(t.cols)-1) + "?)"
	var query strings.Builder
	query.Grow(64 + len(t.cols)*16 + rows*(len(row)+1))
	query.WriteString("INSERT INTO " + t.table + " (" + strings.Join(t.cols, ",") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			query.WriteByte(',')
		}
		query.WriteString(row)
	}
	query.WriteString(t.tail)
	return query.String()
}

// pgBulkRows bounds the arrays of one PostgreSQL bulk INSERT.
const pgBulkRows = 5000

func (postgresDialect) bulkInsertRows(ctx context.Context, db querier, t bulkTable, n int, values rowValues) (int, int, error) {
	if len(t.pgTypes) != len(t.cols) {
		return 0, 0, fmt.Errorf("store: %d PostgreSQL types for %d columns of %s", len(t.pgTypes), len(t.cols), t.table)
	}
	var sel, arrays []string
	for i, typ := range t.pgTypes {
		c := fmt.Sprintf("c%d", i+1)
		if typ == "tsvector" {
			sel, arrays = append(sel, c+"::tsvector"), append(arrays, fmt.Sprintf("$%d::text[]", i+1))
		} else {
			sel, arrays = append(sel, c), append(arrays, fmt.Sprintf("$%d::%s[]", i+1, typ))
		}
	}
	names := make([]string, len(t.cols))
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i+1)
	}
	query := "INSERT INTO " + t.table + " (" + strings.Join(t.cols, ",") + ") SELECT " + strings.Join(sel, ",") +
		" FROM unnest(" + strings.Join(arrays, ",") + ") AS u(" + strings.Join(names, ",") + ")" + t.tail
	for start := 0; start < n; start += pgBulkRows {
		end := min(start+pgBulkRows, n)
		cols, err := t.pgColumns(start, end, values)
		if err != nil {
			return start, end - start, err
		}
		if _, err := db.ExecContext(ctx, query, cols...); err != nil {
			return start, end - start, err
		}
	}
	return 0, 0, nil
}

// pgColumns turns rows [start, end) into one typed slice per column (pgx
// encodes []*int64 and []*string as arrays with NULLs).
func (t bulkTable) pgColumns(start, end int, values rowValues) ([]any, error) {
	ints := make([][]*int64, len(t.pgTypes))
	texts := make([][]*string, len(t.pgTypes))
	bools := make([][]bool, len(t.pgTypes))
	for i := start; i < end; i++ {
		for j, v := range values(i) {
			ok := true
			switch t.pgTypes[j] {
			case "bigint", "integer":
				var p *int64
				switch v := v.(type) {
				case int64:
					p = &v
				case int:
					x := int64(v)
					p = &x
				default:
					ok = v == nil
				}
				ints[j] = append(ints[j], p)
			case "boolean":
				var b bool
				b, ok = v.(bool)
				bools[j] = append(bools[j], b)
			default:
				var p *string
				switch v := v.(type) {
				case string:
					p = &v
				default:
					ok = v == nil
				}
				texts[j] = append(texts[j], p)
			}
			if !ok {
				return nil, fmt.Errorf("store: bulk insert: %T in %s column %s.%s", v, t.pgTypes[j], t.table, t.cols[j])
			}
		}
	}
	out := make([]any, len(t.pgTypes))
	for j, typ := range t.pgTypes {
		switch typ {
		case "bigint", "integer":
			out[j] = ints[j]
		case "boolean":
			out[j] = bools[j]
		default:
			out[j] = texts[j]
		}
	}
	return out, nil
}
