package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// The page authorisation matrix: every page route registered by the
// package × every caller (the public, each of the eight roles, and users of
// another organisation), through the real middleware and handlers on the
// demo city, on both databases. A route registered without a row here
// fails TestPageAuthzCoversEveryRoute, so no page escapes the matrix.

// pageOutcome is what a caller should get from a page route.
type pageOutcome int

const (
	pageOK       pageOutcome = iota // 200
	pageRedirect                    // 3xx, not to the login page
	pageLogin                       // 303 to /login?next=…: the public on a protected page
	pageRefused                     // 403 or 404, the friendly error page
	pageDone                        // an allowed action: 2xx, a redirect not to the login page, 409 or 422
)

func (o pageOutcome) String() string {
	return [...]string{"200", "3xx", "login", "403/404", "done"}[o]
}

func (o pageOutcome) match(status int, location, body string) bool {
	toLogin := status == http.StatusSeeOther && strings.HasPrefix(location, "/login?next=")
	redirect := status >= 300 && status < 400 && !toLogin
	switch o {
	case pageOK:
		return status == http.StatusOK
	case pageRedirect:
		return redirect
	case pageLogin:
		return toLogin
	case pageRefused:
		return (status == http.StatusForbidden || status == http.StatusNotFound) && strings.Contains(body, `id="error-page"`)
	}
	return (status >= 200 && status < 300) || redirect || status == http.StatusConflict || status == http.StatusUnprocessableEntity
}

// callers are who the matrix sends: the public, the demo's eight roles,
// and a registrar and a university of other organisations than the ones
// the contracts under test involve.
var callers = []string{"anonymous", "admin", "bureau", "registrar", "expert", "tto", "enterprise", "pilot_base", "agency",
	"other_registrar", "other_tto", "authority"}

var signedIn = callers[1:]

// usernames names the world's users as the demo names its accounts.
var usernames = map[string]string{"admin": "admin", "bureau": "bureau", "registrar": "registrar", "expert": "expert",
	"tto": "neu", "enterprise": "enterprise", "pilot_base": "pilot", "agency": "agency",
	"other_registrar": "hunnan_registrar", "other_tto": "sut_tto", "authority": "tax"}

func callersExcept(drop ...string) []string {
	var out []string
	for _, c := range signedIn {
		if !slices.Contains(drop, c) {
			out = append(out, c)
		}
	}
	return out
}

// pageRequest is one cell's request; Form is url-encoded unless File is set,
// then the request is multipart with the file under FileField.
type pageRequest struct {
	Method, Path string
	Form         url.Values
	FileField    string
	FileName     string
	File         []byte
	after        func() // undoes what the request changed for later cells
}

// pageRow is one route's expectations.
type pageRow struct {
	Pattern string
	Public  bool        // every caller, the public included, gets Want
	Allow   []string    // callers allowed (Want); the other signed-in callers are refused, the public sent to log in
	Want    pageOutcome // for the allowed callers (pageOK when zero)
	// Prepare builds the request of a caller (nil: the pattern's path, GET).
	Prepare func(t *testing.T, fx *pageFixture, caller string) pageRequest
}

func (row pageRow) want(caller string) pageOutcome {
	switch {
	case row.Public:
		return row.Want
	case caller == "anonymous":
		return pageLogin
	case slices.Contains(row.Allow, caller):
		return row.Want
	}
	return pageRefused
}

// contractViewers see a contract sold by the university (tto) to the
// enterprise through the city's registry, once it is submitted.
var contractViewers = []string{"admin", "bureau", "registrar", "tto", "enterprise"}

// contractFilers may open the filing form and file (service.filerRoles).
var contractFilers = []string{"admin", "registrar", "tto", "enterprise", "pilot_base", "agency", "other_registrar", "other_tto"}

// importers import into their registry (admins into the default one).
var importers = []string{"admin", "registrar", "other_registrar"}

