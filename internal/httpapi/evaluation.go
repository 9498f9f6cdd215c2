package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// The evaluation engine's API (科技成果评价 and every scored process): the
// bureau opens a case (an achievement's unit applies for its own), proposes
// and assigns the panel, opens scoring, publicises, handles objections and
// finalises; each expert scores on their own form from their queue; anyone
// reads a result in 公示 and a signed-in user objects to it; the applicant
// reads the feedback. The pool and the indicator sets are the bureau's.

// EvaluationList is a page of cases.
type EvaluationList = httpx.List[service.EvaluationRow]

// EvaluationQueue is an expert's scoring queue.
type EvaluationQueue = httpx.Items[service.QueueItem]

// EvaluationOpenBody opens a case. For subject_kind "achievement" the
// application is the achievement's (its unit, team and fields) and only
// subject_id and result_type are read; other kinds name the applicant.
type EvaluationOpenBody struct {
	SubjectKind       string   `json:"subject_kind"`
	SubjectID         int64    `json:"subject_id"`
	ResultType        string   `json:"result_type"`
	SetID             string   `json:"set_id"`
	ApplicantOrgID    int64    `json:"applicant_org_id"`
	CoApplicantOrgIDs []int64  `json:"co_applicant_org_ids"`
	PeopleUserIDs     []int64  `json:"people_user_ids"`
	Fields            []string `json:"fields"`
}

// EvaluationStepBody is the version read, for the bureau's steps.
type EvaluationStepBody struct {
	Version int64 `json:"version"`
}

// EvaluationAssignBody names the panel (user ids from the pool).
type EvaluationAssignBody struct {
	Version int64   `json:"version"`
	Experts []int64 `json:"experts"`
}

// EvaluationFormBody is an expert's own scoring form: each item's score in
// tenths of a point, comments per first-level indicator, an opinion.
type EvaluationFormBody struct {
	Scores   map[string]int64  `json:"scores"`
	Comments map[string]string `json:"comments"`
	Opinion  string            `json:"opinion"`
}

// EvaluationForm is the signed-in expert's form of the current round.
type EvaluationForm struct {
	HandedIn bool              `json:"handed_in"`
	Round    int               `json:"round"`
	Scores   map[string]int64  `json:"scores"`
	Comments map[string]string `json:"comments"`
	Opinion  string            `json:"opinion"`
}

// EvaluationObjectionBody is an objection's text (signed with the
// account's real name).
type EvaluationObjectionBody struct {
	Text string `json:"text"`
}

// EvaluationResolveBody handles one objection.
type EvaluationResolveBody struct {
	Version int64  `json:"version"`
	Upheld  bool   `json:"upheld"`
	Reply   string `json:"reply"`
}

// EvaluationObjection is an objection and its handling.
type EvaluationObjection struct {
	ID        int64  `json:"id"`
	ByName    string `json:"by_name"`
	Text      string `json:"text"`
	FiledAt   string `json:"filed_at"`
	Status    string `json:"status"`
	Reply     string `json:"reply"`
	HandledAt string `json:"handled_at,omitempty"`
}

// EvaluationObjectionList lists a case's objections.
type EvaluationObjectionList = httpx.Items[EvaluationObjection]

// ExpertDeclaration is a relation an expert declared with an organisation.
type ExpertDeclaration struct {
	OrgID    int64  `json:"org_id"`
	Relation string `json:"relation"`
}

// Expert is one member of the expert pool.
type Expert struct {
	UserID   int64               `json:"user_id"`
	Name     string              `json:"name"`
	OrgID    int64               `json:"org_id"`
	OrgName  string              `json:"org_name"`
	Kind     string              `json:"kind"`
	Fields   []string            `json:"fields"`
	Declared []ExpertDeclaration `json:"declared"`
}

// ExpertList is the pool.
type ExpertList = httpx.Items[Expert]

// ExpertBody puts a user with the expert role into the pool.
type ExpertBody struct {
	Kind     string              `json:"kind"`
	Fields   []string            `json:"fields"`
	Declared []ExpertDeclaration `json:"declared"`
}

