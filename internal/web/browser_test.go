package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
	"kechuang/internal/web"
)

// The browser suite drives the real handler stack (API + pages behind
// api.Wrap) on a real database with headless Chromium.

const chromiumPath = "/usr/bin/chromium"

type css = chromedp.CSS

// browser launches one headless Chromium for the whole suite.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but Chromium is missing at %s: the browser suite must run in CI", chromiumPath)
		}
		t.Skipf("Chromium not found at %s (apt-get install chromium); skipping the browser suite", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"), // the pages negotiate their language from it
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// server starts the product's handler stack over st.
func server(t *testing.T, st *store.Store) (*httptest.Server, *service.Service) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, log)
	k := httpx.New(svc.Auth, log)
	api, err := httpapi.New(svc, k)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(svc, k, log)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	pages.Routes(mux)
	srv := httptest.NewServer(k.Wrap(mux))
	t.Cleanup(srv.Close)
	return srv, svc
}

// fixture is what the suite needs to know about the seeded city.
type fixture struct {
	draftID    int64  // a draft of 东北大学 whose buyer is the enterprise user's organisation
	draftTitle string // never shown to the enterprise
}

// demoStores returns, for every configured database, a store of the
// test's own holding the demo city loaded today (the product's clock),
// whose years of registered contracts the statistics pages show: the city
// is loaded once per machine and database for every test binary of the
// module and copied for each test (testutil.CopyAcross; the service
// package's tests share the same load). (Tests that need only a small city take the one test
// world, storetest.New, as the page authorisation matrix does.)
func demoStores(t *testing.T) []testutil.NamedStore {
	t.Helper()
	var out []testutil.NamedStore
	for _, db := range testutil.Databases(t) {
		st := testutil.CopyAcross(t, db, testutil.DemoToday(), func(st *store.Store) error {
			svc := service.New(st, testutil.Log())
			_, err := demo.Load(context.Background(), svc, svc.Now(), io.Discard)
			return err
		})
		out = append(out, testutil.NamedStore{Name: db, Store: st})
	}
	return out
}

// seed checks that svc holds the demo city (demoStores) and files one
// draft.
func seed(t *testing.T, svc *service.Service) fixture {
	t.Helper()
	ctx := context.Background()
	if _, total, err := svc.Meta.Orgs(ctx, domain.SystemActor(), domain.OrgFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	} else if total == 0 {
		t.Fatal("the demo city has no organisations")
	}
	neu := user(t, svc, "neu")
	ent := user(t, svc, "enterprise")
	title := "草稿：高熵合金涂层中试工艺技术开发（他方不可见）"
	c, err := svc.Contracts.Create(ctx, service.ActorOf(neu), &domain.Contract{
		Title: title, Seller: domain.Party{OrgID: neu.OrgID}, Buyer: domain.Party{OrgID: ent.OrgID},
		SignedOn: "2026-10-10", TermStart: "2026-10-10", TermEnd: "2027-10-09", Category: "development", SubType: "entrusted_dev",
		Form: "written", SealsMatch: true, Field: "materials", TurnoverFen: 50_000_000})
	if err != nil {
		t.Fatalf("create draft: %v", err)
	}
	return fixture{draftID: c.ID, draftTitle: title}
}

func user(t *testing.T, svc *service.Service, name string) *domain.User {
	t.Helper()
	u, err := svc.Admin.UserByUsername(context.Background(), domain.SystemActor(), name)
	if err != nil {
		t.Fatalf("user %s: %v", name, err)
	}
	return u
}

// page is one browser tab on one server.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// stepTimeout bounds one browser step. It is generous because the step
// is a whole page load with its scripts on a loaded two-core machine; it
// bounds a hang, it does not measure speed.
const stepTimeout = 60 * time.Second

func (p *page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		p.t.Fatalf("at %s: %v", loc, err)
	}
}

// void drops an action's value so it can run among other steps.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

func run[T any](p *page, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		p.t.Fatalf("at %s: %v", loc, err)
	}
	return v
}

