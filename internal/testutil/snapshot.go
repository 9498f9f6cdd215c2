package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"kechuang/internal/store"
)

// Fixtures filled once per test binary. A large fixture (the demo city:
// years of contracts, thousands of achievements) takes a minute to write;
// the tests that only read it share one store (Shared), and the tests that
// write to it each get a copy (Copy: the SQLite file copied, or a
// PostgreSQL database made from a template), which takes seconds. A test
// binary that uses them calls Main from its TestMain, which removes them
// when the tests end.
var fixtures struct {
	sync.Mutex
	dir      string // the SQLite fixtures' files; "" until Main runs
	dsn      string // the PostgreSQL server of the templates
	entries  map[string]*fixture
	files    int // SQLite fixtures made
	cleanups []func()
}

// fixture is one filled database: open (Shared) or closed, a template to
// copy (Copy).
type fixture struct {
	once sync.Once
	st   *store.Store // Shared
	path string       // Copy on SQLite: the closed database file
	name string       // Copy on PostgreSQL: the template database
	err  error
}

// Main runs the package's tests, then closes and removes the fixtures of
// Shared and Copy, and returns the exit code for os.Exit.
func Main(m *testing.M) int {
	dir, err := os.MkdirTemp("", "kechuang-fixtures-")
	if err != nil {
		panic(err)
	}
	fixtures.Lock()
	fixtures.dir, fixtures.entries = dir, map[string]*fixture{}
	fixtures.Unlock()
	code := m.Run()
	fixtures.Lock()
	defer fixtures.Unlock()
	for i := len(fixtures.cleanups) - 1; i >= 0; i-- {
		fixtures.cleanups[i]()
	}
	os.RemoveAll(dir)
	return code
}

// Shared returns the store on database db ("sqlite" or "postgres") that
// fill filled, filled once per test binary for each db and key (the first
// caller's fill runs; every later caller of the key gets the same store).
// The tests that share it must only read it. A fill that failed fails
// every test asking for it.
func Shared(tb testing.TB, db, key string, fill func(*store.Store) error) *store.Store {
	tb.Helper()
	f := fixtureFor(tb, "shared", db, key)
	f.once.Do(func() {
		f.st, _, f.err = openFixture(db)
		if f.err == nil {
			if f.err = fill(f.st); f.err != nil {
				f.err = fmt.Errorf("fill: %w", f.err)
			}
		}
	})
	if f.err != nil {
		tb.Fatalf("fixture %s on %s: %v", key, db, f.err)
	}
	return f.st
}

// Copy returns a store of the test's own on a copy of the database fill
// filled, filled once per test binary for each db and key (the first
// caller's fill runs) and then copied for each caller: SQLite's file, or a
// PostgreSQL database created from it as a template. The copy is dropped
// when the test ends.
func Copy(tb testing.TB, db, key string, fill func(*store.Store) error) *store.Store {
	tb.Helper()
	f := fixtureFor(tb, "copy", db, key)
	f.once.Do(func() {
		st, where, err := openFixture(db)
		if err == nil {
			if err = fill(st); err != nil {
				err = fmt.Errorf("fill: %w", err)
			}
			// Closed: a PostgreSQL template must have no session, and the
			// SQLite file is complete once its last connection closes.
			if e := st.Close(); err == nil {
				err = e
			}
		}
		if f.err = err; db == "sqlite" {
			f.path = where
		} else {
			f.name = where
		}
	})
	if f.err != nil {
		tb.Fatalf("fixture %s on %s: %v", key, db, f.err)
	}
	return copyOf(tb, key, f)
}

// copyOf is a store of the test's own on a copy of the filled fixture f:
// its SQLite file (f.path) or its PostgreSQL template (f.name).
func copyOf(tb testing.TB, key string, f *fixture) *store.Store {
	tb.Helper()
	if f.name == "" {
		dst := filepath.Join(tb.TempDir(), "kechuang.db")
		if err := copySQLite(f.path, dst); err != nil {
			tb.Fatalf("copy the fixture %s: %v", key, err)
		}
		return open(tb, "sqlite:"+dst)
	}
	return open(tb, newPostgresDB(tb, PostgresDSN(tb), f.name))
}