func pageRows() []pageRow {
	get := func(path string) func(*testing.T, *pageFixture, string) pageRequest {
		return func(*testing.T, *pageFixture, string) pageRequest { return pageRequest{Method: "GET", Path: path} }
	}
	// onContract builds a request about a contract made for the cell.
	onContract := func(method, path string, make func(t *testing.T, fx *pageFixture) *domain.Contract,
		form func(fx *pageFixture, caller string, c *domain.Contract) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, caller string) pageRequest {
			c := make(t, fx)
			rq := pageRequest{Method: method, Path: strings.Replace(path, "{id}", strconv.FormatInt(c.ID, 10), 1)}
			if form != nil {
				rq.Form = form(fx, caller, c)
			}
			return rq
		}
	}
	// onFiling is onContract on the caller's filing (pageFixture.filing).
	onFiling := func(method, path string, ready bool,
		form func(fx *pageFixture, caller string, c *domain.Contract) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, caller string) pageRequest {
			c := fx.filing(t, caller, ready)
			return onContract(method, path, func(*testing.T, *pageFixture) *domain.Contract { return c }, form)(t, fx, caller)
		}
	}
	shared := func(t *testing.T, fx *pageFixture) *domain.Contract { return fx.shared }
	registered := func(t *testing.T, fx *pageFixture) *domain.Contract { return fx.registered }
	submitted := func(t *testing.T, fx *pageFixture) *domain.Contract { return fx.submitted(t) }
	accepted := func(t *testing.T, fx *pageFixture) *domain.Contract { return fx.contract().Accepted().Insert(t) }
	returned := func(t *testing.T, fx *pageFixture) *domain.Contract { return fx.contract().Returned().Insert(t) }
	// A disputed contract accepted on 2026-12-01 goes to expert review.
	large := func(t *testing.T, fx *pageFixture) *domain.Contract {
		c := fx.w.Contract(func(c *domain.Contract) {
			c.Title, c.SignedOn, c.TermStart, c.TermEnd, c.Disputed = "矩阵测试争议合同", "2026-11-01", "2026-11-01", "2027-10-31", true
		}).Accepted().Insert(t)
		if !c.ExpertReview {
			t.Fatal("fixture: not for expert review")
		}
		return c
	}
	reviewed := func(t *testing.T, fx *pageFixture) *domain.Contract {
		c := large(t, fx)
		c, err := fx.svc.Contracts.AssignReviewers(context.Background(), service.ActorOf(fx.users["registrar"]), c.ID, c.Version, []int64{fx.users["expert"].ID})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	action := func(kv ...string) func(*pageFixture, string, *domain.Contract) url.Values {
		return func(_ *pageFixture, _ string, c *domain.Contract) url.Values {
			f := url.Values{"version": {strconv.FormatInt(c.Version, 10)}}
			for i := 0; i+1 < len(kv); i += 2 {
				f.Set(kv[i], kv[i+1])
			}
			return f
		}
	}
	rows := []pageRow{
		{Pattern: "GET /static/", Public: true, Prepare: get("/static/app.css")},
		{Pattern: "GET /{$}", Public: true, Want: pageRedirect, Prepare: get("/")},
		{Pattern: "GET /stats", Public: true},
		{Pattern: "GET /login", Public: true},
		// Everyone logs in as themselves; the public as the bureau.
		{Pattern: "POST /login", Public: true, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
			name := usernames[caller]
			if caller == "anonymous" {
				name = "bureau"
			}
			return pageRequest{Method: "POST", Path: "/login", Form: url.Values{"username": {name}, "password": {demo.Password}}}
		}},
		{Pattern: "POST /logout", Public: true, Want: pageRedirect},

		{Pattern: "GET /contracts", Allow: callersExcept()}, // an expert lists what it is assigned
		{Pattern: "GET /contracts/new", Allow: contractFilers},
		// Refused callers send a form with a bad amount: the refusal comes
		// before the form's own errors (else the page answers 422).
		{Pattern: "POST /contracts/new", Allow: contractFilers, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
			return pageRequest{Method: "POST", Path: "/contracts/new", Form: badUnless(fx.contractForm(caller), contractFilers, caller)}
		}},
		{Pattern: "GET /contracts/import", Allow: importers},
		{Pattern: "POST /contracts/import", Allow: importers, Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
			fx.seq++
			return pageRequest{Method: "POST", Path: "/contracts/import", FileField: "file", FileName: "contracts.csv",
				File: importCSV(t, fmt.Sprintf("矩阵导入测试合同%03d", fx.seq), false)}
		}},
		{Pattern: "GET /contracts/form/categories", Public: true, Prepare: get("/contracts/form/categories?signed_on=2022-05-01&category=development")},

		{Pattern: "GET /contracts/{id}", Allow: contractViewers, Prepare: onContract("GET", "/contracts/{id}", shared, nil)},
		// A draft is its owner's alone, and only its filers': the seller's
		// organisation edits it, and the roles that may not file (bureau,
		// expert) are refused even their own organisation's drafts (H3).
		{Pattern: "GET /contracts/{id}/edit", Allow: []string{"tto"}, Prepare: onFiling("GET", "/contracts/{id}/edit", false, nil)},
		{Pattern: "POST /contracts/{id}/edit", Allow: []string{"tto"}, Want: pageRedirect,
			Prepare: onFiling("POST", "/contracts/{id}/edit", false, func(fx *pageFixture, caller string, c *domain.Contract) url.Values {
				f := fx.contractForm("tto") // the owner's form, whoever sends it
				f.Set("version", strconv.FormatInt(c.Version, 10))
				return badUnless(f, []string{"tto"}, caller)
			})},
		{Pattern: "POST /contracts/{id}/document", Allow: []string{"tto"}, Want: pageRedirect,
			Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
				c := fx.filing(t, caller, false)
				return pageRequest{Method: "POST", Path: fmt.Sprintf("/contracts/%d/document", c.ID),
					FileField: "document", FileName: "合同.pdf", File: matrixPDF}
			}},
		{Pattern: "POST /contracts/{id}/submit", Allow: []string{"tto"}, Want: pageRedirect,
			Prepare: onFiling("POST", "/contracts/{id}/submit", true, action())},
		{Pattern: "POST /contracts/{id}/accept", Allow: []string{"registrar"}, Want: pageRedirect,
			Prepare: onContract("POST", "/contracts/{id}/accept", submitted, action())},
		{Pattern: "POST /contracts/{id}/reject", Allow: []string{"registrar"}, Want: pageRedirect,
			Prepare: onContract("POST", "/contracts/{id}/reject", submitted, action("ground", "oral"))},
		{Pattern: "POST /contracts/{id}/register", Allow: []string{"registrar"}, Want: pageRedirect,
			Prepare: onContract("POST", "/contracts/{id}/register", accepted, action("tech_income_yuan", "90000.00"))},
		{Pattern: "POST /contracts/{id}/withdraw", Allow: []string{"tto"}, Want: pageRedirect,
			Prepare: onContract("POST", "/contracts/{id}/withdraw", submitted, action())},
		{Pattern: "POST /contracts/{id}/delete", Allow: []string{"tto"}, Want: pageRedirect,
			Prepare: onFiling("POST", "/contracts/{id}/delete", false, action())},
		{Pattern: "POST /contracts/{id}/return", Allow: []string{"registrar"}, Want: pageRedirect,
			Prepare: onContract("POST", "/contracts/{id}/return", accepted, action("comment", "请补充验收标准"))},
		{Pattern: "POST /contracts/{id}/refuse", Allow: []string{"registrar"}, Want: pageRedirect,
			Prepare: onContract("POST", "/contracts/{id}/refuse", accepted, action("ground", "other", "note", "属于一般劳务"))},
		{Pattern: "POST /contracts/{id}/reviewers", Allow: []string{"registrar"}, Want: pageRedirect,
			Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
				c := large(t, fx)
				return pageRequest{Method: "POST", Path: fmt.Sprintf("/contracts/%d/reviewers", c.ID),
					Form: url.Values{"version": {strconv.FormatInt(c.Version, 10)}, "user_id": {strconv.FormatInt(fx.users["expert"].ID, 10)}}}
			}},
		{Pattern: "POST /contracts/{id}/opinion", Allow: []string{"expert"}, Want: pageRedirect,
			Prepare: onContract("POST", "/contracts/{id}/opinion", reviewed, action("opinion", "agree"))},
		{Pattern: "GET /contracts/{id}/notice/{kind}", Allow: contractViewers, Prepare: onContract("GET", "/contracts/{id}/notice/correction", returned, nil)},
		{Pattern: "GET /certificates", Public: true, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "GET", Path: "/certificates?reg_no=" + fx.registered.RegNo}
		}},
		{Pattern: "GET /contracts/{id}/certificate", Allow: append([]string{"authority"}, contractViewers...), Prepare: onContract("GET", "/contracts/{id}/certificate", registered, nil)},
		{Pattern: "GET /registry/queue", Allow: importers},

		{Pattern: "GET /audit", Allow: []string{"admin", "bureau"}},
		{Pattern: "GET /audit/export", Allow: []string{"admin", "bureau"}, Prepare: get("/audit/export?format=csv")},
		{Pattern: "GET /account", Allow: signedIn},
		{Pattern: "POST /account/tokens", Allow: signedIn, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "POST", Path: "/account/tokens", Form: url.Values{"name": {"matrix"}, "scope": {"read"}, "expires_in_days": {"30"}}}
		}},
		// Everyone revokes a token of their own; the public tries the admin's.
		{Pattern: "POST /account/tokens/{id}/revoke", Allow: signedIn, Want: pageRedirect,
			Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
				owner := caller
				if caller == "anonymous" {
					owner = "admin"
				}
				_, tok, err := fx.svc.Auth.CreateToken(context.Background(), service.ActorOf(fx.users[owner]), "matrix")
				if err != nil {
					t.Fatal(err)
				}
				return pageRequest{Method: "POST", Path: fmt.Sprintf("/account/tokens/%d/revoke", tok.ID), Form: url.Values{}}
			}},
		// Each caller changes their password, which the cell then restores.
		{Pattern: "POST /account/password", Allow: signedIn, Want: pageRedirect,
			Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
				rq := pageRequest{Method: "POST", Path: "/account/password", Form: url.Values{"current_password": {demo.Password},
					"new_password": {"matrix-2026-pw"}, "new_password2": {"matrix-2026-pw"}}}
				if u := fx.users[caller]; u != nil {
					rq.after = func() { fx.restorePassword(t, u) }
				}
				return rq
			}},
	}
	// Any other URL: the product's own 404 page, for everyone alike.
	rows = append(rows, pageRow{Pattern: "/", Public: true, Want: pageRefused, Prepare: get("/no-such-page")})
	// Each module's own rows: one line a module.
	rows = append(rows, adminPageRows()...)
	rows = append(rows, achievementPageRows()...)
	rows = append(rows, attachmentPageRows()...)
	rows = append(rows, notifyPageRows()...)
	rows = append(rows, postregPageRows()...)
	rows = append(rows, needPageRows()...)
	rows = append(rows, matchPageRows()...)
	rows = append(rows, chainPageRows()...)
	rows = append(rows, evaluationPageRows()...)
	rows = append(rows, recordioPageRows()...)
	rows = append(rows, challengePageRows()...)
	rows = append(rows, eventPageRows()...)
	rows = append(rows, assessPageRows()...)
	rows = append(rows, enterprisePageRows()...)
	rows = append(rows, enterpriseAssessPageRows()...)
	return rows
}

