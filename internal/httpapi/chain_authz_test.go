package httpapi_test

import (
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/service"
)

// chainSchemaTypes pairs the chain's schemas with their Go types.
var chainSchemaTypes = map[string][]any{
	"ContractLink": {domain.ContractLink{}}, "ContractLinksBody": {httpapi.ContractLinksBody{}},
	"ChainStats": {service.ChainStats{}}, "ChainStageCount": {service.ChainStageCount{}},
	"ChainTimeline": {service.ChainTimeline{}}, "ChainStep": {service.ChainStep{}}, "ChainRef": {domain.ChainRef{}},
}

func chainAuthzRows() []authzRow {
	return []authzRow{
		{Pattern: "GET /api/v1/stats/chain", Public: true, Prepare: func(*testing.T, *fixture, string) request {
			return request{Method: "GET", Path: "/api/v1/stats/chain?year=2023"}
		}},
		{Pattern: "GET /api/v1/achievements/{id}/timeline", Public: true, Prepare: onAchievement("GET", "/timeline", domain.AchievementPublished, nil)},
		{Pattern: "GET /api/v1/needs/{id}/timeline", Public: true, Prepare: onNeed("GET", "/timeline", domain.NeedPublished, nil)},
		// The registrar of the contract's registry names its sources.
		{Pattern: "PUT /api/v1/contracts/{id}/links", Allow: []string{"registrar"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			c := fx.accepted(t)
			x := fx.W.Achievement().Owner(fx.Orgs["university"]).Published().Insert(t)
			return request{Method: "PUT", Path: fmt.Sprintf("/api/v1/contracts/%d/links", c.ID),
				JSON: map[string]any{"version": c.Version, "links": []map[string]any{{"kind": "achievement", "ref_id": x.ID}}}}
		}},
	}
}
