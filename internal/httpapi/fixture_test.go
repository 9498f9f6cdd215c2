package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// The fixture is the one test world (storetest.New) behind the real
// handler stack: one organisation of each kind, one user per role (plus
// the registrar of a second registry), sessions opened the way Login opens
// them, and the world's clock, which stands still so every date the server
// writes is known.

// roles are the matrix columns: the public first, then every role, then a
// registrar of another registry (right role, wrong organisation).
var roles = []string{"anonymous", "admin", "bureau", "registrar", "expert", "tto", "enterprise", "pilot_base", "agency", "other_registrar", "authority"}

const testPassword = storetest.Password

// samplePDF is the smallest text the upload accepts (it checks the magic).
var samplePDF = storetest.PDF

type fixture struct {
	DB  string
	W   *storetest.World
	Svc *service.Service
	St  *store.Store // the same database, for arranging what no use case makes
	API *httpapi.API
	Srv *httptest.Server

	Orgs     map[string]*domain.Org  // by key: bureau registry registry2 institute university enterprise pilot agency
	Users    map[string]*domain.User // by role key
	Sessions map[string]string       // session token by role key

	seq int // counter for unique names
}

// newFixtures returns one fixture per configured database.
func newFixtures(t *testing.T) []*fixture {
	t.Helper()
	var out []*fixture
	for _, ns := range testutil.Stores(t) {
		out = append(out, newFixture(t, ns.Name, ns.Store))
	}
	return out
}

func newFixture(t *testing.T, db string, st *store.Store) *fixture {
	t.Helper()
	w := storetest.New(t, st)
	fx := &fixture{DB: db, W: w, St: w.St, Users: w.Users, Sessions: map[string]string{},
		Orgs: map[string]*domain.Org{"bureau": w.Bureau, "registry": w.Registry, "registry2": w.Registry2, "institute": w.Institute,
			"university": w.Univ, "enterprise": w.Ent, "pilot": w.Pilot, "agency": w.Agency}}
	fx.Svc = service.New(w.St, testutil.Log())
	k := httpx.New(fx.Svc.Auth, testutil.Log())
	var err error
	if fx.API, err = httpapi.New(fx.Svc, k); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	fx.API.Routes(mux)
	fx.Srv = httptest.NewServer(k.Wrap(mux))
	t.Cleanup(fx.Srv.Close)
	for _, role := range roles[1:] {
		fx.Sessions[role] = fx.newSession(role)
	}
	return fx
}

// newSession opens a session for role the way Login does, without paying
// for the password hash.
func (fx *fixture) newSession(role string) string {
	return fx.W.Session(role, service.TokenHash, service.SessionTTL)
}

// newSQLiteFixture is for tests whose subject does not touch SQL.
func newSQLiteFixture(t *testing.T) *fixture {
	return newFixture(t, "sqlite", testutil.OpenSQLite(t))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// uscc returns a credit code no organisation has yet.
func (fx *fixture) uscc() string { return fx.W.USCC() }

// login opens a session through the API and returns its cookie value.
func (fx *fixture) login(t testing.TB, username, password string) string {
	t.Helper()
	res := fx.send(t, "anonymous", request{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": username, "password": password}})
	if res.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, res.Status, res.Body)
	}
	for _, c := range res.Cookies {
		if c.Name == httpx.SessionCookie && c.Value != "" {
			return c.Value
		}
	}
	t.Fatalf("login %s: no %s cookie", username, httpx.SessionCookie)
	return ""
}

// actor returns the service actor of a role key (nil for anonymous).
func (fx *fixture) actor(role string) *domain.Actor { return service.ActorOf(fx.Users[role]) }

// request is one HTTP call. JSON is marshalled unless Body is set.
type request struct {
	Method, Path string
	JSON         any
	Body         []byte
	Type         string            // Content-Type of Body
	Header       map[string]string // extra headers
	Session      string            // overrides the role's session cookie
	NoAuth       bool              // send no credentials at all
}

type response struct {
	Status  int
	Header  http.Header
	Body    []byte
	Cookies []*http.Cookie
}

// send performs rq as role (by its session cookie) without a cookie jar, so
// a login or logout in one call never changes whose session the next uses.
func (fx *fixture) send(t testing.TB, role string, rq request) response {
	t.Helper()
	res, err := fx.Srv.Client().Do(fx.httpRequest(t, role, rq))
	must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	return response{Status: res.StatusCode, Header: res.Header, Body: b, Cookies: res.Cookies()}
}

// httpRequest builds rq as role would send it.
func (fx *fixture) httpRequest(t testing.TB, role string, rq request) *http.Request {
	t.Helper()
	body, ctype := rq.Body, rq.Type
	if body == nil && rq.JSON != nil {
		b, err := json.Marshal(rq.JSON)
		must(t, err)
		body, ctype = b, "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(rq.Method, fx.Srv.URL+rq.Path, rd)
	must(t, err)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range rq.Header {
		req.Header.Set(k, v)
	}
	if s := rq.Session; s != "" {
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: s})
	} else if s := fx.Sessions[role]; s != "" && !rq.NoAuth {
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: s})
	}
	return req
}

