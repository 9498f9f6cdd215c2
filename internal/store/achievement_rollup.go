package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// The achievement rollup (migration 0022): the count of achievements by
// year of first publication (0: never published), industrial chain and
// status, kept in the same statement group as every insert, status change
// and deletion of an achievement, so the chain's achievements_published
// figure reads a few rows instead of counting the records.

type achievementCell struct {
	year   int
	chain  string
	status string
}

func cellOf(publishedOn, chain, status string) achievementCell {
	y := 0
	if len(publishedOn) >= 4 {
		y, _ = strconv.Atoi(publishedOn[:4])
	}
	return achievementCell{y, chain, status}
}

// achievementCell reads the rollup cell an achievement counts in now.
func (q *Q) achievementCell(ctx context.Context, id int64) (achievementCell, error) {
	var p, c, s string
	err := q.w.QueryRowContext(ctx, `SELECT published_on, chain_code, status FROM achievements WHERE id = $1`+q.s.dialect.forUpdate(), id).Scan(&p, &c, &s)
	if errors.Is(err, sql.ErrNoRows) {
		return achievementCell{}, nil // the caller reports the missing row
	} else if err != nil {
		return achievementCell{}, fmt.Errorf("store: achievement rollup cell: %w", err)
	}
	return cellOf(p, c, s), nil
}

// addAchievementRollup adds the deltas to their cells, in a fixed order
// (two transactions lock cells in the same order on PostgreSQL).
func (q *Q) addAchievementRollup(ctx context.Context, cells map[achievementCell]int64) error {
	keys := make([]achievementCell, 0, len(cells))
	for k, n := range cells {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b achievementCell) int {
		if a.year != b.year {
			return a.year - b.year
		}
		if c := strings.Compare(a.chain, b.chain); c != 0 {
			return c
		}
		return strings.Compare(a.status, b.status)
	})
	for _, k := range keys {
		if _, err := q.w.ExecContext(ctx, `INSERT INTO achievement_rollup (year, chain_code, status, n) VALUES ($1, $2, $3, $4)
			ON CONFLICT (year, chain_code, status) DO UPDATE SET n = achievement_rollup.n + excluded.n`,
			k.year, k.chain, k.status, cells[k]); err != nil {
			return fmt.Errorf("store: achievement rollup: %w", err)
		}
	}
	return q.statsChanged(ctx)
}

// AchievementRollupRows are the non-empty cells of the rollup for the
// years given (every year when none), ordered.
func (q *Q) AchievementRollupRows(ctx context.Context, years ...int) ([]domain.AchievementRollupRow, error) {
	return achievementRollupRows(ctx, q, `SELECT year, chain_code, status, n FROM achievement_rollup WHERE n <> 0`, years)
}

// AchievementRollupRowsNaive are the same cells counted from the records
// by GROUP BY (the agreement check and the benchmark's peer).
func (q *Q) AchievementRollupRowsNaive(ctx context.Context, years ...int) ([]domain.AchievementRollupRow, error) {
	return achievementRollupRows(ctx, q, `SELECT year, chain_code, status, COUNT(*) FROM (SELECT `+achievementYearSQL+` AS year, chain_code, status FROM achievements) r WHERE 1 = 1`, years,
		` GROUP BY year, chain_code, status`)
}

const achievementYearSQL = `CASE WHEN published_on = '' THEN 0 ELSE CAST(substr(published_on, 1, 4) AS INTEGER) END`

func achievementRollupRows(ctx context.Context, q *Q, query string, years []int, tail ...string) ([]domain.AchievementRollupRow, error) {
	var args []any
	if len(years) > 0 {
		ph := make([]string, len(years))
		for i, y := range years {
			args = append(args, y)
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		query += ` AND year IN (` + strings.Join(ph, ",") + `)`
	}
	query += strings.Join(tail, "") + ` ORDER BY 1, 2, 3`
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: achievement rollup rows: %w", err)
	}
	defer rows.Close()
	out := []domain.AchievementRollupRow{}
	for rows.Next() {
		var r domain.AchievementRollupRow
		if err := rows.Scan(&r.Year, &r.ChainCode, &r.Status, &r.N); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AchievementsPublishedRollup counts the achievements first published in
// year (on chain, or every chain when ""), from the rollup.
func (q *Q) AchievementsPublishedRollup(ctx context.Context, year int, chain string) (int64, error) {
	var n int64
	query, args := `SELECT COALESCE(SUM(n), 0) FROM achievement_rollup WHERE year = $1`, []any{year}
	if chain != "" {
		query, args = query+` AND chain_code = $2`, append(args, chain)
	}
	if err := q.r.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: achievements published: %w", err)
	}
	return n, nil
}

// AchievementsPublishedNaive is the same figure by COUNT over the records.
func (q *Q) AchievementsPublishedNaive(ctx context.Context, year int, chain string) (int64, error) {
	var n int64
	query, args := `SELECT COUNT(*) FROM achievements WHERE published_on LIKE $1`, []any{fmt.Sprintf("%04d-%%", year)}
	if chain != "" {
		query, args = query+` AND chain_code = $2`, append(args, chain)
	}
	if err := q.r.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: achievements published: %w", err)
	}
	return n, nil
}

// RebuildAchievementRollup recounts the rollup from the records.
func (s *Store) RebuildAchievementRollup(ctx context.Context) error {
	return s.InTx(ctx, func(q *Q) error {
		if _, err := q.w.ExecContext(ctx, `DELETE FROM achievement_rollup`); err != nil {
			return fmt.Errorf("store: rebuild achievement rollup: %w", err)
		}
		if _, err := q.w.ExecContext(ctx, `INSERT INTO achievement_rollup (year, chain_code, status, n)
			SELECT `+achievementYearSQL+`, chain_code, status, COUNT(*) FROM achievements GROUP BY 1, 2, 3`); err != nil {
			return fmt.Errorf("store: rebuild achievement rollup: %w", err)
		}
		return q.statsChanged(ctx)
	})
}