// PanelRuleCheck is one panel rule, met or broken with the reasons.
type PanelRuleCheck struct {
	Rule   string   `json:"rule"`
	Label  string   `json:"label"`
	Met    bool     `json:"met"`
	Broken []string `json:"broken"`
}

// ExcludedExpert is an expert left out for conflicts of interest.
type ExcludedExpert struct {
	Expert  Expert   `json:"expert"`
	Reasons []string `json:"reasons"`
}

// PanelProposal is the proposed panel explained.
type PanelProposal struct {
	Panel    []Expert         `json:"panel"`
	Rules    []PanelRuleCheck `json:"rules"`
	Excluded []ExcludedExpert `json:"excluded"`
	Error    string           `json:"error,omitempty"`
}

// IndicatorSet is one version of an indicator set.
type IndicatorSet struct {
	ID            string          `json:"id"`
	Version       int             `json:"version"`
	Name          string          `json:"name"`
	Basis         string          `json:"basis"`
	EffectiveFrom string          `json:"effective_from"`
	Notes         string          `json:"notes"`
	PublicityDays int             `json:"publicity_days"`
	Aggregation   string          `json:"aggregation"`
	TrimFrom      int             `json:"trim_from"`
	Panel         SetPanelRules   `json:"panel"`
	Grades        []SetGrade      `json:"grades"`
	Indicators    []SetIndicator  `json:"indicators"`
	ResultTypes   []SetResultType `json:"result_types"`
}

// SetPanelRules are a set's panel composition rules.
type SetPanelRules struct {
	MinSize         int  `json:"min_size"`
	MaxSize         int  `json:"max_size"`
	Size            int  `json:"size"`
	TechnicalNum    int  `json:"technical_num"`
	TechnicalDen    int  `json:"technical_den"`
	MaxPerOrg       int  `json:"max_per_org"`
	FinanceRequired bool `json:"finance_required"`
}

// SetGrade is a conclusion band.
type SetGrade struct {
	MinTenths int64  `json:"min_tenths"`
	Label     string `json:"label"`
}

// SetIndicator is a first-level indicator.
type SetIndicator struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Guide string `json:"guide"`
}

// SetResultType is a result type's weights and second-level items.
type SetResultType struct {
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	Weights    map[string]int `json:"weights"`
	Assumption bool           `json:"assumption"`
	Items      []SetItem      `json:"items"`
}

// SetItem is a second-level item.
type SetItem struct {
	Code       string `json:"code"`
	Indicator  string `json:"indicator"`
	Name       string `json:"name"`
	Weight     int    `json:"weight"`
	Min        int    `json:"min"`
	Max        int    `json:"max"`
	Guide      string `json:"guide"`
	Assumption bool   `json:"assumption"`
}

// IndicatorSetList lists set versions.
type IndicatorSetList = httpx.Items[IndicatorSet]

const evaluationNotFound = "评价不存在"

func evaluationID(r *http.Request) (int64, error) { return entityID(r, evaluationNotFound) }

func (b EvaluationStepBody) stepVersion() int64    { return b.Version }
func (b EvaluationAssignBody) stepVersion() int64  { return b.Version }
func (b EvaluationResolveBody) stepVersion() int64 { return b.Version }

func expertOf(x evaluate.Expert) Expert {
	e := Expert{UserID: x.ID, Name: x.Name, OrgID: x.Org.ID, OrgName: x.Org.Name, Kind: string(x.Kind), Fields: x.Fields,
		Declared: []ExpertDeclaration{}}
	if e.Fields == nil {
		e.Fields = []string{}
	}
	for _, d := range x.Declared {
		e.Declared = append(e.Declared, ExpertDeclaration{d.OrgID, d.Relation})
	}
	return e
}

