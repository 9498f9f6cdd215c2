package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
)

// The evaluation engine's records (migration 0015): the expert pool, the
// cases (domain.Evaluation) with their panels, the experts' forms and the
// objections. The rules are internal/evaluate's; this file only keeps.

// expertDecl is a declaration as stored.
type expertDecl struct {
	OrgID    int64  `json:"org_id"`
	Relation string `json:"relation"`
}

// PutExpert adds a user to the expert pool or changes their entry.
func (q *Q) PutExpert(ctx context.Context, e evaluate.Expert) error {
	if !evaluate.ExpertKinds.Valid(e.Kind) {
		return domain.FieldErrorf("kind", "专家类别“%s”无效", e.Kind)
	}
	fields, _ := json.Marshal(nonNil(e.Fields))
	decls := make([]expertDecl, 0, len(e.Declared))
	for _, d := range e.Declared {
		decls = append(decls, expertDecl{d.OrgID, d.Relation})
	}
	declared, _ := json.Marshal(decls)
	_, err := q.w.ExecContext(ctx, `INSERT INTO evaluation_experts (user_id, kind, fields, declared, updated_at) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, fields = excluded.fields, declared = excluded.declared, updated_at = excluded.updated_at`,
		e.ID, string(e.Kind), string(fields), string(declared), ts(q.Now()))
	if err != nil {
		return fmt.Errorf("store: put expert: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// FindExperts returns the pool, by user id: experts whose account and
// organisation are enabled, with their names and organisations.
func (q *Q) FindExperts(ctx context.Context) ([]evaluate.Expert, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT x.user_id, u.display_name, o.id, o.name, x.kind, x.fields, x.declared
		FROM evaluation_experts x JOIN users u ON u.id = x.user_id JOIN orgs o ON o.id = u.org_id
		WHERE u.disabled = $1 AND o.disabled = $1 ORDER BY x.user_id`, false)
	if err != nil {
		return nil, fmt.Errorf("store: find experts: %w", err)
	}
	defer rows.Close()
	var out []evaluate.Expert
	for rows.Next() {
		var e evaluate.Expert
		var kind, fields, declared string
		if err := rows.Scan(&e.ID, &e.Name, &e.Org.ID, &e.Org.Name, &kind, &fields, &declared); err != nil {
			return nil, fmt.Errorf("store: find experts: %w", err)
		}
		e.Kind = evaluate.ExpertKind(kind)
		var decls []expertDecl
		if err := errors.Join(json.Unmarshal([]byte(fields), &e.Fields), json.Unmarshal([]byte(declared), &decls)); err != nil {
			return nil, fmt.Errorf("store: expert %d: %w", e.ID, err)
		}
		for _, d := range decls {
			e.Declared = append(e.Declared, evaluate.Declaration{OrgID: d.OrgID, Relation: d.Relation})
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CreateEvaluation inserts a case and sets its id and version.
func (q *Q) CreateEvaluation(ctx context.Context, e *domain.Evaluation) error {
	co, _ := json.Marshal(nonNilIDs(e.CoApplicantOrgIDs))
	people, _ := json.Marshal(nonNilIDs(e.PeopleUserIDs))
	fields, _ := json.Marshal(nonNil(e.Fields))
	now := ts(q.Now())
	e.Version = 1
	err := q.w.QueryRowContext(ctx, `INSERT INTO evaluations (version, subject_kind, subject_id, applicant_org_id, co_applicant_org_ids,
		people, fields, set_id, set_version, result_type, status, round, publicity_from, publicity_until, open_objections, result_tenths,
		created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17) RETURNING id`,
		e.Version, e.SubjectKind, e.SubjectID, e.ApplicantOrgID, string(co), string(people), string(fields), e.SetID, e.SetVersion,
		e.ResultType, string(e.Status), e.Round, e.PublicityFrom, e.PublicityUntil, e.OpenObjections, e.ResultTenths, now).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: create evaluation: %w", err)
	}
	return q.savePanel(ctx, e)
}

func nonNilIDs(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

// savePanel replaces the case's panel rows.
func (q *Q) savePanel(ctx context.Context, e *domain.Evaluation) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM evaluation_panel WHERE evaluation_id = $1`, e.ID); err != nil {
		return fmt.Errorf("store: save panel: %w", err)
	}
	for i, id := range e.PanelUserIDs {
		if _, err := q.w.ExecContext(ctx, `INSERT INTO evaluation_panel (evaluation_id, user_id, seq) VALUES ($1,$2,$3)`, e.ID, id, i+1); err != nil {
			return fmt.Errorf("store: save panel: %w", err)
		}
	}
	return nil
}

// SaveEvaluation writes a changed case over the version it was read at
// (ECONFLICT when someone changed it since) and its panel. What is
// evaluated and for whom (subject, applicant, set) never changes.
func (q *Q) SaveEvaluation(ctx context.Context, e *domain.Evaluation) error {
	co, _ := json.Marshal(nonNilIDs(e.CoApplicantOrgIDs))
	people, _ := json.Marshal(nonNilIDs(e.PeopleUserIDs))
	fields, _ := json.Marshal(nonNil(e.Fields))
	res, err := q.w.ExecContext(ctx, `UPDATE evaluations SET version = version + 1, co_applicant_org_ids = $1, people = $2, fields = $3,
		status = $4, round = $5, publicity_from = $6, publicity_until = $7, open_objections = $8, result_tenths = $9, updated_at = $10
		WHERE id = $11 AND version = $12`,
		string(co), string(people), string(fields), string(e.Status), e.Round, e.PublicityFrom, e.PublicityUntil, e.OpenObjections,
		e.ResultTenths, ts(q.Now()), e.ID, e.Version)
	if err != nil {
		return fmt.Errorf("store: save evaluation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "此评价已被他人修改，您的操作未执行，请刷新后重试")
	}
	e.Version++
	return q.savePanel(ctx, e)
}

// FindEvaluation returns one case with its panel. Inside a transaction
// it locks the case's row until the transaction ends: the experts of a
// panel hand in their forms at the same moment, and each form moves the
// case (its version, its history), so the second waits for the first
// rather than failing on the version the first changed.
func (q *Q) FindEvaluation(ctx context.Context, id int64) (*domain.Evaluation, error) {
	var e domain.Evaluation
	var co, people, fields, status string
	lock := ""
	if q.tx {
		lock = q.s.dialect.forUpdate()
	}
	err := q.r.QueryRowContext(ctx, `SELECT id, version, subject_kind, subject_id, applicant_org_id, co_applicant_org_ids, people, fields,
		set_id, set_version, result_type, status, round, publicity_from, publicity_until, open_objections, result_tenths
		FROM evaluations WHERE id = $1`+lock, id).Scan(
		&e.ID, &e.Version, &e.SubjectKind, &e.SubjectID, &e.ApplicantOrgID, &co, &people, &fields, &e.SetID, &e.SetVersion,
		&e.ResultType, &status, &e.Round, &e.PublicityFrom, &e.PublicityUntil, &e.OpenObjections, &e.ResultTenths)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "评价不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find evaluation: %w", err)
	}
	e.Status = domain.EvaluationStatus(status)
	if err := errors.Join(json.Unmarshal([]byte(co), &e.CoApplicantOrgIDs), json.Unmarshal([]byte(people), &e.PeopleUserIDs),
		json.Unmarshal([]byte(fields), &e.Fields)); err != nil {
		return nil, fmt.Errorf("store: evaluation %d: %w", id, err)
	}
	// an empty list reads back as none, as it was written
	if len(e.CoApplicantOrgIDs) == 0 {
		e.CoApplicantOrgIDs = nil
	}
	if len(e.PeopleUserIDs) == 0 {
		e.PeopleUserIDs = nil
	}
	if len(e.Fields) == 0 {
		e.Fields = nil
	}
	rows, err := q.r.QueryContext(ctx, `SELECT user_id FROM evaluation_panel WHERE evaluation_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("store: find panel: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u int64
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("store: find panel: %w", err)
		}
		e.PanelUserIDs = append(e.PanelUserIDs, u)
	}
	return &e, rows.Err()
}

// FindEvaluationsOf lists the cases of one subject, oldest first.
func (q *Q) FindEvaluationsOf(ctx context.Context, kind string, subject int64) ([]*domain.Evaluation, error) {
	return q.findEvaluationIDs(ctx, `SELECT id FROM evaluations WHERE subject_kind = $1 AND subject_id = $2 ORDER BY id`, kind, subject)
}

// FindScoringQueue lists the cases an expert is on the panel of and that
// are being scored, oldest first (the expert's queue).
func (q *Q) FindScoringQueue(ctx context.Context, user int64) ([]*domain.Evaluation, error) {
	return q.findEvaluationIDs(ctx, `SELECT e.id FROM evaluation_panel p JOIN evaluations e ON e.id = p.evaluation_id
		WHERE p.user_id = $1 AND e.status = $2 ORDER BY e.id`, user, string(domain.EvaluationScoring))
}

func (q *Q) findEvaluationIDs(ctx context.Context, query string, args ...any) ([]*domain.Evaluation, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: find evaluations: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: find evaluations: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find evaluations: %w", err)
	}
	out := make([]*domain.Evaluation, 0, len(ids))
	for _, id := range ids {
		e, err := q.FindEvaluation(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// SaveEvaluationResult keeps the panel's aggregated result of a case.
func (q *Q) SaveEvaluationResult(ctx context.Context, id int64, r *evaluate.Result) error {
	text := ""
	if r != nil {
		b, _ := json.Marshal(r)
		text = string(b)
	}
	if _, err := q.w.ExecContext(ctx, `UPDATE evaluations SET result = $1 WHERE id = $2`, text, id); err != nil {
		return fmt.Errorf("store: save evaluation result: %w", err)
	}
	return nil
}

// FindEvaluationResult returns the case's result, or nil before one.
func (q *Q) FindEvaluationResult(ctx context.Context, id int64) (*evaluate.Result, error) {
	var text string
	err := q.r.QueryRowContext(ctx, `SELECT result FROM evaluations WHERE id = $1`, id).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "评价不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find evaluation result: %w", err)
	}
	if text == "" {
		return nil, nil
	}
	var r evaluate.Result
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		return nil, fmt.Errorf("store: evaluation %d result: %w", id, err)
	}
	return &r, nil
}

// PutForm keeps an expert's form for a round, replacing the one they
// handed in before in the same round.
func (q *Q) PutForm(ctx context.Context, evaluation int64, round int, f evaluate.Form) error {
	scores, _ := json.Marshal(f.Scores)
	comments, _ := json.Marshal(f.Comments)
	_, err := q.w.ExecContext(ctx, `INSERT INTO evaluation_forms (evaluation_id, round, user_id, scores, comments, opinion, submitted_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (evaluation_id, round, user_id) DO UPDATE SET scores = excluded.scores,
		comments = excluded.comments, opinion = excluded.opinion, submitted_at = excluded.submitted_at`,
		evaluation, round, f.Expert, string(scores), string(comments), f.Opinion, ts(q.Now()))
	if err != nil {
		return fmt.Errorf("store: put form: %w", err)
	}
	return nil
}

// FindForms returns the forms of a round, by expert.
func (q *Q) FindForms(ctx context.Context, evaluation int64, round int) ([]evaluate.Form, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT user_id, scores, comments, opinion FROM evaluation_forms
		WHERE evaluation_id = $1 AND round = $2 ORDER BY user_id`, evaluation, round)
	if err != nil {
		return nil, fmt.Errorf("store: find forms: %w", err)
	}
	defer rows.Close()
	var out []evaluate.Form
	for rows.Next() {
		var f evaluate.Form
		var scores, comments string
		if err := rows.Scan(&f.Expert, &scores, &comments, &f.Opinion); err != nil {
			return nil, fmt.Errorf("store: find forms: %w", err)
		}
		if err := errors.Join(json.Unmarshal([]byte(scores), &f.Scores), json.Unmarshal([]byte(comments), &f.Comments)); err != nil {
			return nil, fmt.Errorf("store: form of %d: %w", f.Expert, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// AddObjection keeps a filed objection and sets its id.
func (q *Q) AddObjection(ctx context.Context, evaluation int64, o *evaluate.Objection) error {
	err := q.w.QueryRowContext(ctx, `INSERT INTO evaluation_objections (evaluation_id, by_user, by_name, text, filed_at, status, reply, handled_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
		evaluation, o.By, o.ByName, o.Text, ts(o.FiledAt), string(o.Status), o.Reply, tsOrEmpty(o.HandledAt)).Scan(&o.ID)
	if err != nil {
		return fmt.Errorf("store: add objection: %w", err)
	}
	return nil
}

// SaveObjection writes an objection's handling.
func (q *Q) SaveObjection(ctx context.Context, o *evaluate.Objection) error {
	_, err := q.w.ExecContext(ctx, `UPDATE evaluation_objections SET status = $1, reply = $2, handled_at = $3 WHERE id = $4`,
		string(o.Status), o.Reply, tsOrEmpty(o.HandledAt), o.ID)
	if err != nil {
		return fmt.Errorf("store: save objection: %w", err)
	}
	return nil
}

// FindObjections returns a case's objections in the order filed.
func (q *Q) FindObjections(ctx context.Context, evaluation int64) ([]*evaluate.Objection, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, by_user, by_name, text, filed_at, status, reply, handled_at FROM evaluation_objections
		WHERE evaluation_id = $1 ORDER BY id`, evaluation)
	if err != nil {
		return nil, fmt.Errorf("store: find objections: %w", err)
	}
	defer rows.Close()
	var out []*evaluate.Objection
	for rows.Next() {
		var o evaluate.Objection
		var filed, status, handled string
		if err := rows.Scan(&o.ID, &o.By, &o.ByName, &o.Text, &filed, &status, &o.Reply, &handled); err != nil {
			return nil, fmt.Errorf("store: find objections: %w", err)
		}
		o.FiledAt, o.Status, o.HandledAt = parseTS(filed), evaluate.ObjectionStatus(status), parseTS(handled)
		out = append(out, &o)
	}
	return out, rows.Err()
}

func tsOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}
