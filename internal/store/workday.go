package store

import (
	"context"
	"fmt"

	"kechuang/internal/workday"
)

// WorkdayDays returns every loaded day of the working-day arrangements.
func (q *Q) WorkdayDays(ctx context.Context) ([]workday.Day, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT day, work, name FROM workday_days ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("store: workday days: %w", err)
	}
	defer rows.Close()
	var out []workday.Day
	for rows.Next() {
		var d workday.Day
		if err := rows.Scan(&d.Date, &d.Work, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ReplaceWorkdayYears replaces the loaded days of every year in days with
// days (a year's arrangement is loaded whole).
func (q *Q) ReplaceWorkdayYears(ctx context.Context, days []workday.Day) error {
	for _, y := range workday.Years(days) {
		if _, err := q.w.ExecContext(ctx, `DELETE FROM workday_days WHERE day >= $1 AND day <= $2`,
			fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y)); err != nil {
			return fmt.Errorf("store: clear workday year: %w", err)
		}
	}
	now := ts(q.Now())
	for _, d := range days {
		if _, err := q.w.ExecContext(ctx, `INSERT INTO workday_days (day, work, name, loaded_at) VALUES ($1, $2, $3, $4)`, d.Date, d.Work, d.Name, now); err != nil {
			return fmt.Errorf("store: insert workday: %w", err)
		}
	}
	return nil
}

// OpenClocks returns the id, regime, acceptance date and expert flag of
// every filing whose clock runs (accepted) or whose due date is missing,
// for recomputing due dates after a calendar load or a migration.
func (q *Q) OpenClocks(ctx context.Context) ([]ClockRow, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, regime, accepted_on, expert_review FROM contracts
		WHERE accepted_on <> '' AND regime <> '' AND (status = 'accepted' OR due_on = '') ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: open clocks: %w", err)
	}
	defer rows.Close()
	var out []ClockRow
	for rows.Next() {
		var r ClockRow
		if err := rows.Scan(&r.ID, &r.Regime, &r.AcceptedOn, &r.Expert); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ClockRow is a filing's clock.
type ClockRow struct {
	ID         int64
	Regime     string
	AcceptedOn string
	Expert     bool
}

// SetDueOn writes a recomputed due date (no version bump: the filing's
// figures did not change, only the calendar it is timed by).
func (q *Q) SetDueOn(ctx context.Context, id int64, due string) error {
	if _, err := q.w.ExecContext(ctx, `UPDATE contracts SET due_on = $1 WHERE id = $2`, due, id); err != nil {
		return fmt.Errorf("store: set due: %w", err)
	}
	return nil
}
