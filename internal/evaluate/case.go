package evaluate

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"kechuang/internal/domain"
)

// The functions here move a domain.Evaluation. A module calls them inside
// the service kit's mutate (which has already checked the actor and the
// status against domain.EvaluationFlow): each checks what the table cannot
// see and ends in a status the table allows for its action. Each refuses
// without changing e.

// NewEvaluation opens a case for subject with the version of the set in
// force today.
func NewEvaluation(set *Set, resultType, subjectKind string, subjectID int64, app Application) (*domain.Evaluation, error) {
	if _, ok := set.ResultType(resultType); !ok {
		return nil, domain.FieldErrorf("result_type", "成果类型“%s”不在指标体系 %s 中", resultType, set.Key())
	}
	e := &domain.Evaluation{SubjectKind: subjectKind, SubjectID: subjectID, ApplicantOrgID: app.Applicant.ID,
		SetID: set.ID, SetVersion: set.Version, ResultType: resultType, Status: domain.EvaluationDraft}
	for _, o := range app.CoApplicants {
		e.CoApplicantOrgIDs = append(e.CoApplicantOrgIDs, o.ID)
	}
	e.PeopleUserIDs, e.Fields = slices.Clone(app.People), slices.Clone(app.Fields)
	return e, nil
}

// Assign ("assign") puts a panel on the case after checking every panel
// rule and every conflict of interest.
func Assign(e *domain.Evaluation, set *Set, app Application, panel []Expert) error {
	if err := PanelError(set.Panel.CheckPanel(app, panel)); err != nil {
		return err
	}
	e.PanelUserIDs = nil
	for _, x := range panel {
		e.PanelUserIDs = append(e.PanelUserIDs, x.ID)
	}
	e.Status = domain.EvaluationPanel
	return nil
}

// OpenScoring ("open_scoring") starts a scoring round.
func OpenScoring(e *domain.Evaluation) {
	e.Round++
	e.Status = domain.EvaluationScoring
}

// CheckForm ("score") checks one expert's form for the case: the expert is
// on the panel and every item is scored within range.
func CheckForm(e *domain.Evaluation, set *Set, f Form) error {
	if !e.OnPanel(f.Expert) {
		return domain.Errorf(domain.EFORBIDDEN, "只有本评价专家组的专家可以提交评分表")
	}
	return set.ValidateForm(e.ResultType, f)
}

// Publicise ("publicise") closes scoring when every expert of the panel
// has handed in a form, records the aggregated result and opens the 公示
// window (or, with a window of 0 days, makes the result final at once).
func Publicise(e *domain.Evaluation, set *Set, forms []Form, now time.Time) (Result, error) {
	have := map[int64]bool{}
	for _, f := range forms {
		if !e.OnPanel(f.Expert) {
			return Result{}, domain.Errorf(domain.EINVALID, "评分表来自专家组以外的专家（%d）", f.Expert)
		}
		have[f.Expert] = true
	}
	missing := 0
	for _, id := range e.PanelUserIDs {
		if !have[id] {
			missing++
		}
	}
	if missing > 0 {
		return Result{}, domain.Errorf(domain.ECONFLICT, "还有 %d 位专家未提交评分表，不能公示结果", missing)
	}
	r, err := set.Aggregate(e.ResultType, forms)
	if err != nil {
		return Result{}, err
	}
	e.ResultTenths = r.TotalTenths
	if set.PublicityDays == 0 {
		e.PublicityFrom, e.PublicityUntil = "", ""
		e.Status = domain.EvaluationFinal
		return r, nil
	}
	w := OpenWindow(now, set.PublicityDays)
	e.PublicityFrom, e.PublicityUntil = w.From, w.Until
	e.Status = domain.EvaluationPublicity
	return r, nil
}

// WindowOf returns the case's 公示 window.
func WindowOf(e *domain.Evaluation) Window {
	return Window{From: e.PublicityFrom, Until: e.PublicityUntil}
}

// Object ("object") files an objection inside the window.
func Object(e *domain.Evaluation, o Objection, now time.Time) (Objection, error) {
	filed, err := WindowOf(e).Accept(now, o)
	if err != nil {
		return Objection{}, err
	}
	e.OpenObjections++
	e.Status = domain.EvaluationObjection
	return filed, nil
}

// Resolve ("resolve") handles objection objs[i] with a written reply. An
// upheld objection withdraws the result and sends the case back to its
// panel (panel_assigned): the bureau may change the panel (an objection
// about an expert) and opens a new scoring round; the other open
// objections are answered by that round (superseded). A dismissed one
// leaves the result standing: with no other open objection the case
// returns to 公示, or is final when the window has closed meanwhile.
func Resolve(e *domain.Evaluation, objs []*Objection, i int, upheld bool, reply string, now time.Time) error {
	if i < 0 || i >= len(objs) || objs[i].Status != ObjectionOpen {
		return domain.Errorf(domain.ECONFLICT, "该异议已处理或不存在")
	}
	reply = strings.TrimSpace(reply)
	if reply == "" {
		return domain.FieldErrorf("reply", "请写明异议的处理意见")
	}
	if utf8.RuneCountInString(reply) > MaxObjection {
		return domain.FieldErrorf("reply", "处理意见至多 %d 字", MaxObjection)
	}
	o := objs[i]
	o.Reply, o.HandledAt = reply, now
	if upheld {
		o.Status = ObjectionUpheld
		for _, x := range objs {
			if x.Status == ObjectionOpen {
				x.Status, x.HandledAt = ObjectionSuperseded, now
			}
		}
		e.OpenObjections = 0
		e.PublicityFrom, e.PublicityUntil, e.ResultTenths = "", "", 0
		e.Status = domain.EvaluationPanel
		return nil
	}
	o.Status = ObjectionDismissed
	e.OpenObjections = countOpen(objs)
	switch {
	case e.OpenObjections > 0:
		e.Status = domain.EvaluationObjection
	case WindowOf(e).Closed(now):
		e.Status = domain.EvaluationFinal
	default:
		e.Status = domain.EvaluationPublicity
	}
	return nil
}

func countOpen(objs []*Objection) int {
	n := 0
	for _, o := range objs {
		if o.Status == ObjectionOpen {
			n++
		}
	}
	return n
}

// Finalise ("finalise") publishes the result once the window has closed
// with no open objection.
func Finalise(e *domain.Evaluation, now time.Time) error {
	if e.OpenObjections > 0 {
		return domain.Errorf(domain.ECONFLICT, "还有 %d 项异议未处理，不能发布结果", e.OpenObjections)
	}
	if w := WindowOf(e); !w.Closed(now) {
		return domain.Errorf(domain.ECONFLICT, "公示期至 %s 结束，期满后方可发布结果", w.Until)
	}
	e.Status = domain.EvaluationFinal
	return nil
}

// PanelOf returns the experts of the pool on e's panel, in panel order.
func PanelOf(e *domain.Evaluation, pool []Expert) []Expert {
	var out []Expert
	for _, id := range e.PanelUserIDs {
		if i := slices.IndexFunc(pool, func(x Expert) bool { return x.ID == id }); i >= 0 {
			out = append(out, pool[i])
		}
	}
	return out
}