// pagePatterns reads every route pattern the package's non-test files
// register.
func pagePatterns(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = slices.DeleteFunc(files, func(name string) bool { return strings.HasSuffix(name, "_test.go") })
	return testutil.RoutePatterns(t, files...)
}

func TestPageAuthzCoversEveryRoute(t *testing.T) {
	rows := map[string]bool{}
	for _, r := range pageRows() {
		if rows[r.Pattern] {
			t.Errorf("matrix lists %q twice", r.Pattern)
		}
		rows[r.Pattern] = true
	}
	for _, p := range pagePatterns(t) {
		if !rows[p] {
			t.Errorf("the web package registers %q but the page authorisation matrix has no row for it: add one to pageRows", p)
		}
		delete(rows, p)
	}
	for p := range rows {
		t.Errorf("matrix row %q is not a registered page route", p)
	}
}

func TestPageAuthzMatrix(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			rows := pageRows()
			results := make([][]string, len(rows))
			failed := 0
			for i, row := range rows {
				method, path, _ := strings.Cut(row.Pattern, " ")
				for _, caller := range callers {
					rq := pageRequest{Method: method, Path: path}
					if row.Prepare != nil {
						rq = row.Prepare(t, fx, caller)
					}
					status, loc, body := fx.send(t, caller, rq)
					if rq.after != nil {
						rq.after()
					}
					want, cell := row.want(caller), strconv.Itoa(status)
					if !want.match(status, loc, body) {
						cell = fmt.Sprintf("!%d≠%s", status, want)
						failed++
						t.Errorf("%s as %s: %d (to %q), want %s: %s", row.Pattern, caller, status, loc, want, pageText(body))
					}
					results[i] = append(results[i], cell)
				}
			}
			if failed > 0 || testing.Verbose() {
				t.Logf("page authorisation matrix on %s (%d failures):\n%s", ns.Name, failed, pageMatrixTable(rows, results))
			}
		})
	}
}

