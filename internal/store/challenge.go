package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
)

// challengeWriteCols are the columns InsertChallenge writes, in order
// (version last: UpdateChallenge bumps it instead).
var challengeWriteCols = []string{"title", "problem", "indicators", "eligibility", "budget_fen", "gov_share_fen", "deadline",
	"chain_code", "need_id", "publisher", "owner_org_id", "status", "return_reason", "confirmed_on", "published_on", "closed_on",
	"winner_answer_id", "winner_org_id", "selected_on", "agreement_date", "agreed_fen", "attachment_id", "ended_on", "report",
	"key_tech_solved", "key_tech_intl", "search_text", "title_key", "created_by", "created_at", "updated_at", "version"}

func challengeValues(x *domain.Challenge) []any {
	p := x.Project
	if p == nil {
		p = &domain.ChallengeProject{}
	}
	return []any{x.Title, x.Problem, jsonText(orNone(x.Indicators)), x.Eligibility, x.BudgetFen, x.GovShareFen, x.Deadline,
		x.ChainCode, x.NeedID, x.Publisher, x.OwnerOrgID, string(x.Status), x.ReturnReason, x.ConfirmedOn, x.PublishedOn, x.ClosedOn,
		x.WinnerAnswerID, x.WinnerOrgID, x.SelectedOn, p.AgreementDate, p.AgreedFen, p.AttachmentID, p.EndedOn, p.Report,
		x.KeyTechSolved, x.KeyTechIntl, textnorm.Key(x.Title + " " + x.Problem), textnorm.SortKey(x.Title),
		x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt), x.Version}
}

func orNone[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// InsertChallenge stores a new challenge and sets its ID (its milestones
// are written apart, AddChallengeMilestone).
func (q *Q) InsertChallenge(ctx context.Context, x *domain.Challenge) error {
	now := q.Now()
	if x.CreatedAt.IsZero() {
		x.CreatedAt = now
	}
	if x.UpdatedAt.IsZero() {
		x.UpdatedAt = now
	}
	x.Version = 1
	query := `INSERT INTO challenges (` + strings.Join(challengeWriteCols, ",") + `) VALUES (` +
		placeholders(len(challengeWriteCols), 1) + `) RETURNING id`
	if err := q.w.QueryRowContext(ctx, query, challengeValues(x)...).Scan(&x.ID); err != nil {
		return fmt.Errorf("store: insert challenge: %w", err)
	}
	return q.statsChanged(ctx) // the chain counts challenges
}

// UpdateChallenge writes a challenge back if its version is unchanged
// since it was read, and bumps the version.
func (q *Q) UpdateChallenge(ctx context.Context, x *domain.Challenge) error {
	x.UpdatedAt = q.Now()
	cols := challengeWriteCols[:len(challengeWriteCols)-1]
	var set strings.Builder
	for i, col := range cols {
		if i > 0 {
			set.WriteString(", ")
		}
		fmt.Fprintf(&set, "%s = $%d", col, i+1)
	}
	n := len(cols)
	vals := challengeValues(x)
	query := fmt.Sprintf(`UPDATE challenges SET %s, version = version + 1 WHERE id = $%d AND version = $%d`, set.String(), n+1, n+2)
	res, err := q.w.ExecContext(ctx, query, append(vals[:n:n], x.ID, x.Version)...)
	if err != nil {
		return fmt.Errorf("store: update challenge: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "此榜单已被他人修改，您的操作未执行，请刷新后重试")
	}
	x.Version++
	return q.statsChanged(ctx) // the chain counts challenges
}

// DeleteChallenge removes a draft (the service checks it is one).
func (q *Q) DeleteChallenge(ctx context.Context, id int64) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM challenges WHERE id = $1 AND status = 'draft'`, id); err != nil {
		return fmt.Errorf("store: delete challenge: %w", err)
	}
	return q.statsChanged(ctx) // the chain counts challenges
}

const challengeReadCols = `c.id, c.title, c.problem, c.indicators, c.eligibility, c.budget_fen, c.gov_share_fen, c.deadline,
	c.chain_code, c.need_id, c.publisher, c.owner_org_id, COALESCE(o.name, ''), c.status, c.return_reason, c.confirmed_on,
	c.published_on, c.closed_on, c.winner_answer_id, c.winner_org_id, COALESCE(w.name, ''), c.selected_on, c.agreement_date,
	c.agreed_fen, c.attachment_id, c.ended_on, c.report, c.key_tech_solved, c.key_tech_intl, c.created_by, c.created_at,
	c.updated_at, c.version`

const challengeFrom = ` FROM challenges c LEFT JOIN orgs o ON o.id = c.owner_org_id LEFT JOIN orgs w ON w.id = c.winner_org_id `

func scanChallenge(row interface{ Scan(...any) error }) (*domain.Challenge, error) {
	var x domain.Challenge
	var p domain.ChallengeProject
	var indicators, created, updated string
	if err := row.Scan(&x.ID, &x.Title, &x.Problem, &indicators, &x.Eligibility, &x.BudgetFen, &x.GovShareFen, &x.Deadline,
		&x.ChainCode, &x.NeedID, &x.Publisher, &x.OwnerOrgID, &x.OwnerName, &x.Status, &x.ReturnReason, &x.ConfirmedOn,
		&x.PublishedOn, &x.ClosedOn, &x.WinnerAnswerID, &x.WinnerOrgID, &x.WinnerName, &x.SelectedOn, &p.AgreementDate,
		&p.AgreedFen, &p.AttachmentID, &p.EndedOn, &p.Report, &x.KeyTechSolved, &x.KeyTechIntl, &x.CreatedBy, &created,
		&updated, &x.Version); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(indicators), &x.Indicators); err != nil {
		return nil, fmt.Errorf("store: challenge %d: %w", x.ID, err)
	}
	if p.AgreementDate != "" || p.EndedOn != "" || p.Report != "" {
		x.Project = &p
	}
	x.CreatedAt, x.UpdatedAt = parseTS(created), parseTS(updated)
	return &x, nil
}

// FindChallengeByID returns one challenge with its milestones (unscoped:
// the service checks access).
func (q *Q) FindChallengeByID(ctx context.Context, id int64) (*domain.Challenge, error) {
	x, err := scanChallenge(q.r.QueryRowContext(ctx, `SELECT `+challengeReadCols+challengeFrom+`WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "榜单不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find challenge: %w", err)
	}
	if x.Project != nil {
		if x.Project.Milestones, err = q.ChallengeMilestones(ctx, x.ID); err != nil {
			return nil, err
		}
	}
	return x, nil
}

