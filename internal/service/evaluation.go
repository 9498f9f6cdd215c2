package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// Evaluations is the evaluation engine's use cases, for every module that
// scores something (achievements, 揭榜挂帅 answers, later pilot bases,
// platforms and talent): a module opens a case for its subject and moves it
// here. The rules are internal/evaluate's; who may act is
// domain.Evaluations; every step runs through mutate over
// domain.EvaluationFlow, so it writes its history step and audit row in
// the transaction that makes it.
type Evaluations struct {
	*core
	sets *evaluate.Catalogue
}

// newEvaluations loads the shipped indicator sets (embedded; a bad set is
// caught by the evaluate package's tests, so failing here is a build
// defect).
func newEvaluations(c *core) *Evaluations {
	sets, err := evaluate.Builtin()
	if err != nil {
		panic("service: evaluation sets: " + err.Error())
	}
	return &Evaluations{core: c, sets: sets}
}

// evaluationKind is the evaluation entity for the workflow engine.
var evaluationKind = &entityKind[domain.EvaluationStatus, *domain.Evaluation]{
	name: "evaluation", notFound: "评价不存在", flow: domain.EvaluationFlow,
	stale: "此评价已被他人修改，您的操作未执行，请刷新后重试",
	load: func(ctx context.Context, q *store.Q, id int64) (*domain.Evaluation, error) {
		return q.FindEvaluation(ctx, id)
	},
	save:   func(ctx context.Context, q *store.Q, e *domain.Evaluation) error { return q.SaveEvaluation(ctx, e) },
	canSee: domain.Evaluations.CanSee,
	id:     func(e *domain.Evaluation) int64 { return e.ID }, version: func(e *domain.Evaluation) int64 { return e.Version },
	clone: (*domain.Evaluation).Clone,
}

// Sets returns the indicator sets (every version).
func (s *Evaluations) Sets() []*evaluate.Set { return s.sets.Sets() }

// Set returns the set version a case is scored with.
func (s *Evaluations) Set(e *domain.Evaluation) (*evaluate.Set, error) {
	return s.sets.Version(e.SetID, e.SetVersion)
}

