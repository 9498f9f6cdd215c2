package service_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
)

// TestEvaluationPath: an achievement's case from opening to the published
// result through the service on both databases: the pool, the proposal
// (never the applicant's own expert), a refused conflicted panel, scoring
// by the panel only, 公示, a late and an inside objection, its handling,
// publication after the window, the applicant's feedback, and the history
// and audit every step writes.
func TestEvaluationPath(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		ev := w.svc.Evaluations
		w.city.SetDay("2026-12-01")
		pool := w.city.ExpertPool(t, 7, 1, "robotics")
		// The world's expert works at the institute, which co-applies: in the
		// pool, never proposed, refused when assigned.
		own := evaluate.Expert{ID: w.expert.UserID, Kind: evaluate.Technical, Fields: []string{"robotics", "materials"}}
		if err := ev.PutExpert(ctx, w.bureau, own); err != nil {
			t.Fatal(err)
		}
		if err := ev.PutExpert(ctx, w.univ, own); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the applicant kept the pool: %v", err)
		}
		if err := ev.PutExpert(ctx, w.bureau, evaluate.Expert{ID: w.ent.UserID, Kind: evaluate.Technical}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("an enterprise account put in the pool: %v", err)
		}
		app := evaluate.Application{Applicant: evaluate.Org{ID: w.city.Univ.ID}, CoApplicants: []evaluate.Org{{ID: w.city.Institute.ID}},
			People: []int64{w.univ.UserID}, Fields: []string{"robotics"}}
		if _, err := ev.Open(ctx, w.univ, "", "applied", "achievement", 7, app); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the applicant opened its own case: %v", err)
		}
		if _, err := ev.Open(ctx, w.bureau, "", "nope", "achievement", 7, app); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("an unknown result type: %v", err)
		}
		e, err := ev.Open(ctx, w.bureau, "", "applied", "achievement", 7, app)
		if err != nil {
			t.Fatal(err)
		}
		if e.SetID != evaluate.DefaultSet || e.SetVersion != 2 || e.Status != domain.EvaluationDraft {
			t.Fatalf("opened %+v", e)
		}
		if _, err := ev.Get(ctx, w.ent, e.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a draft case seen by a stranger: %v", err)
		}

		proposed, err := ev.Propose(ctx, w.bureau, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, x := range proposed {
			ids = append(ids, x.ID)
		}
		if len(ids) != 7 || slices.Contains(ids, w.expert.UserID) {
			t.Fatalf("proposed %v (the co-applicant's expert is %d)", ids, w.expert.UserID)
		}
		conflicted := append(slices.Clone(ids[:6]), w.expert.UserID)
		if _, err := ev.Assign(ctx, w.bureau, e.ID, e.Version, conflicted); err == nil || !strings.Contains(err.Error(), "与合作申请单位同属") {
			t.Fatalf("a conflicted panel: %v", err)
		}
		if _, err := ev.Assign(ctx, w.bureau, e.ID, e.Version, append(slices.Clone(ids[:6]), 99999)); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("a user off the pool: %v", err)
		}
		if e, err = ev.Assign(ctx, w.bureau, e.ID, e.Version, ids); err != nil {
			t.Fatal(err)
		}
		if _, err := ev.OpenScoring(ctx, w.bureau, e.ID, e.Version-1); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a stale version: %v", err)
		}
		if e, err = ev.OpenScoring(ctx, w.bureau, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}

		set, _ := ev.Set(e)
		rt, _ := set.ResultType("applied")
		form := func(tenths int64) evaluate.Form {
			f := evaluate.Form{Scores: map[string]int64{}, Comments: map[string]string{"technical": "工艺成熟"}, Opinion: "同意"}
			for _, it := range rt.Items {
				f.Scores[it.Code] = tenths
			}
			return f
		}
		expert := func(id int64) *domain.Actor {
			return &domain.Actor{UserID: id, Role: domain.RoleExpert, OrgID: pool[slices.IndexFunc(pool, func(x evaluate.Expert) bool { return x.ID == id })].Org.ID}
		}
		if _, err := ev.Score(ctx, w.expert, e.ID, form(800)); domain.ErrorCode(err) != domain.EFORBIDDEN { // sees it as a co-applicant
			t.Errorf("an expert off the panel scored: %v", err)
		}
		bad := form(800)
		bad.Scores["tech_maturity"] = 1001
		if _, err := ev.Score(ctx, expert(ids[0]), e.ID, bad); err == nil || err.(*domain.Error).Field != "scores.tech_maturity" {
			t.Errorf("an out-of-range score: %v", err)
		}
		for i, id := range ids[:6] {
			if _, err := ev.Score(ctx, expert(id), e.ID, form(int64(600+50*i))); err != nil {
				t.Fatal(err)
			}
		}
		if queue, _ := ev.Queue(ctx, expert(ids[6])); len(queue) != 1 || queue[0].ID != e.ID {
			t.Errorf("the last expert's queue: %v", queue)
		}
		e, _ = ev.Get(ctx, w.bureau, e.ID)
		if _, err := ev.Publicise(ctx, w.bureau, e.ID, e.Version); err == nil || !strings.Contains(err.Error(), "还有 1 位专家未提交评分表") {
			t.Fatalf("publicised with a form missing: %v", err)
		}
		if _, err := ev.Score(ctx, expert(ids[6]), e.ID, form(900)); err != nil {
			t.Fatal(err)
		}
		e, _ = ev.Get(ctx, w.bureau, e.ID)
		if _, err := ev.Feedback(ctx, w.univ, e.ID); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("feedback before 公示: %v", err)
		}
		if e, err = ev.Publicise(ctx, w.bureau, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		// 60, 65 … 90: the highest and lowest dropped, 75.0
		if e.Status != domain.EvaluationPublicity || e.ResultTenths != 750 || e.PublicityUntil != "2026-12-07" {
			t.Fatalf("publicised %+v", e)
		}
		fb, err := ev.Feedback(ctx, w.univ, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fb.TotalTenths != 750 || len(fb.Indicators) != 5 || fb.Indicators[1].WeightPermille != 300 || len(fb.Indicators[1].Comments) != 7 || len(fb.Opinions) != 7 {
			t.Errorf("feedback %+v", fb)
		}

		if pub, err := ev.Feedback(ctx, w.ent, e.ID); err != nil || pub.TotalTenths != 750 || pub.Indicators[1].Comments != nil || pub.Opinions != nil {
			t.Errorf("the public's view of the 公示: %+v %v", pub, err)
		}
		w.city.SetDay("2026-12-03")
		if e, err = ev.Object(ctx, w.ent, e.ID, "专家组成员与申请单位有合作关系"); err != nil {
			t.Fatal(err)
		}
		if mine, _ := ev.Objections(ctx, w.ent, e.ID); len(mine) != 1 {
			t.Errorf("the objector's own objections: %v", mine)
		}
		if theirs, _ := ev.Objections(ctx, w.ent2, e.ID); len(theirs) != 0 {
			t.Errorf("another reader sees %v", theirs)
		}
		if _, err := ev.Object(ctx, expert(ids[0]), e.ID, "自己的结果"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("a panel expert objected: %v", err)
		}
		objs, err := ev.Objections(ctx, w.bureau, e.ID)
		if err != nil || len(objs) != 1 || objs[0].ByName == "" || objs[0].Status != evaluate.ObjectionOpen {
			t.Fatalf("objections %+v %v", objs, err)
		}
		if _, err := ev.Finalise(ctx, w.bureau, e.ID, e.Version); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("finalised under objection: %v", err)
		}
		if e, err = ev.Resolve(ctx, w.bureau, e.ID, e.Version, objs[0].ID, false, "经核查，无利益关系"); err != nil {
			t.Fatal(err)
		}
		if e.Status != domain.EvaluationPublicity || e.OpenObjections != 0 {
			t.Fatalf("dismissed %+v", e)
		}
		if _, err := ev.Finalise(ctx, w.bureau, e.ID, e.Version); err == nil {
			t.Error("finalised inside the window")
		}
		w.city.SetDay("2026-12-08")
		if _, err := ev.Object(ctx, w.ent2, e.ID, "逾期异议"); err == nil || !strings.Contains(err.Error(), "逾期异议不予受理") {
			t.Errorf("a late objection: %v", err)
		}
		if e, err = ev.Finalise(ctx, w.bureau, e.ID, e.Version); err != nil || e.Status != domain.EvaluationFinal {
			t.Fatalf("finalised %+v %v", e, err)
		}
		if objs, _ := ev.Objections(ctx, w.bureau, e.ID); len(objs) != 1 || objs[0].Status != evaluate.ObjectionDismissed || objs[0].Reply == "" {
			t.Errorf("the handled objection %+v", objs)
		}

		events, err := w.st.Events(ctx, "evaluation", e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, x := range events {
			actions = append(actions, x.Action)
		}
		want := []string{"create", "assign", "open_scoring", "score", "score", "score", "score", "score", "score", "score",
			"publicise", "object", "resolve", "finalise"}
		if !slices.Equal(actions, want) {
			t.Errorf("history %v, want %v", actions, want)
		}
		rows, n, err := w.st.FindAudit(ctx, domain.AuditFilter{Entity: "evaluation", EntityID: strconv.FormatInt(e.ID, 10), Limit: 100})
		if err != nil || n != len(want) {
			t.Errorf("%d audit rows (%v), want %d", n, err, len(want))
		}
		for _, r := range rows {
			if domain.AuditActionLabel(r.Action) == "" {
				t.Errorf("audit action %s has no label", r.Action)
			}
		}
	})
}

