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
