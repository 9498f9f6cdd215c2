package service

import (
	"context"
	"slices"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/store"
)

// The evaluation module's reads for its transports: the lists, the
// proposal explained, the panel's progress, the expert's own form and the
// pool.

// EvaluationRow is a case as the lists show it: what is evaluated (its
// title and page), who applied, and the grade of a result.
type EvaluationRow struct {
	E         *domain.Evaluation `json:"evaluation"`
	Subject   string             `json:"subject"`
	Link      string             `json:"link"`
	Applicant string             `json:"applicant"`
	Grade     string             `json:"grade,omitempty"`
}

// evaluationSubject names a case's subject and its page: one line per
// subject kind (a module that scores something adds its own).
func evaluationSubject(ctx context.Context, q *store.Q, e *domain.Evaluation) (title, link string) {
	switch e.SubjectKind {
	case "achievement":
		if x, err := q.FindAchievementByID(ctx, e.SubjectID); err == nil {
			return x.Title, "/achievements/" + strconv.FormatInt(x.ID, 10)
		}
	case "challenge_answer": // the challenge answered (the list's kind column says it is an answer)
		if an, err := q.FindChallengeAnswer(ctx, e.SubjectID); err == nil {
			if x, err := q.FindChallengeByID(ctx, an.ChallengeID); err == nil {
				return x.Title, "/challenges/" + strconv.FormatInt(x.ID, 10)
			}
		}
	}
	return e.SubjectKind + " #" + strconv.FormatInt(e.SubjectID, 10), ""
}

func (s *Evaluations) rows(ctx context.Context, q *store.Q, es []*domain.Evaluation) []EvaluationRow {
	out := make([]EvaluationRow, 0, len(es))
	orgs := map[int64]string{}
	for _, e := range es {
		r := EvaluationRow{E: e}
		r.Subject, r.Link = evaluationSubject(ctx, q, e)
		if _, ok := orgs[e.ApplicantOrgID]; !ok {
			if o, err := q.FindOrgByID(ctx, e.ApplicantOrgID); err == nil {
				orgs[e.ApplicantOrgID] = o.Name
			}
		}
		r.Applicant = orgs[e.ApplicantOrgID]
		if e.Public() {
			if set, err := s.Set(e); err == nil {
				r.Grade = set.Grade(e.ResultTenths)
			}
		}
		out = append(out, r)
	}
	return out
}

// List returns a page of cases: every case to the bureau; the public 公示
// list (f.Public) to anyone; otherwise the cases of the reader's own
// organisation as applicant.
func (s *Evaluations) List(ctx context.Context, a *domain.Actor, f domain.EvaluationFilter) ([]EvaluationRow, int, error) {
	var v domain.Validator
	v.Check(f.Status == "" || domain.EvaluationStatuses.Valid(f.Status), "status", "评价状态“%s”无效", f.Status)
	v.Check(f.SubjectKind == "" || domain.EvaluationSubjectKinds.Valid(f.SubjectKind), "subject_kind", "评价对象类型“%s”无效", f.SubjectKind)
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	switch {
	case f.Public:
	case a == nil:
		return nil, 0, requireLogin(a)
	case domain.Evaluations.CanList(a):
	case a.OrgID != 0:
		f.ApplicantOrgID = a.OrgID
	default:
		return nil, 0, forbidden("查看评价")
	}
	var out []EvaluationRow
	var total int
	err := s.store.InTx(ctx, func(q *store.Q) error {
		es, n, err := q.FindEvaluations(ctx, f)
		if err != nil {
			return err
		}
		for i := range es {
			es[i] = redactEvaluation(a, es[i])
		}
		out, total = s.rows(ctx, q, es), n
		return nil
	})
	return out, total, err
}

// Row returns one case as the lists show it.
func (s *Evaluations) Row(ctx context.Context, a *domain.Actor, id int64) (*EvaluationRow, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	var out EvaluationRow
	err = s.store.InTx(ctx, func(q *store.Q) error {
		out = s.rows(ctx, q, []*domain.Evaluation{e})[0]
		return nil
	})
	return &out, err
}