// Databases are the names of the configured databases ("sqlite", and
// "postgres" with KECHUANG_TEST_POSTGRES), as Stores opens them.
func Databases(tb testing.TB) []string {
	tb.Helper()
	if PostgresDSN(tb) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

func fixtureFor(tb testing.TB, kind, db, key string) *fixture {
	tb.Helper()
	fixtures.Lock()
	defer fixtures.Unlock()
	if fixtures.entries == nil {
		tb.Fatal("testutil.Shared and testutil.Copy need the package's TestMain to call testutil.Main (it removes the fixtures)")
	}
	switch db {
	case "sqlite":
	case "postgres":
		fixtures.dsn = PostgresDSN(tb)
		if fixtures.dsn == "" {
			tb.Fatal("a PostgreSQL fixture without KECHUANG_TEST_POSTGRES")
		}
	default:
		tb.Fatalf("fixture on database %q", db)
	}
	k := kind + "\x00" + db + "\x00" + key
	f := fixtures.entries[k]
	if f == nil {
		f = &fixture{}
		fixtures.entries[k] = f
	}
	return f
}

// openFixture opens a migrated store on a new database that lives until
// Main's cleanup, and returns where it is: the SQLite file or the
// PostgreSQL database's name.
func openFixture(db string) (*store.Store, string, error) {
	fixtures.Lock()
	dir, dsn := fixtures.dir, fixtures.dsn
	fixtures.files++
	n := fixtures.files
	fixtures.Unlock()
	where := filepath.Join(dir, fmt.Sprintf("fixture-%d.db", n))
	u := "sqlite:" + where
	if db == "postgres" {
		name, err := createDatabase(dsn, "kc_fixture_", "")
		if err != nil {
			return nil, "", err
		}
		addCleanup(func() { dropDatabase(dsn, name) })
		if u, err = withDatabase(dsn, name); err != nil {
			return nil, "", err
		}
		where = name
	}
	st, err := openMigrated(u)
	return st, where, err
}

// openMigrated opens a store on u with the tests' audit key, closed by
// Main's cleanup (closing again is harmless), and migrates it.
func openMigrated(u string) (*store.Store, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, u, store.WithAuditKey([]byte(AuditKey)))
	if err != nil {
		return nil, err
	}
	addCleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		return nil, err
	}
	return st, nil
}

// copySQLite copies the closed SQLite database src to dst. Closing the
// last connection checkpoints the WAL into the file and removes it; a WAL
// left behind is copied with it, as a backup would.
func copySQLite(src, dst string) error {
	if err := copyFile(src, dst); err != nil {
		return err
	}
	if _, err := os.Stat(src + "-wal"); err == nil {
		return copyFile(src+"-wal", dst+"-wal")
	}
	return nil
}

func addCleanup(f func()) {
	fixtures.Lock()
	defer fixtures.Unlock()
	fixtures.cleanups = append(fixtures.cleanups, f)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// createDatabase creates a database named prefix and a random suffix on
// the server of dsn (a copy of template unless it is "") and returns its
// name.
func createDatabase(dsn, prefix, template string) (string, error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		return "", fmt.Errorf("KECHUANG_TEST_POSTGRES=%s is unreachable: %w", dsn, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	q := `CREATE DATABASE ` + name
	if template != "" {
		// FILE_COPY copies the template's files: much less I/O than
		// WAL-logging every page of a large fixture.
		q += ` TEMPLATE ` + template + ` STRATEGY FILE_COPY`
	}
	if _, err := admin.Exec(q); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	// A test database need not survive a crash of the server: its commits
	// do not wait for the WAL to reach the disk (what they see is the
	// same; only durability is given up).
	if _, err := admin.Exec(`ALTER DATABASE ` + name + ` SET synchronous_commit = off`); err != nil {
		return "", fmt.Errorf("database settings: %w", err)
	}
	return name, nil
}

func dropDatabase(dsn, name string) {
	if a, err := sql.Open("pgx", dsn); err == nil {
		a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		a.Close()
	}
}

// withDatabase is dsn with its database replaced by name.
func withDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("KECHUANG_TEST_POSTGRES: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}
