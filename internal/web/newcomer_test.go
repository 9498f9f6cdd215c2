package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/i18n"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// A newcomer's first minute (walkthrough 2026-12, newcomer's first
// impression and finding 17): the login page of the demo city names its
// accounts, and never on a real city.

func TestLoginListsDemoAccountsOnlyOnTheDemo(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			c := newClient(t, fx.srv.URL)
			// A real city (the test world has no demo setting): no account, no password.
			st, _, body := c.do("GET", "/login", nil)
			if st != http.StatusOK || strings.Contains(body, `id="demo-logins"`) || strings.Contains(body, demo.Password) {
				t.Fatalf("real city's login page: %d, demo list or password shown: %.400q", st, body)
			}
			// The demo city: every account with its role and organisation, and the password.
			setSetting(t, ns.Store, demo.SettingDemo, "1")
			for _, l := range i18n.Langs {
				st, _, body = c.do("GET", "/login?lang="+string(l), nil)
				if st != http.StatusOK || !strings.Contains(body, `id="demo-logins"`) || !strings.Contains(body, demo.Password) {
					t.Fatalf("%s: demo login page: %d, no list or password: %.400q", l, st, body)
				}
				for _, a := range demo.Logins() {
					for _, want := range []string{`data-demo-user="` + a.Username + `"`, html.EscapeString(i18n.T(l, a.Role)), a.Org} {
						if !strings.Contains(body, want) {
							t.Errorf("%s: demo login page lacks %q", l, want)
						}
					}
				}
			}
			// A failed login shows the list again.
			st, _, body = c.do("POST", "/login", url.Values{"username": {"nobody"}, "password": {"x"}})
			if st != http.StatusUnauthorized || !strings.Contains(body, `id="demo-logins"`) {
				t.Fatalf("failed login on the demo: %d, list missing: %.300q", st, body)
			}
			setSetting(t, ns.Store, demo.SettingDemo, "0")
			if _, _, body = c.do("GET", "/login", nil); strings.Contains(body, `id="demo-logins"`) {
				t.Fatal("demo = 0 still lists the demo accounts")
			}
		})
	}
}

func setSetting(t *testing.T, st *store.Store, key, value string) {
	t.Helper()
	ctx := context.Background()
	if err := st.InTx(ctx, func(q *store.Q) error { return q.SetSetting(ctx, key, value) }); err != nil {
		t.Fatal(err)
	}
}

// TestUnknownURLs: an unknown URL gets the product's own error page in the
// reader's language, logged in or not (finding 17); a page asked with a
// method it does not answer is a 405 page with Allow; the API keeps
// answering problem+json; the 403 page never links back to itself
// (finding 16).
func TestUnknownURLs(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			anon, neu, expert := newClient(t, fx.srv.URL), newClient(t, fx.srv.URL), newClient(t, fx.srv.URL)
			neu.login("neu")
			expert.login("expert")
			for _, c := range []*client{anon, neu} {
				for _, tt := range []struct{ lang, path, want string }{
					{"zh-CN", "/nonexistent", "您访问的页面不存在"},
					{"zh-CN", "/talent-programmes", "您访问的页面不存在"}, // a module not yet built
					{"zh-CN", "/contracts/1/nothing", "您访问的页面不存在"},
					{"en", "/nonexistent", "The page you asked for does not exist"},
				} {
					st, _, body := c.do("GET", tt.path+"?lang="+tt.lang, nil)
					if st != http.StatusNotFound || !strings.Contains(body, `id="error-page"`) || !strings.Contains(body, tt.want) ||
						!strings.Contains(body, `<link rel="stylesheet" href="/static/app.css`) || strings.Contains(body, "404 page not found") {
						t.Errorf("GET %s (%s): %d, want the styled 404 page with %q: %.300q", tt.path, tt.lang, st, tt.want, body)
					}
				}
			}
			req, _ := http.NewRequest("GET", fx.srv.URL+"/nonexistent", nil)
			req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
			if res, err := http.DefaultClient.Do(req); err != nil {
				t.Fatal(err)
			} else if res.StatusCode != 404 || res.Header.Get("Content-Language") != "en" {
				t.Errorf("an English browser's 404: %d in %q", res.StatusCode, res.Header.Get("Content-Language"))
			}
			for _, lang := range []string{"zh-CN", "en"} {
				want := map[string]string{"zh-CN": "不支持该请求方式", "en": "Method not allowed"}[lang]
				st, _, body := neu.do("DELETE", "/stats?lang="+lang, nil, "Origin", fx.srv.URL)
				if st != http.StatusMethodNotAllowed || !strings.Contains(body, `id="error-page"`) || !strings.Contains(body, want) {
					t.Errorf("DELETE /stats (%s): %d, want the styled 405 page: %.300q", lang, st, body)
				}
			}
			res, err := http.Post(fx.srv.URL+"/stats", "application/x-www-form-urlencoded", strings.NewReader(""))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET" {
				t.Errorf("POST /stats: %d Allow %q, want 405 Allow GET", res.StatusCode, res.Header.Get("Allow"))
			}
			for _, path := range []string{"/api/v1/nothing", "/api/nothing"} {
				st, _, body := anon.do("GET", path, nil)
				if st != http.StatusNotFound || !strings.Contains(body, `"code":"not_found"`) {
					t.Errorf("GET %s: %d, want problem JSON: %.200q", path, st, body)
				}
			}
			// The expert may not open the queue: its 403 page never links back to the queue.
			st, _, body := expert.do("GET", "/registry/queue", nil)
			if st != http.StatusForbidden || strings.Contains(body, `href="/registry/queue" class="btn`) || strings.Contains(body, `class="btn btn-primary" href="/registry/queue"`) {
				t.Errorf("expert /registry/queue: %d, or the 403 page links back to itself: %.400q", st, body)
			}
			if _, _, body := neu.do("GET", "/nonexistent", nil); !strings.Contains(body, `class="btn btn-primary" href="/contracts"`) {
				t.Errorf("the university's 404 page lacks the way to its contracts")
			}
		})
	}
}

