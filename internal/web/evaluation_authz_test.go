package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/service"
)

// evaluationPageRows are the evaluation module's rows of the page
// authorisation matrix: the bureau runs the cases and keeps the pool; the
// world's expert (on every case's panel) scores; the unit applies for its
// filed achievement; the 公示 and a result on notice are public; anyone
// signed in but those who made the result may object.
func evaluationPageRows() []pageRow {
	bureau := []string{"admin", "bureau"}
	onCase := func(method, suffix string, s domain.EvaluationStatus, open bool, form func(fx *pageFixture, e *domain.Evaluation) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			var e *domain.Evaluation
			if open {
				e = fx.w.EvaluationCaseOpen(t, s)
			} else {
				e = fx.w.EvaluationCase(t, s)
			}
			rq := pageRequest{Method: method, Path: fmt.Sprintf("/evaluations/%d%s", e.ID, suffix)}
			if form != nil {
				rq.Form = form(fx, e)
			}
			return rq
		}
	}
	version := func(_ *pageFixture, e *domain.Evaluation) url.Values {
		return url.Values{"version": {strconv.FormatInt(e.Version, 10)}}
	}
	return []pageRow{
		{Pattern: "GET /evaluations", Allow: signedIn},
		{Pattern: "POST /evaluations/apply", Allow: []string{"admin", "bureau", "tto"}, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := fx.w.Achievement().Filed().Insert(t)
			return pageRequest{Method: "POST", Path: "/evaluations/apply", Form: url.Values{"achievement_id": {strconv.FormatInt(x.ID, 10)}}}
		}},
		{Pattern: "GET /evaluations/publicity", Public: true, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.w.EvaluationCaseOpen(t, domain.EvaluationPublicity)
			return pageRequest{Method: "GET", Path: "/evaluations/publicity"}
		}},
		{Pattern: "GET /evaluations/queue", Allow: []string{"expert"}, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.w.EvaluationCase(t, domain.EvaluationScoring)
			return pageRequest{Method: "GET", Path: "/evaluations/queue"}
		}},
		{Pattern: "GET /evaluations/experts", Allow: bureau, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.w.CasePool(t)
			return pageRequest{Method: "GET", Path: "/evaluations/experts"}
		}},
		{Pattern: "POST /evaluations/experts", Allow: bureau, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "POST", Path: "/evaluations/experts", Form: url.Values{"user": {strconv.FormatInt(fx.w.Users["expert"].ID, 10)},
				"kind": {"technical"}, "fields": {"材料科学与工程，robot"}, "declared_org": {strconv.FormatInt(fx.w.Univ2.ID, 10)}, "relation": {"曾任兼职教授"}}}
		}},
		{Pattern: "GET /evaluations/{id}", Public: true, Prepare: onCase("GET", "", domain.EvaluationPublicity, true, nil)},
		{Pattern: "POST /evaluations/{id}/assign", Allow: bureau, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			e := fx.w.EvaluationCase(t, domain.EvaluationDraft)
			f := version(fx, e)
			for _, x := range fx.w.CasePool(t)[:5] {
				f.Add("expert", strconv.FormatInt(x.ID, 10))
			}
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/evaluations/%d/assign", e.ID), Form: f}
		}},
		{Pattern: "POST /evaluations/{id}/open-scoring", Allow: bureau, Want: pageRedirect, Prepare: onCase("POST", "/open-scoring", domain.EvaluationPanel, false, version)},
		{Pattern: "POST /evaluations/{id}/publicise", Allow: bureau, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			e := fx.w.EvaluationCase(t, domain.EvaluationScoring)
			for _, id := range e.PanelUserIDs {
				u, err := fx.svc.Admin.User(context.Background(), service.ActorOf(fx.users["admin"]), id)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := fx.svc.Evaluations.Score(context.Background(), service.ActorOf(u), e.ID, evaluate.Form{Scores: pageScores(800)}); err != nil {
					t.Fatal(err)
				}
			}
			e, err := fx.svc.Evaluations.Get(context.Background(), service.ActorOf(fx.users["bureau"]), e.ID)
			if err != nil {
				t.Fatal(err)
			}
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/evaluations/%d/publicise", e.ID), Form: version(fx, e)}
		}},
		{Pattern: "POST /evaluations/{id}/finalise", Allow: bureau, Want: pageRedirect, Prepare: onCase("POST", "/finalise", domain.EvaluationPublicity, false, version)},
		{Pattern: "POST /evaluations/{id}/object", Allow: callersExcept("admin", "bureau", "expert"), Want: pageRedirect, Prepare: onCase("POST", "/object", domain.EvaluationPublicity, true,
			func(*pageFixture, *domain.Evaluation) url.Values {
				return url.Values{"text": {"专家组未考虑已有的应用证明"}}
			})},
		{Pattern: "POST /evaluations/{id}/resolve", Allow: bureau, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			e := fx.w.EvaluationCaseOpen(t, domain.EvaluationObjection)
			objs, err := fx.svc.Evaluations.Objections(context.Background(), service.ActorOf(fx.users["bureau"]), e.ID)
			if err != nil {
				t.Fatal(err)
			}
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/evaluations/%d/resolve", e.ID), Form: url.Values{"version": {strconv.FormatInt(e.Version, 10)},
				"objection": {strconv.FormatInt(objs[0].ID, 10)}, "upheld": {"0"}, "reply": {"经核实，评分依据充分"}}}
		}},
		{Pattern: "GET /evaluations/{id}/score", Allow: []string{"expert"}, Prepare: onCase("GET", "/score", domain.EvaluationScoring, false, nil)},
		{Pattern: "POST /evaluations/{id}/score", Allow: []string{"expert"}, Want: pageRedirect, Prepare: onCase("POST", "/score", domain.EvaluationScoring, false,
			func(*pageFixture, *domain.Evaluation) url.Values {
				f := url.Values{"comment_technical": {"中试数据充分"}}
				for code := range pageScores(0) {
					f.Set("score_"+code, "80.5")
				}
				return f
			})},
		{Pattern: "GET /evaluations/{id}/feedback", Public: true, Prepare: onCase("GET", "/feedback", domain.EvaluationPublicity, true, nil)},
	}
}

// pageScores scores every item of the world's cases (the default set,
// version 1, applied research) at tenths.
func pageScores(tenths int64) map[string]int64 {
	sets, _ := evaluate.Builtin()
	set, _ := sets.Version(evaluate.DefaultSet, 1)
	rt, _ := set.ResultType("applied")
	out := map[string]int64{}
	for _, it := range rt.Items {
		out[it.Code] = tenths
	}
	return out
}