// pageFixture is the one test world (storetest.New) with the demo's
// password and account names, on a clock standing at 2026-12-01, and the
// contracts the rows act on: NEU (tto) sells to 海龟 (enterprise) through
// the city's registry.
type pageFixture struct {
	w      *storetest.World
	srv    *httptest.Server
	svc    *service.Service
	st     *store.Store            // sessions and password hashes, below the service
	users  map[string]*domain.User // by caller
	shared *domain.Contract        // submitted

	registered *domain.Contract
	seq        int
}

func newPageFixture(t *testing.T, st *store.Store) *pageFixture {
	t.Helper()
	w := storetest.New(t, st, storetest.WithPassword(demo.Password), storetest.WithUsernames(usernames))
	w.SetDay("2026-12-01")
	srv, svc := server(t, w.St)
	fx := &pageFixture{w: w, srv: srv, svc: svc, st: w.St, users: w.Users}
	fx.shared = fx.submitted(t)
	fx.registered = fx.contract().Registered("2026-11-20", 1).Insert(t)
	return fx
}

func (fx *pageFixture) restorePassword(t *testing.T, u *domain.User) {
	t.Helper()
	hash := fx.users["admin"].PasswordHash // every user of the world shares it
	err := fx.st.InTx(context.Background(), func(q *store.Q) error { return q.SetPassword(context.Background(), u.ID, hash) })
	if err != nil {
		t.Fatal(err)
	}
}

