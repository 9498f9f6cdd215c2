package security_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/config"
	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
)

// Replays of the probe's input findings (security-probe-2026-12.md):
// H3 (non-filers editing and submitting), M2 (open redirect after login),
// M6 and L5 (control characters, invalid UTF-8, names and dates), against
// the real HTTP stack on SQLite and PostgreSQL.

// TestH3OnlyFilersFile replays H3: the bureau shares the admin's
// organisation; it may not edit the admin's draft (renaming the seller to
// another organisation), upload its text or submit it — through the API or
// the pages — although it could before the fix.
func TestH3OnlyFilersFile(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			w := s.W
			draft := w.Contract().Owner(w.Bureau.ID).Insert(t) // the admin's filing for the university
			ready := w.Contract().Owner(w.Bureau.ID).WithDocument().Insert(t)
			body := *draft
			body.Seller = domain.Party{OrgID: w.Ent2.ID}
			id := strconv.FormatInt(draft.ID, 10)
			api := []inReq{
				{Method: "PUT", Path: "/api/v1/contracts/" + id, JSON: &body},
				{Method: "PUT", Path: "/api/v1/contracts/" + id + "/document", Body: storetest.PDF, Type: "application/pdf"},
				{Method: "POST", Path: fmt.Sprintf("/api/v1/contracts/%d/submit", ready.ID), JSON: map[string]int64{"version": ready.Version}},
			}
			for _, rq := range api {
				if res := s.do(t, "bureau", rq); res.Status != http.StatusForbidden {
					t.Errorf("bureau %s %s: %d, want 403: %s", rq.Method, rq.Path, res.Status, res.short())
				}
			}
			pages := []inReq{
				{Method: "GET", Path: "/contracts/" + id + "/edit"},
				{Method: "POST", Path: "/contracts/" + id + "/edit", Form: url.Values{"version": {strconv.FormatInt(draft.Version, 10)},
					"title": {draft.Title}, "seller_org_id": {strconv.FormatInt(w.Ent2.ID, 10)}}},
				{Method: "POST", Path: fmt.Sprintf("/contracts/%d/submit", ready.ID), Form: url.Values{"version": {strconv.FormatInt(ready.Version, 10)}}},
			}
			for _, rq := range pages {
				if res := s.do(t, "bureau", rq); res.Status != http.StatusForbidden {
					t.Errorf("bureau page %s %s: %d, want 403: %s", rq.Method, rq.Path, res.Status, res.short())
				}
			}
			// The admin (a filer of the organisation) still edits its draft.
			mine := *draft
			mine.Title += "（修订）"
			if res := s.do(t, "admin", inReq{Method: "PUT", Path: "/api/v1/contracts/" + id, JSON: &mine}); res.Status != http.StatusOK {
				t.Errorf("admin edits its own draft: %d: %s", res.Status, res.short())
			}
			for _, c := range []*domain.Contract{draft, ready} {
				got, err := s.Svc.Contracts.Get(t.Context(), w.Actor("admin"), c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != domain.ContractDraft || got.Seller.OrgID != w.Univ.ID {
					t.Errorf("contract %d after the bureau's attempts: %s, seller %d", c.ID, got.Status, got.Seller.OrgID)
				}
			}
		})
	}
}

// TestM2NoOpenRedirect replays M2: a TAB in next ("/%09/evil.example")
// became "//evil.example" in the browser, another origin, after login.
func TestM2NoOpenRedirect(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			evil := []string{"/\t/evil.example", "/\n/evil.example", "/ /evil.example", "/\x0b/evil.example", "//evil.example",
				"/\\evil.example", "https://evil.example/", "/\u3000/evil.example"}
			for _, next := range evil {
				// An already logged-in user is sent on at once.
				res := s.do(t, "admin", inReq{Method: "GET", Path: "/login?next=" + url.QueryEscape(next)})
				if loc := res.Header.Get("Location"); res.Status != http.StatusOK || strings.Contains(loc, "evil") {
					t.Errorf("logged in, GET /login?next=%q: %d to %q, want the login page", next, res.Status, loc)
				}
				// After a successful login, the user lands at home.
				res = s.do(t, "", inReq{Method: "POST", Path: "/login", Form: url.Values{"username": {"expert"},
					"password": {storetest.Password}, "next": {next}}})
				if loc := res.Header.Get("Location"); res.Status != http.StatusSeeOther || loc != "/stats" {
					t.Errorf("login with next=%q: %d to %q, want 303 to /stats", next, res.Status, loc)
				}
			}
			res := s.do(t, "admin", inReq{Method: "GET", Path: "/login?next=" + url.QueryEscape("/contracts?page=2")})
			if loc := res.Header.Get("Location"); res.Status != http.StatusSeeOther || loc != "/contracts?page=2" {
				t.Errorf("a path of the site: %d to %q, want it followed", res.Status, loc)
			}
		})
	}
}
