package httpapi_test

import (
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
)

// matchSchemaTypes pairs the matching module's schemas with their Go types.
var matchSchemaTypes = map[string][]any{
	"MatchResult": {domain.MatchResult{}}, "MatchGroup": {domain.MatchGroup{}}, "MatchSuggestion": {domain.MatchSuggestion{}},
	"MatchReason": {domain.MatchReason{}}, "MatchExcluded": {domain.MatchExcluded{}}, "MatchFeedback": {domain.MatchFeedback{}},
	"MatchFeedbackBody": {httpapi.MatchFeedbackBody{}}, "MatchReport": {domain.MatchReport{}}, "MatchReasonCount": {domain.MatchReasonCount{}},
}

// matchNeed publishes a need of the enterprise and an achievement of the
// university that matches it.
func matchNeed(t *testing.T, fx *fixture) (*domain.Need, *domain.Achievement) {
	t.Helper()
	n := fx.W.Need(func(x *domain.Need) {
		x.Title, x.Keywords = "镁合金板材轧制工艺改进", []string{"镁合金", "轧制"}
	}).Owner(fx.Orgs["enterprise"]).Published().Insert(t)
	y := fx.W.Achievement().Owner(fx.Orgs["university"]).Published().Insert(t)
	return n, y
}

func matchAuthzRows() []authzRow {
	owners := []string{"admin", "bureau"}
	return []authzRow{
		{Pattern: "GET /api/v1/needs/{id}/matches", Allow: append(owners, "enterprise", "agency"), Prepare: func(t *testing.T, fx *fixture, _ string) request {
			n, _ := matchNeed(t, fx)
			return request{Method: "GET", Path: fmt.Sprintf("/api/v1/needs/%d/matches", n.ID)}
		}},
		{Pattern: "GET /api/v1/achievements/{id}/matches", Allow: append(owners, "tto", "agency"), Prepare: func(t *testing.T, fx *fixture, _ string) request {
			_, y := matchNeed(t, fx)
			return request{Method: "GET", Path: fmt.Sprintf("/api/v1/achievements/%d/matches", y.ID)}
		}},
		{Pattern: "GET /api/v1/challenges/{id}/matches", Allow: append(owners, "enterprise"), Prepare: func(t *testing.T, fx *fixture, _ string) request {
			x := fx.W.Challenge().Owner(fx.Orgs["enterprise"]).Published().Insert(t)
			return request{Method: "GET", Path: fmt.Sprintf("/api/v1/challenges/%d/matches", x.ID)}
		}},
		{Pattern: "POST /api/v1/matches/feedback", Allow: append(owners, "enterprise"), Prepare: func(t *testing.T, fx *fixture, _ string) request {
			n, y := matchNeed(t, fx)
			return request{Method: "POST", Path: "/api/v1/matches/feedback", JSON: map[string]any{"surface": "need", "subject_id": n.ID,
				"item_kind": "achievement", "item_id": y.ID, "decision": "decline", "reason": "price", "note": "报价高于预算"}}
		}},
		{Pattern: "GET /api/v1/matches/report", Allow: owners},
	}
}
