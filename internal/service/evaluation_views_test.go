package service_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
)

// TestEvaluationOfAchievement: the unit applies for its filed achievement
// (not a draft, not twice, not another unit's); the application is the
// achievement's, so the unit's own expert and the filer are never seated
// and an assignment with either is refused; the explained proposal names
// them; an expert reads only their own form; the bureau lists every case,
// the unit only its own, the public only those on notice; the pool entry
// is bounded; assignment and 公示 notify the experts and the unit.
func TestEvaluationOfAchievement(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		ev := w.svc.Evaluations
		w.city.SetDay("2026-12-01")
		pool := w.city.CasePool(t) // the world's expert (the institute) first
		same := w.city.AddUser(t, "univ_judge", domain.RoleExpert, w.city.Univ)
		if err := ev.PutExpert(ctx, w.bureau, evaluate.Expert{ID: same.ID, Kind: evaluate.Technical, Fields: []string{"材料科学与工程"}}); err != nil {
			t.Fatal(err)
		}
		long := make([]string, 21)
		for i := range long {
			long[i] = "f"
		}
		if err := ev.PutExpert(ctx, w.bureau, evaluate.Expert{ID: same.ID, Kind: evaluate.Technical, Fields: long}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("21 fields: %v", err)
		}
		if err := ev.PutExpert(ctx, w.bureau, evaluate.Expert{ID: same.ID, Kind: evaluate.Technical,
			Declared: []evaluate.Declaration{{OrgID: 999999, Relation: "x"}}}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("a relation with no organisation: %v", err)
		}

		draft := w.city.Achievement().Insert(t)
		if _, err := ev.ApplyAchievement(ctx, w.univ, draft.ID, ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a draft applied for: %v", err)
		}
		other := w.city.Achievement().Owner(w.city.Univ2).Filed().Insert(t)
		if _, err := ev.ApplyAchievement(ctx, w.univ, other.ID, ""); domain.ErrorCode(err) != domain.ENOTFOUND && domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("another unit's achievement applied for: %v", err)
		}
		x := w.city.Achievement().Filed().Insert(t)
		e, err := ev.ApplyAchievement(ctx, w.univ, x.ID, "development")
		if err != nil {
			t.Fatal(err)
		}
		if e.ApplicantOrgID != w.city.Univ.ID || e.ResultType != "development" || e.SetVersion != 2 || len(e.PeopleUserIDs) != 1 {
			t.Fatalf("application %+v", e)
		}
		if _, err := ev.ApplyAchievement(ctx, w.bureau, x.ID, ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("applied twice: %v", err)
		}

		p, err := ev.Explain(ctx, w.bureau, e.ID, nil)
		if err != nil || p.Error != "" {
			t.Fatalf("explain: %v %q", err, p.Error)
		}
		if len(p.Excluded) != 1 || p.Excluded[0].Expert.ID != same.ID {
			t.Errorf("excluded %+v", p.Excluded)
		}
		for _, x := range p.Pool {
			if x.ID == same.ID {
				t.Errorf("the unit's own expert is offered for the panel")
			}
		}
		if len(p.Pool) == 0 {
			t.Errorf("nobody offered for the panel")
		}
		var ids []int64
		for _, m := range p.Panel {
			ids = append(ids, m.ID)
			if m.ID == same.ID {
				t.Error("the unit's own expert proposed")
			}
		}
		for _, r := range p.Rules {
			if !r.Met {
				t.Errorf("rule %s broken: %v", r.Rule, r.Broken)
			}
		}
		bad, err := ev.Explain(ctx, w.bureau, e.ID, append(ids[:4:4], same.ID))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range bad.Rules {
			if (r.Rule == evaluate.RuleConflict) == r.Met {
				t.Errorf("with the unit's expert, rule %s met=%v", r.Rule, r.Met)
			}
		}
		if _, err := ev.Assign(ctx, w.bureau, e.ID, e.Version, append(ids[:4:4], same.ID)); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("assigned the unit's own expert: %v", err)
		}
		if e, err = ev.Assign(ctx, w.bureau, e.ID, e.Version, ids); err != nil {
			t.Fatal(err)
		}
		if e, err = ev.OpenScoring(ctx, w.bureau, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		set, _ := ev.Set(e)
		rt, _ := set.ResultType(e.ResultType)
		form := evaluate.Form{Scores: map[string]int64{}}
		for _, it := range rt.Items {
			form.Scores[it.Code] = 700
		}
		if _, err := ev.Score(ctx, w.expert, e.ID, form); err != nil {
			t.Fatal(err)
		}
		mine, err := ev.MyForm(ctx, w.expert, e.ID)
		if err != nil || mine == nil || mine.Expert != w.expert.UserID {
			t.Fatalf("own form: %+v %v", mine, err)
		}
		second, err := w.svc.Admin.User(ctx, w.city.Actor("admin"), pool[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if f, err := ev.MyForm(ctx, actorOfUser(second), e.ID); err != nil || f != nil {
			t.Errorf("another expert reads a form before handing in theirs: %+v %v", f, err)
		}
		if _, err := ev.MyForm(ctx, w.bureau, e.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the bureau reads an expert's form: %v", err)
		}
		queue, err := ev.QueueRows(ctx, w.expert)
		if err != nil || len(queue) != 1 || !queue[0].HandedIn || queue[0].Subject != x.Title {
			t.Errorf("queue %+v %v", queue, err)
		}
		if _, err := ev.QueueRows(ctx, w.bureau); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the bureau's queue: %v", err)
		}

		all, n, err := ev.List(ctx, w.bureau, domain.EvaluationFilter{})
		if err != nil || n != 1 || all[0].Subject != x.Title || all[0].Applicant != w.city.Univ.Name {
			t.Errorf("bureau's list %+v %d %v", all, n, err)
		}
		if _, n, _ := ev.List(ctx, w.ent, domain.EvaluationFilter{}); n != 0 {
			t.Errorf("an enterprise lists %d cases", n)
		}
		if _, n, _ := ev.List(ctx, w.univ, domain.EvaluationFilter{}); n != 1 {
			t.Errorf("the unit lists %d cases", n)
		}
		if _, n, _ := ev.List(ctx, nil, domain.EvaluationFilter{Public: true}); n != 0 {
			t.Errorf("the public lists %d cases in scoring", n)
		}
		if _, _, err := ev.List(ctx, w.bureau, domain.EvaluationFilter{Status: "nope"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad status: %v", err)
		}
		if got, err := ev.ForSubject(ctx, nil, "achievement", x.ID); err != nil || got != nil {
			t.Errorf("the public sees a case in scoring: %+v %v", got, err)
		}
		ns, err := w.svc.Notify.About(ctx, "evaluation", e.ID)
		if err != nil {
			t.Fatal(err)
		}
		assigned := map[int64]bool{}
		for _, n := range ns {
			if n.Detail == domain.EvaluationNoticeAssigned {
				assigned[n.UserID] = true
			}
		}
		for _, id := range ids {
			if !assigned[id] {
				t.Errorf("expert %d not told of the assignment", id)
			}
		}
	})
}

