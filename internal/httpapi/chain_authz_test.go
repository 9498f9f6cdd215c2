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

// TestChainAPI: a filing naming an unknown kind or a record the filer may
// not see is refused naming the link's field; a good one is read back with
// its title; the public reads the published achievement's timeline and the
// year's figures, and a bad year is refused naming year.
func TestChainAPI(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			x := fx.W.Achievement().Owner(fx.Orgs["university"]).Published().Insert(t)
			hidden := fx.W.Achievement().Owner(fx.Orgs["institute"]).Filed().Insert(t)
			for _, tc := range []struct {
				links []domain.ContractLink
				field string
			}{
				{[]domain.ContractLink{{Kind: "pilot", RefID: x.ID}}, "links[0].kind"},
				{[]domain.ContractLink{{Kind: "event", RefID: 999999}}, "links[0].ref_id"},
				{[]domain.ContractLink{{Kind: "achievement", RefID: hidden.ID}}, "links[0].ref_id"},
			} {
				in := fx.contractInput(fx.Orgs["university"])
				in.Links = tc.links
				res := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/contracts", JSON: in})
				if p := res.problem(t); res.Status != 422 || p.Field != tc.field {
					t.Errorf("%+v: %d %+v", tc.links, res.Status, p)
				}
			}
			in := fx.contractInput(fx.Orgs["university"])
			in.Links = []domain.ContractLink{{Kind: "achievement", RefID: x.ID}}
			res := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/contracts", JSON: in})
			var c domain.Contract
			res.decode(t, &c)
			if res.Status != 201 || len(c.Links) != 1 || c.Links[0].Title != x.Title {
				t.Fatalf("created: %d %+v", res.Status, c.Links)
			}
			res = fx.send(t, "anonymous", request{Method: "GET", Path: fmt.Sprintf("/api/v1/achievements/%d/timeline", x.ID)})
			var tl service.ChainTimeline
			res.decode(t, &tl)
			if res.Status != 200 || tl.Title != x.Title || len(tl.Steps) == 0 {
				t.Errorf("timeline: %d %+v", res.Status, tl)
			}
			if res := fx.send(t, "anonymous", request{Method: "GET", Path: fmt.Sprintf("/api/v1/achievements/%d/timeline", hidden.ID)}); res.Status != 404 {
				t.Errorf("an unpublished achievement's timeline: %d", res.Status)
			}
			res = fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/stats/chain?year=3000"})
			if p := res.problem(t); res.Status != 422 || p.Field != "year" {
				t.Errorf("year 3000: %d %+v", res.Status, p)
			}
		})
	}
}
