package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kechuang/internal/domain"
)

// MatchChange is one row of the matching index's change sequence
// (match_changes, written by the triggers of migration 0028 in the
// transaction of every write that changes what the index holds).
type MatchChange struct {
	Seq      int64
	Kind     string // MatchAchievement, MatchNeed or MatchRebuild
	EntityID int64
}

// The kinds of a change.
const (
	MatchAchievement = "achievement"
	MatchNeed        = "need"
	MatchRebuild     = "rebuild" // rebuild every index (a bulk load may write one instead of a row per record)
)

// matchChangedAtLayout is the text form of match_changes.changed_at (UTC,
// milliseconds: text order is time order).
const matchChangedAtLayout = "2006-01-02T15:04:05.000Z"

// MatchHead is the highest seq written so far (0: none).
func (q *Q) MatchHead(ctx context.Context) (int64, error) {
	var n int64
	if err := q.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM match_changes`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: match head: %w", err)
	}
	return n, nil
}

// MatchChanges returns the changes after seq after, plus those among gaps
// (earlier seqs the reader has not seen yet: on PostgreSQL a seq becomes
// visible when its transaction commits, not in seq order), in seq order,
// at most limit.
func (q *Q) MatchChanges(ctx context.Context, after int64, gaps []int64, limit int) ([]MatchChange, error) {
	cond, args := "seq > $1", []any{after}
	if len(gaps) > 0 {
		cond = "(seq > $1 OR seq IN (" + idList(gaps) + "))"
	}
	args = append(args, limit)
	rows, err := q.r.QueryContext(ctx, `SELECT seq, kind, entity_id FROM match_changes WHERE `+cond+` ORDER BY seq LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: match changes: %w", err)
	}
	defer rows.Close()
	var out []MatchChange
	for rows.Next() {
		var c MatchChange
		if err := rows.Scan(&c.Seq, &c.Kind, &c.EntityID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MatchSeqsIn returns the seqs present in (from, to] (the follower's start:
// those missing are gaps that may yet commit).
func (q *Q) MatchSeqsIn(ctx context.Context, from, to int64) ([]int64, error) {
	return q.ids(ctx, "match_changes", `SELECT seq FROM match_changes WHERE seq > $1 AND seq <= $2 ORDER BY seq`, []any{from, to})
}

// AddMatchChange appends a change by hand (a bulk path's MatchRebuild
// marker; the triggers write the others).
func (q *Q) AddMatchChange(ctx context.Context, kind string, id int64) error {
	if _, err := q.w.ExecContext(ctx, `INSERT INTO match_changes (kind, entity_id) VALUES ($1, $2)`, kind, id); err != nil {
		return fmt.Errorf("store: add match change: %w", err)
	}
	return nil
}

// PruneMatchChanges deletes the changes written before t (wall time: the
// rows are stamped by the database's clock) and returns how many.
func (q *Q) PruneMatchChanges(ctx context.Context, before time.Time) (int64, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM match_changes WHERE changed_at < $1`, before.UTC().Format(matchChangedAtLayout))
	if err != nil {
		return 0, fmt.Errorf("store: prune match changes: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// MatchAchievementRow is an achievement as the matching index reads it: the
// record and its unit's region (the locality feature).
type MatchAchievementRow struct {
	*domain.Achievement
	Region string
}

// MatchNeedRow is a need as the matching index reads it.
type MatchNeedRow struct {
	*domain.Need
	Region string
}

// withRegion scans a row's columns and then the owner's region.
type withRegion struct {
	row    rowScanner
	region *string
}

func (w withRegion) Scan(dest ...any) error { return w.row.Scan(append(dest, w.region)...) }

// MatchAchievements returns, in id order, at most limit achievements with
// id > after whose status is one of statuses (the start-up build, in
// batches), or, with ids, those achievements whatever their status (the
// follower's reload; a deleted one is simply absent).
func (q *Q) MatchAchievements(ctx context.Context, after int64, limit int, statuses []domain.AchievementStatus, ids []int64) ([]MatchAchievementRow, error) {
	where, args := matchWhere("a", after, limit, statuses, ids)
	return matchRows(ctx, q, "achievements", `SELECT `+achievementReadCols+`, COALESCE(o.region_code, '')`+achievementFrom+where, args,
		func(row rowScanner) (r MatchAchievementRow, err error) {
			r.Achievement, err = scanAchievement(withRegion{row, &r.Region})
			return r, err
		})
}

// MatchNeeds is MatchAchievements for needs.
func (q *Q) MatchNeeds(ctx context.Context, after int64, limit int, statuses []domain.NeedStatus, ids []int64) ([]MatchNeedRow, error) {
	where, args := matchWhere("n", after, limit, statuses, ids)
	return matchRows(ctx, q, "needs", `SELECT `+needReadCols+`, COALESCE(o.region_code, '')`+needFrom+where, args,
		func(row rowScanner) (r MatchNeedRow, err error) {
			r.Need, err = scanNeed(withRegion{row, &r.Region})
			return r, err
		})
}

// matchRows runs query and scans its rows.
func matchRows[T any](ctx context.Context, q *Q, what, query string, args []any, scan func(rowScanner) (T, error)) ([]T, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: match %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: match %s: %w", what, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// matchWhere is the WHERE … ORDER BY … LIMIT of MatchAchievements and
// MatchNeeds.
func matchWhere[S ~string](alias string, after int64, limit int, statuses []S, ids []int64) (string, []any) {
	if len(ids) > 0 {
		return ` WHERE ` + alias + `.id IN (` + idList(ids) + `) ORDER BY ` + alias + `.id`, nil
	}
	args := []any{after}
	conds := []string{alias + ".id > $1"}
	if len(statuses) > 0 {
		var ph []string
		for _, s := range statuses {
			args = append(args, string(s))
			ph = append(ph, fmt.Sprintf("$%d", len(args)))
		}
		conds = append(conds, alias+".status IN ("+strings.Join(ph, ", ")+")")
	}
	args = append(args, limit)
	return ` WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY ` + alias + `.id LIMIT ` + fmt.Sprintf("$%d", len(args)), args
}
