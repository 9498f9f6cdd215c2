package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"kechuang/internal/domain"
)

// BulkInsertContracts inserts many already-validated contracts in the
// transaction and counts the registered ones into the rollup. IDs are not
// returned. Used by imports, the demo city and `kechuang bench contracts`.
//
// The two dialects take different fast paths (measured by the bench):
// SQLite one prepared multi-row INSERT with anonymous `?` parameters, reused
// for every full chunk — `$n` names cost SQLite a linear lookup each, which
// makes a 20,000-parameter statement quadratic; PostgreSQL one INSERT …
// SELECT FROM unnest() of one array per column, a single round trip per
// chunk whatever its size.
func (q *Q) BulkInsertContracts(ctx context.Context, cs []*domain.Contract, cityCode string) error {
	now := q.Now()
	for _, c := range cs {
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now
		}
		if c.UpdatedAt.IsZero() {
			c.UpdatedAt = now
		}
		c.Version = 1
	}
	if err := q.s.dialect.bulkInsertContracts(ctx, q.w, cs, cityCode); err != nil {
		return err
	}
	return q.AddToRollup(ctx, cs, cityCode)
}

// bulkRows is how many values other batched statements (IN lists) carry:
// well under both databases' parameter limits.
const bulkRows = 500

// sqliteBulkRows is how many contracts one SQLite INSERT carries: 200 × 43
// parameters stays under SQLite's 32,766-parameter limit.
const sqliteBulkRows = 200

func (sqliteDialect) bulkInsertContracts(ctx context.Context, db querier, cs []*domain.Contract, cityCode string) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	n := len(contractWriteCols)
	args := make([]any, 0, sqliteBulkRows*n)
	for start := 0; start < len(cs); start += sqliteBulkRows {
		chunk := cs[start:min(start+sqliteBulkRows, len(cs))]
		args = args[:0]
		for _, c := range chunk {
			args = append(args, contractValues(c, cityCode)...)
		}
		var err error
		if len(chunk) == sqliteBulkRows {
			if full == nil {
				if full, err = db.PrepareContext(ctx, sqliteInsertRows(sqliteBulkRows)); err != nil {
					return fmt.Errorf("store: bulk insert contracts: %w", err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = db.ExecContext(ctx, sqliteInsertRows(len(chunk)), args...)
		}
		if err != nil {
			return bulkError(err, start, len(chunk))
		}
	}
	return nil
}

// sqliteInsertRows is an INSERT of rows contracts with anonymous parameters.
func sqliteInsertRows(rows int) string {
	row := "(" + strings.Repeat("?,", len(contractWriteCols)-1) + "?)"
	var query strings.Builder
	query.Grow(64 + len(contractWriteCols)*16 + rows*(len(row)+1))
	query.WriteString("INSERT INTO contracts (" + strings.Join(contractWriteCols, ",") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			query.WriteByte(',')
		}
		query.WriteString(row)
	}
	return query.String()
}

func bulkError(err error, start, n int) error {
	if isUniqueViolation(err) {
		return domain.FieldErrorf("reg_no", "登记号重复（第 %d–%d 条之间）", start+1, start+n)
	}
	return fmt.Errorf("store: bulk insert contracts: %w", err)
}

// pgBulkRows bounds the arrays of one PostgreSQL bulk INSERT.
const pgBulkRows = 5000

// contractPGTypes are the PostgreSQL types of contractWriteCols, in order.
var contractPGTypes = []string{"bigint", "text", "text",
	"bigint", "text", "text", "text", "text", "boolean",
	"bigint", "text", "text", "text", "text", "boolean",
	"bigint", "text", "text", "text", "text", "text", "text", "boolean",
	"text", "text", "bigint", "bigint", "bigint", "text", "text",
	"text", "text", "integer", "bigint", "text", "text", "text", "text",
	"text", "text", "boolean", "boolean", "text", "text",
	"integer", "text", "text", "text", "text",
	"bigint", "bigint", "text", "text", "text", "text", "text", "bigint"}

func (postgresDialect) bulkInsertContracts(ctx context.Context, db querier, cs []*domain.Contract, cityCode string) error {
	if len(contractPGTypes) != len(contractWriteCols) {
		return fmt.Errorf("store: contractPGTypes has %d types for %d columns", len(contractPGTypes), len(contractWriteCols))
	}
	var query strings.Builder
	query.WriteString("INSERT INTO contracts (" + strings.Join(contractWriteCols, ",") + ") SELECT * FROM unnest(")
	for i, t := range contractPGTypes {
		if i > 0 {
			query.WriteByte(',')
		}
		fmt.Fprintf(&query, "$%d::%s[]", i+1, t)
	}
	query.WriteString(")")
	for start := 0; start < len(cs); start += pgBulkRows {
		chunk := cs[start:min(start+pgBulkRows, len(cs))]
		cols, err := pgColumns(chunk, cityCode)
		if err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, query.String(), cols...); err != nil {
			return bulkError(err, start, len(chunk))
		}
	}
	return nil
}

// pgColumns turns rows into one typed slice per column (pgx encodes
// []*int64 and []*string as arrays with NULLs).
func pgColumns(cs []*domain.Contract, cityCode string) ([]any, error) {
	ints := make([][]*int64, len(contractPGTypes))
	texts := make([][]*string, len(contractPGTypes))
	bools := make([][]bool, len(contractPGTypes))
	for _, c := range cs {
		for j, v := range contractValues(c, cityCode) {
			ok := true
			switch contractPGTypes[j] {
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
				return nil, fmt.Errorf("store: bulk insert: %T in %s column %s", v, contractPGTypes[j], contractWriteCols[j])
			}
		}
	}
	out := make([]any, len(contractPGTypes))
	for j, t := range contractPGTypes {
		switch t {
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

// MaxContractID is the largest contract id so far (0 with none): an
// importer reads it before a bulk insert to find the rows it wrote.
func (q *Q) MaxContractID(ctx context.Context) (int64, error) {
	var id int64
	err := q.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM contracts`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: max contract id: %w", err)
	}
	return id, nil
}

// ContractImportKey identifies an imported contract within its import:
// the contract number and the two parties (the importer refuses a second
// row with the same three).
func ContractImportKey(c *domain.Contract) string {
	return c.ContractNo + "\x00" + c.Seller.USCC + "\x00" + c.Seller.Name + "\x00" + c.Buyer.USCC + "\x00" + c.Buyer.Name
}

// ContractIDsAfter maps the ContractImportKey of the contracts createdBy
// wrote after afterID to their ids (bulk inserts return none).
func (q *Q) ContractIDsAfter(ctx context.Context, afterID, createdBy int64) (map[string]int64, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, contract_no, seller_uscc, seller_name, buyer_uscc, buyer_name FROM contracts
		WHERE id > $1 AND created_by = $2`, afterID, createdBy)
	if err != nil {
		return nil, fmt.Errorf("store: imported ids: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var c domain.Contract
		if err := rows.Scan(&id, &c.ContractNo, &c.Seller.USCC, &c.Seller.Name, &c.Buyer.USCC, &c.Buyer.Name); err != nil {
			return nil, err
		}
		out[ContractImportKey(&c)] = id
	}
	return out, rows.Err()
}
