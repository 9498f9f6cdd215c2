package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// evaluationListPage is the bureau's case list (others: their own
// organisation's cases as applicant).
type evaluationListPage struct {
	Rows     []service.EvaluationRow
	Pager    pager
	Q        url.Values
	Statuses []domain.EvaluationStatus
	Kinds    []domain.Item[string]
	Public   bool
	Error    string
}

func (w *Web) evaluationRows(rw http.ResponseWriter, r *http.Request, public bool) (*evaluationListPage, int, bool) {
	a := service.ActorOf(httpx.UserFrom(r.Context()))
	lp := &evaluationListPage{Q: r.URL.Query(), Statuses: domain.EvaluationStatuses.Codes(), Kinds: domain.EvaluationSubjectKinds.All(), Public: public}
	status := http.StatusOK
	p, err := httpx.PageOf(r)
	if err == nil {
		f := domain.EvaluationFilter{Status: domain.EvaluationStatus(lp.Q.Get("status")), SubjectKind: lp.Q.Get("subject_kind"), Public: public,
			Page: p.Page, PerPage: p.PerPage}
		var total int
		lp.Rows, total, err = w.Svc.Evaluations.List(r.Context(), a, f)
		lp.Pager = newPager(p, total, lp.Q)
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			w.fail(rw, r, err)
			return nil, 0, false
		}
		lp.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), http.StatusUnprocessableEntity
		lp.Pager = newPager(httpx.Page{Page: 1, PerPage: 20}, 0, lp.Q)
	}
	return lp, status, true
}

func (w *Web) evaluationList(rw http.ResponseWriter, r *http.Request) {
	if w.requireUser(rw, r) == nil {
		return
	}
	lp, status, ok := w.evaluationRows(rw, r, false)
	if ok {
		w.render(rw, r, status, "evaluation/list", w.newView(r, "成果评价", "evaluations", lp))
	}
}

// evaluationPublicity is the public 公示 page.
func (w *Web) evaluationPublicity(rw http.ResponseWriter, r *http.Request) {
	lp, status, ok := w.evaluationRows(rw, r, true)
	if ok {
		w.render(rw, r, status, "evaluation/publicity", w.newView(r, "评价公示", "evaluation-publicity", lp))
	}
}

// evaluationApply applies for an achievement's evaluation (its unit or
// the bureau) from the achievement page.
func (w *Web) evaluationApply(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 16<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PostForm.Get("achievement_id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	e, err := w.Svc.Evaluations.ApplyAchievement(r.Context(), service.ActorOf(u), id, r.PostForm.Get("result_type"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/evaluations/%d?ok=evaluation_applied", e.ID), http.StatusSeeOther)
}

// evaluationCasePage is one case: the bureau runs it from here; the
// panel's experts, the applicant and the public read what is theirs.
type evaluationCasePage struct {
	Row        *service.EvaluationRow
	E          *domain.Evaluation
	Set        *evaluate.Set
	ResultType string
	Actions    map[string]bool
	Manage     bool
	OnPanel    bool
	Applicant  bool
	SignedIn   bool
	Proposal   *service.Proposal
	Chosen     map[int64]bool
	Panel      []service.PanelMember
	Objections []*evaluate.Objection
	Feedback   *evaluate.Feedback
	Form       string
	Error      string
	Text       string
}

func (w *Web) evaluationCase(rw http.ResponseWriter, r *http.Request) {
	id, ok := evaluationPathID(rw, r, w)
	if !ok {
		return
	}
	w.renderEvaluationCase(rw, r, id, http.StatusOK, &evaluationCasePage{})
}

func evaluationPathID(rw http.ResponseWriter, r *http.Request, w *Web) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return 0, false
	}
	return id, true
}

