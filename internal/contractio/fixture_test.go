package contractio_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"testing"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// fixedNow is the fixture's clock: 2023-06-15 10:00 in China.
var fixedNow = time.Date(2023, 6, 15, 2, 0, 0, 0, time.UTC)

var samplePDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// fixture is a small city seeded through the service: the registry, a
// university, two local enterprises, an external enterprise, an agency and
// a bureau; districts and chains; actors for the roles the tests use.
type fixture struct {
	DB   string
	Svc  *service.Service
	St   *store.Store // the same database, for checks below the use cases
	Orgs map[string]*domain.Org
	// Actors by role key: admin, registrar, tto, enterprise, enterprise2, expert, bureau.
	Actors map[string]*domain.Actor
}

var fixtureOrgs = []struct {
	key, name, region string
	kind              domain.OrgKind
}{
	{"bureau", "沈阳市科学技术局", "210100", domain.OrgBureau},
	{"registry", "沈阳市技术合同认定登记站", "210100", domain.OrgRegistry},
	{"university", "东北大学", "210102", domain.OrgUniversity},
	{"enterprise", "沈阳海龟医疗科技有限公司", "210112", domain.OrgEnterprise},
	{"enterprise2", "沈阳铁西重工有限公司", "210106", domain.OrgEnterprise},
	{"external", "北京中关村软件有限公司", "110108", domain.OrgEnterprise},
	{"agency", "沈阳技术转移中心有限公司", "210103", domain.OrgAgency},
}

func usccN(n int) string { return domain.MakeUSCC(fmt.Sprintf("912101%011d", n)) }

// newFixture seeds st. Seeding is deterministic, so two fixtures on two
// databases have the same organisation IDs.
func newFixture(t testing.TB, db string, st *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	fx := &fixture{DB: db, St: st, Svc: service.New(st.WithClock(domain.ClockFunc(func() time.Time { return fixedNow })), testutil.Log()), Orgs: map[string]*domain.Org{}, Actors: map[string]*domain.Actor{}}
	for i, o := range fixtureOrgs {
		org := &domain.Org{Kind: o.kind, Name: o.name, USCC: usccN(i + 1), RegionCode: o.region}
		if err := fx.Svc.Admin.CreateOrg(ctx, domain.SystemActor(), org); err != nil {
			t.Fatalf("create org %s: %v", o.key, err)
		}
		fx.Orgs[o.key] = org
	}
	err := st.InTx(ctx, func(tx *store.Q) error {
		if err := storetest.PutCity(ctx, tx, city.Shenyang()); err != nil {
			return err
		}
		return tx.SetSetting(ctx, service.SettingDefaultRegistry, fmt.Sprint(fx.Orgs["registry"].ID))
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range []struct {
		key, org string
		role     domain.Role
	}{{"admin", "bureau", domain.RoleAdmin}, {"bureau", "bureau", domain.RoleBureau}, {"registrar", "registry", domain.RoleRegistrar},
		{"tto", "university", domain.RoleTTO}, {"enterprise", "enterprise", domain.RoleEnterprise},
		{"enterprise2", "enterprise2", domain.RoleEnterprise}, {"expert", "university", domain.RoleExpert}} {
		fx.Actors[a.key] = &domain.Actor{UserID: int64(100 + i), Username: a.key, Role: a.role, OrgID: fx.Orgs[a.org].ID}
	}
	return fx
}

func fixtures(t *testing.T) []*fixture {
	var out []*fixture
	for _, ns := range testutil.Stores(t) {
		out = append(out, newFixture(t, ns.Name, ns.Store))
	}
	return out
}

// sampleContract is a valid filing: the university sells to a buyer.
func (fx *fixture) sampleContract(title, buyer string, turnoverFen int64) *domain.Contract {
	c := &domain.Contract{Title: title, ContractNo: "HT-" + title, Seller: domain.Party{OrgID: fx.Orgs["university"].ID},
		SignedOn: "2023-03-01", TermStart: "2023-03-01", TermEnd: "2024-02-28", Category: "development", SubType: "entrusted_dev",
		Form: "written", SealsMatch: true, Field: "manufacturing", ChainCode: "robot", TurnoverFen: turnoverFen,
		CostItems: []domain.CostItem{{Kind: "equipment", Description: "示波器: 型号A; 含税\\", UnitPriceFen: 1_200_000, Quantity: 2}}}
	if o, ok := fx.Orgs[buyer]; ok {
		c.Buyer = domain.Party{OrgID: o.ID}
	} else {
		c.Buyer = domain.Party{Name: "上海外地客户有限公司", USCC: usccN(900), RegionCode: "310115", Type: domain.PartyOther}
	}
	return c
}

// register files c as actor, then submits and registers it as the registrar.
func (fx *fixture) register(t testing.TB, actor string, c *domain.Contract, incomeFen int64) *domain.Contract {
	t.Helper()
	ctx := context.Background()
	a := fx.Actors[actor]
	c, err := fx.Svc.Contracts.Create(ctx, a, c)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if c, err = fx.Svc.Contracts.UploadDocument(ctx, a, c.ID, "c.pdf", samplePDF); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if c, err = fx.Svc.Contracts.Submit(ctx, a, c.ID, c.Version); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if c, err = fx.Svc.Contracts.Register(ctx, fx.Actors["registrar"], c.ID, c.Version, incomeFen, ""); err != nil {
		t.Fatalf("register: %v", err)
	}
	return c
}

// all returns every contract in the database, ordered by 登记号 then title.
func (fx *fixture) all(t testing.TB) []*domain.Contract {
	t.Helper()
	var out []*domain.Contract
	err := fx.St.EachContract(context.Background(), domain.ContractFilter{Scope: domain.ContractScope{All: true, OrgID: fx.Orgs["registry"].ID}},
		func(c *domain.Contract) error { out = append(out, c); return nil })
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].RegNo != out[j].RegNo {
			return out[i].RegNo < out[j].RegNo
		}
		return out[i].Title < out[j].Title
	})
	return out
}

