package httpapi_test

import (
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
)

// achievementSchemaTypes pairs the achievement module's schemas with
// their Go types.
var achievementSchemaTypes = map[string][]any{
	"Achievement": {domain.Achievement{}}, "TeamMember": {domain.TeamMember{}}, "IPRight": {domain.IPRight{}},
	"Empowerment": {domain.Empowerment{}}, "AchievementList": {httpapi.AchievementList{}},
	"AchievementStepBody": {httpapi.AchievementStepBody{}}, "AchievementEvent": {domain.Event{}},
	"AchievementEventList": {httpapi.EventList{}},
}

// achievementInput is a valid filing as a university's officer sends it.
func achievementInput() map[string]any {
	return map[string]any{
		"title": "高性能镁合金板材异步轧制技术", "abstract": "本成果提出一种镁合金板材异步轧制工艺，在中试线上实现了板材强度与成形性能的同步提升。",
		"keywords": []string{"镁合金", "轧制"}, "team": []map[string]any{{"name": "王明", "leader": true}},
		"trl": 6, "trl_evidence": "中试线连续运行三个月", "stage": "pilot", "funding": "fiscal",
		"transfer_modes": []string{"license"}, "asking_price_fen": 0,
	}
}

// onAchievement builds a request about a fresh achievement of the
// university in status s.
func onAchievement(method, suffix string, s domain.AchievementStatus, body func(x *domain.Achievement) map[string]any) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, _ string) request {
		x := fx.W.Achievement().Owner(fx.Orgs["university"]).In(s).Insert(t)
		rq := request{Method: method, Path: fmt.Sprintf("/api/v1/achievements/%d%s", x.ID, suffix)}
		if body != nil {
			rq.JSON = body(x)
		}
		return rq
	}
}

func achievementAuthzRows() []authzRow {
	step := func(comment string) func(x *domain.Achievement) map[string]any {
		return func(x *domain.Achievement) map[string]any {
			return map[string]any{"version": x.Version, "comment": comment}
		}
	}
	reviewers := []string{"admin", "bureau"}
	return []authzRow{
		{Pattern: "GET /api/v1/achievements", Public: true},
		// The administrator may file but belongs to no university: refused by field.
		{Pattern: "POST /api/v1/achievements", Allow: []string{"tto"}, Either: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			return request{Method: "POST", Path: "/api/v1/achievements", JSON: achievementInput()}
		}},
		{Pattern: "GET /api/v1/achievements/{id}", Public: true, Prepare: onAchievement("GET", "", domain.AchievementPublished, nil)},
		{Pattern: "PUT /api/v1/achievements/{id}", Allow: []string{"tto"}, Prepare: onAchievement("PUT", "", domain.AchievementDraft,
			func(x *domain.Achievement) map[string]any {
				in := achievementInput()
				in["version"] = x.Version
				return in
			})},
		{Pattern: "DELETE /api/v1/achievements/{id}", Allow: []string{"tto"}, Prepare: func(t *testing.T, fx *fixture, role string) request {
			rq := onAchievement("DELETE", "", domain.AchievementDraft, nil)(t, fx, role)
			rq.Path += "?version=1"
			return rq
		}},
		{Pattern: "GET /api/v1/achievements/{id}/events", Allow: []string{"admin", "bureau", "tto"}, Prepare: onAchievement("GET", "/events", domain.AchievementPublished, nil)},
		{Pattern: "POST /api/v1/achievements/{id}/submit", Allow: []string{"tto"}, Prepare: onAchievement("POST", "/submit", domain.AchievementDraft, step(""))},
		{Pattern: "POST /api/v1/achievements/{id}/file", Allow: reviewers, Prepare: onAchievement("POST", "/file", domain.AchievementSubmitted, step(""))},
		{Pattern: "POST /api/v1/achievements/{id}/return", Allow: reviewers, Prepare: onAchievement("POST", "/return", domain.AchievementSubmitted, step("请补充材料"))},
		{Pattern: "POST /api/v1/achievements/{id}/publish", Allow: []string{"admin", "bureau", "tto"}, Prepare: onAchievement("POST", "/publish", domain.AchievementFiled, step(""))},
		{Pattern: "POST /api/v1/achievements/{id}/unpublish", Allow: []string{"admin", "bureau", "tto"}, Prepare: onAchievement("POST", "/unpublish", domain.AchievementPublished, step("核实中"))},
		{Pattern: "POST /api/v1/achievements/{id}/transfer", Allow: []string{"tto"}, Prepare: onAchievement("POST", "/transfer", domain.AchievementPublished, step(""))},
		{Pattern: "POST /api/v1/achievements/{id}/withdraw", Allow: []string{"tto"}, Prepare: onAchievement("POST", "/withdraw", domain.AchievementPublished, step("不再对外提供"))},
	}
}
