package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"kechuang/internal/domain"
)

// VisibleChains lists the chains offered for new filings: every chain but
// the hidden ones, in their order. Chains lists them all (the names label
// contracts and statistics whatever the chain's state).
func (q *Q) VisibleChains(ctx context.Context) ([]domain.Chain, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT code, name FROM chains WHERE NOT hidden ORDER BY sort, code`)
	if err != nil {
		return nil, fmt.Errorf("store: visible chains: %w", err)
	}
	defer rows.Close()
	out := []domain.Chain{}
	for rows.Next() {
		var c domain.Chain
		if err := rows.Scan(&c.Code, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const chainEntryCols = `c.code, c.name, c.sort, c.hidden, (SELECT COUNT(*) FROM contracts k WHERE k.chain_code = c.code)`

// ChainEntries lists every chain with its order, state and the number of
// contracts that name it, in order.
func (q *Q) ChainEntries(ctx context.Context) ([]domain.ChainEntry, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+chainEntryCols+` FROM chains c ORDER BY c.sort, c.code`)
	if err != nil {
		return nil, fmt.Errorf("store: chain entries: %w", err)
	}
	defer rows.Close()
	out := []domain.ChainEntry{}
	for rows.Next() {
		var e domain.ChainEntry
		if err := rows.Scan(&e.Code, &e.Name, &e.Sort, &e.Hidden, &e.Contracts); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChainExists reports whether a chain of that code exists (one
// primary-key read; ChainEntry also counts its contracts).
func (q *Q) ChainExists(ctx context.Context, code string) (bool, error) {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM chains WHERE code = $1`, code).Scan(&n); err != nil {
		return false, fmt.Errorf("store: chain exists: %w", err)
	}
	return n > 0, nil
}

// ChainEntry finds one chain; ENOTFOUND when there is none.
func (q *Q) ChainEntry(ctx context.Context, code string) (*domain.ChainEntry, error) {
	var e domain.ChainEntry
	err := q.r.QueryRowContext(ctx, `SELECT `+chainEntryCols+` FROM chains c WHERE c.code = $1`, code).
		Scan(&e.Code, &e.Name, &e.Sort, &e.Hidden, &e.Contracts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "产业链不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: chain %s: %w", code, err)
	}
	return &e, nil
}

// SaveChain writes a chain's name, order and state (inserting it when new).
func (q *Q) SaveChain(ctx context.Context, e domain.ChainEntry) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO chains (code, name, sort, hidden) VALUES ($1,$2,$3,$4)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, sort = excluded.sort, hidden = excluded.hidden`,
		e.Code, e.Name, e.Sort, e.Hidden)
	if err != nil {
		return fmt.Errorf("store: save chain %s: %w", e.Code, err)
	}
	return q.statsChanged(ctx) // chain names label the statistics
}

// DeleteChain removes a chain (the service checks no contract names it).
func (q *Q) DeleteChain(ctx context.Context, code string) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM chains WHERE code = $1`, code); err != nil {
		return fmt.Errorf("store: delete chain %s: %w", code, err)
	}
	return q.statsChanged(ctx)
}
