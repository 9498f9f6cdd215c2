package security_test

import (
	"encoding/json"
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
				// An already logged-in user is sent on at once: here, the login
				// page (or a 422 for a control character in the query).
				res := s.do(t, "admin", inReq{Method: "GET", Path: "/login?next=" + url.QueryEscape(next)})
				if ok := res.Status == http.StatusOK || res.Status == http.StatusUnprocessableEntity; !ok || res.Header.Get("Location") != "" {
					t.Errorf("logged in, GET /login?next=%q: %d to %q, want the login page", next, res.Status, res.Header.Get("Location"))
				}
				// After a successful login, the user lands at home (or the form
				// is refused for a control character).
				res = s.do(t, "", inReq{Method: "POST", Path: "/login", Form: url.Values{"username": {"expert"},
					"password": {storetest.Password}, "next": {next}}})
				home := res.Status == http.StatusSeeOther && res.Header.Get("Location") == "/stats"
				if !home && res.Status != http.StatusUnprocessableEntity {
					t.Errorf("login with next=%q: %d to %q, want 303 to /stats", next, res.Status, res.Header.Get("Location"))
				}
			}
			res := s.do(t, "admin", inReq{Method: "GET", Path: "/login?next=" + url.QueryEscape("/contracts?page=2")})
			if loc := res.Header.Get("Location"); res.Status != http.StatusSeeOther || loc != "/contracts?page=2" {
				t.Errorf("a path of the site: %d to %q, want it followed", res.Status, loc)
			}
		})
	}
}

// problemField decodes a 422's problem document and returns its field.
func problemField(t *testing.T, res inRes) string {
	t.Helper()
	var p struct {
		Code, Field string
	}
	if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
		t.Fatalf("not a problem document (%d): %s", res.Status, res.short())
	}
	return p.Field
}

