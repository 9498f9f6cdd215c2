package contractio_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// fixture is the one test world (storetest.New) seen by these tests: its
// organisations and actors by the keys the tests name, and a service on
// the world's clock, which stands at 2023-06-15 10:00 in China. Two
// fixtures on two databases have the same organisation IDs.
type fixture struct {
	DB   string
	Svc  *service.Service
	St   *store.Store // the same database, for checks below the use cases
	Orgs map[string]*domain.Org
	// Actors by key: admin, registrar, tto, enterprise, enterprise2, expert, bureau.
	Actors map[string]*domain.Actor
}

var samplePDF = storetest.PDF

func usccN(n int) string { return domain.MakeUSCC(fmt.Sprintf("912101%011d", n)) }

func newFixture(t testing.TB, db string, st *store.Store) *fixture {
	t.Helper()
	w := storetest.New(t, st)
	fx := &fixture{DB: db, St: w.St, Svc: service.New(w.St, testutil.Log()), Actors: map[string]*domain.Actor{},
		Orgs: map[string]*domain.Org{"bureau": w.Bureau, "registry": w.Registry, "university": w.Univ, "enterprise": w.Ent,
			"enterprise2": w.Ent2, "external": w.Other, "agency": w.Agency}}
	for _, key := range []string{"admin", "bureau", "registrar", "tto", "enterprise", "enterprise2", "expert"} {
		fx.Actors[key] = w.Actor(key)
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
	if c, err = fx.Svc.Contracts.Accept(ctx, fx.Actors["registrar"], c.ID, c.Version); err != nil {
		t.Fatalf("accept: %v", err)
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
	x.DueOn = "" // the clock of the workflow, like the acceptance date, is not in the exchange format
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
// key.
func (fx *fixture) server(t testing.TB) (*httptest.Server, map[string]string) {
	t.Helper()
	tokens := map[string]string{}
	for key, a := range fx.Actors {
		secret, _, err := fx.Svc.Auth.CreateToken(context.Background(), a, "test")
		if err != nil {
			t.Fatal(err)
		}
		tokens[key] = secret
	}
	k := httpx.New(fx.Svc.Auth, testutil.Log())
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