// ForSubject returns the latest case of a subject the reader may see, or
// nil (the achievement page's summary).
func (s *Evaluations) ForSubject(ctx context.Context, a *domain.Actor, kind string, id int64) (*domain.Evaluation, error) {
	es, err := s.store.FindEvaluationsOf(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	for i := len(es) - 1; i >= 0; i-- {
		if domain.Evaluations.CanSee(a, es[i]) {
			return redactEvaluation(a, es[i]), nil
		}
	}
	return nil, nil
}

// RuleCheck is one panel rule, met or broken, explained.
type RuleCheck struct {
	Rule   string   `json:"rule"`
	Label  string   `json:"label"`
	Met    bool     `json:"met"`
	Broken []string `json:"broken,omitempty"`
	texts  []domain.Text
}

// Texts are the explanations of a broken rule, to translate.
func (r RuleCheck) Texts() []domain.Text { return r.texts }

// Excluded is an expert of the pool left out for conflicts of interest.
type Excluded struct {
	Expert    evaluate.Expert `json:"expert"`
	Conflicts []domain.Text   `json:"-"`
	Reasons   []string        `json:"reasons"`
}

// Proposal is a proposed panel with every rule checked against it and
// every expert the conflicts of interest left out; Error says why the pool
// could not make a panel (then Panel is empty).
type Proposal struct {
	Panel    []evaluate.Expert `json:"panel"`
	Rules    []RuleCheck       `json:"rules"`
	Excluded []Excluded        `json:"excluded"`
	Error    string            `json:"error,omitempty"`
	Err      error             `json:"-"` // Error as an error, to translate
	// Pool is who the bureau may choose from: the pool less the
	// experts the conflicts of interest leave out (listed in Excluded,
	// never offered for the panel).
	Pool []evaluate.Expert `json:"-"`
}

// panelRuleLabels name the rules a panel is checked against.
var panelRuleLabels = []struct{ rule, label string }{
	{evaluate.RuleSize, "专家组人数"}, {evaluate.RuleTechnical, "技术专家比例"}, {evaluate.RuleOrg, "同一单位专家人数"},
	{evaluate.RuleFinance, "财务专家"}, {evaluate.RuleConflict, "利益冲突回避"}, {evaluate.RuleDuplicate, "专家不重复"},
}

// CheckRules checks a panel (user ids of the pool) against the case's
// rules, each met or broken.
func (s *Evaluations) CheckRules(set *evaluate.Set, app evaluate.Application, panel []evaluate.Expert) []RuleCheck {
	vs := set.Panel.CheckPanel(app, panel)
	var out []RuleCheck
	for _, rl := range panelRuleLabels {
		if rl.rule == evaluate.RuleFinance && !set.Panel.FinanceRequired {
			continue
		}
		rc := RuleCheck{Rule: rl.rule, Label: rl.label, Met: true}
		for _, v := range vs {
			if v.Rule == rl.rule {
				rc.Met = false
				rc.texts = append(rc.texts, v.Text)
				rc.Broken = append(rc.Broken, v.Text.String())
			}
		}
		out = append(out, rc)
	}
	return out
}

// Explain proposes a panel (or checks chosen, or the assigned one) and explains it: each rule met or broken,
// each expert left out and why (the bureau's case page). A pool that
// cannot make a panel is not an error here: Error says why.
func (s *Evaluations) Explain(ctx context.Context, a *domain.Actor, id int64, chosen []int64) (*Proposal, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !domain.Evaluations.CanManage(a, e) {
		return nil, forbidden("组建评价专家组")
	}
	set, err := s.Set(e)
	if err != nil {
		return nil, err
	}
	p := &Proposal{}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		app, err := application(ctx, q, e)
		if err != nil {
			return err
		}
		pool, err := q.FindExperts(ctx)
		if err != nil {
			return err
		}
		for _, x := range pool {
			cs := evaluate.Conflicts(x, app)
			if len(cs) == 0 {
				p.Pool = append(p.Pool, x)
			} else {
				ex := Excluded{Expert: x}
				for _, c := range cs {
					ex.Conflicts = append(ex.Conflicts, c.Text)
					ex.Reasons = append(ex.Reasons, c.Text.String())
				}
				p.Excluded = append(p.Excluded, ex)
			}
		}
		switch {
		case chosen != nil:
			for _, id := range chosen {
				if i := slices.IndexFunc(pool, func(x evaluate.Expert) bool { return x.ID == id }); i >= 0 {
					p.Panel = append(p.Panel, pool[i])
				}
			}
		case len(e.PanelUserIDs) > 0:
			p.Panel = evaluate.PanelOf(e, pool)
		default:
			panel, perr := set.Panel.Propose(app, pool)
			if perr != nil {
				if domain.ErrorCode(perr) != domain.ECONFLICT {
					return perr
				}
				p.Error, p.Err = perr.Error(), perr
			}
			p.Panel = panel
		}
		p.Rules = s.CheckRules(set, app, p.Panel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// PanelMember is an assigned expert and whether their form for the
// current round is in (the bureau's view; never the applicant's).
type PanelMember struct {
	Expert   evaluate.Expert `json:"expert"`
	HandedIn bool            `json:"handed_in"`
}

// Panel returns the case's panel with the progress of the current round,
// to those who run the case.
func (s *Evaluations) Panel(ctx context.Context, a *domain.Actor, id int64) ([]PanelMember, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !domain.Evaluations.CanManage(a, e) {
		return nil, forbidden("查看评价专家组")
	}
	var out []PanelMember
	err = s.store.InTx(ctx, func(q *store.Q) error {
		pool, err := q.FindExperts(ctx)
		if err != nil {
			return err
		}
		in, err := q.FormsHandedIn(ctx, e.ID, e.Round)
		if err != nil {
			return err
		}
		for _, x := range evaluate.PanelOf(e, pool) {
			out = append(out, PanelMember{Expert: x, HandedIn: e.Round > 0 && in[x.ID]})
		}
		return nil
	})
	return out, err
}

// MyForm returns the signed-in expert's own form for the case's current
// round, or nil before they hand one in; nobody reads another's form.
func (s *Evaluations) MyForm(ctx context.Context, a *domain.Actor, id int64) (*evaluate.Form, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !e.OnPanel(a.UserID) || !a.Is(domain.RoleExpert) {
		return nil, forbidden("查看评分表")
	}
	return s.store.FindForm(ctx, e.ID, e.Round, a.UserID)
}

// QueueItem is one case of an expert's queue, with whether their form is in.
type QueueItem struct {
	EvaluationRow
	HandedIn bool `json:"handed_in"`
}

// QueueRows is the signed-in expert's scoring queue with titles.
func (s *Evaluations) QueueRows(ctx context.Context, a *domain.Actor) ([]QueueItem, error) {
	es, err := s.Queue(ctx, a)
	if err != nil {
		return nil, err
	}
	for i := range es {
		es[i] = redactEvaluation(a, es[i])
	}
	var out []QueueItem
	err = s.store.InTx(ctx, func(q *store.Q) error {
		for _, r := range s.rows(ctx, q, es) {
			f, err := q.FindForm(ctx, r.E.ID, r.E.Round, a.UserID)
			if err != nil {
				return err
			}
			out = append(out, QueueItem{EvaluationRow: r, HandedIn: f != nil})
		}
		return nil
	})
	return out, err
}

// Experts returns the pool to those who keep it.
func (s *Evaluations) Experts(ctx context.Context, a *domain.Actor) ([]evaluate.Expert, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Evaluations.CanManagePool(a) {
		return nil, forbidden("管理专家库")
	}
	return s.store.FindExperts(ctx)
}

// ExpertAccounts lists the enabled accounts with the expert role (the
// pool page's choice of whom to add).
func (s *Evaluations) ExpertAccounts(ctx context.Context, a *domain.Actor) ([]*domain.User, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Evaluations.CanManagePool(a) {
		return nil, forbidden("管理专家库")
	}
	us, _, err := s.store.FindUsersPage(ctx, domain.UserFilter{Role: domain.RoleExpert, Status: domain.StatusActive, Limit: 1000})
	return us, err
}

// InForce returns the version of a set in force on date.
func (s *Evaluations) InForce(id, date string) (*evaluate.Set, error) {
	return s.sets.InForce(id, date)
}