// TestEvaluationUpheld: an upheld objection withdraws the result and sends
// the case back to its panel; the bureau replaces an expert, and the new
// round's forms alone make the new result.
func TestEvaluationUpheld(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		ev := w.svc.Evaluations
		w.city.SetDay("2026-12-01")
		pool := w.city.ExpertPool(t, 6, 0)
		app := evaluate.Application{Applicant: evaluate.Org{ID: w.city.Univ.ID}}
		e, err := ev.Open(ctx, w.bureau, "", "basic", "challenge_answer", 3, app)
		if err != nil {
			t.Fatal(err)
		}
		assign := func(panel []evaluate.Expert) {
			var ids []int64
			for _, x := range panel {
				ids = append(ids, x.ID)
			}
			if e, err = ev.Assign(ctx, w.bureau, e.ID, e.Version, ids); err != nil {
				t.Fatal(err)
			}
			if e, err = ev.OpenScoring(ctx, w.bureau, e.ID, e.Version); err != nil {
				t.Fatal(err)
			}
		}
		assign(pool[:5])
		set, _ := ev.Set(e)
		rt, _ := set.ResultType("basic")
		scoreAll := func(panel []evaluate.Expert, tenths int64) {
			for _, x := range panel {
				f := evaluate.Form{Scores: map[string]int64{}}
				for _, it := range rt.Items {
					f.Scores[it.Code] = tenths
				}
				if _, err := ev.Score(ctx, &domain.Actor{UserID: x.ID, Role: domain.RoleExpert, OrgID: x.Org.ID}, e.ID, f); err != nil {
					t.Fatal(err)
				}
			}
			e, _ = ev.Get(ctx, w.bureau, e.ID)
			if e, err = ev.Publicise(ctx, w.bureau, e.ID, e.Version); err != nil {
				t.Fatal(err)
			}
		}
		scoreAll(pool[:5], 500)
		if e, err = ev.Object(ctx, w.univ, e.ID, "评分明显偏低"); err != nil {
			t.Fatal(err)
		}
		objs, _ := ev.Objections(ctx, w.bureau, e.ID)
		if e, err = ev.Resolve(ctx, w.bureau, e.ID, e.Version, objs[0].ID, true, "异议成立，重新评分"); err != nil {
			t.Fatal(err)
		}
		if e.Status != domain.EvaluationPanel || e.Round != 1 || e.ResultTenths != 0 {
			t.Fatalf("upheld %+v", e)
		}
		if _, err := ev.Feedback(ctx, w.univ, e.ID); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("feedback of a withdrawn result: %v", err)
		}
		w.city.SetDay("2026-12-04")
		assign(pool[1:]) // the first expert replaced
		if e.Round != 2 {
			t.Fatalf("second round %+v", e)
		}
		if _, err := ev.Score(ctx, &domain.Actor{UserID: pool[0].ID, Role: domain.RoleExpert, OrgID: pool[0].Org.ID}, e.ID,
			evaluate.Form{}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("the replaced expert scored: %v", err)
		}
		scoreAll(pool[1:], 700)
		if e.ResultTenths != 700 || e.PublicityFrom != "2026-12-04" {
			t.Errorf("second round %+v", e)
		}
	})
}