// change sets a form control's value and fires its change event, as a user
// would, until the page shows done (htmx re-renders parts of the form; an
// event fired while htmx is still wiring up new content is repeated).
func (p *page) change(id, value, done string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => {
		if (%s) return true;
		const el = document.getElementById(%q);
		if (el && !document.querySelector('.htmx-request')) { el.value = %q; el.dispatchEvent(new Event('change', {bubbles: true})); }
		return false;
	})()`, done, id, value)
	p.do(void(chromedp.Poll[bool](js, chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))))
}

// clickAndLoad clicks what submits a form or follows a link and waits
// until the next page has loaded and shows want. The old page is marked
// first, so a want the old page also has cannot pass early; each check
// is its own evaluation and one that fails while the document is being
// replaced (a node or a context the navigation destroyed) is retried, so
// the wait does not depend on when the redirect lands.
func (p *page) clickAndLoad(sel, want string) {
	p.t.Helper()
	run(p, chromedp.Evaluate[bool](`(() => { window.__kcOld = true; return true; })()`))
	p.do(chromedp.Click(css(sel)))
	js := fmt.Sprintf(`!window.__kcOld && document.readyState === "complete" && !!document.querySelector(%q)`, want)
	deadline := time.Now().Add(stepTimeout)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	loc, _ := chromedp.Run(p.ctx, chromedp.Location())
	p.t.Fatalf("at %s: after clicking %s, %s did not appear (last error %v)", loc, sel, want, last)
}

// waitVisible is chromedp.WaitVisible that survives a navigation landing
// while it looks: the node it found or the context it evaluated in can
// be replaced by the next page's (Chrome answers -32000 "No node with
// given id found"), which is a reason to look again, not a failure.
func waitVisible(sel css) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			v, err := chromedp.WaitVisible(sel)(ctx, t)
			if err == nil || !navigationRace(err) || ctx.Err() != nil {
				return v, err
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// navigationRace reports an error Chrome gives for a node or a context
// a navigation destroyed.
func navigationRace(err error) bool {
	m := err.Error()
	for _, s := range []string{"No node with given id", "Could not find node with given id", "Cannot find context with specified id", "Execution context was destroyed"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

func (p *page) open(path string, waitFor string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base+path), waitVisible(css(waitFor)))
}

func (p *page) text(sel string) string {
	p.t.Helper()
	return strings.TrimSpace(run(p, chromedp.Text(css(sel))))
}

func (p *page) location() string {
	p.t.Helper()
	return run(p, chromedp.Location())
}

func (p *page) wantText(sel, want string) {
	p.t.Helper()
	if got := p.text(sel); !strings.Contains(got, want) {
		p.t.Fatalf("%s: got %q, want it to contain %q", sel, got, want)
	}
}

func (p *page) login(username string) {
	p.t.Helper()
	p.open("/login", "#login-form")
	p.do(chromedp.SendKeys(css("#username"), username), chromedp.SendKeys(css("#password"), demo.Password),
		chromedp.Click(css("#login-submit")), chromedp.WaitNotPresent(css("#login-form")), waitVisible(css("#logout")))
}

func (p *page) logout() {
	p.t.Helper()
	p.do(chromedp.Click(css("#logout")), waitVisible(css("#login-form")))
}

// screenshotOnFailure keeps a picture of the page a failed test ended on.
func (p *page) screenshotOnFailure() {
	p.t.Cleanup(func() {
		if !p.t.Failed() {
			return
		}
		ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
		defer cancel()
		if buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			name := filepath.Join(os.TempDir(), "kechuang-"+regexp.MustCompile(`\W+`).ReplaceAllString(p.t.Name(), "_")+".png")
			if os.WriteFile(name, buf, 0o644) == nil {
				p.t.Logf("screenshot of the failing page: %s", name)
			}
		}
	})
}

func TestBrowser(t *testing.T) {
	bctx := browser(t)
	for _, ns := range demoStores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			t.Parallel() // one tab and one server per database
			srv, svc := server(t, ns.Store)
			fx := seed(t, svc)
			tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
			defer cancel()
			if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
				t.Fatal(err)
			}
			mk := func(t *testing.T) *page {
				p := &page{t: t, ctx: tab, base: srv.URL}
				p.screenshotOnFailure()
				return p
			}
			t.Run("Dashboard", func(t *testing.T) { testDashboard(mk(t), srv.URL) })
			t.Run("LoginRequiredAndBadPassword", func(t *testing.T) { testLogin(mk(t)) })
			t.Run("FileSubmitRegisterCertificate", func(t *testing.T) { testWorkflow(mk(t), svc) })
			t.Run("EnterpriseCannotSeeOthersDraft", func(t *testing.T) { testScoping(mk(t), fx) })
			t.Run("TypedAttachmentsAndPDFViewer", func(t *testing.T) { testAttachments(mk(t), svc) })
			t.Run("ImportThenAudit", func(t *testing.T) { testImportAudit(mk(t), svc) })
			t.Run("AchievementFileToCatalogue", func(t *testing.T) { testAchievement(mk(t)) })
			t.Run("ChangeCancelRevokeObject", func(t *testing.T) { testPostRegistration(mk(t), svc) })
			t.Run("NeedPostToBoard", func(t *testing.T) { testNeed(mk(t)) })
			t.Run("MatchDeclineAccept", func(t *testing.T) { testMatch(mk(t), svc) })
			t.Run("ChainContractToTimelineAndFunnel", func(t *testing.T) { testChain(mk(t), svc) })
			t.Run("RecordImport", func(t *testing.T) { testRecordImport(mk(t), svc) })
			t.Run("EventImportPublish", func(t *testing.T) { testEventImport(mk(t), svc) })
			t.Run("ChallengeToAcceptance", func(t *testing.T) { testChallenge(mk(t), svc, ns.Store) })
			t.Run("EventRegisterPitchHold", func(t *testing.T) { testEvent(mk(t)) })
			t.Run("EnterpriseFileFacts", func(t *testing.T) { testEnterpriseFiling(mk(t), svc, ns.Store) })
			t.Run("SwitchLanguage", func(t *testing.T) { testSwitchLanguage(mk(t)) }) // last: it leaves a cookie behind
		})
	}
}

// testSwitchLanguage follows the header's switch to English and back: the
// page, its KPI labels and the charts drawn by app.js change language.
func testSwitchLanguage(p *page) {
	t := p.t
	p.open("/stats?year=2022", "body[data-charts=ready]")
	p.do(chromedp.Click(css(`#lang-switch a[hreflang="en"]`)), waitVisible(css(`html[lang="en"] body[data-charts=ready]`)))
	if loc := p.location(); !strings.Contains(loc, "/stats?") || !strings.Contains(loc, "year=2022") {
		t.Errorf("the switch went to %s, not the same page", loc)
	}
	p.wantText(`[data-kpi="tech_transaction_fen"] .kpi-label`, "Technology transaction value (技术交易额)")
	series := run(p, chromedp.Evaluate[string](`kcCharts["chart-monthly"].getOption().series[0].name + " | " + kcCharts["chart-monthly"].getOption().yAxis[0].name`))
	if series != "2022, by month | Month (CNY bn)" {
		t.Errorf("monthly chart in English: %q", series)
	}
	p.open("/login", "#login-form") // the cookie keeps English
	p.wantText("#login-submit", "Sign in")
	p.do(chromedp.Click(css(`#lang-switch a[hreflang="zh-CN"]`)), waitVisible(css(`html[lang="zh-CN"] #login-form`)))
	p.wantText("#login-submit", "登录")
}

