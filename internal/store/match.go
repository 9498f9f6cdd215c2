package store

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
)

const matchFeedbackCols = `id, surface, subject_id, item_kind, item_id, decision, reason, note, signed_on, org_id, user_id, created_at`

// PutMatchFeedback stores the decision on one suggestion, replacing an
// earlier one on the same pair, and sets its ID and time.
func (q *Q) PutMatchFeedback(ctx context.Context, f *domain.MatchFeedback) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM match_feedback WHERE surface = $1 AND subject_id = $2 AND item_kind = $3 AND item_id = $4`,
		f.Surface, f.SubjectID, f.ItemKind, f.ItemID); err != nil {
		return fmt.Errorf("store: replace match feedback: %w", err)
	}
	f.CreatedAt = q.Now()
	err := q.w.QueryRowContext(ctx, `INSERT INTO match_feedback (surface, subject_id, item_kind, item_id, decision, reason, note, signed_on,
		org_id, user_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
		f.Surface, f.SubjectID, f.ItemKind, f.ItemID, f.Decision, f.Reason, f.Note, f.SignedOn, f.OrgID, f.UserID, ts(f.CreatedAt)).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("store: add match feedback: %w", err)
	}
	if f.SignedOn != "" {
		return q.statsChanged(ctx) // the chain counts the intentions
	}
	return nil
}

func (q *Q) matchFeedback(ctx context.Context, where string, args ...any) ([]*domain.MatchFeedback, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+matchFeedbackCols+` FROM match_feedback `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: match feedback: %w", err)
	}
	defer rows.Close()
	out := []*domain.MatchFeedback{}
	for rows.Next() {
		var f domain.MatchFeedback
		var created string
		if err := rows.Scan(&f.ID, &f.Surface, &f.SubjectID, &f.ItemKind, &f.ItemID, &f.Decision, &f.Reason, &f.Note, &f.SignedOn,
			&f.OrgID, &f.UserID, &created); err != nil {
			return nil, err
		}
		f.CreatedAt = parseTS(created)
		out = append(out, &f)
	}
	return out, rows.Err()
}

// MatchFeedbackOf lists the feedback given on the suggestions for one
// record.
func (q *Q) MatchFeedbackOf(ctx context.Context, surface domain.MatchSurface, subjectID int64) ([]*domain.MatchFeedback, error) {
	return q.matchFeedback(ctx, `WHERE surface = $1 AND subject_id = $2 ORDER BY id`, surface, subjectID)
}

// MatchIntention is an accepted achievement for a need: an intention of
// the chain made through matching (no event).
type MatchIntention struct {
	Feedback       *domain.MatchFeedback
	NeedTitle      string
	EnterpriseName string
}

// AchievementMatchIntentions lists the intentions made by matching on an
// achievement (for its timeline).
func (q *Q) AchievementMatchIntentions(ctx context.Context, achievementID int64) ([]MatchIntention, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT f.id, f.subject_id, f.signed_on, f.created_at, n.title, COALESCE(o.name, '')
		FROM match_feedback f JOIN needs n ON n.id = f.subject_id LEFT JOIN orgs o ON o.id = n.owner_org_id
		WHERE f.surface = 'need' AND f.item_kind = 'achievement' AND f.item_id = $1 AND f.signed_on <> '' ORDER BY f.signed_on, f.id`, achievementID)
	if err != nil {
		return nil, fmt.Errorf("store: match intentions: %w", err)
	}
	defer rows.Close()
	var out []MatchIntention
	for rows.Next() {
		f := &domain.MatchFeedback{Surface: domain.MatchForNeed, ItemKind: domain.MatchAchievement, ItemID: achievementID, Decision: domain.MatchAccept}
		var m MatchIntention
		var created string
		if err := rows.Scan(&f.ID, &f.SubjectID, &f.SignedOn, &created, &m.NeedTitle, &m.EnterpriseName); err != nil {
			return nil, err
		}
		f.CreatedAt = parseTS(created)
		m.Feedback = f
		out = append(out, m)
	}
	return out, rows.Err()
}

// MatchIntentionCount counts the intentions made by matching in year
// (year 0 every year; chain "" every chain, else the achievement's).
func (q *Q) MatchIntentionCount(ctx context.Context, year int, chain string) (int64, error) {
	from, to := yearRange(year)
	if year == 0 {
		from, to = "0000-01-01", "9999-12-31"
	}
	var n int64
	err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM match_feedback f JOIN achievements a ON a.id = f.item_id
		WHERE f.surface = 'need' AND f.item_kind = 'achievement' AND f.signed_on >= $1 AND f.signed_on <= $2
		AND (CAST($3 AS TEXT) = '' OR a.chain_code = $3)`, from, to, chain).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: match intentions: %w", err)
	}
	return n, nil
}

// MatchFeedbackCounts counts the feedback by decision and reason, and by
// surface.
func (q *Q) MatchFeedbackCounts(ctx context.Context) (byReason map[[2]string]int64, bySurface map[string]int64, err error) {
	byReason, bySurface = map[[2]string]int64{}, map[string]int64{}
	rows, err := q.r.QueryContext(ctx, `SELECT decision, reason, surface, COUNT(*) FROM match_feedback GROUP BY decision, reason, surface`)
	if err != nil {
		return nil, nil, fmt.Errorf("store: match feedback counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d, r, s string
		var n int64
		if err := rows.Scan(&d, &r, &s, &n); err != nil {
			return nil, nil, err
		}
		byReason[[2]string{d, r}] += n
		bySurface[s] += n
	}
	return byReason, bySurface, rows.Err()
}
