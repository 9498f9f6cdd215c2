// Package testutil opens real databases for tests: a fresh SQLite file
// always, and a fresh PostgreSQL database when KECHUANG_TEST_POSTGRES is set
// (required, and checked loudly, when CI=true).
package testutil

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"kechuang/internal/store"
)

// AuditKey is the audit chain's key in tests: every test store is opened
// with it, and tests that run the command line on a test store pass it as
// KECHUANG_AUDIT_KEY.
const AuditKey = "kechuang-test-audit-key-0123456789abcdef"

// NamedStore is a migrated, empty store and the dialect's name.
type NamedStore struct {
	Name  string
	Store *store.Store
}

// PostgresDSN returns the PostgreSQL server for tests, or "" when none is
// configured. Under CI=true a missing server fails the test.
func PostgresDSN(tb testing.TB) string {
	dsn := os.Getenv("KECHUANG_TEST_POSTGRES")
	if dsn == "" && os.Getenv("CI") == "true" {
		tb.Fatal("CI=true but KECHUANG_TEST_POSTGRES is not set: the PostgreSQL suite must run in CI")
	}
	return dsn
}

// Stores returns a fresh migrated store for every configured database.
func Stores(tb testing.TB) []NamedStore {
	tb.Helper()
	out := []NamedStore{{"sqlite", OpenSQLite(tb)}}
	if dsn := PostgresDSN(tb); dsn != "" {
		out = append(out, NamedStore{"postgres", OpenPostgres(tb, dsn)})
	}
	return out
}

// OpenSQLite returns a migrated store on a new SQLite file in a temp dir.
func OpenSQLite(tb testing.TB) *store.Store {
	tb.Helper()
	return open(tb, "sqlite:"+filepath.Join(tb.TempDir(), "kechuang.db"))
}

// OpenPostgres creates a new database on the server of dsn, returns a
// migrated store on it, and drops it when the test ends.
func OpenPostgres(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	return open(tb, NewPostgresDB(tb, dsn))
}

// NewPostgresDB creates an empty database on the server of dsn, drops it
// when the test ends, and returns its URL.
func NewPostgresDB(tb testing.TB, dsn string) string {
	tb.Helper()
	return newPostgresDB(tb, dsn, "")
}

// newPostgresDB is NewPostgresDB of a copy of template ("": empty).
func newPostgresDB(tb testing.TB, dsn, template string) string {
	tb.Helper()
	name, err := createDatabase(dsn, "kc_test_", template)
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	tb.Cleanup(func() { dropDatabase(dsn, name) })
	u, err := withDatabase(dsn, name)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// OpenURL returns a migrated store on url (a URL for a new database).
func open(tb testing.TB, url string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.WithAuditKey([]byte(AuditKey)))
	if err != nil {
		tb.Fatalf("open %s: %v", url, err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return st
}

// Log returns a logger that writes nothing.
func Log() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