func setOf(s *evaluate.Set) IndicatorSet {
	p := s.Panel
	out := IndicatorSet{ID: s.ID, Version: s.Version, Name: s.Name, Basis: s.Basis, EffectiveFrom: s.EffectiveFrom, Notes: s.Notes,
		PublicityDays: s.PublicityDays, Aggregation: string(s.Aggregation.Method), TrimFrom: s.Aggregation.TrimFrom,
		Panel:  SetPanelRules{p.MinSize, p.MaxSize, p.Size, p.TechnicalNum, p.TechnicalDen, p.MaxPerOrg, p.FinanceRequired},
		Grades: []SetGrade{}, Indicators: []SetIndicator{}, ResultTypes: []SetResultType{}}
	for _, g := range s.Grades {
		out.Grades = append(out.Grades, SetGrade{g.MinTenths, g.Label})
	}
	for _, in := range s.Indicators {
		out.Indicators = append(out.Indicators, SetIndicator{in.Code, in.Name, in.Guide})
	}
	for _, rt := range s.ResultTypes {
		t := SetResultType{Code: rt.Code, Name: rt.Name, Weights: rt.Weights, Assumption: rt.Assumption, Items: []SetItem{}}
		for _, it := range rt.Items {
			t.Items = append(t.Items, SetItem{it.Code, it.Indicator, it.Name, it.Weight, it.Min, it.Max, it.Guide, it.Assumption})
		}
		out.ResultTypes = append(out.ResultTypes, t)
	}
	return out
}

// listEvaluations: the bureau's list; others get their own
// organisation's cases as applicant.
func (a *API) listEvaluations(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	return a.evaluationPage(w, r, false)
}

// publicEvaluations is the public 公示 list.
func (a *API) publicEvaluations(w http.ResponseWriter, r *http.Request) error {
	return a.evaluationPage(w, r, true)
}

func (a *API) evaluationPage(w http.ResponseWriter, r *http.Request, public bool) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := domain.EvaluationFilter{Status: domain.EvaluationStatus(q.Get("status")), SubjectKind: q.Get("subject_kind"), Public: public,
		Page: p.Page, PerPage: p.PerPage}
	rows, total, err := a.Svc.Evaluations.List(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, rows, total))
}