// TestM6BadTextIs422 replays M6: a NUL or invalid UTF-8 in a JSON member
// or a query parameter was a 500 on PostgreSQL (and stored as is on
// SQLite), the public login included. Each is now a 422 naming the field,
// and nothing is logged as an internal error.
func TestM6BadTextIs422(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			w := s.W
			filing := func(edit func(m map[string]any)) map[string]any {
				m := map[string]any{"title": "智能焊接机器人视觉系统开发合同", "seller": map[string]any{"org_id": w.Univ.ID},
					"buyer": map[string]any{"org_id": w.Ent.ID}, "signed_on": "2023-03-01", "term_start": "2023-03-01", "term_end": "2024-02-29",
					"category": "development", "sub_type": "entrusted_dev", "form": "written", "seals_match": true,
					"tech_field": "manufacturing", "turnover_fen": 1_000_000_00}
				edit(m)
				return m
			}
			cases := []struct {
				name, key string
				rq        inReq
				field     string
			}{
				{"LoginNUL", "", inReq{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "a\x00", "password": "x"}}, "username"},
				{"TitleNUL", "tto", inReq{Method: "POST", Path: "/api/v1/contracts", JSON: filing(func(m map[string]any) { m["title"] = "合同\x00" })}, "title"},
				{"ContractNoNUL", "tto", inReq{Method: "POST", Path: "/api/v1/contracts", JSON: filing(func(m map[string]any) { m["contract_no"] = "\x00" })}, "contract_no"},
				{"BuyerNameNUL", "tto", inReq{Method: "POST", Path: "/api/v1/contracts", JSON: filing(func(m map[string]any) {
					m["buyer"] = map[string]any{"name": "大连\x00公司", "uscc": w.USCC(), "region_code": "210200", "type": "enterprise"}
				})}, "buyer.name"},
				{"TitleInvalidUTF8", "tto", inReq{Method: "POST", Path: "/api/v1/contracts", Type: "application/json",
					Body: []byte(`{"title":"合同` + "\xff" + `"}`)}, "title"},
				{"TokenNameNUL", "tto", inReq{Method: "POST", Path: "/api/v1/tokens", JSON: map[string]string{"name": "x\x00"}}, "name"},
				{"QueryNUL", "tto", inReq{Method: "GET", Path: "/api/v1/contracts?q=%00"}, "q"},
				{"CategoryNUL", "tto", inReq{Method: "GET", Path: "/api/v1/contracts?category=%00"}, "category"},
				{"QueryInvalidUTF8", "tto", inReq{Method: "GET", Path: "/api/v1/contracts?q=%ff"}, "q"},
				{"OrgsQueryNUL", "admin", inReq{Method: "GET", Path: "/api/v1/orgs?q=%00"}, "q"},
				{"AuditEntityNUL", "admin", inReq{Method: "GET", Path: "/api/v1/audit?entity=%00"}, "entity"},
				{"PublicStatsNUL", "", inReq{Method: "GET", Path: "/api/v1/stats/contracts?year=%00"}, "year"},
			}
			for _, tc := range cases {
				res := s.do(t, tc.key, tc.rq)
				if res.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s: %d, want 422: %s", tc.name, res.Status, res.short())
					continue
				}
				if f := problemField(t, res); f != tc.field {
					t.Errorf("%s: field %q, want %q", tc.name, f, tc.field)
				}
			}
			// The pages refuse the same, as pages.
			for _, rq := range []inReq{
				{Method: "GET", Path: "/contracts?q=%00"},
				{Method: "POST", Path: "/contracts/new", Form: url.Values{"title": {"合同\x00"}}},
				{Method: "POST", Path: "/login", Form: url.Values{"username": {"a\x00"}, "password": {"x"}}},
			} {
				res := s.do(t, "tto", rq)
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="error-page"`) {
					t.Errorf("page %s %s: %d, want the 422 error page: %s", rq.Method, rq.Path, res.Status, res.short())
				}
			}
			if strings.Contains(s.Log.String(), "level=ERROR") {
				t.Errorf("the server logged errors:\n%s", s.Log.String())
			}
		})
	}
}

// TestL5NamesAndDates replays L5: invisible, bidirectional and control
// characters in titles, names and file names, impossible dates and region
// codes, and a client-chosen created_at were all accepted. Names are now
// stored NFC-normalised and trimmed.
func TestL5NamesAndDates(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			w := s.W
			w.SetDay("2023-06-15")
			base := func() map[string]any {
				return map[string]any{"title": "智能焊接机器人视觉系统开发合同", "seller": map[string]any{"org_id": w.Univ.ID},
					"buyer":     map[string]any{"name": "大连港湾装备有限公司", "uscc": w.USCC(), "region_code": "210200", "type": "enterprise"},
					"signed_on": "2023-03-01", "term_start": "2023-03-01", "term_end": "2024-02-29",
					"category": "development", "sub_type": "entrusted_dev", "form": "written", "seals_match": true,
					"tech_field": "manufacturing", "turnover_fen": 1_000_000_00}
			}
			with := func(edit func(m map[string]any)) map[string]any { m := base(); edit(m); return m }
			buyer := func(k, v string) func(m map[string]any) {
				return func(m map[string]any) { m["buyer"].(map[string]any)[k] = v }
			}
			cases := []struct {
				name  string
				body  map[string]any
				field string
			}{
				{"TitleOnlyZWSP", with(func(m map[string]any) { m["title"] = "\u200b\u200b\u200b" }), "title"},
				{"NameWithZWSP", with(buyer("name", "东北\u200b大学")), "buyer.name"},
				{"TitleRLO", with(func(m map[string]any) { m["title"] = "合同\u202egpj.pdf" }), "title"},
				{"TitleBEL", with(func(m map[string]any) { m["title"] = "合同\a" }), "title"},
				{"TitleLineBreak", with(func(m map[string]any) { m["title"] = "合同\n第二行" }), "title"},
				{"SignedYear1", with(func(m map[string]any) { m["signed_on"], m["term_start"] = "0001-01-01", "0001-01-01" }), "signed_on"},
				{"TermEnd9999", with(func(m map[string]any) { m["term_end"] = "9999-12-31" }), "term_end"},
				{"SignedTomorrow", with(func(m map[string]any) { m["signed_on"], m["term_start"] = "2023-06-16", "2023-06-16" }), "signed_on"},
				{"Region999999", with(buyer("region_code", "999999")), "buyer.region_code"},
				{"UnknownDistrictOfTheCity", with(buyer("region_code", "210199")), "buyer.region_code"},
				// Codes of real provinces that are no division (accepted while
				// only the province was checked; the national table refuses them).
				{"Region110199", with(buyer("region_code", "110199")), "buyer.region_code"},
				{"Region329999", with(buyer("region_code", "329999")), "buyer.region_code"},
			}
			for _, tc := range cases {
				res := s.do(t, "tto", inReq{Method: "POST", Path: "/api/v1/contracts", JSON: tc.body})
				if res.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s: %d, want 422: %s", tc.name, res.Status, res.short())
					continue
				}
				if f := problemField(t, res); f != tc.field {
					t.Errorf("%s: field %q, want %q: %s", tc.name, f, tc.field, res.short())
				}
				if code, _ := tc.body["buyer"].(map[string]any)["region_code"].(string); strings.HasPrefix(tc.name, "Region") &&
					!strings.Contains(res.Body, "行政区划代码 "+code+" 不存在") {
					t.Errorf("%s: the message does not say the code does not exist: %s", tc.name, res.short())
				}
			}
			// A county-level code of another province is a party's region.
			res := s.do(t, "tto", inReq{Method: "POST", Path: "/api/v1/contracts", JSON: with(buyer("region_code", "320583"))})
			if res.Status != http.StatusCreated {
				t.Errorf("昆山市 320583 as the buyer's region: %d: %s", res.Status, res.short())
			}
			// Clean names are stored clean; created_at and the like are the server's.
			good := with(func(m map[string]any) {
				m["title"] = "  Cafe\u0301 视觉系统开发合同\u3000"
				m["buyer"].(map[string]any)["name"] = " 大连港湾装备有限公司 "
				m["created_at"], m["status"], m["owner_org_id"] = "1999-01-01T00:00:00Z", "registered", w.Ent.ID
			})
			res = s.do(t, "tto", inReq{Method: "POST", Path: "/api/v1/contracts", JSON: good})
			if res.Status != http.StatusCreated {
				t.Fatalf("a clean filing: %d: %s", res.Status, res.short())
			}
			var c domain.Contract
			if err := json.Unmarshal([]byte(res.Body), &c); err != nil {
				t.Fatal(err)
			}
			if c.Title != "Caf\u00e9 视觉系统开发合同" || c.Buyer.Name != "大连港湾装备有限公司" {
				t.Errorf("stored title %q, buyer %q: want NFC and trimmed", c.Title, c.Buyer.Name)
			}
			if !c.CreatedAt.Equal(w.Clock.Now()) || c.Status != domain.ContractDraft || c.OwnerOrgID != w.Univ.ID {
				t.Errorf("client-sent members kept: created_at %v (clock %v), status %s, owner %d", c.CreatedAt, w.Clock.Now(), c.Status, c.OwnerOrgID)
			}
			// A document named to display as another type is refused.
			res = s.do(t, "tto", inReq{Method: "PUT", Path: fmt.Sprintf("/api/v1/contracts/%d/document", c.ID), Body: storetest.PDF,
				Type: "application/pdf", Header: map[string]string{"Content-Disposition": `attachment; filename="合同` + "\u202e" + `gpj.pdf"`}})
			if res.Status != http.StatusUnprocessableEntity || problemField(t, res) != "document" {
				t.Errorf("a file name with U+202E: %d: %s", res.Status, res.short())
			}
		})
	}
}
