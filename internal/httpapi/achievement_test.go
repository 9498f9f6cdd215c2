package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

// TestAchievementCatalogue: the public list and detail show published
// achievements only; a filing goes from a draft to the catalogue through
// the API; bad input is a 422 naming the field, in the caller's language.
func TestAchievementCatalogue(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			filed := fx.W.Achievement().Owner(fx.Orgs["university"]).Filed().Insert(t)
			res := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/achievements", JSON: achievementInput()})
			if res.Status != http.StatusCreated {
				t.Fatalf("create: %d %s", res.Status, res.Body)
			}
			var x domain.Achievement
			must(t, json.Unmarshal(res.Body, &x))
			step := func(role, action string, comment string) {
				t.Helper()
				res := fx.send(t, role, request{Method: "POST", Path: fmt.Sprintf("/api/v1/achievements/%d/%s", x.ID, action),
					JSON: map[string]any{"version": x.Version, "comment": comment}})
				if res.Status != http.StatusOK {
					t.Fatalf("%s by %s: %d %s", action, role, res.Status, res.Body)
				}
				must(t, json.Unmarshal(res.Body, &x))
			}
			list := func() []int64 {
				t.Helper()
				res := fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/achievements?q=%E9%95%81%E5%90%88%E9%87%91", NoAuth: true})
				if res.Status != http.StatusOK {
					t.Fatalf("catalogue: %d %s", res.Status, res.Body)
				}
				var l struct {
					Items []domain.Achievement `json:"items"`
					Total int                  `json:"total"`
				}
				must(t, json.Unmarshal(res.Body, &l))
				var ids []int64
				for _, it := range l.Items {
					ids = append(ids, it.ID)
				}
				return ids
			}
			step("tto", "submit", "")
			step("bureau", "file", "材料齐全")
			if ids := list(); len(ids) != 0 {
				t.Fatalf("the catalogue lists unpublished achievements %v (filed %d)", ids, filed.ID)
			}
			if res := fx.send(t, "anonymous", request{Method: "GET", Path: fmt.Sprintf("/api/v1/achievements/%d", x.ID), NoAuth: true}); res.Status != http.StatusNotFound {
				t.Errorf("public detail of a filed achievement: %d", res.Status)
			}
			step("tto", "publish", "")
			if ids := list(); len(ids) != 1 || ids[0] != x.ID {
				t.Fatalf("catalogue after publication: %v, want [%d]", ids, x.ID)
			}
			// Bad filters and bodies name the field, in English when asked.
			res = fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/achievements?min_trl=12", NoAuth: true,
				Header: map[string]string{"Accept-Language": "en"}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "min_trl") || !strings.Contains(string(res.Body), "Minimum TRL") {
				t.Errorf("bad min_trl: %d %s", res.Status, res.Body)
			}
			bad := achievementInput()
			bad["trl"] = 0
			res = fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/achievements", JSON: bad, Header: map[string]string{"Accept-Language": "en"}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"trl"`) || !strings.Contains(string(res.Body), "readiness") {
				t.Errorf("bad TRL: %d %s", res.Status, res.Body)
			}
			// A stale version is a 409 that says nothing happened.
			res = fx.send(t, "bureau", request{Method: "POST", Path: fmt.Sprintf("/api/v1/achievements/%d/unpublish", x.ID),
				JSON: map[string]any{"version": x.Version - 1, "comment": "核实"}})
			if res.Status != http.StatusConflict {
				t.Errorf("stale unpublish: %d %s", res.Status, res.Body)
			}
		})
	}
}