func (fx *fixture) count(t testing.TB) int { return len(fx.all(t)) }

func (fx *fixture) rollup(t testing.TB) []domain.RollupRow {
	t.Helper()
	rows, err := fx.St.RollupRows(context.Background(), 2019, 2020, 2021, 2022, 2023)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// comparable strips what an import legitimately does not carry over: ids,
// timestamps, versions, the filer, the 受理 date and the document.
func comparable(c *domain.Contract) domain.Contract {
	x := *c
	x.ID, x.CreatedAt, x.UpdatedAt, x.Version, x.CreatedBy, x.OwnerOrgID, x.AcceptedOn, x.Document = 0, time.Time{}, time.Time{}, 0, 0, 0, "", nil
	if len(x.CostItems) == 0 {
		x.CostItems = nil
	}
	if len(x.Flags) == 0 {
		x.Flags = nil
	}
	return x
}

func sameContracts(t *testing.T, want, got []*domain.Contract) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("got %d contracts, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := comparable(want[i]), comparable(got[i])
		if !reflect.DeepEqual(w, g) {
			t.Errorf("contract %d differs:\nwant %+v\n got %+v", i, w, g)
		}
	}
}

// server serves the real handler stack and returns an API token per actor
// key, for users created through the service.
func (fx *fixture) server(t testing.TB) (*httptest.Server, map[string]string) {
	t.Helper()
	ctx := context.Background()
	tokens := map[string]string{}
	for key, a := range fx.Actors {
		u := &domain.User{Username: key, DisplayName: key, Role: a.Role, OrgID: a.OrgID}
		if err := fx.Svc.Admin.CreateUser(ctx, domain.SystemActor(), u, "kechuang-test-2023"); err != nil {
			t.Fatalf("create user %s: %v", key, err)
		}
		a.UserID = u.ID
		secret, _, err := fx.Svc.Auth.CreateToken(ctx, a, "test")
		if err != nil {
			t.Fatal(err)
		}
		tokens[key] = secret
	}
	k := httpx.New(fx.Svc.Auth, slog.New(slog.NewTextHandler(io.Discard, nil)))
	api, err := httpapi.New(fx.Svc, k)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	srv := httptest.NewServer(k.Wrap(mux))
	t.Cleanup(srv.Close)
	return srv, tokens
}
