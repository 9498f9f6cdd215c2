package store

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
)

// Targets lists every yearly target, by year and metric.
func (q *Q) Targets(ctx context.Context) ([]domain.YearTarget, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT year, metric, value FROM targets ORDER BY year, metric`)
	if err != nil {
		return nil, fmt.Errorf("store: targets: %w", err)
	}
	defer rows.Close()
	out := []domain.YearTarget{}
	for rows.Next() {
		var t domain.YearTarget
		if err := rows.Scan(&t.Year, &t.Metric, &t.Value); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteTarget removes a yearly target.
func (q *Q) DeleteTarget(ctx context.Context, year int, metric string) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM targets WHERE year = $1 AND metric = $2`, year, metric); err != nil {
		return fmt.Errorf("store: delete target: %w", err)
	}
	return q.statsChanged(ctx) // the dashboard shows progress towards it
}