// Open opens a case for a module's subject with the version of the set
// (setID; "" for the default achievement set) in force today. app names
// the applicant, the co-applicants, the people on the application and its
// fields; the applicant's organisation must exist.
func (s *Evaluations) Open(ctx context.Context, a *domain.Actor, setID, resultType, subjectKind string, subjectID int64,
	app evaluate.Application) (*domain.Evaluation, error) {
	var e *domain.Evaluation
	err := s.store.InTx(ctx, func(q *store.Q) error {
		var err error
		e, err = s.openIn(ctx, q, a, setID, resultType, subjectKind, subjectID, app)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// openIn is Open inside the caller's transaction q: a module that opens a
// case as one step of its own use case (a 揭榜挂帅 answer sent to review)
// writes both in one transaction.
func (s *Evaluations) openIn(ctx context.Context, q *store.Q, a *domain.Actor, setID, resultType, subjectKind string, subjectID int64,
	app evaluate.Application) (*domain.Evaluation, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Evaluations.CanCreate(a) {
		return nil, forbidden("创建评价")
	}
	return s.openTx(ctx, q, a, setID, resultType, subjectKind, subjectID, app, nil)
}

// open opens a case once the caller has checked who may, in a
// transaction of its own; check, if not nil, runs first in it (a module's
// own refusal: a subject already under evaluation).
func (s *Evaluations) open(ctx context.Context, a *domain.Actor, setID, resultType, subjectKind string, subjectID int64,
	app evaluate.Application, check func(q *store.Q) error) (*domain.Evaluation, error) {
	var e *domain.Evaluation
	err := s.store.InTx(ctx, func(q *store.Q) error {
		var err error
		e, err = s.openTx(ctx, q, a, setID, resultType, subjectKind, subjectID, app, check)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// openTx is open inside the caller's transaction q.
func (s *Evaluations) openTx(ctx context.Context, q *store.Q, a *domain.Actor, setID, resultType, subjectKind string, subjectID int64,
	app evaluate.Application, check func(q *store.Q) error) (*domain.Evaluation, error) {
	if setID == "" {
		setID = evaluate.DefaultSet
	}
	set, err := s.sets.InForce(setID, s.today())
	if err != nil {
		return nil, err
	}
	subjectKind = strings.TrimSpace(subjectKind)
	if subjectKind == "" || subjectID <= 0 {
		return nil, domain.FieldErrorf("subject", "请指明评价对象")
	}
	e, err := evaluate.NewEvaluation(set, resultType, subjectKind, subjectID, app)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(q); err != nil {
			return nil, err
		}
	}
	for _, id := range append([]int64{e.ApplicantOrgID}, e.CoApplicantOrgIDs...) {
		if _, err := q.FindOrgByID(ctx, id); err != nil {
			return nil, domain.FieldErrorf("applicant", "申请单位（%d）不存在", id)
		}
	}
	if err := q.CreateEvaluation(ctx, e); err != nil {
		return nil, err
	}
	if err := addEvent(ctx, q, a, "evaluation", e.ID, "create", "", string(e.Status), step{}); err != nil {
		return nil, err
	}
	return e, q.Audit(ctx, a, "evaluation.create", "evaluation", e.ID, nil, e)
}

// Get returns a case its reader may see (the public: a result in 公示 or
// published).
func (s *Evaluations) Get(ctx context.Context, a *domain.Actor, id int64) (*domain.Evaluation, error) {
	e, err := s.store.FindEvaluation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !domain.Evaluations.CanSee(a, e) {
		return nil, domain.Errorf(domain.ENOTFOUND, "评价不存在")
	}
	return redactEvaluation(a, e), nil
}

// redactEvaluation is the case as a reads it: the panel's user ids are
// the bureau's (an expert sees only themself on it; the applicant and the
// public never learn who scored); the people named on the application
// are the bureau's and the applicant's.
func redactEvaluation(a *domain.Actor, e *domain.Evaluation) *domain.Evaluation {
	if domain.Evaluations.CanManage(a, e) {
		return e
	}
	c := e.Clone()
	c.PanelUserIDs = nil
	if a != nil && e.OnPanel(a.UserID) {
		c.PanelUserIDs = []int64{a.UserID}
	}
	if !e.IsApplicant(a) {
		c.PeopleUserIDs = nil
	}
	return c
}

// application rebuilds the case's application side (names for the
// explanations of conflicts).
func application(ctx context.Context, q *store.Q, e *domain.Evaluation) (evaluate.Application, error) {
	org := func(id int64) (evaluate.Org, error) {
		o, err := q.FindOrgByID(ctx, id)
		if err != nil {
			return evaluate.Org{}, err
		}
		return evaluate.Org{ID: o.ID, Name: o.Name}, nil
	}
	app := evaluate.Application{People: e.PeopleUserIDs, Fields: e.Fields}
	var err error
	if app.Applicant, err = org(e.ApplicantOrgID); err != nil {
		return app, err
	}
	for _, id := range e.CoApplicantOrgIDs {
		o, err := org(id)
		if err != nil {
			return app, err
		}
		app.CoApplicants = append(app.CoApplicants, o)
	}
	return app, nil
}

// Propose proposes a panel for the case from the pool (the bureau then
// assigns it, or another).
func (s *Evaluations) Propose(ctx context.Context, a *domain.Actor, id int64) ([]evaluate.Expert, error) {
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
	var panel []evaluate.Expert
	err = s.store.InTx(ctx, func(q *store.Q) error {
		app, err := application(ctx, q, e)
		if err != nil {
			return err
		}
		pool, err := q.FindExperts(ctx)
		if err != nil {
			return err
		}
		panel, err = set.Panel.Propose(app, pool)
		return err
	})
	return panel, err
}

// Assign puts the experts (user ids, from the pool) on the case's panel,
// refusing a panel that breaks a rule or has a conflict of interest.
func (s *Evaluations) Assign(ctx context.Context, a *domain.Actor, id, version int64, experts []int64) (*domain.Evaluation, error) {
	return mutate(ctx, s.core, evaluationKind, a, id, version, "assign", func(q *store.Q, e *domain.Evaluation) (step, error) {
		set, err := s.Set(e)
		if err != nil {
			return step{}, err
		}
		app, err := application(ctx, q, e)
		if err != nil {
			return step{}, err
		}
		pool, err := q.FindExperts(ctx)
		if err != nil {
			return step{}, err
		}
		byID := map[int64]evaluate.Expert{}
		for _, x := range pool {
			byID[x.ID] = x
		}
		var panel []evaluate.Expert
		var v domain.Validator
		for _, uid := range experts {
			x, ok := byID[uid]
			v.Check(ok, "panel", "用户 %d 不在专家库中", uid)
			panel = append(panel, x)
		}
		if err := v.Err(); err != nil {
			return step{}, err
		}
		return step{}, evaluate.Assign(e, set, app, panel)
	})
}

// OpenScoring starts the experts' scoring round.
func (s *Evaluations) OpenScoring(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Evaluation, error) {
	return mutate(ctx, s.core, evaluationKind, a, id, version, "open_scoring", func(_ *store.Q, e *domain.Evaluation) (step, error) {
		evaluate.OpenScoring(e)
		return step{}, nil
	})
}

// Score keeps the signed-in expert's own form for the current round (a
// second form in the round replaces the first; the others' forms are never
// shown to them).
func (s *Evaluations) Score(ctx context.Context, a *domain.Actor, id int64, f evaluate.Form) (*domain.Evaluation, error) {
	e, err := s.score(ctx, a, id, f)
	if err != nil {
		return nil, err
	}
	return redactEvaluation(a, e), nil
}

func (s *Evaluations) score(ctx context.Context, a *domain.Actor, id int64, f evaluate.Form) (*domain.Evaluation, error) {
	return mutate(ctx, s.core, evaluationKind, a, id, 0, "score", func(q *store.Q, e *domain.Evaluation) (step, error) {
		set, err := s.Set(e)
		if err != nil {
			return step{}, err
		}
		f.Expert = a.UserID
		if err := evaluate.CheckForm(e, set, f); err != nil {
			return step{}, err
		}
		return step{}, q.PutForm(ctx, e.ID, e.Round, f)
	})
}

// Publicise closes scoring once every expert has handed in a form, keeps
// the aggregated result and opens the 公示 window.
func (s *Evaluations) Publicise(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Evaluation, error) {
	return mutate(ctx, s.core, evaluationKind, a, id, version, "publicise", func(q *store.Q, e *domain.Evaluation) (step, error) {
		set, err := s.Set(e)
		if err != nil {
			return step{}, err
		}
		forms, err := q.FindForms(ctx, e.ID, e.Round)
		if err != nil {
			return step{}, err
		}
		r, err := evaluate.Publicise(e, set, forms, q.Now())
		if err != nil {
			return step{}, err
		}
		return step{}, q.SaveEvaluationResult(ctx, e.ID, &r)
	})
}

// Object files the signed-in user's objection to a result in 公示, under
// their real name (the account's name).
func (s *Evaluations) Object(ctx context.Context, a *domain.Actor, id int64, text string) (*domain.Evaluation, error) {
	e, err := s.object(ctx, a, id, text)
	if err != nil {
		return nil, err
	}
	return redactEvaluation(a, e), nil
}

func (s *Evaluations) object(ctx context.Context, a *domain.Actor, id int64, text string) (*domain.Evaluation, error) {
	return mutate(ctx, s.core, evaluationKind, a, id, 0, "object", func(q *store.Q, e *domain.Evaluation) (step, error) {
		u, err := q.FindUserByID(ctx, a.UserID)
		if err != nil {
			return step{}, err
		}
		o, err := evaluate.Object(e, evaluate.Objection{By: u.ID, ByName: u.DisplayName, Text: text}, q.Now())
		if err != nil {
			return step{}, err
		}
		return step{Comment: o.Text}, q.AddObjection(ctx, e.ID, &o)
	})
}

// Objections returns a case's objections: all of them to those who run
// the case, to anyone else only their own (an objector's name and text are
// not the public's).
func (s *Evaluations) Objections(ctx context.Context, a *domain.Actor, id int64) ([]*evaluate.Objection, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	objs, err := s.store.FindObjections(ctx, id)
	if err != nil || domain.Evaluations.CanManage(a, e) {
		return objs, err
	}
	own := objs[:0]
	for _, o := range objs {
		if o.By == a.UserID {
			own = append(own, o)
		}
	}
	return own, nil
}

// Resolve handles one objection with a written reply: upheld sends the
// case back to the experts, dismissed lets the result stand.
func (s *Evaluations) Resolve(ctx context.Context, a *domain.Actor, id, version, objection int64, upheld bool, reply string) (*domain.Evaluation, error) {
	return mutate(ctx, s.core, evaluationKind, a, id, version, "resolve", func(q *store.Q, e *domain.Evaluation) (step, error) {
		objs, err := q.FindObjections(ctx, e.ID)
		if err != nil {
			return step{}, err
		}
		i := -1
		for j, o := range objs {
			if o.ID == objection {
				i = j
			}
		}
		before := map[int64]evaluate.ObjectionStatus{}
		for _, o := range objs {
			before[o.ID] = o.Status
		}
		if err := evaluate.Resolve(e, objs, i, upheld, reply, q.Now()); err != nil {
			return step{}, err
		}
		for _, o := range objs {
			if o.Status != before[o.ID] {
				if err := q.SaveObjection(ctx, o); err != nil {
					return step{}, err
				}
			}
		}
		if upheld {
			if err := q.SaveEvaluationResult(ctx, e.ID, nil); err != nil {
				return step{}, err
			}
		}
		return step{Comment: strings.TrimSpace(reply)}, nil
	})
}

// Finalise publishes the result once the window has closed with no open
// objection.
func (s *Evaluations) Finalise(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Evaluation, error) {
	return mutate(ctx, s.core, evaluationKind, a, id, version, "finalise", func(q *store.Q, e *domain.Evaluation) (step, error) {
		return step{}, evaluate.Finalise(e, q.Now())
	})
}

// Feedback is the applicant's structured feedback (per indicator the
// panel's score, its weight and the comments, without the experts' names),
// from the moment the result is in 公示; others who read the 公示 get it
// without the comments.
func (s *Evaluations) Feedback(ctx context.Context, a *domain.Actor, id int64) (*evaluate.Feedback, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !e.Public() {
		return nil, domain.Errorf(domain.ECONFLICT, "评价结果尚未公示")
	}
	set, err := s.Set(e)
	if err != nil {
		return nil, err
	}
	r, err := s.store.FindEvaluationResult(ctx, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, domain.Errorf(domain.ECONFLICT, "评价结果尚未公示")
	}
	fb := set.Feedback(*r)
	// The experts' comments are for the applicant's side and the bureau;
	// the public reads the scores of the 公示, without comments or opinions.
	if !domain.Evaluations.CanManage(a, e) && !e.IsApplicant(a) {
		for i := range fb.Indicators {
			fb.Indicators[i].Comments = nil
		}
		fb.Opinions = nil
	}
	return &fb, nil
}

// Queue lists the cases the signed-in expert has to score.
func (s *Evaluations) Queue(ctx context.Context, a *domain.Actor) ([]*domain.Evaluation, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Evaluations.CanQueue(a) {
		return nil, forbidden("查看评分队列")
	}
	return s.store.FindScoringQueue(ctx, a.UserID)
}

// PutExpert adds a user with the expert role to the pool, or changes their
// entry (the bureau keeps the pool).
func (s *Evaluations) PutExpert(ctx context.Context, a *domain.Actor, x evaluate.Expert) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	if !domain.Evaluations.CanCreate(a) {
		return forbidden("管理专家库")
	}
	if err := checkExpert(&x); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(q *store.Q) error {
		u, err := q.FindUserByID(ctx, x.ID)
		if err != nil {
			return err
		}
		for i, d := range x.Declared {
			if _, err := q.FindOrgByID(ctx, d.OrgID); err != nil {
				return domain.FieldErrorf(fmt.Sprintf("declared[%d].org_id", i), "申报关联的单位（%d）不存在", d.OrgID)
			}
		}
		if u.Role != domain.RoleExpert {
			return domain.FieldErrorf("user", "%s不是专家账号", u.Username)
		}
		if err := q.PutExpert(ctx, x); err != nil {
			return err
		}
		return q.Audit(ctx, a, "evaluation.expert", "user", u.ID, nil, x)
	})
}

// checkExpert cleans and bounds what a pool entry says: its kind, at most
// 20 fields of 50 characters, at most 20 declarations with a relation of
// 1–200 characters.
func checkExpert(x *evaluate.Expert) error {
	var v domain.Validator
	v.Check(evaluate.ExpertKinds.Valid(x.Kind), "kind", "专家类别“%s”无效", x.Kind)
	v.Check(len(x.Fields) <= 20, "fields", "领域至多 20 项")
	fields := x.Fields[:0]
	for i, f := range x.Fields {
		if err := textnorm.CheckField(fmt.Sprintf("fields[%d]", i), f, textnorm.Options{}); err != nil {
			return err
		}
		f = textnorm.Clean(f)
		v.Check(utf8.RuneCountInString(f) <= 50, fmt.Sprintf("fields[%d]", i), "第 %d 个领域不超过 50 字", i+1)
		if f != "" && !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	x.Fields = fields
	v.Check(len(x.Declared) <= 20, "declared", "申报的关联关系至多 20 项")
	for i, d := range x.Declared {
		f := fmt.Sprintf("declared[%d].relation", i)
		if err := textnorm.CheckField(f, d.Relation, textnorm.Options{}); err != nil {
			return err
		}
		x.Declared[i].Relation = textnorm.Clean(d.Relation)
		n := utf8.RuneCountInString(x.Declared[i].Relation)
		v.Check(n >= 1 && n <= 200, f, "请说明与该单位的关联关系（不超过 200 字）")
	}
	return v.Err()
}
