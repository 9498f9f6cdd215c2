// Package storetest is the one test world of Kechuang, used by the tests of
// every package (store, service, contractio, httpapi, web, cli, e2e): New
// writes a small city into a real database through the store, and each
// module adds its records with a builder in a file of its own
// (contract.go: w.Contract().Submitted().Insert(t)). It also gives fresh
// unmigrated databases and raw SQL access for tampering tests.
//
// The world lives here, and not in a package of its own under testutil,
// because it is what the store's test helpers were already for: it sits
// just above the store and below the service (the architecture test lets
// storetest import the store and forbids it the service), so the store's
// own conformance suite can use it as well as every layer above. Users get
// their password hash from internal/password, the leaf the service uses
// too.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// CityCode is the fixture city (Shenyang, from the city file
// internal/city/shenyang.yaml); districts share its first four digits.
const CityCode = "210100"

// Districts of the fixture city the fixture's organisations sit in (New
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

// national is the embedded national table as regions, made once.
var national = sync.OnceValue(func() []domain.Region { return gb2260.Default().Regions() })

// PutNationalRegions writes the embedded national table of administrative
// divisions and its edition, as service.Meta.LoadRegions does on a fresh
// database (below the service, for fixtures).
func PutNationalRegions(ctx context.Context, tx *store.Q) error {
	if err := tx.WriteRegions(ctx, national()); err != nil {
		return err
	}
	return tx.SetSetting(ctx, domain.RegionsEditionSetting, gb2260.Default().Version)
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
	db := RawDB(tb, storeURL)
	defer db.Close() // not left open until the test ends: a loop of Execs would exhaust PostgreSQL's connections
	if _, err := db.Exec(query, args...); err != nil {
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
		st, err := store.Open(context.Background(), f.URL, store.WithAuditKey([]byte(testutil.AuditKey)))
		if err != nil {
			tb.Fatalf("open %s: %v", f.Name, err)
		}
		tb.Cleanup(func() { st.Close() })
		out = append(out, testutil.NamedStore{Name: f.Name, Store: st})
	}
	return out
}