// contract starts a contract NEU sells to 海龟, with a title of its own.
func (fx *pageFixture) contract() *storetest.ContractBuilder {
	fx.seq++
	return fx.w.Contract(func(c *domain.Contract) {
		c.Title, c.SignedOn, c.TermStart, c.TermEnd = fmt.Sprintf("矩阵测试技术服务合同%03d", fx.seq), "2026-11-01", "2026-11-01", "2027-10-31"
	})
}

func (fx *pageFixture) submitted(t *testing.T) *domain.Contract {
	return fx.contract().Submitted().Insert(t)
}

// filing is a draft (with its text when ready) for a filing action: the
// university's, or for the roles that may not file (bureau, expert) one
// their own organisation owns — the admin's, an institute officer's.
func (fx *pageFixture) filing(t *testing.T, caller string, ready bool) *domain.Contract {
	b := fx.contract()
	if ready {
		b.WithDocument()
	}
	if caller == "bureau" || caller == "expert" {
		b.Owner(fx.users[caller].OrgID)
	}
	return b.Insert(t)
}

var matrixPDF = storetest.PDF

// contractForm is a valid filing form for the caller: the filing roles
// sell as their own organisation, the agency brokers its own, the others
// file for NEU; the buyer is a firm outside the platform.
func (fx *pageFixture) contractForm(caller string) url.Values {
	fx.seq++
	seller := fx.users["tto"].OrgID
	if u := fx.users[caller]; u != nil && slices.Contains([]string{"tto", "enterprise", "pilot_base", "other_tto"}, caller) {
		seller = u.OrgID
	}
	f := url.Values{"title": {fmt.Sprintf("矩阵测试技术开发合同%03d", fx.seq)}, "contract_no": {fmt.Sprintf("MX-%03d", fx.seq)},
		"signed_on": {"2026-11-01"}, "term_start": {"2026-11-01"}, "term_end": {"2027-10-31"},
		"category": {"development"}, "sub_type": {"entrusted_dev"}, "form": {"written"}, "seals_match": {"1"},
		"tech_field": {"manufacturing"}, "chain_code": {"robot"}, "turnover_yuan": {"250000.00"},
		"seller_org_id": {strconv.FormatInt(seller, 10)},
		"buyer_mode":    {"external"}, "buyer_name": {"大连港湾装备有限公司"}, "buyer_uscc": {domain.MakeUSCC("91210200000000077")},
		"buyer_region": {"210200"}, "buyer_type": {string(domain.PartyEnterprise)}}
	if caller == "agency" {
		// an agency files as the broker of another seller's deal (never its own)
		f.Set("broker_org_id", strconv.FormatInt(fx.users["agency"].OrgID, 10))
	}
	return f
}

