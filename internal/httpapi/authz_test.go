package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"kechuang/internal/domain"
	"kechuang/internal/testutil"
)

// The authorisation matrix: every route of routes.go × every role, run
// through the real middleware and handlers on both databases. A route in
// routes.go without a row here fails the test, so no endpoint escapes it.

// outcome is what a role should get from a route.
type outcome int

const (
	allowed outcome = iota // 2xx
	unauth                 // 401: the public on a protected route
	refused                // 403 or 404: logged in without the right
	passes                 // past authorisation: anything but 401/403/404 and 5xx (validation may still refuse)
	either                 // passes or refused: the rules leave it open
)

func (o outcome) String() string {
	return [...]string{"2xx", "401", "403/404", "pass", "any"}[o]
}

func (o outcome) match(status int) bool {
	denied := status == http.StatusForbidden || status == http.StatusNotFound
	ok := status < 500 && status != http.StatusUnauthorized && !denied
	switch o {
	case allowed:
		return status >= 200 && status < 300
	case unauth:
		return status == http.StatusUnauthorized
	case refused:
		return denied
	case passes:
		return ok
	}
	return ok || denied
}

// authzRow is one route's expectations.
type authzRow struct {
	Pattern string
	Public  bool     // every caller allowed, the public included
	Allow   []string // roles allowed; the other logged-in roles are refused
	Either  []string // roles for which the rules leave allowed/refused open
	// Lenient: allowed cells only need to pass authorisation (the body is a
	// probe, not a valid upload).
	Lenient bool
	// Prepare builds the request for a role (nil: the pattern's path as is).
	Prepare func(t *testing.T, fx *fixture, role string) request
}

var loggedIn = []string{"admin", "bureau", "registrar", "expert", "tto", "enterprise", "pilot_base", "agency", "other_registrar", "authority"}

func except(drop ...string) []string {
	var out []string
	for _, r := range loggedIn {
		if !slices.Contains(drop, r) {
			out = append(out, r)
		}
	}
	return out
}

// want returns the expected outcome of role on the row.
func (row authzRow) want(role string) outcome {
	switch {
	case row.Public:
		return allowed
	case role == "anonymous":
		return unauth
	case slices.Contains(row.Either, role):
		return either
	case slices.Contains(row.Allow, role) && row.Lenient:
		return passes
	case slices.Contains(row.Allow, role):
		return allowed
	}
	return refused
}

// Who sees a submitted contract sold by the university (tto) to the
// enterprise through the city's registry.
var contractReaders = []string{"admin", "bureau", "registrar", "tto", "enterprise"}

func onContract(verb string, make func(t *testing.T, fx *fixture) *domain.Contract, body func(fx *fixture, c *domain.Contract) request) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, role string) request {
		c := make(t, fx)
		rq := request{}
		if body != nil {
			rq = body(fx, c)
		}
		rq.Method = verb
		rq.Path = strings.Replace(rq.Path, "{id}", strconv.FormatInt(c.ID, 10), 1)
		return rq
	}
}

// onFiling builds a request about a draft (with its text when ready): the
// university's, or for the roles that may not file (bureau, expert) a
// draft their own organisation owns — the admin's, an institute officer's.
func onFiling(verb string, ready bool, body func(fx *fixture, c *domain.Contract) request) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, role string) request {
		return onContract(verb, func(t *testing.T, fx *fixture) *domain.Contract {
			b := fx.contract()
			if ready {
				b.WithDocument()
			}
			if role == "bureau" || role == "expert" {
				return b.Owner(fx.Users[role].OrgID).Insert(t)
			}
			return b.Insert(t)
		}, body)(t, fx, role)
	}
}