var challengeSorts = map[string]string{
	"id": "c.id", "title": "c.title_key", "deadline": "c.deadline", "budget_fen": "c.budget_fen",
	"published_on": "c.published_on", "updated_at": "c.updated_at",
}

// challengePublic is the public board in SQL (domain.Challenge.Public).
var challengePublic = func() string {
	var qs []string
	for _, s := range domain.ChallengePublicStatuses {
		qs = append(qs, "'"+string(s)+"'")
	}
	return "c.status IN (" + strings.Join(qs, ",") + ")"
}()

func challengeWhere(f domain.ChallengeFilter, sc domain.ChallengeScope) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	switch {
	case sc.All:
		conds = append(conds, fmt.Sprintf("(c.status <> 'draft' OR c.owner_org_id = %s)", arg(sc.OrgID)))
	case sc.OrgID != 0:
		conds = append(conds, fmt.Sprintf("(%s OR c.owner_org_id = %s)", challengePublic, arg(sc.OrgID)))
	default:
		conds = append(conds, challengePublic)
	}
	if f.Mine {
		conds = append(conds, "c.owner_org_id = "+arg(sc.OrgID))
	}
	if f.Status != "" {
		conds = append(conds, "c.status = "+arg(string(f.Status)))
	}
	if f.ChainCode != "" {
		conds = append(conds, "c.chain_code = "+arg(f.ChainCode))
	}
	if f.Year != 0 {
		conds = append(conds, "c.published_on >= "+arg(fmt.Sprintf("%04d-01-01", f.Year))+" AND c.published_on <= "+arg(fmt.Sprintf("%04d-12-31", f.Year)))
	}
	if f.OwnerID != 0 {
		conds = append(conds, "c.owner_org_id = "+arg(f.OwnerID))
	}
	for _, w := range strings.Fields(textnorm.Key(f.Query)) {
		conds = append(conds, `c.search_text LIKE `+arg(likePattern(w))+` ESCAPE '\'`)
	}
	return "WHERE " + strings.Join(conds, " AND "), args
}

