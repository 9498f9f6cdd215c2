package httpapi_test

import (
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/httpapi"
	"kechuang/internal/service"
)

// evaluationSchemaTypes pairs the evaluation module's schemas with their
// Go types.
var evaluationSchemaTypes = map[string][]any{
	"Evaluation": {domain.Evaluation{}}, "EvaluationRow": {service.EvaluationRow{}}, "EvaluationList": {httpapi.EvaluationList{}},
	"EvaluationQueueItem": {service.QueueItem{}}, "EvaluationQueue": {httpapi.EvaluationQueue{}},
	"EvaluationOpenBody": {httpapi.EvaluationOpenBody{}}, "EvaluationStepBody": {httpapi.EvaluationStepBody{}},
	"EvaluationAssignBody": {httpapi.EvaluationAssignBody{}}, "EvaluationFormBody": {httpapi.EvaluationFormBody{}},
	"EvaluationForm": {httpapi.EvaluationForm{}}, "EvaluationObjectionBody": {httpapi.EvaluationObjectionBody{}},
	"EvaluationResolveBody": {httpapi.EvaluationResolveBody{}}, "EvaluationObjection": {httpapi.EvaluationObjection{}},
	"EvaluationObjectionList": {httpapi.EvaluationObjectionList{}}, "ExpertDeclaration": {httpapi.ExpertDeclaration{}},
	"Expert": {httpapi.Expert{}}, "ExpertList": {httpapi.ExpertList{}}, "ExpertBody": {httpapi.ExpertBody{}},
	"PanelRuleCheck": {httpapi.PanelRuleCheck{}}, "ExcludedExpert": {httpapi.ExcludedExpert{}}, "PanelProposal": {httpapi.PanelProposal{}},
	"SetPanelRules": {httpapi.SetPanelRules{}}, "SetGrade": {httpapi.SetGrade{}}, "SetIndicator": {httpapi.SetIndicator{}},
	"SetItem": {httpapi.SetItem{}}, "SetResultType": {httpapi.SetResultType{}}, "IndicatorSet": {httpapi.IndicatorSet{}},
	"IndicatorSetList": {httpapi.IndicatorSetList{}}, "IndicatorResult": {evaluate.IndicatorResult{}},
	"EvaluationFeedback": {evaluate.Feedback{}},
}

// onEvaluation builds a request about a fresh case of the world in status
// s (its 公示 window open today when open).
func onEvaluation(method, suffix string, s domain.EvaluationStatus, open bool, body func(fx *fixture, e *domain.Evaluation) map[string]any) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, _ string) request {
		var e *domain.Evaluation
		if open {
			e = fx.W.EvaluationCaseOpen(t, s)
		} else {
			e = fx.W.EvaluationCase(t, s)
		}
		rq := request{Method: method, Path: fmt.Sprintf("/api/v1/evaluations/%d%s", e.ID, suffix)}
		if body != nil {
			rq.JSON = body(fx, e)
		}
		return rq
	}
}

