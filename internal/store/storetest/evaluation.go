package storetest

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/store"
)

// ExpertPool adds technical experts, then finance experts, to the pool,
// each a user with the expert role in an institute of their own (so the
// panel rules' limit per organisation never binds by accident), covering
// fields. The world's own expert user (w.User("expert"), of w.Institute)
// is not in the pool unless added.
func (w *World) ExpertPool(tb testing.TB, technical, finance int, fields ...string) []evaluate.Expert {
	tb.Helper()
	var out []evaluate.Expert
	for i := range technical + finance {
		w.seq++
		org := &domain.Org{Kind: domain.OrgInstitute, Name: fmt.Sprintf("评价专家单位%d", w.seq), RegionCode: Heping, USCC: USCC(w.seq)}
		w.inTx(func(ctx context.Context, tx *store.Q) error { return tx.CreateOrg(ctx, org) })
		u := w.AddUser(tb, fmt.Sprintf("pool%d", w.seq), domain.RoleExpert, org)
		e := evaluate.Expert{ID: u.ID, Name: u.DisplayName, Org: evaluate.Org{ID: org.ID, Name: org.Name}, Kind: evaluate.Technical,
			Fields: fields}
		if i >= technical {
			e.Kind = evaluate.Finance
		}
		w.inTx(func(ctx context.Context, tx *store.Q) error { return tx.PutExpert(ctx, e) })
		out = append(out, e)
	}
	return out
}

// Evaluation inserts a draft case of the default achievement set for an
// application by w.Univ (subject "achievement" id subject).
func (w *World) Evaluation(tb testing.TB, subject int64) *domain.Evaluation {
	tb.Helper()
	e := &domain.Evaluation{SubjectKind: "achievement", SubjectID: subject, ApplicantOrgID: w.Univ.ID,
		SetID: evaluate.DefaultSet, SetVersion: 1, ResultType: "applied", Status: domain.EvaluationDraft}
	w.inTx(func(ctx context.Context, tx *store.Q) error { return tx.CreateEvaluation(ctx, e) })
	return e
}

// CasePool returns the pool a case of the world is scored by, making it
// on first use: the world's own expert (w.User("expert"), of w.Institute)
// and six technical experts of institutes of their own. The first five
// are the panel EvaluationCase assigns.
func (w *World) CasePool(tb testing.TB) []evaluate.Expert {
	tb.Helper()
	var pool []evaluate.Expert
	w.inTx(func(ctx context.Context, tx *store.Q) error {
		var err error
		pool, err = tx.FindExperts(ctx)
		return err
	})
	if len(pool) >= 7 {
		return pool
	}
	me := w.Users["expert"]
	x := evaluate.Expert{ID: me.ID, Name: me.DisplayName, Org: evaluate.Org{ID: w.Institute.ID, Name: w.Institute.Name}, Kind: evaluate.Technical,
		Fields: []string{"材料科学与工程"}}
	w.inTx(func(ctx context.Context, tx *store.Q) error { return tx.PutExpert(ctx, x) })
	return append([]evaluate.Expert{x}, w.ExpertPool(tb, 6, 0, "材料科学与工程")...)
}

// EvaluationCase inserts a case of a filed achievement of w.Univ moved to
// status s the way the use cases move it: a panel of five from CasePool
// (the world's expert first), a scoring round with every form in at
// 80 points for publicity and later, a 公示 window that opened ten days
// ago and closed three days ago (so the bureau may finalise; an objection
// needs a window open today: EvaluationCaseOpen), an open objection for
// objection. It returns the case as stored.
func (w *World) EvaluationCase(tb testing.TB, s domain.EvaluationStatus) *domain.Evaluation {
	tb.Helper()
	return w.evaluationCase(tb, s, false)
}

// EvaluationCaseOpen is EvaluationCase with the 公示 window open today.
func (w *World) EvaluationCaseOpen(tb testing.TB, s domain.EvaluationStatus) *domain.Evaluation {
	tb.Helper()
	return w.evaluationCase(tb, s, true)
}

func (w *World) evaluationCase(tb testing.TB, s domain.EvaluationStatus, open bool) *domain.Evaluation {
	tb.Helper()
	pool := w.CasePool(tb)
	x := w.Achievement().Filed().Insert(tb)
	e := w.Evaluation(tb, x.ID)
	if s == domain.EvaluationDraft {
		return e
	}
	sets, err := evaluate.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	set, err := sets.Version(e.SetID, e.SetVersion)
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range pool[:5] {
		e.PanelUserIDs = append(e.PanelUserIDs, p.ID)
	}
	e.Status = domain.EvaluationPanel
	if s != domain.EvaluationPanel {
		e.Round, e.Status = 1, domain.EvaluationScoring
	}
	rt, _ := set.ResultType(e.ResultType)
	var forms []evaluate.Form
	if s != domain.EvaluationPanel && s != domain.EvaluationScoring {
		for _, id := range e.PanelUserIDs {
			f := evaluate.Form{Expert: id, Scores: map[string]int64{}, Comments: map[string]string{"technical": "技术路线清晰"}}
			for _, it := range rt.Items {
				f.Scores[it.Code] = 800
			}
			forms = append(forms, f)
		}
	}
	var r evaluate.Result
	if forms != nil {
		if r, err = set.Aggregate(e.ResultType, forms); err != nil {
			tb.Fatal(err)
		}
		now := w.Clock.Now()
		from, until := now.AddDate(0, 0, -10), now.AddDate(0, 0, -3)
		if open {
			from, until = now, now.AddDate(0, 0, set.PublicityDays-1)
		}
		e.ResultTenths, e.PublicityFrom, e.PublicityUntil = r.TotalTenths, domain.DateOf(from), domain.DateOf(until)
		e.Status = s
	}
	w.inTx(func(ctx context.Context, tx *store.Q) error {
		if err := tx.SaveEvaluation(ctx, e); err != nil {
			return err
		}
		for _, f := range forms {
			if err := tx.PutForm(ctx, e.ID, e.Round, f); err != nil {
				return err
			}
		}
		if forms != nil {
			if err := tx.SaveEvaluationResult(ctx, e.ID, &r); err != nil {
				return err
			}
		}
		if s == domain.EvaluationObjection {
			o := evaluate.Objection{By: w.Users["enterprise"].ID, ByName: w.Users["enterprise"].DisplayName, Text: "评分依据不足",
				FiledAt: w.Clock.Now(), Status: evaluate.ObjectionOpen}
			e.OpenObjections = 1
			if err := tx.AddObjection(ctx, e.ID, &o); err != nil {
				return err
			}
			return tx.SaveEvaluation(ctx, e)
		}
		return nil
	})
	return e
}
