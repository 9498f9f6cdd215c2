// Package storetest holds the fixtures shared by the store conformance
// suite and the tests above it (service, CLI, crash tests): a small city of
// organisations, valid contracts, fresh unmigrated databases and raw SQL
// access for tampering tests. It runs against real databases only.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// CityCode is the fixture city (Shenyang, from the city file
// internal/city/shenyang.yaml); districts share its first four digits.
const CityCode = "210100"

// Districts of the fixture city the fixture's organisations sit in (NewCity
// checks them against the city file), and a region outside it.
const (
	Heping  = "210102" // 和平区
	Hunnan  = "210112" // 浑南区
	Tiexi   = "210106" // 铁西区
	Beijing = "110108" // 北京市海淀区, outside the city
)

// USCC returns a valid credit code made from n (distinct n, distinct codes).
func USCC(n int) string {
	return domain.MakeUSCC(fmt.Sprintf("91210100MA%07d", n))
}

// City is a small set of organisations: two registries, sellers and buyers
// in and outside the city, and an agency.
type City struct {
	Registry, Registry2    *domain.Org
	Univ, Ent, Ent2, Other *domain.Org // Other is outside the city
	Agency                 *domain.Org
}

// NewCity writes the city file of Shenyang (regions, chains, targets,
// settings) and creates the organisations in st.
func NewCity(tb testing.TB, st *store.Store) *City {
	tb.Helper()
	sy := city.Shenyang()
	for _, d := range []string{Heping, Hunnan, Tiexi} {
		if _, ok := sy.District(d); !ok || sy.Code != CityCode {
			tb.Fatalf("storetest: district %s is not in the city file of %s", d, sy.Code)
		}
	}
	c := &City{
		Registry:  &domain.Org{Kind: domain.OrgRegistry, Name: sy.Registry.Name, RegionCode: sy.Registry.Code},
		Registry2: &domain.Org{Kind: domain.OrgRegistry, Name: "浑南区技术合同登记点", RegionCode: Hunnan},
		Univ:      &domain.Org{Kind: domain.OrgUniversity, Name: "东北大学", USCC: USCC(1), RegionCode: Heping},
		Ent:       &domain.Org{Kind: domain.OrgEnterprise, Name: "沈阳海龟医疗科技有限公司", USCC: USCC(2), RegionCode: Hunnan},
		Ent2:      &domain.Org{Kind: domain.OrgEnterprise, Name: "沈阳机床股份有限公司", USCC: USCC(3), RegionCode: Tiexi},
		Other:     &domain.Org{Kind: domain.OrgEnterprise, Name: "北京某科技有限公司", USCC: USCC(4), RegionCode: Beijing},
		Agency:    &domain.Org{Kind: domain.OrgAgency, Name: "沈阳市技术转移服务中心", USCC: USCC(5), RegionCode: Heping},
	}
	ctx := context.Background()
	err := st.InTx(ctx, func(tx *store.Q) error {
		for _, o := range []*domain.Org{c.Registry, c.Registry2, c.Univ, c.Ent, c.Ent2, c.Other, c.Agency} {
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
		}
		if err := PutCity(ctx, tx, sy); err != nil {
			return err
		}
		return tx.SetSetting(ctx, "default_registry", fmt.Sprint(c.Registry.ID))
	})
	if err != nil {
		tb.Fatalf("storetest: new city: %v", err)
	}
	return c
}

// PutCity writes a city file into a database: its regions (province, city,
// districts), chains in their order, yearly targets, and the city_code and
// city_name settings. Fixtures call it instead of listing the city in Go.
func PutCity(ctx context.Context, tx *store.Q, c *city.City) error {
	for _, r := range c.Regions() {
		if err := tx.PutRegion(ctx, r); err != nil {
			return err
		}
	}
	for _, ch := range c.Chains {
		if err := tx.PutChain(ctx, domain.Chain{Code: ch.Code, Name: ch.Name}, ch.Sort); err != nil {
			return err
		}
	}
	for year, targets := range c.Targets {
		for metric, v := range targets {
			if err := tx.SetTarget(ctx, year, metric, v); err != nil {
				return err
			}
		}
	}
	for k, v := range map[string]string{"city_code": c.Code, "city_name": c.Name} {
		if err := tx.SetSetting(ctx, k, v); err != nil {
			return err
		}
	}
	return nil
}