func evaluationAuthzRows() []authzRow {
	version := func(_ *fixture, e *domain.Evaluation) map[string]any { return map[string]any{"version": e.Version} }
	bureau := []string{"admin", "bureau"}
	return []authzRow{
		{Pattern: "GET /api/v1/evaluations", Allow: loggedIn},
		// The unit applies for its own filed achievement; the bureau for any.
		{Pattern: "POST /api/v1/evaluations", Allow: []string{"admin", "bureau", "tto"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			x := fx.W.Achievement().Owner(fx.Orgs["university"]).Filed().Insert(t)
			return request{Method: "POST", Path: "/api/v1/evaluations", JSON: map[string]any{"subject_kind": "achievement", "subject_id": x.ID}}
		}},
		{Pattern: "GET /api/v1/evaluations/publicity", Public: true},
		{Pattern: "GET /api/v1/evaluations/queue", Allow: []string{"expert"}},
		{Pattern: "GET /api/v1/evaluations/{id}", Public: true, Prepare: onEvaluation("GET", "", domain.EvaluationPublicity, true, nil)},
		{Pattern: "GET /api/v1/evaluations/{id}/proposal", Allow: bureau, Prepare: onEvaluation("GET", "/proposal", domain.EvaluationDraft, false, nil)},
		{Pattern: "POST /api/v1/evaluations/{id}/assign", Allow: bureau, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			e := fx.W.EvaluationCase(t, domain.EvaluationDraft)
			var ids []int64
			for _, x := range fx.W.CasePool(t)[:5] {
				ids = append(ids, x.ID)
			}
			return request{Method: "POST", Path: fmt.Sprintf("/api/v1/evaluations/%d/assign", e.ID), JSON: map[string]any{"version": e.Version, "experts": ids}}
		}},
		{Pattern: "POST /api/v1/evaluations/{id}/open-scoring", Allow: bureau, Prepare: onEvaluation("POST", "/open-scoring", domain.EvaluationPanel, false, version)},
		{Pattern: "GET /api/v1/evaluations/{id}/form", Allow: []string{"expert"}, Prepare: onEvaluation("GET", "/form", domain.EvaluationScoring, false, nil)},
		{Pattern: "PUT /api/v1/evaluations/{id}/form", Allow: []string{"expert"}, Prepare: onEvaluation("PUT", "/form", domain.EvaluationScoring, false,
			func(*fixture, *domain.Evaluation) map[string]any { return map[string]any{"scores": appliedScores(800)} })},
		{Pattern: "POST /api/v1/evaluations/{id}/publicise", Allow: bureau, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			// every form in: a publicity case moved back to scoring
			e := fx.W.EvaluationCase(t, domain.EvaluationScoring)
			fx.scoreAll(t, e)
			return request{Method: "POST", Path: fmt.Sprintf("/api/v1/evaluations/%d/publicise", e.ID), JSON: map[string]any{"version": fx.evaluationVersion(t, e.ID)}}
		}},
		{Pattern: "GET /api/v1/evaluations/{id}/objections", Allow: loggedIn, Prepare: onEvaluation("GET", "/objections", domain.EvaluationPublicity, true, nil)},
		{Pattern: "POST /api/v1/evaluations/{id}/objections", Allow: except("admin", "bureau", "expert"), Prepare: onEvaluation("POST", "/objections", domain.EvaluationPublicity, true,
			func(*fixture, *domain.Evaluation) map[string]any {
				return map[string]any{"text": "专家组未考虑已有的应用证明"}
			})},
		{Pattern: "POST /api/v1/evaluations/{id}/objections/{oid}/resolve", Allow: bureau, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			e := fx.W.EvaluationCaseOpen(t, domain.EvaluationObjection)
			objs, err := fx.Svc.Evaluations.Objections(t.Context(), service.ActorOf(fx.Users["bureau"]), e.ID)
			must(t, err)
			return request{Method: "POST", Path: fmt.Sprintf("/api/v1/evaluations/%d/objections/%d/resolve", e.ID, objs[0].ID),
				JSON: map[string]any{"version": e.Version, "upheld": false, "reply": "经核实，评分依据充分"}}
		}},
		{Pattern: "POST /api/v1/evaluations/{id}/finalise", Allow: bureau, Prepare: onEvaluation("POST", "/finalise", domain.EvaluationPublicity, false, version)},
		{Pattern: "GET /api/v1/evaluations/{id}/feedback", Public: true, Prepare: onEvaluation("GET", "/feedback", domain.EvaluationPublicity, true, nil)},
		{Pattern: "GET /api/v1/evaluation-experts", Allow: bureau},
		{Pattern: "PUT /api/v1/evaluation-experts/{user_id}", Allow: bureau, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			return request{Method: "PUT", Path: fmt.Sprintf("/api/v1/evaluation-experts/%d", fx.Users["expert"].ID),
				JSON: map[string]any{"kind": "technical", "fields": []string{"材料科学与工程"}, "declared": []map[string]any{}}}
		}},
		{Pattern: "GET /api/v1/evaluation-sets", Public: true},
		{Pattern: "GET /api/v1/evaluation-sets/{set}/in-force", Public: true, Prepare: func(*testing.T, *fixture, string) request {
			return request{Method: "GET", Path: "/api/v1/evaluation-sets/achievement/in-force?date=2025-01-01"}
		}},
	}
}

// appliedScores scores every item of the default set's applied result
// type (version 1, in force on the world's date) at tenths.
func appliedScores(tenths int64) map[string]int64 {
	sets, _ := evaluate.Builtin()
	set, _ := sets.Version(evaluate.DefaultSet, 1)
	rt, _ := set.ResultType("applied")
	out := map[string]int64{}
	for _, it := range rt.Items {
		out[it.Code] = tenths
	}
	return out
}

// scoreAll hands in every panel expert's form through the use case.
func (fx *fixture) scoreAll(t *testing.T, e *domain.Evaluation) {
	t.Helper()
	for _, id := range e.PanelUserIDs {
		u, err := fx.Svc.Admin.User(t.Context(), service.ActorOf(fx.Users["admin"]), id)
		must(t, err)
		_, err = fx.Svc.Evaluations.Score(t.Context(), service.ActorOf(u), e.ID, evaluate.Form{Scores: appliedScores(800)})
		must(t, err)
	}
}

func (fx *fixture) evaluationVersion(t *testing.T, id int64) int64 {
	t.Helper()
	e, err := fx.Svc.Evaluations.Get(t.Context(), service.ActorOf(fx.Users["bureau"]), id)
	must(t, err)
	return e.Version
}