// badUnless spoils the amount of a form unless the caller is allowed.
func badUnless(f url.Values, allowed []string, caller string) url.Values {
	if !slices.Contains(allowed, caller) {
		f.Set("turnover_yuan", "十万")
	}
	return f
}

// send makes the cell's request with a fresh session of the caller (so no
// cell depends on another's logout or password change), as a same-origin
// browser form would, and does not follow redirects.
func (fx *pageFixture) send(t *testing.T, caller string, rq pageRequest) (int, string, string) {
	t.Helper()
	var body io.Reader
	ctype := ""
	switch {
	case rq.File != nil:
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile(rq.FileField, rq.FileName)
		fw.Write(rq.File)
		mw.Close()
		body, ctype = &b, mw.FormDataContentType()
	case rq.Form != nil:
		body, ctype = strings.NewReader(rq.Form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(rq.Method, fx.srv.URL+rq.Path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if rq.Method != "GET" {
		req.Header.Set("Origin", fx.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if u := fx.users[caller]; u != nil {
		secret := rand.Text()
		if err := fx.st.CreateSession(context.Background(), service.TokenHash(secret), u.ID, fx.st.Clock().Now().Add(service.SessionTTL)); err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: secret})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

func pageMatrixTable(rows []pageRow, results [][]string) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	fmt.Fprintf(w, "route\t%s\t\n", strings.Join(callers, "\t"))
	for i, row := range rows {
		fmt.Fprintf(w, "%s\t%s\t\n", row.Pattern, strings.Join(results[i], "\t"))
	}
	w.Flush()
	return b.String()
}

// pageText is the error page's message or the start of the body.
func pageText(body string) string {
	if _, rest, ok := strings.Cut(body, `id="error-page"`); ok {
		body = rest
	}
	body = strings.Join(strings.Fields(body), " ")
	if len(body) > 300 {
		body = body[:300]
	}
	return body
}
