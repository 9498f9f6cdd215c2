package httpapi_test

import (
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
)

// needSchemaTypes pairs the need module's schemas with their Go types.
var needSchemaTypes = map[string][]any{
	"Need": {domain.Need{}}, "NeedIndicator": {domain.NeedIndicator{}}, "NeedList": {httpapi.NeedList{}},
	"NeedStepBody": {httpapi.NeedStepBody{}}, "NeedEvent": {domain.Event{}}, "NeedEventList": {httpapi.EventList{}},
}

// needInput is a valid need as an enterprise's user sends it.
func needInput() map[string]any {
	return map[string]any{
		"title": "焊装线焊点视觉在线检测系统", "problem": "我公司焊装线焊点质量依赖人工抽检，漏检率高，希望引入机器视觉实现焊点在线全检。",
		"indicators":     []map[string]any{{"indicator": "漏检率", "target": "≤0.1", "unit": "%"}},
		"budget_min_fen": 50_000_000, "budget_max_fen": 100_000_000, "deadline": "2099-12-31",
		"keywords": []string{"机器视觉"}, "stage": "pilot", "cooperation_modes": []string{"develop"},
		"contact_name": "张工", "contact_phone": "024-23456789",
	}
}

// onNeed builds a request about a fresh need of the enterprise in status s.
func onNeed(method, suffix string, s domain.NeedStatus, body func(x *domain.Need) map[string]any) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, _ string) request {
		x := fx.W.Need().Owner(fx.Orgs["enterprise"]).In(s).Insert(t)
		rq := request{Method: method, Path: fmt.Sprintf("/api/v1/needs/%d%s", x.ID, suffix)}
		if body != nil {
			rq.JSON = body(x)
		}
		return rq
	}
}

func needAuthzRows() []authzRow {
	step := func(comment, outcome string) func(x *domain.Need) map[string]any {
		return func(x *domain.Need) map[string]any {
			return map[string]any{"version": x.Version, "comment": comment, "outcome": outcome}
		}
	}
	reviewers := []string{"admin", "bureau"}
	return []authzRow{
		{Pattern: "GET /api/v1/needs", Public: true},
		// The administrator may post but belongs to no enterprise: refused by field.
		{Pattern: "POST /api/v1/needs", Allow: []string{"enterprise"}, Either: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			return request{Method: "POST", Path: "/api/v1/needs", JSON: needInput()}
		}},
		{Pattern: "GET /api/v1/needs/{id}", Public: true, Prepare: onNeed("GET", "", domain.NeedPublished, nil)},
		{Pattern: "PUT /api/v1/needs/{id}", Allow: []string{"enterprise"}, Prepare: onNeed("PUT", "", domain.NeedDraft,
			func(x *domain.Need) map[string]any {
				in := needInput()
				in["version"] = x.Version
				return in
			})},
		{Pattern: "DELETE /api/v1/needs/{id}", Allow: []string{"enterprise"}, Prepare: func(t *testing.T, fx *fixture, role string) request {
			rq := onNeed("DELETE", "", domain.NeedDraft, nil)(t, fx, role)
			rq.Path += "?version=1"
			return rq
		}},
		{Pattern: "GET /api/v1/needs/{id}/events", Allow: []string{"admin", "bureau", "enterprise"}, Prepare: onNeed("GET", "/events", domain.NeedPublished, nil)},
		{Pattern: "POST /api/v1/needs/{id}/submit", Allow: []string{"enterprise"}, Prepare: onNeed("POST", "/submit", domain.NeedDraft, step("", ""))},
		{Pattern: "POST /api/v1/needs/{id}/publish", Allow: reviewers, Prepare: onNeed("POST", "/publish", domain.NeedSubmitted, step("", ""))},
		{Pattern: "POST /api/v1/needs/{id}/return", Allow: reviewers, Prepare: onNeed("POST", "/return", domain.NeedSubmitted, step("请补充指标", ""))},
		{Pattern: "POST /api/v1/needs/{id}/close", Allow: []string{"admin", "bureau", "enterprise"}, Prepare: onNeed("POST", "/close", domain.NeedPublished, step("", "other"))},
		{Pattern: "POST /api/v1/needs/{id}/withdraw", Allow: []string{"enterprise"}, Prepare: onNeed("POST", "/withdraw", domain.NeedPublished, step("已自行解决", ""))},
	}
}
