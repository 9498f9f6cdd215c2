package evaluate_test

import (
	"strings"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
)

// china returns the instant of a wall-clock time in China.
func china(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, domain.ChinaTZ)
	if err != nil {
		panic(err)
	}
	return t
}

// TestWindowEdges: a 7-day window opened on 1 December runs through the
// last moment of 7 December in China, whatever the server's zone.
func TestWindowEdges(t *testing.T) {
	// 1 December 00:30 in China is still 30 November in UTC.
	w := evaluate.OpenWindow(china("2026-12-01 00:30:00").UTC(), 7)
	if w.From != "2026-12-01" || w.Until != "2026-12-07" {
		t.Fatalf("window %+v", w)
	}
	if one := evaluate.OpenWindow(china("2026-12-31 23:00:00"), 1); one.From != "2026-12-31" || one.Until != "2026-12-31" {
		t.Errorf("one-day window %+v", one)
	}
	obj := evaluate.Objection{By: 7, ByName: "李四", Text: "专家组成员与申请单位有合作关系"}
	cases := []struct {
		at    time.Time
		ok    bool
		label string
	}{
		{china("2026-11-30 23:59:59"), false, "the evening before"},
		{china("2026-12-01 00:00:00"), true, "the first moment"},
		{china("2026-12-07 23:59:59"), true, "the last second of the last day"},
		{china("2026-12-07 23:59:59").UTC(), true, "the last second, seen from UTC (15:59 UTC)"},
		{china("2026-12-08 00:00:00"), false, "midnight after (16:00 UTC on the 7th)"},
		{china("2026-12-08 00:00:00").UTC(), false, "midnight after, seen from UTC"},
	}
	for _, c := range cases {
		o, err := w.Accept(c.at, obj)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.label, err)
		}
		if err == nil && (o.Status != evaluate.ObjectionOpen || !o.FiledAt.Equal(c.at)) {
			t.Errorf("%s: filed %+v", c.label, o)
		}
		if err != nil && err.(*domain.Error).Field != "window" {
			t.Errorf("%s: error names %v", c.label, err)
		}
	}
	if !w.Closed(china("2026-12-08 00:00:00")) || w.Closed(china("2026-12-07 23:59:59")) {
		t.Error("Closed at the edge")
	}
	if _, err := w.Accept(china("2026-12-08 09:00:00"), obj); err == nil || !strings.Contains(err.Error(), "公示期已于 2026-12-07 结束") {
		t.Errorf("late objection: %v", err)
	}
	for name, o := range map[string]evaluate.Objection{
		"anonymous": {By: 7, ByName: " ", Text: "理由"}, "not signed in": {ByName: "李四", Text: "理由"},
		"no reason": {By: 7, ByName: "李四", Text: "  "}, "too long": {By: 7, ByName: "李四", Text: strings.Repeat("理", evaluate.MaxObjection+1)},
	} {
		if _, err := w.Accept(china("2026-12-02 10:00:00"), o); err == nil {
			t.Errorf("%s objection accepted", name)
		}
	}
	if _, err := (evaluate.Window{}).Accept(china("2026-12-02 10:00:00"), obj); err == nil {
		t.Error("an objection without a window accepted")
	}
}

// actors of the lifecycle
var (
	bureau = &domain.Actor{UserID: 1, Role: domain.RoleBureau, OrgID: 1}
	owner  = &domain.Actor{UserID: 2, Role: domain.RoleTTO, OrgID: applicant.ID}
	other  = &domain.Actor{UserID: 3, Role: domain.RoleEnterprise, OrgID: 555}
)

