package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kechuang/internal/domain"
)

// bulkRows is how many contracts one multi-row INSERT carries: 500 × 43
// parameters stays under both SQLite's and PostgreSQL's parameter limits.
const bulkRows = 500

// BulkInsertContracts inserts many already-validated contracts in the
// transaction with multi-row INSERTs and counts the registered ones into the
// rollup. IDs are not returned. Used by imports and the demo city.
func (tx *Tx) BulkInsertContracts(ctx context.Context, cs []*domain.Contract, cityCode string) error {
	now := time.Now().UTC()
	cols := strings.Join(contractWriteCols, ",")
	n := len(contractWriteCols)
	// SQLite looks "$n" parameters up by name in a list, which is quadratic
	// in a statement of thousands of parameters; anonymous "?" is positional.
	rowPlaceholders := "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
	for start := 0; start < len(cs); start += bulkRows {
		chunk := cs[start:min(start+bulkRows, len(cs))]

		var q strings.Builder
		q.WriteString("INSERT INTO contracts (" + cols + ") VALUES ")
		args := make([]any, 0, len(chunk)*n)
		for i, c := range chunk {
			if c.CreatedAt.IsZero() {
				c.CreatedAt = now
			}
			if c.UpdatedAt.IsZero() {
				c.UpdatedAt = now
			}
			c.Version = 1
			if i > 0 {
				q.WriteString(",")
			}
			if tx.s.dialect == SQLite {
				q.WriteString(rowPlaceholders)
			} else {
				q.WriteString("(" + placeholders(n, i*n+1) + ")")
			}
			args = append(args, contractValues(c, cityCode)...)
		}
		if _, err := tx.tx.ExecContext(ctx, q.String(), args...); err != nil {
			if isUniqueViolation(err) {
				return domain.FieldErrorf("reg_no", "登记号重复（第 %d–%d 条之间）", start+1, start+len(chunk))
			}
			return fmt.Errorf("store: bulk insert contracts: %w", err)
		}
	}
	return tx.AddToRollup(ctx, cs, cityCode)
}