func (a *API) openEvaluation(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var in EvaluationOpenBody
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	var e *domain.Evaluation
	var err error
	if in.SubjectKind == "achievement" {
		e, err = a.Svc.Evaluations.ApplyAchievement(r.Context(), ActorFrom(r), in.SubjectID, in.ResultType)
	} else {
		app := evaluate.Application{Applicant: evaluate.Org{ID: in.ApplicantOrgID}, People: in.PeopleUserIDs, Fields: in.Fields}
		for _, id := range in.CoApplicantOrgIDs {
			app.CoApplicants = append(app.CoApplicants, evaluate.Org{ID: id})
		}
		e, err = a.Svc.Evaluations.Open(r.Context(), ActorFrom(r), in.SetID, in.ResultType, in.SubjectKind, in.SubjectID, app)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/evaluations/%d", e.ID))
	return httpx.JSON(w, http.StatusCreated, e)
}

// getEvaluation is public for a result in 公示 or published.
func (a *API) getEvaluation(w http.ResponseWriter, r *http.Request) error {
	return getOf(w, r, evaluationNotFound, a.Svc.Evaluations.Get)
}

func (a *API) proposeEvaluation(w http.ResponseWriter, r *http.Request) error {
	return readOf(w, r, evaluationNotFound, a.panelProposal)
}

func (a *API) panelProposal(r *http.Request, id int64) (PanelProposal, error) {
	p, err := a.Svc.Evaluations.Explain(r.Context(), ActorFrom(r), id, nil)
	if err != nil {
		return PanelProposal{}, err
	}
	// The sentences in the reader's language, as the page shows them.
	l := i18n.FromContext(r.Context())
	out := PanelProposal{Panel: []Expert{}, Rules: []PanelRuleCheck{}, Excluded: []ExcludedExpert{}, Error: p.Error}
	if p.Err != nil {
		out.Error = i18n.Message(l, p.Err)
	}
	for _, x := range p.Panel {
		out.Panel = append(out.Panel, expertOf(x))
	}
	for _, rc := range p.Rules {
		b := []string{}
		for _, t := range rc.Texts() {
			b = append(b, i18n.Text(l, t))
		}
		out.Rules = append(out.Rules, PanelRuleCheck{rc.Rule, i18n.T(l, rc.Label), rc.Met, b})
	}
	for _, ex := range p.Excluded {
		rs := []string{}
		for _, t := range ex.Conflicts {
			rs = append(rs, i18n.Text(l, t))
		}
		out.Excluded = append(out.Excluded, ExcludedExpert{expertOf(ex.Expert), rs})
	}
	return out, nil
}

// evaluationStep adapts one of the bureau's steps.
func (a *API) evaluationStep(do func(r *http.Request, id, version int64) (*domain.Evaluation, error)) func(http.ResponseWriter, *http.Request) error {
	return workflowStep(evaluationNotFound, func(r *http.Request, id int64, b EvaluationStepBody) (*domain.Evaluation, error) {
		return do(r, id, b.Version)
	})
}

func (a *API) assignEvaluation(w http.ResponseWriter, r *http.Request) error {
	return workflowStep(evaluationNotFound, func(r *http.Request, id int64, b EvaluationAssignBody) (*domain.Evaluation, error) {
		return a.Svc.Evaluations.Assign(r.Context(), ActorFrom(r), id, b.Version, b.Experts)
	})(w, r)
}

func (a *API) getEvaluationForm(w http.ResponseWriter, r *http.Request) error {
	return readOf(w, r, evaluationNotFound, a.evaluationForm)
}

func (a *API) evaluationForm(r *http.Request, id int64) (EvaluationForm, error) {
	e, err := a.Svc.Evaluations.Get(r.Context(), ActorFrom(r), id)
	if err != nil {
		return EvaluationForm{}, err
	}
	f, err := a.Svc.Evaluations.MyForm(r.Context(), ActorFrom(r), id)
	if err != nil {
		return EvaluationForm{}, err
	}
	out := EvaluationForm{Round: e.Round, Scores: map[string]int64{}, Comments: map[string]string{}}
	if f != nil {
		out.HandedIn, out.Opinion = true, f.Opinion
		for k, v := range f.Scores {
			out.Scores[k] = v
		}
		for k, v := range f.Comments {
			out.Comments[k] = v
		}
	}
	return out, nil
}

func (a *API) scoreEvaluation(w http.ResponseWriter, r *http.Request) error {
	return bodyStep(evaluationNotFound, http.StatusOK, func(r *http.Request, id int64, b *EvaluationFormBody) (*domain.Evaluation, error) {
		return a.Svc.Evaluations.Score(r.Context(), ActorFrom(r), id, evaluate.Form{Scores: b.Scores, Comments: b.Comments, Opinion: b.Opinion})
	})(w, r)
}

func (a *API) objectEvaluation(w http.ResponseWriter, r *http.Request) error {
	return bodyStep(evaluationNotFound, http.StatusCreated, func(r *http.Request, id int64, b *EvaluationObjectionBody) (*domain.Evaluation, error) {
		return a.Svc.Evaluations.Object(r.Context(), ActorFrom(r), id, b.Text)
	})(w, r)
}

func objectionOf(o *evaluate.Objection) EvaluationObjection {
	out := EvaluationObjection{ID: o.ID, ByName: o.ByName, Text: o.Text, FiledAt: o.FiledAt.Format(time.RFC3339), Status: string(o.Status), Reply: o.Reply}
	if !o.HandledAt.IsZero() {
		out.HandledAt = o.HandledAt.Format(time.RFC3339)
	}
	return out
}

func (a *API) listObjections(w http.ResponseWriter, r *http.Request) error {
	return itemsOf(evaluationNotFound, true, func(r *http.Request, id int64) ([]EvaluationObjection, error) {
		objs, err := a.Svc.Evaluations.Objections(r.Context(), ActorFrom(r), id)
		if err != nil {
			return nil, err
		}
		var out []EvaluationObjection
		for _, o := range objs {
			out = append(out, objectionOf(o))
		}
		return out, nil
	})(w, r)
}

func (a *API) resolveObjection(w http.ResponseWriter, r *http.Request) error {
	return workflowStep(evaluationNotFound, func(r *http.Request, id int64, b EvaluationResolveBody) (*domain.Evaluation, error) {
		oid, err := pathKeyID(r, "oid", "该异议已处理或不存在")
		if err != nil {
			return nil, err
		}
		return a.Svc.Evaluations.Resolve(r.Context(), ActorFrom(r), id, b.Version, oid, b.Upheld, b.Reply)
	})(w, r)
}

// evaluationFeedback is public for a result in 公示 (without the
// comments); the applicant reads the experts' comments, never their names.
func (a *API) evaluationFeedback(w http.ResponseWriter, r *http.Request) error {
	id, err := evaluationID(r)
	if err != nil {
		return err
	}
	fb, err := a.Svc.Evaluations.Feedback(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	if fb.Indicators == nil {
		fb.Indicators = []evaluate.IndicatorResult{}
	}
	return httpx.JSON(w, http.StatusOK, fb)
}

func (a *API) evaluationQueue(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	items, err := a.Svc.Evaluations.QueueRows(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(items))
}

func (a *API) listExperts(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	xs, err := a.Svc.Evaluations.Experts(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	var out []Expert
	for _, x := range xs {
		out = append(out, expertOf(x))
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(out))
}

func (a *API) putExpert(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	uid, err := strconv.ParseInt(r.PathValue("user_id"), 10, 64)
	if err != nil || uid <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "用户不存在")
	}
	var b ExpertBody
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	x := evaluate.Expert{ID: uid, Kind: evaluate.ExpertKind(b.Kind), Fields: b.Fields}
	for _, d := range b.Declared {
		x.Declared = append(x.Declared, evaluate.Declaration{OrgID: d.OrgID, Relation: d.Relation})
	}
	if err := a.Svc.Evaluations.PutExpert(r.Context(), ActorFrom(r), x); err != nil {
		return err
	}
	xs, err := a.Svc.Evaluations.Experts(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	for _, e := range xs {
		if e.ID == uid {
			return httpx.JSON(w, http.StatusOK, expertOf(e))
		}
	}
	return domain.Errorf(domain.ENOTFOUND, "用户不存在")
}

// listIndicatorSets is public: the sets are published rules.
func (a *API) listIndicatorSets(w http.ResponseWriter, r *http.Request) error {
	var out []IndicatorSet
	for _, s := range a.Svc.Evaluations.Sets() {
		out = append(out, setOf(s))
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(out))
}

// indicatorSetInForce is the version of a set in force on ?date= (today
// when absent).
func (a *API) indicatorSetInForce(w http.ResponseWriter, r *http.Request) error {
	date := r.URL.Query().Get("date")
	if date == "" {
		date = a.Svc.Today()
	} else if _, err := domain.ParseDate(date); err != nil {
		return domain.FieldErrorf("date", "日期应为 YYYY-MM-DD 格式的有效日期")
	}
	s, err := a.Svc.Evaluations.InForce(r.PathValue("set"), date)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, setOf(s))
}

func (a *API) openScoring(r *http.Request, id, version int64) (*domain.Evaluation, error) {
	return a.Svc.Evaluations.OpenScoring(r.Context(), ActorFrom(r), id, version)
}

func (a *API) publiciseEvaluation(r *http.Request, id, version int64) (*domain.Evaluation, error) {
	return a.Svc.Evaluations.Publicise(r.Context(), ActorFrom(r), id, version)
}

func (a *API) finaliseEvaluation(r *http.Request, id, version int64) (*domain.Evaluation, error) {
	return a.Svc.Evaluations.Finalise(r.Context(), ActorFrom(r), id, version)
}
