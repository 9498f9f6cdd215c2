package security_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"kechuang/internal/config"
	"kechuang/internal/domain"
)

// TestL5OrgServerMembers replays the rest of L5 (issue 6): the bureau
// created an organisation with a client-chosen created_at
// ({"kind":"registry","name":"  ","created_at":"1999-01-01T00:00:00Z"} →
// 201). The members the server owns — id, created_at, updated_at, version,
// status and disabled on create; id, created_at, updated_at and status on
// update — never reach the record: the strict decoder refuses a member the
// request type does not have (422 naming it), and a request type that came
// to carry one must still store the server's value. Each member is sent on
// its own, so the test fails on the first one the server copies.
func TestL5OrgServerMembers(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			w := s.W
			decode := func(res inRes) domain.Org {
				t.Helper()
				var o domain.Org
				if err := json.Unmarshal([]byte(res.Body), &o); err != nil {
					t.Fatalf("%d: %v: %s", res.Status, err, res.short())
				}
				return o
			}
			forged := map[string]any{"id": 987654, "created_at": "1999-01-01T00:00:00Z", "updated_at": "1999-01-02T00:00:00Z",
				"version": 42, "status": "disabled", "disabled": true}
			// notCopied checks one answer to a request carrying member k.
			notCopied := func(what, k string, res inRes, want func(o domain.Org) bool) {
				t.Helper()
				switch res.Status {
				case http.StatusUnprocessableEntity:
					if f := problemField(t, res); f != k {
						t.Errorf("%s with %s: 422 naming %q: %s", what, k, f, res.short())
					}
				case http.StatusOK, http.StatusCreated:
					if o := decode(res); !want(o) {
						t.Errorf("%s copied the client's %s: %+v", what, k, o)
					}
				default:
					t.Errorf("%s with %s: %d: %s", what, k, res.Status, res.short())
				}
			}
			for k, v := range forged {
				body := map[string]any{"kind": "enterprise", "name": "沈阳回放科技有限公司" + k, "uscc": w.USCC(), "region_code": "210106", k: v}
				now := w.Clock.Now()
				res := s.do(t, "bureau", inReq{Method: "POST", Path: "/api/v1/orgs", JSON: body})
				notCopied("create", k, res, func(o domain.Org) bool {
					return o.ID != 987654 && o.CreatedAt.Equal(now) && o.UpdatedAt.Equal(now) && o.Version != 42 && !o.Disabled
				})
			}
			// A clean organisation, then updates each carrying one forged member.
			created := w.Clock.Now()
			res := s.do(t, "bureau", inReq{Method: "POST", Path: "/api/v1/orgs",
				JSON: map[string]any{"kind": "enterprise", "name": "沈阳回放科技有限公司", "uscc": w.USCC(), "region_code": "210106"}})
			if res.Status != http.StatusCreated {
				t.Fatalf("create: %d: %s", res.Status, res.short())
			}
			o := decode(res)
			if !o.CreatedAt.Equal(created) || o.Disabled {
				t.Fatalf("created = %+v", o)
			}
			for _, k := range []string{"id", "created_at", "updated_at", "status"} {
				w.Clock.Advance(time.Minute)
				cur, err := w.St.FindOrgByID(t.Context(), o.ID)
				if err != nil {
					t.Fatal(err)
				}
				patch := map[string]any{"version": cur.Version, "name": "沈阳回放科技股份有限公司" + k, k: forged[k]}
				res := s.do(t, "bureau", inReq{Method: "PATCH", Path: fmt.Sprintf("/api/v1/orgs/%d", o.ID), JSON: patch})
				now := w.Clock.Now()
				notCopied("update", k, res, func(u domain.Org) bool {
					return u.ID == o.ID && u.CreatedAt.Equal(created) && u.UpdatedAt.Equal(now) && u.Version == cur.Version+1 && !u.Disabled
				})
			}
			stored, err := w.St.FindOrgByID(t.Context(), o.ID)
			if err != nil || !stored.CreatedAt.Equal(created) || stored.Disabled || stored.UpdatedAt.Year() == 1999 {
				t.Errorf("stored = %+v, %v", stored, err)
			}
			// The version is the caller's check, never a value it sets.
			patch := map[string]any{"version": 42, "name": "沈阳回放"}
			if res := s.do(t, "bureau", inReq{Method: "PATCH", Path: fmt.Sprintf("/api/v1/orgs/%d", o.ID), JSON: patch}); res.Status != http.StatusConflict {
				t.Errorf("a stale version: %d, want 409: %s", res.Status, res.short())
			}
		})
	}
}
