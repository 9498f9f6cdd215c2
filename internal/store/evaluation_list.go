package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
)

// FindEvaluations lists cases by status, subject kind and applicant,
// newest first, with the total count (the bureau's list, an applicant's
// cases, the public 公示 page).
func (q *Q) FindEvaluations(ctx context.Context, f domain.EvaluationFilter) ([]*domain.Evaluation, int, error) {
	where, args := "WHERE 1=1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.Status != "" {
		add("status = $%d", string(f.Status))
	}
	if f.SubjectKind != "" {
		add("subject_kind = $%d", f.SubjectKind)
	}
	if f.ApplicantOrgID != 0 {
		add("applicant_org_id = $%d", f.ApplicantOrgID)
	}
	if f.Public {
		args = append(args, string(domain.EvaluationPublicity), string(domain.EvaluationObjection))
		where += fmt.Sprintf(" AND status IN ($%d, $%d)", len(args)-1, len(args))
	}
	var total int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM evaluations `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count evaluations: %w", err)
	}
	per := f.PerPage
	if per <= 0 {
		per = 20
	}
	page := max(f.Page, 1)
	args = append(args, per, (page-1)*per)
	xs, err := q.findEvaluationIDs(ctx, fmt.Sprintf(`SELECT id FROM evaluations %s ORDER BY id DESC LIMIT $%d OFFSET $%d`,
		where, len(args)-1, len(args)), args...)
	return xs, total, err
}

// FindForm returns one expert's form of a round, or nil when they have
// not handed one in.
func (q *Q) FindForm(ctx context.Context, evaluation int64, round int, user int64) (*evaluate.Form, error) {
	f := evaluate.Form{Expert: user}
	var scores, comments string
	err := q.r.QueryRowContext(ctx, `SELECT scores, comments, opinion FROM evaluation_forms
		WHERE evaluation_id = $1 AND round = $2 AND user_id = $3`, evaluation, round, user).Scan(&scores, &comments, &f.Opinion)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: find form: %w", err)
	}
	if err := errors.Join(json.Unmarshal([]byte(scores), &f.Scores), json.Unmarshal([]byte(comments), &f.Comments)); err != nil {
		return nil, fmt.Errorf("store: form of %d: %w", user, err)
	}
	return &f, nil
}

// FormsHandedIn lists the experts who handed in a form for a round.
func (q *Q) FormsHandedIn(ctx context.Context, evaluation int64, round int) (map[int64]bool, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT user_id FROM evaluation_forms WHERE evaluation_id = $1 AND round = $2`, evaluation, round)
	if err != nil {
		return nil, fmt.Errorf("store: forms handed in: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: forms handed in: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}