func actorOfUser(u *domain.User) *domain.Actor {
	return &domain.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: u.OrgID}
}

// TestEvaluationRedacted: who scored is the bureau's: the applicant and
// the public read a case without the panel's user ids, an expert sees
// only themself on it.
func TestEvaluationRedacted(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		e := w.city.EvaluationCaseOpen(t, domain.EvaluationPublicity)
		for _, a := range []*domain.Actor{nil, w.univ, w.ent} {
			got, err := w.svc.Evaluations.Get(ctx, a, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.PanelUserIDs) != 0 {
				t.Errorf("%v reads the panel %v", a, got.PanelUserIDs)
			}
		}
		got, err := w.svc.Evaluations.Get(ctx, w.expert, e.ID)
		if err != nil || len(got.PanelUserIDs) != 1 || got.PanelUserIDs[0] != w.expert.UserID {
			t.Errorf("the expert reads the panel %v %v", got.PanelUserIDs, err)
		}
		rows, _, err := w.svc.Evaluations.List(ctx, nil, domain.EvaluationFilter{Public: true})
		if err != nil || len(rows) != 1 || len(rows[0].E.PanelUserIDs) != 0 {
			t.Errorf("the public list %+v %v", rows, err)
		}
		if got, _ := w.svc.Evaluations.Get(ctx, w.bureau, e.ID); len(got.PanelUserIDs) != 5 {
			t.Errorf("the bureau reads the panel %v", got.PanelUserIDs)
		}
	})
}

// TestEvaluationOfAchievementConcurrent: eight applications for one
// achievement sent at once open one case; the others are refused as a
// repeat (on PostgreSQL, without the achievement's row lock, several
// transactions each saw no open case and opened one).
func TestEvaluationOfAchievementConcurrent(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		ev := w.svc.Evaluations
		w.city.SetDay("2026-12-01")
		x := w.city.Achievement().Filed().Insert(t)
		const n = 8
		errs := make(chan error, n)
		start := make(chan struct{})
		for range n {
			go func() {
				<-start
				_, err := ev.ApplyAchievement(ctx, w.univ, x.ID, "")
				errs <- err
			}()
		}
		close(start)
		opened := 0
		for range n {
			switch err := <-errs; {
			case err == nil:
				opened++
			case domain.ErrorCode(err) != domain.ECONFLICT:
				t.Errorf("an application: %v", err)
			}
		}
		es, err := w.st.FindEvaluationsOf(ctx, "achievement", x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if opened != 1 || len(es) != 1 {
			t.Errorf("%d applications succeeded, %d cases stored; want 1 and 1", opened, len(es))
		}
	})
}
