package store

import (
	"context"
	"fmt"
)

// StatsVersion reads the statistics version (migration 0007_reads): one
// primary-key row, cheap enough to read before every cached answer.
func (q *Q) StatsVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := q.r.QueryRowContext(ctx, `SELECT version FROM stats_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: stats version: %w", err)
	}
	return v, nil
}

// statsChanged records that this transaction changes what the statistics
// show; InTx bumps the version just before it commits. Outside a
// transaction the bump is immediate.
func (q *Q) statsChanged(ctx context.Context) error {
	if q.tx {
		q.bumpStats = true
		return nil
	}
	return bumpStatsVersion(ctx, q.w)
}

// bumpStatsVersion is the last statement of a transaction that changed the
// statistics. Last, because on PostgreSQL the update locks the row until
// commit: a transaction that waits for it holds no lock the holder still
// needs, so the row adds no deadlock (registrations lock their serial
// first, imports their rollup cells first).
func bumpStatsVersion(ctx context.Context, w querier) error {
	if _, err := w.ExecContext(ctx, `UPDATE stats_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("store: bump stats version: %w", err)
	}
	return nil
}

// countsChanged is statsChanged after a write that succeeded (err nil);
// else err. The chain's figures (service.Chain.Stats, cached by the
// statistics version) count needs, challenges, events and their records,
// contract links and achievements: every write to them bumps the version.
func (q *Q) countsChanged(ctx context.Context, err error) error {
	if err != nil {
		return err
	}
	return q.statsChanged(ctx)
}