var chartIDs = []string{"chart-monthly", "chart-category", "chart-district-output", "chart-district-absorb", "chart-field", "chart-seller-type", "chart-target"}

// testDashboard checks every chart is drawn by ECharts and every KPI tile
// carries exactly the API's number.
func testDashboard(p *page, base string) {
	t := p.t
	p.open("/", "#chart-monthly") // / redirects to /stats
	if loc := p.location(); !strings.Contains(loc, "/stats") {
		t.Fatalf("/ went to %s, want /stats", loc)
	}
	for _, year := range []int{2022, 2023} {
		p.open(fmt.Sprintf("/stats?year=%d", year), "body[data-charts=ready]")
		api := statsAPI(t, base, year)
		if year == 2022 && api["count"].(json.Number) == "0" {
			t.Fatal("2022 has no registered contracts: the seed did not load")
		}
		tiles := run(p, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map(e => [e.dataset.kpi, e.dataset.value]))`))
		want := map[string]string{"count": num(api["count"]), "turnover_fen": num(api["turnover_fen"]),
			"tech_transaction_fen": num(api["tech_transaction_fen"]), "count_yoy_pct": num(api["count_yoy_pct"]),
			"turnover_yoy_pct": num(api["turnover_yoy_pct"]), "local_share_pct": num(api["local_share_pct"]),
			"output_turnover_fen": num(api["output"].(map[string]any)["turnover_fen"]),
			"absorb_turnover_fen": num(api["absorb"].(map[string]any)["turnover_fen"])}
		for k, v := range want {
			if tiles[k] != v {
				t.Errorf("%d: KPI tile %s = %q, API says %q", year, k, tiles[k], v)
			}
		}
		type chartState struct{ Instance, Canvas, Empty bool }
		charts := run(p, chromedp.Evaluate[map[string]chartState](`Object.fromEntries(`+jsList(chartIDs)+`.map(id => {
			const el = document.getElementById(id);
			return [id, {Instance: !!(el && echarts.getInstanceByDom(el)), Canvas: !!(el && el.querySelector('canvas')), Empty: !!(el && el.dataset.empty)}];
		}))`))
		nonEmpty := map[string]bool{"chart-monthly": true, "chart-category": len(list(api["by_category"])) > 0,
			"chart-district-output": len(list(api["by_output_district"])) > 0, "chart-district-absorb": len(list(api["by_absorb_district"])) > 0,
			"chart-field": len(list(api["by_field"])) > 0, "chart-seller-type": len(list(api["by_seller_type"])) > 0, "chart-target": api["target"] != nil}
		for _, id := range chartIDs {
			st, ok := charts[id]
			switch {
			case !ok:
				t.Errorf("%d: no #%s on the page", year, id)
			case nonEmpty[id] && (!st.Instance || !st.Canvas):
				t.Errorf("%d: #%s has data but no ECharts canvas (%+v)", year, id, st)
			case !nonEmpty[id] && !st.Empty:
				t.Errorf("%d: #%s has no data but shows no empty state (%+v)", year, id, st)
			}
		}
		if year == 2022 && !nonEmpty["chart-district-output"] {
			t.Error("2022 has no output districts: seed or stats broken")
		}
	}
}

func statsAPI(t *testing.T, base string, year int) map[string]any {
	t.Helper()
	res, err := http.Get(fmt.Sprintf("%s/api/v1/stats/contracts?year=%d", base, year))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stats API: %s", res.Status)
	}
	dec := json.NewDecoder(res.Body)
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func num(v any) string {
	if v == nil {
		return ""
	}
	return string(v.(json.Number))
}

func list(v any) []any { l, _ := v.([]any); return l }

func jsList(ids []string) string { b, _ := json.Marshal(ids); return string(b) }

func testLogin(p *page) {
	t := p.t
	p.open("/contracts", "#login-form") // not logged in: to the login page, with the way back
	if loc := p.location(); !strings.Contains(loc, "/login?next=%2Fcontracts") {
		t.Fatalf("anonymous /contracts went to %s", loc)
	}
	p.do(chromedp.SendKeys(css("#username"), "neu"), chromedp.SendKeys(css("#password"), "wrong-password"),
		chromedp.Click(css("#login-submit")), waitVisible(css("#login-error")))
	p.wantText("#login-error", "用户名或密码错误")
	// the demo city lists its accounts; a click fills the form (app.js)
	p.do(chromedp.Click(css(`#demo-logins [data-demo-user="registrar"]`)))
	if u, pw := run(p, chromedp.Value(css("#username"))), run(p, chromedp.Value(css("#password"))); u != "registrar" || pw != demo.Password {
		t.Fatalf("clicking the demo account filled %q / %q", u, pw)
	}
	p.setValue("#username", "neu")
	p.setValue("#password", "")
	p.do(chromedp.SendKeys(css("#password"), demo.Password), chromedp.Click(css("#login-submit")), waitVisible(css("#logout")))
	if loc := p.location(); !strings.HasSuffix(loc, "/contracts") {
		t.Fatalf("after login went to %s, want back to /contracts", loc)
	}
	p.logout()
}

// testWorkflow: a university files a contract through the form (a bad input
// first), uploads the PDF, submits; the registrar finds it in the queue,
// registers it and prints the certificate.
func testWorkflow(p *page, svc *service.Service) {
	t := p.t
	pdf := filepath.Join(t.TempDir(), "合同文本.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := domain.MakeUSCC("91210106MA0TEXT01")
	bad := good[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", good[17])+1)%31])
	title := "工业机器人视觉检测系统委托开发"

	p.login("neu")
	p.open("/contracts/new", "#contract-form")
	p.wantText("#seller-fixed", demo.OrgNEU) // the seller is the user's own organisation
	// The categories follow the regime a filing accepted today falls under
	// (htmx swaps the selects): under the 2026 办法 a contract signed
	// before 2021 also takes the five categories, 技术许可 among them, and
	// the hint says so.
	p.change("signed_on", "2020-06-01", `document.getElementById('category-era').textContent.includes('签订日期早于2021年的专利实施许可也属于')`)
	if n := run(p, chromedp.Evaluate[int](`document.querySelectorAll('#category option[value=license]').length`)); n != 1 {
		t.Fatal("under the 2026 regime the form does not offer 技术许可 for a contract signed before 2021")
	}
	p.change("signed_on", "2026-11-20", `!!document.querySelector('#category option[value=license]')`)
	// Choosing the category narrows the sub-types (htmx again).
	p.change("category", "development", `document.querySelectorAll('#sub_type option').length === 3`)
	// Choose the sub-type once the options have arrived and no request
	// is in flight (under load the fragment can land late and replace it).
	p.do(void(chromedp.Poll[bool](`(() => { const s = document.getElementById('sub_type');
		if (!s || document.querySelector('.htmx-request')) return false;
		s.value = 'entrusted_dev'; return s.value === 'entrusted_dev'; })()`,
		chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))))
	p.do(chromedp.SetValue(css("#title"), title), chromedp.SetValue(css("#contract_no"), "NEU-2026-118"),
		chromedp.Click(css(`input[name=buyer_mode][value=external]`)), waitVisible(css("#buyer_name")),
		chromedp.SetValue(css("#buyer_name"), "沈阳铁西视觉装备有限公司"), chromedp.SetValue(css("#buyer_uscc"), bad),
		chromedp.SetValue(css("#buyer_region"), "210106"), chromedp.SetValue(css("#buyer_type"), "enterprise"),
		chromedp.SetValue(css("#signed_on"), "2026-11-20"), chromedp.SetValue(css("#term_start"), "2026-12-01"),
		chromedp.SetValue(css("#term_end"), "2027-11-30"),
		chromedp.SetValue(css("#tech_field"), "manufacturing"),
		chromedp.SetValue(css("#chain_code"), "robot"), chromedp.SendKeys(css("#turnover_yuan"), "12.345"),
		chromedp.Click(css("#save-contract")), waitVisible(css("#form-error")))
	// Each message sits next to its field, in Chinese, naming the field.
	turnoverErr := run(p, chromedp.Evaluate[string](`document.getElementById('turnover_yuan').closest('.field').querySelector('.field-error').textContent`))
	if !strings.Contains(turnoverErr, "合同成交额") {
		t.Fatalf("turnover error %q does not name 合同成交额", turnoverErr)
	}
	usccErr := run(p, chromedp.Evaluate[string](`document.getElementById('buyer_uscc').closest('.field').querySelector('.field-error').textContent`))
	if !strings.Contains(usccErr, "买方统一社会信用代码校验位错误") {
		t.Fatalf("buyer USCC error %q", usccErr)
	}

	// Correct the inputs; the form computes 技术交易额 as the user types.
	p.do(chromedp.Clear(css("#turnover_yuan")), chromedp.SendKeys(css("#turnover_yuan"), "1,000,000.00"),
		chromedp.SetValue(css("#buyer_uscc"), good),
		chromedp.SetValue(css("#cost-rows .cost-row select"), "equipment"),
		chromedp.SetValue(css("#cost-rows .cost-row input[name=cost_desc]"), "视觉检测工作站"),
		chromedp.SendKeys(css("#cost-rows .cost-row input[name=cost_price]"), "50000"),
		chromedp.SendKeys(css("#cost-rows .cost-row input[name=cost_qty]"), "2"))
	p.wantText("#c-tech", "900,000.00元")
	p.do(chromedp.Click(css("#save-contract")), waitVisible(css("#upload-form")))
	p.wantText("#flash", "草稿已保存")
	m := regexp.MustCompile(`/contracts/(\d+)`).FindStringSubmatch(p.location())
	if m == nil {
		t.Fatalf("not on a contract page: %s", p.location())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	p.wantText("#amount-turnover", "1,000,000.00元")
	p.wantText("#amount-deducted", "100,000.00元")
	p.wantText("#amount-tech", "900,000.00元")

	// The edit page shows the saved amounts in 元; saving unchanged works.
	p.do(chromedp.Click(css("#edit-contract")), waitVisible(css("#contract-form")))
	if v := run(p, chromedp.Value(css("#turnover_yuan"))); v != "1000000.00" {
		t.Fatalf("edit form turnover = %q", v)
	}
	p.do(chromedp.Click(css("#save-contract")), waitVisible(css("#flash")))
	p.wantText("#flash", "修改已保存")

	// Submitting without the PDF is refused with the reason at the button.
	p.do(chromedp.Click(css("#submit-contract")), waitVisible(css("#submit-form .field-error")))
	p.wantText("#submit-form .field-error", "请先上传合同文本")
	p.do(chromedp.SetValue(css("#attach-kind"), "contract_text"), chromedp.SetUploadFiles(css("#document-file"), []string{pdf}),
		chromedp.Click(css("#upload-submit")), waitVisible(css(`#attachment-list li[data-kind=contract_text]`)))
	p.wantText(`#attachment-list li[data-kind=contract_text]`, ".pdf")
	p.do(chromedp.Click(css("#submit-contract")), waitVisible(css(`.page-head .badge[data-status=submitted]`)))
	p.wantText("#history", "提交登记")
	p.open("/contracts?status=submitted", fmt.Sprintf(`#contracts-table tr[data-id="%d"]`, id))
	p.logout()

	p.login("registrar")
	if loc := p.location(); !strings.HasSuffix(loc, "/registry/queue") {
		t.Fatalf("registrar landed on %s", loc)
	}
	row := fmt.Sprintf(`#queue-table tr[data-id="%d"]`, id)
	p.do(waitVisible(css(row)))
	p.wantText(row, "待受理")
	// 受理 (formal review) first: the clock starts in the regime of today.
	p.do(chromedp.Click(css(row+" a.btn")), waitVisible(css("#accept-form")))
	p.do(chromedp.Click(css("#accept-contract")), waitVisible(css("#register-form")))
	p.wantText("#flash", "已受理")
	p.wantText("#limit", "受理后15个工作日")
	p.wantText("#clock", "剩")
	// Returning needs a comment: the message shows at that form.
	p.do(chromedp.Click(css("#return-contract")), waitVisible(css("#return-form .field-error")))
	p.wantText("#return-form .field-error", "补正意见")
	p.do(chromedp.Clear(css("#tech_income_yuan")), chromedp.SendKeys(css("#tech_income_yuan"), "800000"),
		chromedp.Click(css("#register-contract")), waitVisible(css("#reg-no")))
	reg, err := svc.Contracts.Get(context.Background(), service.ActorOf(user(t, svc, "registrar")), id)
	if err != nil || reg.Status != domain.ContractRegistered || reg.TechIncomeFen != 80_000_000 {
		t.Fatalf("after registering: %+v, %v", reg, err)
	}
	if got := p.text("#reg-no"); got != reg.RegNo || !regexp.MustCompile(`^\d{4}\d{6}\d{6}$`).MatchString(got) {
		t.Fatalf("registration number on the page %q, stored %q", got, reg.RegNo)
	}
	p.do(chromedp.Click(css("#certificate-link")), waitVisible(css("#certificate")))
	// Under the 2026 regime the certificate states 技术合同成交额 and the
	// 技术交易额 the registrar fixed (800,000.00 of the declared 900,000.00).
	for sel, want := range map[string]string{"#cert-reg-no": reg.RegNo, "#cert-title": title, "#cert-seller": demo.OrgNEU,
		"#cert-buyer": "沈阳铁西视觉装备有限公司", "#cert-turnover": "1,000,000.00元", "#cert-tech": "800,000.00元",
		"#cert-regime": "2026年办法", "#cert-registry": demo.OrgRegistry} {
		p.wantText(sel, want)
	}
	p.logout()
}

// testScoping: the enterprise is the buyer of 东北大学's draft, yet neither
// its list nor the contract's page reveal it.
func testScoping(p *page, fx fixture) {
	t := p.t
	p.login("enterprise")
	p.open("/contracts", "#filters")
	body := run(p, chromedp.Text(css("main")))
	if strings.Contains(body, fx.draftTitle) {
		t.Fatal("the enterprise's list shows another organisation's draft")
	}
	for _, path := range []string{fmt.Sprintf("/contracts/%d", fx.draftID), fmt.Sprintf("/contracts/%d/certificate", fx.draftID), fmt.Sprintf("/contracts/%d/edit", fx.draftID)} {
		p.open(path, "#error-page")
		if st := run(p, chromedp.AttributeValue(css("#error-page"), "data-status")); st.Value != "404" {
			t.Errorf("%s: status %q, want 404", path, st.Value)
		}
		if strings.Contains(run(p, chromedp.Text(css("main"))), fx.draftTitle) {
			t.Errorf("%s reveals the draft's title", path)
		}
	}
	p.open("/registry/queue", "#error-page") // not a registrar
	if st := run(p, chromedp.AttributeValue(css("#error-page"), "data-status")); st.Value != "403" {
		t.Errorf("enterprise on the queue: status %q, want 403", st.Value)
	}
	p.logout()
}

// testImportAudit: the registrar uploads a file with a bad row 2 — nothing
// is stored and row 2's problem is shown — then again skipping bad rows;
// the bureau sees the import in the audit log under an intact chain.
func testImportAudit(p *page, svc *service.Service) {
	t := p.t
	ensureBureau(t, svc)
	title := "浏览器导入测试合同"
	file := filepath.Join(t.TempDir(), "合同导入.csv")
	if err := os.WriteFile(file, importCSV(t, title, true), 0o644); err != nil {
		t.Fatal(err)
	}
	p.login("registrar")
	p.do(chromedp.Click(css("#nav-import")), waitVisible(css("#import-form")),
		chromedp.SetUploadFiles(css("#import-file"), []string{file}), chromedp.Click(css("#import-submit")),
		waitVisible(css("#import-failed")))
	p.wantText("#import-failed", "未导入任何数据")
	p.wantText(`#import-errors tr[data-row="2"]`, "卖方统一社会信用代码")
	if n := countTitled(t, svc, title); n != 0 {
		t.Fatalf("%d contracts stored from a file with a bad row", n)
	}
	p.do(chromedp.SetUploadFiles(css("#import-file"), []string{file}), chromedp.Click(css("#skip-bad")),
		chromedp.Click(css("#import-submit")), waitVisible(css("#import-partial")))
	p.wantText("#count-imported", "1")
	p.wantText(`#import-errors tr[data-row="2"]`, "校验位")
	if n := countTitled(t, svc, title); n != 1 {
		t.Fatalf("%d contracts stored skipping the bad row, want 1", n)
	}
	p.logout()

	p.login("bureau")
	p.do(chromedp.Click(css("#nav-audit")), waitVisible(css("#audit-verify")))
	if ok := run(p, chromedp.AttributeValue(css("#audit-verify"), "data-ok")); ok.Value != "true" {
		t.Fatalf("audit chain reported broken: %s", p.text("#audit-verify"))
	}
	p.wantText("#audit-verify", "哈希链完整")
	p.wantText(`#audit-table tr[data-action="contract.import"]`, "批量导入合同")
	p.logout()
}
