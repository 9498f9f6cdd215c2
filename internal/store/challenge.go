package store

import (
	"context"
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

// challenges is the challenge table for the store kit (kit.go).
var challenges = &entityTable[*domain.Challenge]{
	table: "challenges", entity: "challenge", alias: "c", write: challengeWriteCols,
	readCols: challengeReadCols, from: challengeFrom, values: func(_ *Q, x *domain.Challenge) []any { return challengeValues(x) },
	scan: scanChallenge, keepUpdated: true,
	rec: func(x *domain.Challenge) record {
		return record{ID: &x.ID, CreatedAt: &x.CreatedAt, UpdatedAt: &x.UpdatedAt, Version: &x.Version}
	},
	notFound: "榜单不存在", stale: "此榜单已被他人修改，您的操作未执行，请刷新后重试",
}

// InsertChallenge stores a new challenge and sets its ID (its milestones
// are written apart, AddChallengeMilestone).
func (q *Q) InsertChallenge(ctx context.Context, x *domain.Challenge) error {
	if err := challenges.insert(ctx, q, x); err != nil {
		return err
	}
	return q.statsChanged(ctx) // the chain counts challenges
}

// UpdateChallenge writes a challenge back if its version is unchanged
// since it was read, and bumps the version.
func (q *Q) UpdateChallenge(ctx context.Context, x *domain.Challenge) error {
	if err := challenges.update(ctx, q, x); err != nil {
		return err
	}
	return q.statsChanged(ctx) // the chain counts challenges
}

// DeleteChallenge removes a draft (the service checks it is one).
func (q *Q) DeleteChallenge(ctx context.Context, id int64) error {
	if err := challenges.deleteDraft(ctx, q, id); err != nil {
		return err
	}
	return q.statsChanged(ctx) // the chain counts challenges
}

const challengeReadCols = `c.id, c.title, c.problem, c.indicators, c.eligibility, c.budget_fen, c.gov_share_fen, c.deadline,
	c.chain_code, c.need_id, c.publisher, c.owner_org_id, COALESCE(o.name, ''), c.status, c.return_reason, c.confirmed_on,
	c.published_on, c.closed_on, c.winner_answer_id, c.winner_org_id, COALESCE(w.name, ''), c.selected_on, c.agreement_date,
	c.agreed_fen, c.attachment_id, c.ended_on, c.report, c.key_tech_solved, c.key_tech_intl, c.created_by, c.created_at,
	c.updated_at, c.version`

const challengeFrom = ` FROM challenges c LEFT JOIN orgs o ON o.id = c.owner_org_id LEFT JOIN orgs w ON w.id = c.winner_org_id `

func scanChallenge(row rowScanner) (*domain.Challenge, error) {
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
	if err := decodeJSON("challenge", x.ID, jsonCol{indicators, &x.Indicators}); err != nil {
		return nil, err
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
	x, err := challenges.find(ctx, q, id)
	if err != nil {
		return nil, err
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
	return challenges.list(ctx, q, listQuery{where: where, args: args, sort: f.Sort, sorts: challengeSorts, page: f.Page, perPage: f.PerPage})
}

// ChallengesOfNeed lists the public challenges made from a need (the
// chain's timeline), oldest first.
func (q *Q) ChallengesOfNeed(ctx context.Context, need int64) ([]*domain.Challenge, error) {
	return challenges.all(ctx, q, `WHERE c.need_id = $1 AND `+challengePublic+` ORDER BY c.published_on, c.id`, need)
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
	return q.milestones(ctx, `SELECT id, challenge_id, seq, title, due_on, payment_fen, done_on, note
		FROM challenge_milestones WHERE challenge_id = $1 ORDER BY seq`, challenge)
}

func (q *Q) milestones(ctx context.Context, query string, args ...any) ([]domain.ChallengeMilestone, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
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
	return q.milestones(ctx, `SELECT m.id, m.challenge_id, m.seq, m.title, m.due_on, m.payment_fen, m.done_on, m.note
		FROM challenge_milestones m JOIN challenges c ON c.id = m.challenge_id
		WHERE c.status = 'in_project' AND m.done_on = '' AND m.due_on <= $1 ORDER BY m.due_on, m.id`, until)
}

// Answers.

const answerReadCols = `a.id, a.challenge_id, a.org_id, COALESCE(o.name, ''), a.team, a.approach, a.milestones, a.price_fen,
	a.status, a.evaluation_id, a.defence_on, a.defence_notes, a.created_by, a.created_at, a.updated_at, a.version,
	c.owner_org_id, c.title`

const answerFrom = ` FROM challenge_answers a JOIN challenges c ON c.id = a.challenge_id LEFT JOIN orgs o ON o.id = a.org_id `

// answerWriteCols are the columns of an answer InsertChallengeAnswer
// writes, in order (version last).
var answerWriteCols = []string{"challenge_id", "org_id", "team", "approach", "milestones", "price_fen", "status",
	"evaluation_id", "defence_on", "defence_notes", "created_by", "created_at", "updated_at", "version"}

// answers is the answer table for the store kit (kit.go): one answer per
// organisation and challenge (the unique index).
var answers = &entityTable[*domain.ChallengeAnswer]{
	table: "challenge_answers", entity: "answer", alias: "a", write: answerWriteCols,
	readCols: answerReadCols, from: answerFrom, scan: scanAnswer, keepUpdated: true,
	values: func(_ *Q, x *domain.ChallengeAnswer) []any {
		return []any{x.ChallengeID, x.OrgID, x.Team, x.Approach, x.Milestones, x.PriceFen, string(x.Status), x.EvaluationID,
			x.DefenceOn, x.DefenceNotes, x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt), x.Version}
	},
	rec: func(x *domain.ChallengeAnswer) record {
		return record{ID: &x.ID, CreatedAt: &x.CreatedAt, UpdatedAt: &x.UpdatedAt, Version: &x.Version}
	},
	notFound: "揭榜方案不存在", stale: "此揭榜方案已被他人修改，您的操作未执行，请刷新后重试",
	uniqueField: "challenge_id", unique: "本单位已对该榜单提交过揭榜方案（每个单位限一份）",
}

func scanAnswer(row rowScanner) (*domain.ChallengeAnswer, error) {
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
	return answers.insert(ctx, q, x)
}

// UpdateChallengeAnswer writes an answer back if its version is unchanged.
func (q *Q) UpdateChallengeAnswer(ctx context.Context, x *domain.ChallengeAnswer) error {
	return answers.update(ctx, q, x)
}

// FindChallengeAnswer returns one answer (unscoped).
func (q *Q) FindChallengeAnswer(ctx context.Context, id int64) (*domain.ChallengeAnswer, error) {
	return answers.find(ctx, q, id)
}

// FindChallengeAnswers lists a challenge's answers (org ≠ 0: that
// organisation's only), oldest first.
func (q *Q) FindChallengeAnswers(ctx context.Context, challenge, org int64) ([]*domain.ChallengeAnswer, error) {
	if org != 0 {
		return answers.all(ctx, q, `WHERE a.challenge_id = $1 AND a.org_id = $2 ORDER BY a.id`, challenge, org)
	}
	return answers.all(ctx, q, `WHERE a.challenge_id = $1 ORDER BY a.id`, challenge)
}

// AnswersOfOrg lists an organisation's answers, newest first.
func (q *Q) AnswersOfOrg(ctx context.Context, org int64) ([]*domain.ChallengeAnswer, error) {
	return answers.all(ctx, q, `WHERE a.org_id = $1 ORDER BY a.id DESC`, org)
}
