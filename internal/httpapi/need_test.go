package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

// TestNeedBoard: the public list and detail show published needs only,
// without the contact; a need goes from a draft to the board through the
// API; bad input is a 422 naming the field, in the caller's language.
func TestNeedBoard(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			fx.W.Need().Owner(fx.Orgs["enterprise"]).Submitted().Insert(t)
			res := fx.send(t, "enterprise", request{Method: "POST", Path: "/api/v1/needs", JSON: needInput()})
			if res.Status != http.StatusCreated {
				t.Fatalf("create: %d %s", res.Status, res.Body)
			}
			var x domain.Need
			must(t, json.Unmarshal(res.Body, &x))
			step := func(role, action, comment, outcome string) {
				t.Helper()
				res := fx.send(t, role, request{Method: "POST", Path: fmt.Sprintf("/api/v1/needs/%d/%s", x.ID, action),
					JSON: map[string]any{"version": x.Version, "comment": comment, "outcome": outcome}})
				if res.Status != http.StatusOK {
					t.Fatalf("%s by %s: %d %s", action, role, res.Status, res.Body)
				}
				must(t, json.Unmarshal(res.Body, &x))
			}
			list := func(query string) []domain.Need {
				t.Helper()
				res := fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/needs?" + query, NoAuth: true})
				if res.Status != http.StatusOK {
					t.Fatalf("board: %d %s", res.Status, res.Body)
				}
				var l struct {
					Items []domain.Need `json:"items"`
				}
				must(t, json.Unmarshal(res.Body, &l))
				return l.Items
			}
			step("enterprise", "submit", "", "")
			if got := list("q=%E7%84%8A%E7%82%B9"); len(got) != 0 {
				t.Fatalf("the board lists unpublished needs %v", got)
			}
			if res := fx.send(t, "anonymous", request{Method: "GET", Path: fmt.Sprintf("/api/v1/needs/%d", x.ID), NoAuth: true}); res.Status != http.StatusNotFound {
				t.Errorf("public detail of a submitted need: %d", res.Status)
			}
			step("bureau", "publish", "经核实", "")
			got := list("q=%E7%84%8A%E7%82%B9&state=open&min_budget_fen=100000000")
			if len(got) != 1 || got[0].ID != x.ID {
				t.Fatalf("board after publication: %v, want [%d]", got, x.ID)
			}
			res = fx.send(t, "anonymous", request{Method: "GET", Path: fmt.Sprintf("/api/v1/needs/%d", x.ID), NoAuth: true})
			if res.Status != http.StatusOK || strings.Contains(string(res.Body), "024-23456789") || strings.Contains(string(res.Body), "张工") {
				t.Errorf("public detail: %d %s", res.Status, res.Body)
			}
			res = fx.send(t, "bureau", request{Method: "GET", Path: fmt.Sprintf("/api/v1/needs/%d", x.ID)})
			if !strings.Contains(string(res.Body), "024-23456789") {
				t.Errorf("the bureau does not see the phone: %s", res.Body)
			}
			// Bad filters and bodies name the field, in English when asked.
			en := map[string]string{"Accept-Language": "en"}
			res = fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/needs?min_budget_fen=-1", NoAuth: true, Header: en})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "min_budget_fen") || hasHan(string(res.Body)) {
				t.Errorf("bad min_budget_fen: %d %s", res.Status, res.Body)
			}
			bad := needInput()
			bad["budget_max_fen"] = 1
			res = fx.send(t, "enterprise", request{Method: "POST", Path: "/api/v1/needs", JSON: bad, Header: en})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"budget_max_fen"`) || !strings.Contains(string(res.Body), "budget") {
				t.Errorf("max below min: %d %s", res.Status, res.Body)
			}
			res = fx.send(t, "enterprise", request{Method: "POST", Path: fmt.Sprintf("/api/v1/needs/%d/close", x.ID),
				JSON: map[string]any{"version": x.Version, "outcome": "sold"}, Header: en})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"outcome"`) || hasHan(string(res.Body)) {
				t.Errorf("bad outcome: %d %s", res.Status, res.Body)
			}
			// A stale version is a 409 that says nothing happened.
			res = fx.send(t, "enterprise", request{Method: "POST", Path: fmt.Sprintf("/api/v1/needs/%d/withdraw", x.ID),
				JSON: map[string]any{"version": x.Version - 1, "comment": "不需要了"}})
			if res.Status != http.StatusConflict {
				t.Errorf("stale withdraw: %d %s", res.Status, res.Body)
			}
			step("enterprise", "close", "与东北大学签订技术开发合同", "contract")
			if got := list("state=closed"); len(got) != 1 || got[0].Outcome != "contract" {
				t.Errorf("closed list: %+v", got)
			}
		})
	}
}