// TestContractListScopeAndYears (walkthrough 15, 21): the list's scope
// sentence says what each role's list really holds (the bureau and the
// admin the whole city, the registrar its registry, the others their own
// deals), the year box offers the years with registrations, amounts read
// in 万元 with the exact 元 at hand, and the pager jumps to any page.
func TestContractListScopeAndYears(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			sentence := map[string]string{
				"admin": "全市所有机构提交的技术合同", "bureau": "全市所有机构提交的技术合同", "registrar": "本登记机构受理的全部技术合同",
				"tto": "本机构申请的，以及本机构为买方、卖方或中介方的", "enterprise": "本机构申请的，以及本机构为买方、卖方或中介方的",
				"pilot_base": "本机构申请的，以及本机构为买方、卖方或中介方的", "agency": "本机构申请的，以及本机构为买方、卖方或中介方的",
				"other_tto": "本机构申请的，以及本机构为买方、卖方或中介方的",
			}
			// the shared contract: NEU sells to 海龟 through the city's registry
			sees := map[string]bool{"admin": true, "bureau": true, "registrar": true, "tto": true, "enterprise": true}
			for caller, want := range sentence {
				c := newClient(t, fx.srv.URL)
				c.login(usernames[caller])
				st, _, body := c.do("GET", "/contracts?lang=zh-CN", nil)
				if st != http.StatusOK {
					t.Fatalf("%s /contracts: %d", caller, st)
				}
				scope := body[strings.Index(body, `id="list-scope"`):]
				scope = scope[:strings.Index(scope, "</p>")]
				if !strings.Contains(scope, want) || !strings.Contains(scope, fx.users[caller].OrgName) {
					t.Errorf("%s: scope sentence %q, want %q", caller, scope, want)
				}
				if got := strings.Contains(body, fmt.Sprintf(`data-id="%d"`, fx.shared.ID)); got != sees[caller] {
					t.Errorf("%s: the list holds the NEU→海龟 contract: %v, want %v (the sentence must match)", caller, got, sees[caller])
				}
			}
			c := newClient(t, fx.srv.URL)
			c.login("registrar")
			_, _, body := c.do("GET", "/contracts", nil)
			year := fx.registered.RegisteredOn[:4]
			if !strings.Contains(body, `<select id="f-year" name="year">`) || !strings.Contains(body, `<option value="`+year+`">`+year+`</option>`) ||
				strings.Contains(body, `<option value="2019">`) {
				t.Errorf("the year box is not a selector of the years with registrations (%s)", year)
			}
			if _, _, body = c.do("GET", "/contracts?year=2019", nil); !strings.Contains(body, `<option value="2019" selected>`) {
				t.Errorf("a year asked for without registrations is not shown selected")
			}
			// amounts in 万元 (the shared contract's turnover), exact 元 in the title
			shared := fmt.Sprintf(`data-id="%d"`, fx.shared.ID)
			_, _, body = c.do("GET", "/contracts", nil)
			i := strings.Index(body, shared)
			if i < 0 {
				t.Fatal("the registrar's list lacks the shared contract")
			}
			row := body[i:]
			row = row[:strings.Index(row, "</tr>")]
			if want := domain.FormatMoney(fx.shared.TurnoverFen, domain.UnitAuto); !strings.Contains(row, want) || !strings.Contains(want, "万元") ||
				!strings.Contains(row, `title="`+domain.FormatMoney(fx.shared.TurnoverFen, domain.UnitYuan)+`"`) {
				t.Errorf("the list's amount: want %q (万元, exact 元 in the title) in %q", want, row)
			}
			// page jumps: 30 more drafts make pages of 20
			for range 30 {
				fx.contract().Insert(t)
			}
			_, _, body = newClientAs(t, fx, "tto").do("GET", "/contracts?status=draft&per_page=20", nil)
			for _, want := range []string{`rel="last"`, `class="pager-jump"`, `<input type="hidden" name="status" value="draft">`, `name="page" type="number"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the pager lacks %q", want)
				}
			}
			if _, _, body = newClientAs(t, fx, "tto").do("GET", "/contracts?status=draft&per_page=20&page=2", nil); !strings.Contains(body, `rel="first"`) {
				t.Errorf("page 2 has no link to the first page")
			}
			// past the end: say so and offer the last page, not "nothing matches"
			_, _, body = newClientAs(t, fx, "tto").do("GET", "/contracts?status=draft&per_page=20&page=7&lang=zh-CN", nil)
			if !strings.Contains(body, `id="pager-beyond"`) || !strings.Contains(body, "page=2") || strings.Contains(body, "没有符合条件的技术合同") {
				t.Errorf("a page past the end does not offer the last page")
			}
			if _, _, body = newClientAs(t, fx, "tto").do("GET", "/contracts?status=withdrawn&page=5", nil); strings.Contains(body, `id="pager-beyond"`) {
				t.Errorf("an empty list is said to be past its end")
			}
		})
	}
}

func newClientAs(t *testing.T, fx *pageFixture, caller string) *client {
	c := newClient(t, fx.srv.URL)
	c.login(usernames[caller])
	return c
}