func authzRows(shared *domain.Contract) []authzRow {
	sharedContract := func(t *testing.T, fx *fixture) *domain.Contract { return shared }
	submitted := func(t *testing.T, fx *fixture) *domain.Contract { return fx.submitted(t) }
	accepted := func(t *testing.T, fx *fixture) *domain.Contract { return fx.accepted(t) }
	var registered *domain.Contract
	sharedRegistered := func(t *testing.T, fx *fixture) *domain.Contract {
		if registered == nil {
			registered = fx.register(t, fx.accepted(t), 1)
		}
		return registered
	}
	large := func(t *testing.T, fx *fixture) *domain.Contract { return fx.large(t, false) }
	reviewed := func(t *testing.T, fx *fixture) *domain.Contract { return fx.large(t, true) }
	path := func(p string) func(*fixture, *domain.Contract) request {
		return func(*fixture, *domain.Contract) request { return request{Path: p} }
	}
	action := func(p string, extra map[string]any) func(*fixture, *domain.Contract) request {
		return func(_ *fixture, c *domain.Contract) request {
			b := map[string]any{"version": c.Version}
			for k, v := range extra {
				b[k] = v
			}
			return request{Path: p, JSON: b}
		}
	}
	rows := []authzRow{
		{Pattern: "GET /healthz", Public: true},
		{Pattern: "GET /readyz", Public: true},
		{Pattern: "GET /metrics", Public: true},
		{Pattern: "GET /api/v1/openapi.json", Public: true},

		{Pattern: "POST /api/v1/session", Public: true, Prepare: func(t *testing.T, fx *fixture, role string) request {
			return request{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "bureau", "password": testPassword}}
		}},
		{Pattern: "DELETE /api/v1/session", Public: true, Prepare: func(t *testing.T, fx *fixture, role string) request {
			rq := request{Method: "DELETE", Path: "/api/v1/session"}
			if role != "anonymous" { // a fresh session, so the role's own survives
				rq.Session = fx.newSession(role)
			}
			return rq
		}},
		{Pattern: "GET /api/v1/me", Allow: loggedIn},
		// Each role changes its own password from a known old one back to
		// the fixture's, keeping the session the matrix sends.
		{Pattern: "PUT /api/v1/me/password", Allow: loggedIn, Prepare: func(t *testing.T, fx *fixture, role string) request {
			if role != "anonymous" {
				fx.setPasswordHash(t, role, matrixOldHash(t))
			}
			return request{Method: "PUT", Path: "/api/v1/me/password", JSON: map[string]any{"current_password": matrixOldPassword, "new_password": testPassword, "keep_tokens": true}}
		}},
		{Pattern: "GET /api/v1/tokens", Allow: loggedIn},
		{Pattern: "POST /api/v1/tokens", Allow: loggedIn, Prepare: func(t *testing.T, fx *fixture, role string) request {
			return request{Method: "POST", Path: "/api/v1/tokens", JSON: map[string]any{"name": "matrix", "scope": "read", "expires_in_days": 30}}
		}},
		// Everyone logged in revokes a token of their own; the public tries
		// the admin's.
		{Pattern: "DELETE /api/v1/tokens/{id}", Allow: loggedIn, Prepare: func(t *testing.T, fx *fixture, role string) request {
			owner := role
			if role == "anonymous" {
				owner = "admin"
			}
			_, tok := fx.newToken(t, owner, "matrix")
			return request{Method: "DELETE", Path: fmt.Sprintf("/api/v1/tokens/%d", tok.ID)}
		}},

		{Pattern: "GET /api/v1/meta/regions", Public: true},
		{Pattern: "GET /api/v1/meta/chains", Public: true},
		{Pattern: "GET /api/v1/meta/contract-categories", Public: true},
		{Pattern: "GET /api/v1/meta/tech-fields", Public: true},
		{Pattern: "GET /api/v1/meta/refusal-grounds", Public: true},

		{Pattern: "GET /api/v1/contracts", Allow: loggedIn}, // an expert lists what it is assigned (nothing here)
		{Pattern: "POST /api/v1/contracts", Allow: except("bureau", "expert", "authority"), Prepare: func(t *testing.T, fx *fixture, role string) request {
			seller := fx.Orgs["university"] // admin and registrars file for any seller
			switch role {
			case "tto", "enterprise", "pilot_base", "agency":
				seller = fx.Orgs[map[string]string{"tto": "university", "enterprise": "enterprise", "pilot_base": "pilot", "agency": "agency"}[role]]
			}
			return request{Method: "POST", Path: "/api/v1/contracts", JSON: fx.contractInput(seller)}
		}},
		// Export mirrors the list (experts see no contracts); the template is
		// for anyone logged in; import is the registry's and the admin's.
		{Pattern: "GET /api/v1/contracts/export", Allow: loggedIn},
		{Pattern: "GET /api/v1/contracts/template", Allow: loggedIn},
		{Pattern: "POST /api/v1/contracts/import", Allow: []string{"admin", "registrar", "other_registrar"}, Lenient: true,
			Prepare: func(t *testing.T, fx *fixture, role string) request {
				return request{Method: "POST", Path: "/api/v1/contracts/import", Body: []byte("title\n"), Type: "text/csv"}
			}},

		{Pattern: "GET /api/v1/contracts/{id}", Allow: contractReaders, Prepare: onContract("GET", sharedContract, path("/api/v1/contracts/{id}"))},
		// Filing actions: every role but the non-filers tries the
		// university's draft; bureau and expert try their own
		// organisation's, which only filers may take on (H3).
		{Pattern: "PUT /api/v1/contracts/{id}", Allow: []string{"tto"}, Prepare: onFiling("PUT", false, func(fx *fixture, c *domain.Contract) request {
			c.Title += "（修订）"
			return request{Path: "/api/v1/contracts/{id}", JSON: c}
		})},
		{Pattern: "GET /api/v1/contracts/{id}/events", Allow: contractReaders, Prepare: onContract("GET", sharedContract, path("/api/v1/contracts/{id}/events"))},
		{Pattern: "PUT /api/v1/contracts/{id}/document", Allow: []string{"tto"}, Prepare: onFiling("PUT", false, func(*fixture, *domain.Contract) request {
			return request{Path: "/api/v1/contracts/{id}/document", Body: samplePDF, Type: "application/pdf"}
		})},
		{Pattern: "GET /api/v1/contracts/{id}/document", Allow: contractReaders, Prepare: onContract("GET", sharedContract, path("/api/v1/contracts/{id}/document"))},
		{Pattern: "POST /api/v1/contracts/{id}/submit", Allow: []string{"tto"}, Prepare: onFiling("POST", true, action("/api/v1/contracts/{id}/submit", nil))},
		// The applicant deletes its own draft and withdraws its own
		// submitted filing; nobody else does either.
		{Pattern: "DELETE /api/v1/contracts/{id}", Allow: []string{"tto"}, Prepare: onFiling("DELETE", false, func(_ *fixture, c *domain.Contract) request {
			return request{Path: fmt.Sprintf("/api/v1/contracts/{id}?version=%d", c.Version)}
		})},
		{Pattern: "POST /api/v1/contracts/{id}/withdraw", Allow: []string{"tto"}, Prepare: onContract("POST", submitted, action("/api/v1/contracts/{id}/withdraw", nil))},
		{Pattern: "POST /api/v1/contracts/{id}/accept", Allow: []string{"registrar"},
			Prepare: onContract("POST", submitted, action("/api/v1/contracts/{id}/accept", nil))},
		{Pattern: "POST /api/v1/contracts/{id}/reject", Allow: []string{"registrar"},
			Prepare: onContract("POST", submitted, action("/api/v1/contracts/{id}/reject", map[string]any{"ground": "oral", "note": "测试"}))},
		// Expert review: the registrar assigns the expert to a large
		// accepted contract; the assigned expert records its opinion.
		{Pattern: "POST /api/v1/contracts/{id}/reviewers", Allow: []string{"registrar"},
			Prepare: onContract("POST", large, func(fx *fixture, c *domain.Contract) request {
				return request{Path: "/api/v1/contracts/{id}/reviewers", JSON: map[string]any{"version": c.Version, "user_ids": []int64{fx.Users["expert"].ID}}}
			})},
		{Pattern: "POST /api/v1/contracts/{id}/opinion", Allow: []string{"expert"},
			Prepare: onContract("POST", reviewed, action("/api/v1/contracts/{id}/opinion", map[string]any{"opinion": "agree"}))},
		{Pattern: "POST /api/v1/contracts/{id}/return", Allow: []string{"registrar"},
			Prepare: onContract("POST", accepted, action("/api/v1/contracts/{id}/return", map[string]any{"comment": "请补充技术指标"}))},
		{Pattern: "POST /api/v1/contracts/{id}/refuse", Allow: []string{"registrar"},
			Prepare: onContract("POST", accepted, action("/api/v1/contracts/{id}/refuse", map[string]any{"ground": "other", "note": "测试"}))},
		{Pattern: "POST /api/v1/contracts/{id}/register", Allow: []string{"registrar"},
			Prepare: onContract("POST", accepted, action("/api/v1/contracts/{id}/register", map[string]any{"tech_income_fen": 50_000_00}))},
		{Pattern: "GET /api/v1/registry/queue", Allow: []string{"admin", "registrar", "other_registrar"}},

		{Pattern: "GET /api/v1/stats/contracts", Public: true},
		{Pattern: "GET /api/v1/regime", Allow: loggedIn},
		{Pattern: "GET /api/v1/certificates/{reg_no}", Public: true, Prepare: onContract("GET", sharedRegistered, func(_ *fixture, c *domain.Contract) request {
			return request{Path: "/api/v1/certificates/" + c.RegNo}
		})},
		{Pattern: "PUT /api/v1/regime", Allow: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, role string) request {
			return request{Method: "PUT", Path: "/api/v1/regime", JSON: map[string]any{"cutover": "2026-03-01", "expert_threshold_fen": 500_000_000}}
		}},
		{Pattern: "POST /api/v1/calendar", Allow: []string{"admin", "bureau"}, Prepare: func(t *testing.T, fx *fixture, role string) request {
			return request{Method: "POST", Path: "/api/v1/calendar", Body: []byte("2027-01-01 holiday 元旦\n"), Type: "text/plain"}
		}},

		{Pattern: "GET /api/v1/audit", Allow: []string{"admin", "bureau"}},
		{Pattern: "GET /api/v1/audit/verify", Allow: []string{"admin", "bureau"}},
	}
	// Each module's own rows: one line a module.
	rows = append(rows, adminAuthzRows()...)
	rows = append(rows, achievementAuthzRows()...)
	rows = append(rows, attachmentAuthzRows(shared)...)
	rows = append(rows, notifyAuthzRows()...)
	rows = append(rows, postregAuthzRows()...)
	rows = append(rows, needAuthzRows()...)
	rows = append(rows, chainAuthzRows()...)
	rows = append(rows, evaluationAuthzRows()...)
	rows = append(rows, recordIOAuthzRows()...)
	rows = append(rows, challengeAuthzRows()...)
	rows = append(rows, eventAuthzRows()...)
	rows = append(rows, assessmentAuthzRows()...)
	rows = append(rows, enterpriseAuthzRows()...)
	rows = append(rows, enterpriseAssessAuthzRows()...)
	rows = append(rows, matchAuthzRows()...)
	return rows
}

