package httpapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/password"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// The fixture is a small city on a real database behind the real handler
// stack: one organisation of each kind, one user per role (plus the
// registrar of a second registry), sessions opened through the login
// endpoint, and a fixed clock so every date the server writes is known.

// roles are the matrix columns: the public first, then every role, then a
// registrar of another registry (right role, wrong organisation).
var roles = []string{"anonymous", "admin", "bureau", "registrar", "expert", "tto", "enterprise", "pilot_base", "agency", "other_registrar"}

const testPassword = "kechuang-test-2023"

// fixedNow is the fixture's clock: 2023-06-15 10:00 in China.
var fixedNow = time.Date(2023, 6, 15, 2, 0, 0, 0, time.UTC)

// samplePDF is the smallest text the upload accepts (it checks the magic).
var samplePDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

type fixture struct {
	DB    string
	Svc   *service.Service
	St    *store.Store // the same database, for arranging what no use case makes
	API   *httpapi.API
	Srv   *httptest.Server
	Clock time.Time

	Orgs     map[string]*domain.Org  // by key: bureau registry registry2 institute university enterprise pilot agency
	Users    map[string]*domain.User // by role key
	Sessions map[string]string       // session token by role key

	seq int // counter for unique names and credit codes
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
	ctx := context.Background()
	fx := &fixture{DB: db, Clock: fixedNow, Orgs: map[string]*domain.Org{}, Users: map[string]*domain.User{}, Sessions: map[string]string{}}
	fx.St = st
	fx.Svc = service.New(st.WithClock(domain.ClockFunc(func() time.Time { return fx.Clock })), testutil.Log())
	k := httpx.New(fx.Svc.Auth, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var err error
	if fx.API, err = httpapi.New(fx.Svc, k); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	fx.API.Routes(mux)
	fx.Srv = httptest.NewServer(k.Wrap(mux))
	t.Cleanup(fx.Srv.Close)

	orgs := []struct {
		key, name, region string
		kind              domain.OrgKind
	}{
		{"bureau", "沈阳市科学技术局", "210100", domain.OrgBureau},
		{"registry", "沈阳市技术合同认定登记站", "210100", domain.OrgRegistry},
		{"registry2", "大连市技术合同认定登记站", "210200", domain.OrgRegistry},
		{"institute", "中国科学院金属研究所", "210102", domain.OrgInstitute},
		{"university", "东北大学", "210102", domain.OrgUniversity},
		{"enterprise", "沈阳海龟医疗科技有限公司", "210112", domain.OrgEnterprise},
		{"pilot", "沈阳智能制造中试基地", "210106", domain.OrgPilotBase},
		{"agency", "沈阳市技术转移服务中心", "210102", domain.OrgAgency},
	}
	for _, o := range orgs {
		org := &domain.Org{Kind: o.kind, Name: o.name, RegionCode: o.region, USCC: fx.uscc()}
		must(t, fx.Svc.Admin.CreateOrg(ctx, domain.SystemActor(), org))
		fx.Orgs[o.key] = org
	}
	must(t, st.InTx(ctx, func(tx *store.Q) error {
		if err := storetest.PutCity(ctx, tx, city.Shenyang()); err != nil {
			return err
		}
		if err := tx.PutRegion(ctx, domain.Region{Code: "210200", Name: "大连市", Parent: "210000"}); err != nil {
			return err
		}
		return tx.SetSetting(ctx, service.SettingDefaultRegistry, fmt.Sprint(fx.Orgs["registry"].ID))
	}))

	users := []struct {
		role domain.Role
		key  string
		org  string
	}{
		{domain.RoleAdmin, "admin", "bureau"}, {domain.RoleBureau, "bureau", "bureau"}, {domain.RoleRegistrar, "registrar", "registry"},
		{domain.RoleExpert, "expert", "institute"}, {domain.RoleTTO, "tto", "university"}, {domain.RoleEnterprise, "enterprise", "enterprise"},
		{domain.RolePilotBase, "pilot_base", "pilot"}, {domain.RoleAgency, "agency", "agency"}, {domain.RoleRegistrar, "other_registrar", "registry2"},
	}
	for _, u := range users {
		// Straight to the store with one shared hash: argon2id per user
		// would dominate the suite's time. The login endpoint is tested on
		// its own; here sessions are opened the way Login opens them.
		user := &domain.User{Username: u.key, DisplayName: "测试" + u.key, Role: u.role, OrgID: fx.Orgs[u.org].ID,
			PasswordHash: passwordHash(t)}
		must(t, st.InTx(ctx, func(tx *store.Q) error { return tx.CreateUser(ctx, user) }))
		fx.Users[u.key] = user
		fx.Sessions[u.key] = fx.newSession(t, u.key)
	}
	return fx
}

// newSession opens a session for role the way Login does, without paying
// for the password hash.
func (fx *fixture) newSession(t testing.TB, role string) string {
	t.Helper()
	secret := rand.Text()
	must(t, fx.St.CreateSession(context.Background(), service.TokenHash(secret), fx.Users[role].ID, fx.Clock.Add(service.SessionTTL)))
	return secret
}

var hashOnce = sync.OnceValues(func() (string, error) { return password.Hash(testPassword) })

func passwordHash(t testing.TB) string {
	h, err := hashOnce()
	must(t, err)
	return h
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

// uscc returns a fresh valid credit code.
func (fx *fixture) uscc() string {
	fx.seq++
	return domain.MakeUSCC(fmt.Sprintf("91210100MA%07d", fx.seq))
}

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

// draft files a draft as the tto (the university sells to the enterprise
// when toEnterprise, so the enterprise is a party once it is submitted).
func (fx *fixture) draft(t testing.TB) *domain.Contract {
	t.Helper()
	in := fx.contractInput(fx.Orgs["university"])
	in.Buyer = domain.Party{OrgID: fx.Orgs["enterprise"].ID}
	c, err := fx.Svc.Contracts.Create(context.Background(), fx.actor("tto"), in)
	must(t, err)
	return c
}

// withDocument files a draft with its PDF, ready to submit.
func (fx *fixture) withDocument(t testing.TB) *domain.Contract {
	t.Helper()
	c := fx.draft(t)
	c, err := fx.Svc.Contracts.UploadDocument(context.Background(), fx.actor("tto"), c.ID, "合同.pdf", samplePDF)
	must(t, err)
	return c
}

// submitted files and submits a contract awaiting the registrar.
func (fx *fixture) submitted(t testing.TB) *domain.Contract {
	t.Helper()
	c := fx.withDocument(t)
	c, err := fx.Svc.Contracts.Submit(context.Background(), fx.actor("tto"), c.ID, c.Version)
	must(t, err)
	if c.Status != domain.ContractSubmitted {
		t.Fatalf("submitted contract has status %s", c.Status)
	}
	return c
}

// register registers a submitted contract as the registrar.
func (fx *fixture) register(t testing.TB, c *domain.Contract, techIncome int64) *domain.Contract {
	t.Helper()
	c, err := fx.Svc.Contracts.Register(context.Background(), fx.actor("registrar"), c.ID, c.Version, techIncome, "")
	must(t, err)
	return c
}
