package store_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestEvaluationList: the case list filters by status, subject kind,
// applicant and the public 公示 (publicity or under objection), newest
// first with the total and pages; an expert's own form and who handed in
// read back on both databases.
func TestEvaluationList(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		draft := w.EvaluationCase(t, domain.EvaluationDraft)
		scoring := w.EvaluationCase(t, domain.EvaluationScoring)
		pub := w.EvaluationCaseOpen(t, domain.EvaluationPublicity)
		obj := w.EvaluationCaseOpen(t, domain.EvaluationObjection)
		final := w.EvaluationCase(t, domain.EvaluationFinal)
		ids := func(f domain.EvaluationFilter) ([]int64, int) {
			t.Helper()
			es, n, err := st.FindEvaluations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, e := range es {
				out = append(out, e.ID)
			}
			return out, n
		}
		if got, n := ids(domain.EvaluationFilter{}); n != 5 || len(got) != 5 || got[0] != final.ID || got[4] != draft.ID {
			t.Errorf("all: %v %d", got, n)
		}
		if got, n := ids(domain.EvaluationFilter{Public: true}); n != 2 || got[0] != obj.ID || got[1] != pub.ID {
			t.Errorf("public: %v %d", got, n)
		}
		if got, _ := ids(domain.EvaluationFilter{Status: domain.EvaluationScoring}); len(got) != 1 || got[0] != scoring.ID {
			t.Errorf("scoring: %v", got)
		}
		if _, n := ids(domain.EvaluationFilter{SubjectKind: "challenge_answer"}); n != 0 {
			t.Errorf("challenge answers: %d", n)
		}
		if _, n := ids(domain.EvaluationFilter{ApplicantOrgID: w.Univ2.ID}); n != 0 {
			t.Errorf("another applicant: %d", n)
		}
		if got, n := ids(domain.EvaluationFilter{Page: 2, PerPage: 2}); n != 5 || len(got) != 2 || got[0] != pub.ID || got[1] != scoring.ID {
			t.Errorf("page 2: %v %d", got, n)
		}
		me := w.Users["expert"].ID
		f, err := st.FindForm(ctx, pub.ID, pub.Round, me)
		if err != nil || f == nil || f.Expert != me || f.Comments["technical"] == "" || len(f.Scores) == 0 {
			t.Errorf("own form %+v %v", f, err)
		}
		if f, err := st.FindForm(ctx, scoring.ID, scoring.Round, me); err != nil || f != nil {
			t.Errorf("no form yet: %+v %v", f, err)
		}
		in, err := st.FormsHandedIn(ctx, pub.ID, pub.Round)
		if err != nil || len(in) != 5 || !in[me] {
			t.Errorf("handed in %v %v", in, err)
		}
	})
}