// decode unmarshals the body into v, failing the test on bad JSON.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response is not JSON (%d): %v\n%s", r.Status, err, r.Body)
	}
}

// problem decodes a problem+json answer after checking its content type
// and the shape every error shares.
func (r response) problem(t testing.TB) httpx.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("status %d with Content-Type %q, want application/problem+json\n%s", r.Status, ct, r.Body)
	}
	var p httpx.Problem
	r.decode(t, &p)
	if p.Status != r.Status || p.Code == "" || p.Title == "" || p.Type == "" {
		t.Fatalf("problem lacks status/code/title/type: %+v", p)
	}
	if !hasHan(p.Detail) {
		t.Fatalf("problem detail %q is not a Chinese message", p.Detail)
	}
	return p
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

// contractInput returns a valid written contract sold by seller to an
// external buyer in the city.
func (fx *fixture) contractInput(seller *domain.Org) *domain.Contract {
	fx.seq++
	return &domain.Contract{
		Title:  fmt.Sprintf("智能焊接机器人视觉系统开发合同%03d", fx.seq),
		Seller: domain.Party{OrgID: seller.ID},
		Buyer: domain.Party{Name: fmt.Sprintf("沈阳重型机械制造有限公司%03d", fx.seq), USCC: fx.uscc(), RegionCode: "210106",
			Type: domain.PartyEnterprise},
		SignedOn: "2023-03-01", TermStart: "2023-03-01", TermEnd: "2024-02-29",
		Category: "development", SubType: "entrusted_dev", Form: "written", SealsMatch: true,
		Field: "manufacturing", ChainCode: "robot", TurnoverFen: 1_200_000_00,
		CostItems: []domain.CostItem{{Kind: "equipment", Description: "工业相机", UnitPriceFen: 150_000_00, Quantity: 2}},
	}
}

// draft is a draft the university (tto) sells to the enterprise.
func (fx *fixture) draft(t testing.TB) *domain.Contract {
	return fx.contract().Insert(t)
}

// withDocument is a draft with its PDF, ready to submit.
func (fx *fixture) withDocument(t testing.TB) *domain.Contract {
	return fx.contract().WithDocument().Insert(t)
}

// submitted is a contract of the university awaiting 受理.
func (fx *fixture) submitted(t testing.TB) *domain.Contract {
	return fx.contract().Submitted().Insert(t)
}

// large is a disputed contract of the university accepted for expert
// review, with the fixture's expert assigned when assigned.
func (fx *fixture) large(t testing.TB, assigned bool) *domain.Contract {
	// The fixture's day (2023) is under the 2000 regime: the record is
	// written as the 2026 regime would have accepted it.
	b := fx.contract().Accepted()
	rec := b.Build()
	rec.Disputed, rec.Regime, rec.ExpertReview = true, domain.Regime2026, true
	c := b.Insert(t)
	if assigned {
		var err error
		c, err = fx.Svc.Contracts.AssignReviewers(context.Background(), fx.actor("registrar"), c.ID, c.Version, []int64{fx.Users["expert"].ID})
		must(t, err)
	}
	return c
}

// accepted is a contract of the university accepted, awaiting a decision.
func (fx *fixture) accepted(t testing.TB) *domain.Contract {
	return fx.contract().Accepted().Insert(t)
}

// contract starts a record of contractInput's filing: the university
// sells to the enterprise.
func (fx *fixture) contract() *storetest.ContractBuilder {
	in := fx.contractInput(fx.Orgs["university"])
	return fx.W.Contract(func(c *domain.Contract) {
		c.Title, c.SignedOn, c.TermStart, c.TermEnd, c.ChainCode = in.Title, in.SignedOn, in.TermStart, in.TermEnd, in.ChainCode
		c.TurnoverFen, c.CostItems = in.TurnoverFen, in.CostItems
	})
}

// register registers a submitted contract as the registrar.
func (fx *fixture) register(t testing.TB, c *domain.Contract, techIncome int64) *domain.Contract {
	t.Helper()
	var err error
	if c.Status == domain.ContractSubmitted { // 受理 first
		c, err = fx.Svc.Contracts.Accept(context.Background(), fx.actor("registrar"), c.ID, c.Version)
		must(t, err)
	}
	c, err = fx.Svc.Contracts.Register(context.Background(), fx.actor("registrar"), c.ID, c.Version, techIncome, "")
	must(t, err)
	return c
}