// TestEvaluationConcurrentScoring: the panel's experts hand in their forms
// at the same moment; every form is kept (none is refused as a stale
// change of the case).
func TestEvaluationConcurrentScoring(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		ev := w.svc.Evaluations
		w.city.SetDay("2026-12-01")
		pool := w.city.ExpertPool(t, 7, 0)
		e, err := ev.Open(ctx, w.bureau, "", "applied", "achievement", 5, evaluate.Application{Applicant: evaluate.Org{ID: w.city.Univ.ID}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, x := range pool {
			ids = append(ids, x.ID)
		}
		if e, err = ev.Assign(ctx, w.bureau, e.ID, e.Version, ids); err != nil {
			t.Fatal(err)
		}
		if e, err = ev.OpenScoring(ctx, w.bureau, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		set, _ := ev.Set(e)
		rt, _ := set.ResultType("applied")
		errs := make(chan error, len(pool))
		for _, x := range pool {
			go func() {
				f := evaluate.Form{Scores: map[string]int64{}}
				for _, it := range rt.Items {
					f.Scores[it.Code] = 800
				}
				_, err := ev.Score(ctx, &domain.Actor{UserID: x.ID, Role: domain.RoleExpert, OrgID: x.Org.ID}, e.ID, f)
				errs <- err
			}()
		}
		for range pool {
			if err := <-errs; err != nil {
				t.Errorf("a concurrent form: %v", err)
			}
		}
		e, _ = ev.Get(ctx, w.bureau, e.ID)
		if e, err = ev.Publicise(ctx, w.bureau, e.ID, e.Version); err != nil || e.ResultTenths != 800 {
			t.Fatalf("publicised %+v %v", e, err)
		}
	})
}