// FindChallenges lists the challenges of a scope matching f (without
// their milestones), with the count of the filter (capped at
// domain.ListCountCap+1).
func (q *Q) FindChallenges(ctx context.Context, f domain.ChallengeFilter, sc domain.ChallengeScope) ([]*domain.Challenge, int, error) {
	where, args := challengeWhere(f, sc)
	var total int
	if err := q.r.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM challenges c %s LIMIT %d) capped`,
		where, domain.ListCountCap+1), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count challenges: %w", err)
	}
	order := "c.id DESC"
	if f.Sort != "" {
		key, dir := strings.TrimPrefix(f.Sort, "-"), "ASC"
		if strings.HasPrefix(f.Sort, "-") {
			dir = "DESC"
		}
		col, ok := challengeSorts[key]
		if !ok {
			return nil, 0, domain.FieldErrorf("sort", "不支持按“%s”排序", key)
		}
		if strings.HasSuffix(col, "_key") {
			col = q.s.dialect.bytewise(col)
		}
		order = col + " " + dir + ", c.id " + dir
	}
	per := f.PerPage
	if per <= 0 || per > 200 {
		per = 20
	}
	page := max(f.Page, 1)
	args = append(args, per, (page-1)*per)
	rows, err := q.r.QueryContext(ctx, fmt.Sprintf(`SELECT %s %s %s ORDER BY %s LIMIT $%d OFFSET $%d`,
		challengeReadCols, challengeFrom, where, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find challenges: %w", err)
	}
	defer rows.Close()
	out := []*domain.Challenge{}
	for rows.Next() {
		x, err := scanChallenge(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// ChallengesOfNeed lists the public challenges made from a need (the
// chain's timeline), oldest first.
func (q *Q) ChallengesOfNeed(ctx context.Context, need int64) ([]*domain.Challenge, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+challengeReadCols+challengeFrom+`WHERE c.need_id = $1 AND `+challengePublic+
		` ORDER BY c.published_on, c.id`, need)
	if err != nil {
		return nil, fmt.Errorf("store: challenges of need: %w", err)
	}
	defer rows.Close()
	out := []*domain.Challenge{}
	for rows.Next() {
		x, err := scanChallenge(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ChallengeYearFigures counts the challenges published (发榜) in year
// (chain "" for every chain) and their distinct chains.
func (q *Q) ChallengeYearFigures(ctx context.Context, year int, chain string) (published, chains int64, err error) {
	query := `SELECT COUNT(*), COUNT(DISTINCT chain_code) FROM challenges WHERE published_on >= $1 AND published_on <= $2`
	args := []any{fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)}
	if chain != "" {
		query += " AND chain_code = $3"
		args = append(args, chain)
	}
	if err := q.r.QueryRowContext(ctx, query, args...).Scan(&published, &chains); err != nil {
		return 0, 0, fmt.Errorf("store: challenge figures: %w", err)
	}
	return published, chains, nil
}

// ChallengeMilestones returns a project's milestones in order.
func (q *Q) ChallengeMilestones(ctx context.Context, challenge int64) ([]domain.ChallengeMilestone, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, challenge_id, seq, title, due_on, payment_fen, done_on, note
		FROM challenge_milestones WHERE challenge_id = $1 ORDER BY seq`, challenge)
	if err != nil {
		return nil, fmt.Errorf("store: milestones: %w", err)
	}
	defer rows.Close()
	out := []domain.ChallengeMilestone{}
	for rows.Next() {
		var m domain.ChallengeMilestone
		if err := rows.Scan(&m.ID, &m.ChallengeID, &m.Seq, &m.Title, &m.DueOn, &m.PaymentFen, &m.DoneOn, &m.Note); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddChallengeMilestone stores a milestone and sets its ID.
func (q *Q) AddChallengeMilestone(ctx context.Context, m *domain.ChallengeMilestone) error {
	err := q.w.QueryRowContext(ctx, `INSERT INTO challenge_milestones (challenge_id, seq, title, due_on, payment_fen, done_on, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, m.ChallengeID, m.Seq, m.Title, m.DueOn, m.PaymentFen, m.DoneOn, m.Note).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("store: add milestone: %w", err)
	}
	return nil
}

// CompleteChallengeMilestone records a milestone done on day.
func (q *Q) CompleteChallengeMilestone(ctx context.Context, id int64, day, note string) error {
	if _, err := q.w.ExecContext(ctx, `UPDATE challenge_milestones SET done_on = $1, note = $2 WHERE id = $3`, day, note, id); err != nil {
		return fmt.Errorf("store: complete milestone: %w", err)
	}
	return nil
}

// MilestonesDue lists the undone milestones of projects in progress due on
// or before until, for the deadline notices.
func (q *Q) MilestonesDue(ctx context.Context, until string) ([]domain.ChallengeMilestone, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT m.id, m.challenge_id, m.seq, m.title, m.due_on, m.payment_fen, m.done_on, m.note
		FROM challenge_milestones m JOIN challenges c ON c.id = m.challenge_id
		WHERE c.status = 'in_project' AND m.done_on = '' AND m.due_on <= $1 ORDER BY m.due_on, m.id`, until)
	if err != nil {
		return nil, fmt.Errorf("store: milestones due: %w", err)
	}
	defer rows.Close()
	out := []domain.ChallengeMilestone{}
	for rows.Next() {
		var m domain.ChallengeMilestone
		if err := rows.Scan(&m.ID, &m.ChallengeID, &m.Seq, &m.Title, &m.DueOn, &m.PaymentFen, &m.DoneOn, &m.Note); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Answers.

const answerReadCols = `a.id, a.challenge_id, a.org_id, COALESCE(o.name, ''), a.team, a.approach, a.milestones, a.price_fen,
	a.status, a.evaluation_id, a.defence_on, a.defence_notes, a.created_by, a.created_at, a.updated_at, a.version,
	c.owner_org_id, c.title`

const answerFrom = ` FROM challenge_answers a JOIN challenges c ON c.id = a.challenge_id LEFT JOIN orgs o ON o.id = a.org_id `

func scanAnswer(row interface{ Scan(...any) error }) (*domain.ChallengeAnswer, error) {
	var x domain.ChallengeAnswer
	var created, updated string
	if err := row.Scan(&x.ID, &x.ChallengeID, &x.OrgID, &x.OrgName, &x.Team, &x.Approach, &x.Milestones, &x.PriceFen,
		&x.Status, &x.EvaluationID, &x.DefenceOn, &x.DefenceNotes, &x.CreatedBy, &created, &updated, &x.Version,
		&x.ChallengeOwnerID, &x.ChallengeTitle); err != nil {
		return nil, err
	}
	x.CreatedAt, x.UpdatedAt = parseTS(created), parseTS(updated)
	return &x, nil
}

// InsertChallengeAnswer stores a new answer and sets its ID; a second
// answer of the same organisation is refused.
func (q *Q) InsertChallengeAnswer(ctx context.Context, x *domain.ChallengeAnswer) error {
	now := q.Now()
	if x.CreatedAt.IsZero() {
		x.CreatedAt = now
	}
	if x.UpdatedAt.IsZero() {
		x.UpdatedAt = now
	}
	x.Version = 1
	err := q.w.QueryRowContext(ctx, `INSERT INTO challenge_answers (challenge_id, org_id, team, approach, milestones, price_fen,
		status, evaluation_id, defence_on, defence_notes, created_by, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1) RETURNING id`,
		x.ChallengeID, x.OrgID, x.Team, x.Approach, x.Milestones, x.PriceFen, string(x.Status), x.EvaluationID, x.DefenceOn,
		x.DefenceNotes, x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt)).Scan(&x.ID)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("challenge_id", "本单位已对该榜单提交过揭榜方案（每个单位限一份）")
	} else if err != nil {
		return fmt.Errorf("store: insert answer: %w", err)
	}
	return nil
}

// UpdateChallengeAnswer writes an answer back if its version is unchanged.
func (q *Q) UpdateChallengeAnswer(ctx context.Context, x *domain.ChallengeAnswer) error {
	x.UpdatedAt = q.Now()
	res, err := q.w.ExecContext(ctx, `UPDATE challenge_answers SET team = $1, approach = $2, milestones = $3, price_fen = $4,
		status = $5, evaluation_id = $6, defence_on = $7, defence_notes = $8, updated_at = $9, version = version + 1
		WHERE id = $10 AND version = $11`, x.Team, x.Approach, x.Milestones, x.PriceFen, string(x.Status), x.EvaluationID,
		x.DefenceOn, x.DefenceNotes, ts(x.UpdatedAt), x.ID, x.Version)
	if err != nil {
		return fmt.Errorf("store: update answer: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "此揭榜方案已被他人修改，您的操作未执行，请刷新后重试")
	}
	x.Version++
	return nil
}

// FindChallengeAnswer returns one answer (unscoped).
func (q *Q) FindChallengeAnswer(ctx context.Context, id int64) (*domain.ChallengeAnswer, error) {
	x, err := scanAnswer(q.r.QueryRowContext(ctx, `SELECT `+answerReadCols+answerFrom+`WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "揭榜方案不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find answer: %w", err)
	}
	return x, nil
}

// FindChallengeAnswers lists a challenge's answers (org ≠ 0: that
// organisation's only), oldest first.
func (q *Q) FindChallengeAnswers(ctx context.Context, challenge, org int64) ([]*domain.ChallengeAnswer, error) {
	query, args := `SELECT `+answerReadCols+answerFrom+`WHERE a.challenge_id = $1`, []any{challenge}
	if org != 0 {
		query += ` AND a.org_id = $2`
		args = append(args, org)
	}
	return q.answers(ctx, query+` ORDER BY a.id`, args...)
}

// AnswersOfOrg lists an organisation's answers, newest first.
func (q *Q) AnswersOfOrg(ctx context.Context, org int64) ([]*domain.ChallengeAnswer, error) {
	return q.answers(ctx, `SELECT `+answerReadCols+answerFrom+`WHERE a.org_id = $1 ORDER BY a.id DESC`, org)
}

func (q *Q) answers(ctx context.Context, query string, args ...any) ([]*domain.ChallengeAnswer, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: answers: %w", err)
	}
	defer rows.Close()
	out := []*domain.ChallengeAnswer{}
	for rows.Next() {
		x, err := scanAnswer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