func (w *Web) renderEvaluationCase(rw http.ResponseWriter, r *http.Request, id int64, status int, cp *evaluationCasePage) {
	ctx := r.Context()
	a := service.ActorOf(httpx.UserFrom(ctx))
	row, err := w.Svc.Evaluations.Row(ctx, a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	e := row.E
	cp.Row, cp.E, cp.SignedIn = row, e, a != nil
	if cp.Set, err = w.Svc.Evaluations.Set(e); err != nil {
		w.fail(rw, r, err)
		return
	}
	if rt, ok := cp.Set.ResultType(e.ResultType); ok {
		cp.ResultType = rt.Name
	}
	cp.Actions = domain.EvaluationFlow.Actions(a, e)
	cp.Manage, cp.OnPanel, cp.Applicant = domain.Evaluations.CanManage(a, e), a != nil && e.OnPanel(a.UserID), e.IsApplicant(a)
	if cp.Manage {
		if e.Status == domain.EvaluationDraft || e.Status == domain.EvaluationPanel {
			if cp.Proposal, err = w.Svc.Evaluations.Explain(ctx, a, id, chosenOf(cp.Chosen)); err != nil {
				w.fail(rw, r, err)
				return
			}
			if cp.Proposal.Err != nil { // why the pool makes no panel, in the reader's language
				cp.Proposal.Error = i18n.Message(i18n.FromContext(ctx), cp.Proposal.Err)
			}
			if cp.Chosen == nil {
				cp.Chosen = map[int64]bool{}
				for _, x := range cp.Proposal.Panel {
					cp.Chosen[x.ID] = true
				}
			}
		}
		if cp.Panel, err = w.Svc.Evaluations.Panel(ctx, a, id); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if a != nil {
		if cp.Objections, err = w.Svc.Evaluations.Objections(ctx, a, id); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if e.Public() {
		if cp.Feedback, err = w.Svc.Evaluations.Feedback(ctx, a, id); err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
			w.fail(rw, r, err)
			return
		}
	}
	w.render(rw, r, status, "evaluation/case", w.newView(r, row.Subject, "evaluations", cp))
}

// chosenOf is the experts ticked on a failed assignment (nil: none yet).
func chosenOf(m map[int64]bool) []int64 {
	if m == nil {
		return nil
	}
	out := []int64{}
	for id, on := range m {
		if on {
			out = append(out, id)
		}
	}
	return out
}

// evaluationFailed shows the case page again with the error at the form
// that caused it (a user's error), or the error page.
func (w *Web) evaluationFailed(rw http.ResponseWriter, r *http.Request, id int64, cp *evaluationCasePage, err error) {
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT) {
		w.fail(rw, r, err)
		return
	}
	cp.Error = e.Message
	if len(e.Fields) > 1 {
		var msgs []string
		for _, f := range e.Fields {
			msgs = append(msgs, f.Message)
		}
		cp.Error = strings.Join(msgs, "\n")
	}
	w.renderEvaluationCase(rw, r, id, httpx.StatusOf(err), cp)
}

func (w *Web) evaluationAssign(rw http.ResponseWriter, r *http.Request) {
	u, id, version, ok := w.actionTarget(rw, r)
	if !ok {
		return
	}
	var ids []int64
	chosen := map[int64]bool{}
	for _, s := range r.PostForm["expert"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			ids = append(ids, n)
			chosen[n] = true
		}
	}
	if _, err := w.Svc.Evaluations.Assign(r.Context(), service.ActorOf(u), id, version, ids); err != nil {
		w.evaluationFailed(rw, r, id, &evaluationCasePage{Form: "assign", Chosen: chosen}, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/evaluations/%d?ok=evaluation_assigned", id), http.StatusSeeOther)
}

// evaluationStep runs one of the bureau's steps that take only the version.
func (w *Web) evaluationStep(action string) http.HandlerFunc {
	do := map[string]func(s *service.Evaluations, r *http.Request, a *domain.Actor, id, v int64) (*domain.Evaluation, error){
		"open_scoring": func(s *service.Evaluations, r *http.Request, a *domain.Actor, id, v int64) (*domain.Evaluation, error) {
			return s.OpenScoring(r.Context(), a, id, v)
		},
		"publicise": func(s *service.Evaluations, r *http.Request, a *domain.Actor, id, v int64) (*domain.Evaluation, error) {
			return s.Publicise(r.Context(), a, id, v)
		},
		"finalise": func(s *service.Evaluations, r *http.Request, a *domain.Actor, id, v int64) (*domain.Evaluation, error) {
			return s.Finalise(r.Context(), a, id, v)
		},
	}[action]
	flash := map[string]string{"open_scoring": "evaluation_scoring", "publicise": "evaluation_publicised", "finalise": "evaluation_finalised"}[action]
	return func(rw http.ResponseWriter, r *http.Request) {
		u, id, version, ok := w.actionTarget(rw, r)
		if !ok {
			return
		}
		e, err := do(w.Svc.Evaluations, r, service.ActorOf(u), id, version)
		if err != nil {
			w.evaluationFailed(rw, r, id, &evaluationCasePage{Form: action}, err)
			return
		}
		if action == "publicise" && e.Status == domain.EvaluationFinal {
			flash = "evaluation_finalised"
		}
		http.Redirect(rw, r, fmt.Sprintf("/evaluations/%d?ok=%s", id, flash), http.StatusSeeOther)
	}
}

// evaluationObject files the signed-in user's objection (no version: an
// objection does not race the bureau's steps).
func (w *Web) evaluationObject(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	id, ok := evaluationPathID(rw, r, w)
	if !ok {
		return
	}
	text := r.PostForm.Get("text")
	if _, err := w.Svc.Evaluations.Object(r.Context(), service.ActorOf(u), id, text); err != nil {
		w.evaluationFailed(rw, r, id, &evaluationCasePage{Form: "object", Text: text}, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/evaluations/%d?ok=evaluation_objected", id), http.StatusSeeOther)
}

func (w *Web) evaluationResolve(rw http.ResponseWriter, r *http.Request) {
	u, id, version, ok := w.actionTarget(rw, r)
	if !ok {
		return
	}
	oid, _ := strconv.ParseInt(r.PostForm.Get("objection"), 10, 64)
	reply := r.PostForm.Get("reply")
	if _, err := w.Svc.Evaluations.Resolve(r.Context(), service.ActorOf(u), id, version, oid, r.PostForm.Get("upheld") == "1", reply); err != nil {
		w.evaluationFailed(rw, r, id, &evaluationCasePage{Form: "resolve", Text: reply}, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/evaluations/%d?ok=evaluation_resolved", id), http.StatusSeeOther)
}

// evaluationFeedbackPage is the result with the applicant's feedback.
type evaluationFeedbackPage struct {
	Row       *service.EvaluationRow
	FB        *evaluate.Feedback
	Applicant bool
	Manage    bool
}

func (w *Web) evaluationFeedback(rw http.ResponseWriter, r *http.Request) {
	id, ok := evaluationPathID(rw, r, w)
	if !ok {
		return
	}
	a := service.ActorOf(httpx.UserFrom(r.Context()))
	row, err := w.Svc.Evaluations.Row(r.Context(), a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	fb, err := w.Svc.Evaluations.Feedback(r.Context(), a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "evaluation/feedback", w.newView(r, "评价结果与反馈", "evaluations",
		&evaluationFeedbackPage{Row: row, FB: fb, Applicant: row.E.IsApplicant(a), Manage: domain.Evaluations.CanManage(a, row.E)}))
}

// evaluationSummary is the achievement page's block: the latest case's
// status and, once public, its total and grade; the application form for
// those who may apply.
type evaluationSummary struct {
	E           *domain.Evaluation
	Grade       string
	CanApply    bool
	SubjectID   int64
	ResultTypes []evaluate.ResultType
	Link        bool // the reader may open the case page
}

// evaluationSummaryOf is the summary of an achievement for the reader
// (nil when there is nothing to show).
func (w *Web) evaluationSummaryOf(r *http.Request, x *domain.Achievement) *evaluationSummary {
	a := service.ActorOf(httpx.UserFrom(r.Context()))
	e, err := w.Svc.Evaluations.ForSubject(r.Context(), a, "achievement", x.ID)
	if err != nil {
		w.Log.Warn("web: evaluation summary", "err", err)
		return nil
	}
	s := &evaluationSummary{E: e, SubjectID: x.ID, CanApply: domain.Evaluations.CanApplyAchievement(a, x) && (e == nil || e.Status == domain.EvaluationFinal)}
	if e != nil {
		s.Link = domain.Evaluations.CanSee(a, e)
		if set, err := w.Svc.Evaluations.Set(e); err == nil && e.Public() {
			s.Grade = set.Grade(e.ResultTenths)
		}
	}
	if s.CanApply {
		if set, err := w.Svc.Evaluations.InForce(evaluate.DefaultSet, w.Svc.Today()); err == nil {
			s.ResultTypes = set.ResultTypes
		}
	}
	if e == nil && !s.CanApply {
		return nil
	}
	return s
}