// PartyOf describes an organisation as a contract party.
func PartyOf(o *domain.Org) domain.Party {
	return domain.Party{OrgID: o.ID, Name: o.Name, USCC: o.USCC, RegionCode: o.RegionCode, Type: domain.PartyTypeOf(o.Kind)}
}

// Contract returns a valid written draft of registry, sold by seller to
// buyer, owned by the seller, with 成交额 turnover fen and one equipment
// cost of a tenth of it; 技术交易额 is computed.
func Contract(registry, seller, buyer *domain.Org, turnover int64) *domain.Contract {
	c := &domain.Contract{
		RegistryID: registry.ID, Title: "工业机器人视觉定位技术开发合同", ContractNo: "HT-001",
		Seller: PartyOf(seller), Buyer: PartyOf(buyer),
		SignedOn: "2022-03-01", TermStart: "2022-03-01", TermEnd: "2023-02-28",
		Category: "development", SubType: "entrusted_dev", Form: "written", SealsMatch: true,
		Field: "manufacturing", TurnoverFen: turnover,
		CostItems: []domain.CostItem{{Kind: "equipment", Description: "工控机", UnitPriceFen: turnover / 10, Quantity: 1}},
		Status:    domain.ContractDraft, OwnerOrgID: seller.ID,
	}
	if err := c.Compute(); err != nil {
		panic(err) // a fixture bug, not a test outcome
	}
	return c
}

// Registered marks c as registered on day (YYYY-MM-DD) with serial, as an
// import of a historical record would.
func Registered(c *domain.Contract, regionCode, day string, serial int64) *domain.Contract {
	var year int
	fmt.Sscanf(day[:4], "%d", &year)
	c.Status, c.RegisteredOn, c.RegYear, c.RegSerial = domain.ContractRegistered, day, year, serial
	c.RegNo = domain.RegNoFor(year, regionCode, serial)
	c.AcceptedOn = day
	c.TechIncomeFen = c.TechTransactionFen / 2
	return c
}

// Insert stores contracts in one transaction.
func Insert(tb testing.TB, st *store.Store, cs ...*domain.Contract) {
	tb.Helper()
	err := st.InTx(context.Background(), func(tx *store.Q) error {
		for _, c := range cs {
			if err := tx.InsertContract(context.Background(), c, CityCode); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("storetest: insert contracts: %v", err)
	}
}

// RawDB opens the database behind a store URL with database/sql directly,
// bypassing the store, for tests that tamper with rows.
func RawDB(tb testing.TB, storeURL string) *sql.DB {
	tb.Helper()
	driver, dsn := "pgx", storeURL
	if p, ok := strings.CutPrefix(storeURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+strings.TrimPrefix(p, "//")+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatalf("storetest: raw open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Exec runs raw SQL on the database behind a store URL.
func Exec(tb testing.TB, storeURL, query string, args ...any) {
	tb.Helper()
	if _, err := RawDB(tb, storeURL).Exec(query, args...); err != nil {
		tb.Fatalf("storetest: raw exec %q: %v", query, err)
	}
}

// FreshURL is a database URL with nothing in it yet.
type FreshURL struct {
	Name string
	URL  string
}

// FreshURLs returns the URL of a new, empty, unmigrated database for every
// configured database (SQLite always, PostgreSQL when KECHUANG_TEST_POSTGRES
// is set); PostgreSQL databases are dropped when the test ends.
func FreshURLs(tb testing.TB) []FreshURL {
	tb.Helper()
	out := []FreshURL{{"sqlite", "sqlite:" + filepath.Join(tb.TempDir(), "fresh.db")}}
	if dsn := testutil.PostgresDSN(tb); dsn != "" {
		out = append(out, FreshURL{"postgres", testutil.NewPostgresDB(tb, dsn)})
	}
	return out
}

// OpenFresh opens (without migrating) each fresh database.
func OpenFresh(tb testing.TB) []testutil.NamedStore {
	tb.Helper()
	var out []testutil.NamedStore
	for _, f := range FreshURLs(tb) {
		st, err := store.Open(context.Background(), f.URL)
		if err != nil {
			tb.Fatalf("open %s: %v", f.Name, err)
		}
		tb.Cleanup(func() { st.Close() })
		out = append(out, testutil.NamedStore{Name: f.Name, Store: st})
	}
	return out
}