// routePatterns reads the patterns registered in routes.go.
func routePatterns(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, p := range testutil.RoutePatterns(t, "routes.go") {
		if p != "/api/v1/" { // the method-less fallback: TestUnmatchedAPIRequests covers it
			out = append(out, p)
		}
	}
	return out
}

func TestAuthzMatrixCoversEveryRoute(t *testing.T) {
	rows := map[string]bool{}
	for _, r := range authzRows(nil) {
		if rows[r.Pattern] {
			t.Errorf("matrix lists %q twice", r.Pattern)
		}
		rows[r.Pattern] = true
	}
	routes := routePatterns(t)
	for _, p := range routes {
		if !rows[p] {
			t.Errorf("routes.go registers %q but the authorisation matrix has no row for it: add one to authzRows", p)
		}
		delete(rows, p)
	}
	for p := range rows {
		t.Errorf("matrix row %q is not a route in routes.go", p)
	}
}

func TestAuthzMatrix(t *testing.T) {
	router, err := gorillamux.NewRouter(kinOpenAPI(t))
	must(t, err)
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			shared := fx.submitted(t)
			rows := authzRows(shared)
			results := make([][]string, len(rows))
			failed := 0
			for i, row := range rows {
				method, p, _ := strings.Cut(row.Pattern, " ")
				for _, role := range roles {
					rq := request{Method: method, Path: p}
					if row.Prepare != nil {
						rq = row.Prepare(t, fx, role)
					}
					if role == "anonymous" {
						rq.NoAuth = true
					}
					res := fx.send(t, role, rq)
					want := row.want(role)
					cell := strconv.Itoa(res.Status)
					switch {
					case !want.match(res.Status):
						cell = fmt.Sprintf("!%d≠%s", res.Status, want)
						failed++
						t.Errorf("%s as %s: status %d, want %s: %s", row.Pattern, role, res.Status, want, firstLine(res.Body))
					case res.Status >= 400:
						res.problem(t) // refusals are problem+json too
					}
					// Every answer of the matrix is one the document describes.
					// (Requests are checked in TestOpenAPIDescribesRealAnswers:
					// here many bodies are Go structs with every zero member.)
					if err := validateExchange(t, fx, router, rq, res, false); err != nil {
						t.Errorf("%s as %s: %v", row.Pattern, role, err)
					}
					results[i] = append(results[i], cell)
				}
			}
			if failed > 0 || testing.Verbose() {
				t.Logf("authorisation matrix on %s (%d failures):\n%s", fx.DB, failed, matrixTable(rows, results))
			}
		})
	}
}

// TestAnonymousRefusedBeforeBody: a protected route answers the public 401
// without reading the body, so no validation detail leaks to it.
func TestAnonymousRefusedBeforeBody(t *testing.T) {
	fx := newSQLiteFixture(t)
	for _, row := range authzRows(nil) {
		if row.Public {
			continue
		}
		method, p, _ := strings.Cut(row.Pattern, " ")
		p = strings.Replace(p, "{id}", "1", 1)
		res := fx.send(t, "anonymous", request{Method: method, Path: p, Body: []byte(`{"bogus":`), Type: "application/json"})
		if res.Status != http.StatusUnauthorized {
			t.Errorf("%s with a broken body as the public: %d, want 401: %s", row.Pattern, res.Status, firstLine(res.Body))
		}
	}
}

func matrixTable(rows []authzRow, results [][]string) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	fmt.Fprintf(w, "route\t%s\t\n", strings.Join(roles, "\t"))
	for i, row := range rows {
		fmt.Fprintf(w, "%s\t%s\t\n", row.Pattern, strings.Join(results[i], "\t"))
	}
	w.Flush()
	return b.String()
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
