package store

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
)

// BulkInsertContracts inserts many already-validated contracts in the
// transaction and counts the registered ones into the rollup. IDs are not
// returned. Used by imports, the demo city and `kechuang bench contracts`.
//
// The rows go by the dialect's fast path (bulkInsertRows, bulk_rows.go).
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
	if start, n, err := q.s.dialect.bulkInsertRows(ctx, q.w, contractBulk, len(cs), func(i int) []any { return contractValues(cs[i], cityCode) }); err != nil {
		return bulkError(err, start, n)
	}
	return q.AddToRollup(ctx, cs, cityCode)
}

// bulkRows is how many values other batched statements (IN lists) carry:
// well under both databases' parameter limits.
const bulkRows = 500

// contractBulk is the contracts table for bulkInsertRows (bulk_rows.go).
var contractBulk = bulkTable{table: "contracts", cols: contractWriteCols, pgTypes: contractPGTypes}

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

func bulkError(err error, start, n int) error {
	if isUniqueViolation(err) {
		return domain.FieldErrorf("reg_no", "登记号重复（第 %d–%d 条之间）", start+1, start+n)
	}
	return fmt.Errorf("store: bulk insert contracts: %w", err)
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