// step checks the flow for the actor, runs the engine's function and checks
// the outcome against the table, as the service kit's mutate does.
func step(t *testing.T, a *domain.Actor, e *domain.Evaluation, action string, apply func() error) error {
	t.Helper()
	if err := domain.EvaluationFlow.Check(action, a, e); err != nil {
		return err
	}
	tr, _ := domain.EvaluationFlow.Find(action)
	before := e.Clone()
	from := e.Status
	if err := apply(); err != nil {
		if e.Status != before.Status || e.OpenObjections != before.OpenObjections || len(e.PanelUserIDs) != len(before.PanelUserIDs) {
			t.Fatalf("%s refused but changed the case: %+v → %+v", action, before, e)
		}
		return err
	}
	if !tr.Ends(from, e.Status) {
		t.Fatalf("%s ended in %s from %s, which the table does not allow", action, e.Status, from)
	}
	return nil
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLifecycle: a case from draft to published through the workflow,
// with a refused panel, an expert off the panel, a missing form, a late
// and an inside objection (dismissed, then upheld), and finalisation only
// after the window.
func TestLifecycle(t *testing.T) {
	s := builtin(t)
	e, err := evaluate.NewEvaluation(s, "development", "achievement", 12, app)
	must(t, err)
	if e.SetVersion != 2 || e.Status != domain.EvaluationDraft || e.CoApplicantOrgIDs[0] != partner.ID {
		t.Fatalf("new case %+v", e)
	}
	if _, err := evaluate.NewEvaluation(s, "nope", "achievement", 12, app); err == nil {
		t.Error("a case of an unknown result type")
	}
	pool := experts(20, 7, 1)
	bad := append(pool[:4:4], evaluate.Expert{ID: 99, Name: "赵", Org: applicant, Kind: evaluate.Technical})
	err = step(t, bureau, e, "assign", func() error { return evaluate.Assign(e, s, app, bad) })
	if err == nil || !strings.Contains(err.Error(), "与申请单位同属东北大学") {
		t.Fatalf("a conflicted panel: %v", err)
	}
	if err := step(t, owner, e, "assign", func() error { return nil }); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the applicant assigned its own panel: %v", err)
	}
	panel, err := s.Panel.Propose(app, pool)
	must(t, err)
	must(t, step(t, bureau, e, "assign", func() error { return evaluate.Assign(e, s, app, panel) }))
	if len(e.PanelUserIDs) != 7 || len(evaluate.PanelOf(e, pool)) != 7 {
		t.Fatalf("panel %v", e.PanelUserIDs)
	}
	must(t, step(t, bureau, e, "open_scoring", func() error { evaluate.OpenScoring(e); return nil }))

	expert := func(id int64) *domain.Actor {
		return &domain.Actor{UserID: id, Role: domain.RoleExpert, OrgID: 1000 + id}
	}
	var fs []evaluate.Form
	rt, _ := s.ResultType("development")
	for i, id := range e.PanelUserIDs {
		f := evaluate.Form{Expert: id, Scores: map[string]int64{}, Comments: map[string]string{"economic": "市场明确"}}
		for _, it := range rt.Items {
			f.Scores[it.Code] = int64(600 + 50*i)
		}
		must(t, step(t, expert(id), e, "score", func() error { return evaluate.CheckForm(e, s, f) }))
		fs = append(fs, f)
	}
	outsider := expert(98)
	if err := step(t, outsider, e, "score", func() error { return nil }); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an expert off the panel scored: %v", err)
	}
	if err := evaluate.CheckForm(e, s, evaluate.Form{Expert: 98}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a form from off the panel: %v", err)
	}

	opened := china("2026-12-01 10:00:00")
	err = step(t, bureau, e, "publicise", func() error { _, err := evaluate.Publicise(e, s, fs[:6], opened); return err })
	if err == nil || !strings.Contains(err.Error(), "还有 1 位专家未提交评分表") {
		t.Fatalf("publicised with a form missing: %v", err)
	}
	var r evaluate.Result
	must(t, step(t, bureau, e, "publicise", func() error { r, err = evaluate.Publicise(e, s, fs, opened); return err }))
	// 60, 65 … 90: drop 60 and 90, mean of 65…85 = 75.0
	if e.Status != domain.EvaluationPublicity || e.ResultTenths != 750 || r.TotalTenths != 750 || e.PublicityUntil != "2026-12-07" {
		t.Fatalf("publicised %+v %+v", e, r)
	}
	if !domain.Evaluations.CanSee(other, e) || domain.Evaluations.CanSee(other, &domain.Evaluation{Status: domain.EvaluationScoring}) {
		t.Error("公示 is public, scoring is not")
	}
	if err := step(t, bureau, e, "finalise", func() error { return evaluate.Finalise(e, china("2026-12-07 23:59:00")) }); err == nil {
		t.Error("finalised inside the window")
	}

	var objs []*evaluate.Objection
	object := func(a *domain.Actor, at time.Time) error {
		return step(t, a, e, "object", func() error {
			o, err := evaluate.Object(e, evaluate.Objection{By: a.UserID, ByName: "王五", Text: "评分依据不足"}, at)
			if err == nil {
				objs = append(objs, &o)
			}
			return err
		})
	}
	if err := object(expert(e.PanelUserIDs[0]), china("2026-12-02 10:00:00")); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a panel expert objected to their own result: %v", err)
	}
	must(t, object(other, china("2026-12-02 10:00:00")))
	must(t, object(owner, china("2026-12-07 23:59:59")))
	if e.Status != domain.EvaluationObjection || e.OpenObjections != 2 {
		t.Fatalf("after two objections %+v", e)
	}
	if err := object(other, china("2026-12-08 00:00:00")); err == nil {
		t.Error("a late objection was accepted")
	}
	if err := step(t, bureau, e, "finalise", func() error { return nil }); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("finalised with open objections: %v", err)
	}
	resolve := func(i int, upheld bool, reply string, at time.Time) error {
		return step(t, bureau, e, "resolve", func() error { return evaluate.Resolve(e, objs, i, upheld, reply, at) })
	}
	if err := resolve(0, false, " ", china("2026-12-03 10:00:00")); err == nil {
		t.Error("handled without a reply")
	}
	must(t, resolve(0, false, "经核查，专家与申请单位无利益关系", china("2026-12-03 10:00:00")))
	if e.Status != domain.EvaluationObjection || e.OpenObjections != 1 || objs[0].Status != evaluate.ObjectionDismissed {
		t.Fatalf("one of two dismissed: %+v", e)
	}
	if err := resolve(0, false, "再次", china("2026-12-03 11:00:00")); err == nil {
		t.Error("an objection handled twice")
	}
	// Dismissing the last after the window closed makes the result final.
	trial := e.Clone()
	trialObjs := []*evaluate.Objection{ptr(*objs[0]), ptr(*objs[1])}
	must(t, evaluate.Resolve(trial, trialObjs, 1, false, "不成立", china("2026-12-09 09:00:00")))
	if trial.Status != domain.EvaluationFinal {
		t.Errorf("last objection dismissed after the window: %s", trial.Status)
	}
	// Dismissing it inside the window returns to 公示.
	trial, trialObjs = e.Clone(), []*evaluate.Objection{ptr(*objs[0]), ptr(*objs[1])}
	must(t, evaluate.Resolve(trial, trialObjs, 1, false, "不成立", china("2026-12-05 09:00:00")))
	if trial.Status != domain.EvaluationPublicity {
		t.Errorf("last objection dismissed inside the window: %s", trial.Status)
	}
	// Upheld: the result withdrawn, back to the panel, a new round, a new
	// window later.
	must(t, resolve(1, true, "异议成立，重新评分", china("2026-12-05 09:00:00")))
	if e.Status != domain.EvaluationPanel || e.Round != 1 || e.OpenObjections != 0 || e.PublicityUntil != "" || e.ResultTenths != 0 {
		t.Fatalf("upheld %+v", e)
	}
	must(t, step(t, bureau, e, "open_scoring", func() error { evaluate.OpenScoring(e); return nil }))
	if e.Round != 2 {
		t.Fatalf("new round %+v", e)
	}
	reopened := china("2026-12-10 09:00:00")
	must(t, step(t, bureau, e, "publicise", func() error { _, err := evaluate.Publicise(e, s, fs, reopened); return err }))
	if e.PublicityFrom != "2026-12-10" || e.PublicityUntil != "2026-12-16" {
		t.Fatalf("second window %+v", e)
	}
	if err := step(t, bureau, e, "finalise", func() error { return evaluate.Finalise(e, china("2026-12-16 23:59:59")) }); err == nil ||
		!strings.Contains(err.Error(), "公示期至 2026-12-16 结束") {
		t.Errorf("finalised on the last day: %v", err)
	}
	must(t, step(t, bureau, e, "finalise", func() error { return evaluate.Finalise(e, china("2026-12-17 00:00:00")) }))
	if e.Status != domain.EvaluationFinal {
		t.Fatalf("final %+v", e)
	}
	if err := object(other, china("2026-12-17 10:00:00")); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("an objection to a published result: %v", err)
	}
}

func ptr[T any](x T) *T { return &x }

// TestNoWindow: a set with a 0-day 公示 publishes at once.
func TestNoWindow(t *testing.T) {
	s := oneItem(evaluate.Mean, 0)
	e := &domain.Evaluation{Status: domain.EvaluationScoring, ResultType: "r", PanelUserIDs: []int64{1, 2}}
	if _, err := evaluate.Publicise(e, s, forms(800, 900), china("2026-12-01 10:00:00")); err != nil {
		t.Fatal(err)
	}
	if e.Status != domain.EvaluationFinal || e.ResultTenths != 850 || e.PublicityFrom != "" {
		t.Errorf("%+v", e)
	}
	e2 := &domain.Evaluation{Status: domain.EvaluationScoring, ResultType: "r", PanelUserIDs: []int64{1}}
	if _, err := evaluate.Publicise(e2, s, forms(800, 900), china("2026-12-01 10:00:00")); err == nil {
		t.Error("a form from off the panel was counted")
	}
}
