package store

import (
	"context"
	"fmt"
	"strings"
)

// TakenRegNos returns which of the registration numbers already exist, in
// the transaction (imports check their rows before inserting them).
func (q *Q) TakenRegNos(ctx context.Context, regNos []string) (map[string]bool, error) {
	taken := map[string]bool{}
	for start := 0; start < len(regNos); start += bulkRows {
		chunk := regNos[start:min(start+bulkRows, len(regNos))]
		args := make([]any, len(chunk))
		for i, n := range chunk {
			args[i] = n
		}
		rows, err := q.w.QueryContext(ctx, `SELECT reg_no FROM contracts WHERE reg_no IN (`+placeholders(len(chunk), 1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: taken reg nos: %w", err)
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return nil, err
			}
			taken[strings.TrimSpace(n)] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return taken, nil
}

// RegSerial is the last serial a registry has issued in year (0 when none).
func (q *Q) RegSerial(ctx context.Context, registryID int64, year int) (int64, error) {
	var n int64
	err := q.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(last_serial), 0) FROM reg_sequences WHERE registry_id = $1 AND year = $2`, registryID, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: reg serial: %w", err)
	}
	return n, nil
}

// LockRegSerial returns the last serial a registry has issued in year and
// holds the sequence's row until the transaction ends (registrations queue
// behind it), creating the row at 0 when the year has none.
func (q *Q) LockRegSerial(ctx context.Context, registryID int64, year int) (int64, error) {
	var n int64
	err := q.w.QueryRowContext(ctx, `INSERT INTO reg_sequences (registry_id, year, last_serial) VALUES ($1, $2, 0)
		ON CONFLICT (registry_id, year) DO UPDATE SET last_serial = reg_sequences.last_serial RETURNING last_serial`, registryID, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: lock serial: %w", err)
	}
	return n, nil
}
