package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestEvaluationRecords: the pool, a case with its panel, forms by round,
// the result and the objections survive a round trip on both databases;
// a stale save is refused.
func TestEvaluationRecords(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		pool := w.ExpertPool(t, 6, 1, "robotics")
		// a declared relation
		pool[0].Declared = []evaluate.Declaration{{OrgID: w.Ent.ID, Relation: "近三年合作研究"}}
		if err := st.PutExpert(ctx, pool[0]); err != nil {
			t.Fatal(err)
		}
		if err := st.PutExpert(ctx, evaluate.Expert{ID: pool[1].ID, Kind: "wizard"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("a bad kind: %v", err)
		}
		got, err := st.FindExperts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, pool) {
			t.Fatalf("pool\n%+v\nwant\n%+v", got, pool)
		}
		u, err := st.FindUserByID(ctx, pool[6].ID)
		if err != nil {
			t.Fatal(err)
		}
		u.Disabled = true
		if err := st.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.FindExperts(ctx); !reflect.DeepEqual(got, pool[:6]) {
			t.Errorf("a disabled expert stays in the pool: %+v", got)
		}

		e := w.Evaluation(t, 12)
		e.CoApplicantOrgIDs, e.PeopleUserIDs, e.Fields = []int64{w.Ent.ID}, []int64{w.User("tto").ID}, []string{"robotics"}
		e.PanelUserIDs = []int64{pool[2].ID, pool[1].ID, pool[3].ID}
		e.Status, e.Round = domain.EvaluationScoring, 1
		stale := *e
		if err := st.SaveEvaluation(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveEvaluation(ctx, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a stale save: %v", err)
		}
		back, err := st.FindEvaluation(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, e) || back.Version != 2 {
			t.Fatalf("case\n%+v\nwant\n%+v", back, e)
		}
		if _, err := st.FindEvaluation(ctx, e.ID+100); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a missing case: %v", err)
		}
		queue, err := st.FindScoringQueue(ctx, pool[1].ID)
		if err != nil || len(queue) != 1 || queue[0].ID != e.ID {
			t.Errorf("queue %v %v", queue, err)
		}
		if queue, _ := st.FindScoringQueue(ctx, pool[4].ID); len(queue) != 0 {
			t.Errorf("an expert off the panel has %v", queue)
		}
		of, err := st.FindEvaluationsOf(ctx, "achievement", 12)
		if err != nil || len(of) != 1 {
			t.Errorf("cases of the subject: %v %v", of, err)
		}

		f := evaluate.Form{Expert: pool[1].ID, Scores: map[string]int64{"a": 875}, Comments: map[string]string{"technical": "好"}, Opinion: "同意"}
		if err := st.PutForm(ctx, e.ID, 1, f); err != nil {
			t.Fatal(err)
		}
		f.Scores["a"] = 880 // handed in again in the same round: replaced
		if err := st.PutForm(ctx, e.ID, 1, f); err != nil {
			t.Fatal(err)
		}
		if err := st.PutForm(ctx, e.ID, 2, evaluate.Form{Expert: pool[2].ID, Scores: map[string]int64{"a": 1}}); err != nil {
			t.Fatal(err)
		}
		forms, err := st.FindForms(ctx, e.ID, 1)
		if err != nil || len(forms) != 1 || !reflect.DeepEqual(forms[0], f) {
			t.Errorf("forms %+v %v", forms, err)
		}

		if r, err := st.FindEvaluationResult(ctx, e.ID); r != nil || err != nil {
			t.Errorf("a result before publicity: %v %v", r, err)
		}
		r := &evaluate.Result{Set: "achievement@2", ResultType: "applied", Method: evaluate.Trimmed, Experts: 5, TotalTenths: 812,
			Grade: "先进水平", Indicators: []evaluate.IndicatorResult{{Code: "technical", Name: "技术价值", WeightPermille: 300, ScoreTenths: 790,
				Comments: []string{"好"}}}, Dropped: []int64{1, 2}}
		if err := st.SaveEvaluationResult(ctx, e.ID, r); err != nil {
			t.Fatal(err)
		}
		if back, err := st.FindEvaluationResult(ctx, e.ID); err != nil || !reflect.DeepEqual(back, r) {
			t.Errorf("result %+v %v", back, err)
		}

		filed := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
		o := &evaluate.Objection{By: w.User("enterprise").ID, ByName: "王五", Text: "评分依据不足", FiledAt: filed, Status: evaluate.ObjectionOpen}
		if err := st.AddObjection(ctx, e.ID, o); err != nil || o.ID == 0 {
			t.Fatal(o.ID, err)
		}
		o.Status, o.Reply, o.HandledAt = evaluate.ObjectionDismissed, "不成立", filed.Add(time.Hour)
		if err := st.SaveObjection(ctx, o); err != nil {
			t.Fatal(err)
		}
		objs, err := st.FindObjections(ctx, e.ID)
		if err != nil || len(objs) != 1 || !reflect.DeepEqual(objs[0], o) {
			t.Errorf("objections %+v %v", objs, err)
		}
	})
}
