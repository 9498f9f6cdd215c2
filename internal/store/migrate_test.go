package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

func TestMigrations(t *testing.T) {
	t.Parallel()
	for _, ns := range storetest.OpenFresh(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			st := ns.Store
			if empty, err := st.IsEmpty(ctx); err != nil || !empty {
				t.Fatalf("fresh IsEmpty = %v, %v", empty, err)
			}
			pending, err := st.Pending(ctx)
			if err != nil || len(pending) == 0 || pending[0] != "0001_init" || !slices.IsSorted(pending) {
				t.Fatalf("fresh Pending = %v, %v", pending, err)
			}
			applied, err := st.Migrate(ctx)
			if err != nil || !slices.Equal(applied, pending) {
				t.Fatalf("Migrate = %v, %v (pending was %v)", applied, err, pending)
			}
			if p, err := st.Pending(ctx); err != nil || len(p) != 0 {
				t.Fatalf("Pending after migrate = %v, %v", p, err)
			}
			if empty, _ := st.IsEmpty(ctx); empty {
				t.Fatal("IsEmpty after migrate")
			}
			again, err := st.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second Migrate = %v, %v (want a no-op)", again, err)
			}
			// The schema works: the audit head row exists and the chain is empty and valid.
			rep, err := st.VerifyAudit(ctx)
			if err != nil || !rep.OK || rep.Rows != 0 {
				t.Fatalf("VerifyAudit on a new schema = %+v, %v", rep, err)
			}
		})
	}
}

// migrationFiles lists the file names in migrations/<dialect>.
func migrationFiles(t *testing.T, dialect string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("migrations", dialect))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

var migrationName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.up\.sql$`)

// TestMigrationsPaired: both dialects hold the same migration files, named
// NNNN_name.up.sql with one file per number, and each dialect configured
// here applies all of them, leaving the same tables and columns.
func TestMigrationsPaired(t *testing.T) {
	t.Parallel()
	sqliteFiles, pgFiles := migrationFiles(t, "sqlite"), migrationFiles(t, "postgres")
	for _, name := range sqliteFiles {
		if !slices.Contains(pgFiles, name) {
			t.Errorf("migrations/sqlite/%s has no migrations/postgres/%s", name, name)
		}
	}
	for _, name := range pgFiles {
		if !slices.Contains(sqliteFiles, name) {
			t.Errorf("migrations/postgres/%s has no migrations/sqlite/%s", name, name)
		}
	}
	var versions []string
	numbers := map[string]string{}
	for _, name := range sqliteFiles {
		m := migrationName.FindStringSubmatch(name)
		if m == nil {
			t.Errorf("migrations/sqlite/%s: want NNNN_name.up.sql (lower case, digits, _)", name)
			continue
		}
		if other, ok := numbers[m[1]]; ok {
			t.Errorf("migrations %s and %s share the number %s: renumber one", other, name, m[1])
		}
		numbers[m[1]] = name
		versions = append(versions, strings.TrimSuffix(name, ".up.sql"))
	}
	schemas := map[string][]string{}
	for _, ns := range storetest.OpenFresh(t) {
		ctx := context.Background()
		if p, err := ns.Store.Pending(ctx); err != nil || !slices.Equal(p, versions) {
			t.Fatalf("%s: fresh Pending = %v, %v; the files are %v", ns.Name, p, err, versions)
		}
		if applied, err := ns.Store.Migrate(ctx); err != nil || !slices.Equal(applied, versions) {
			t.Fatalf("%s: Migrate = %v, %v; want %v", ns.Name, applied, err, versions)
		}
		schemas[ns.Name] = columns(t, ns)
	}
	if lite, pg := schemas["sqlite"], schemas["postgres"]; pg != nil && !slices.Equal(lite, pg) {
		t.Errorf("the migrations leave different columns:\nonly sqlite:   %v\nonly postgres: %v", minus(lite, pg), minus(pg, lite))
	}
}

// columns lists "table.column" for every table of the store, sorted.
func columns(t *testing.T, ns testutil.NamedStore) []string {
	t.Helper()
	// search_all (migration 0026) is generated from the search columns for
	// the GIN index: PostgreSQL's form of the FTS5 table.
	q := `SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name <> 'search_all'`
	if ns.Name == "sqlite" {
		// The FTS5 tables of the search index (migration 0022) and their
		// shadow tables are SQLite's form of PostgreSQL's GIN indexes.
		q = `SELECT m.name || '.' || c.name FROM sqlite_schema m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
			AND m.name NOT LIKE '%\_fts' ESCAPE '\' AND m.name NOT LIKE '%\_fts\_%' ESCAPE '\'`
	}
	rows, err := storetest.RawDB(t, ns.Store.URL()).Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestMigrationStatusReadsOnly: what /readyz and the CLI's checks call
// (Ping, Pending, Applied, IsEmpty) works with the writer pool closed, on a
// fresh database and a migrated one, so a probe never takes SQLite's single
// writer, and a fresh database gets no schema_migrations table from it.
func TestMigrationStatusReadsOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	check := func(t *testing.T, st *store.Store, wantPending bool) {
		t.Helper()
		if err := store.CloseWriter(st); err != nil {
			t.Fatal(err)
		}
		if err := st.Ping(ctx); err != nil {
			t.Fatalf("Ping without the writer: %v", err)
		}
		p, err := st.Pending(ctx)
		if err != nil || (len(p) > 0) != wantPending {
			t.Fatalf("Pending without the writer = %v, %v", p, err)
		}
		if empty, err := st.IsEmpty(ctx); err != nil || empty != wantPending {
			t.Fatalf("IsEmpty without the writer = %v, %v", empty, err)
		}
	}
	for _, ns := range storetest.OpenFresh(t) {
		t.Run(ns.Name+"/fresh", func(t *testing.T) {
			check(t, ns.Store, true)
			var n int
			err := storetest.RawDB(t, ns.Store.URL()).QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
			if err == nil {
				t.Fatal("the status checks created schema_migrations")
			}
		})
	}
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name+"/migrated", func(t *testing.T) { check(t, ns.Store, false) })
	}
}

// TestUnknownMigrations: a database that records a migration this binary
// lacks (a newer release migrated it) is refused by Pending and Migrate,
// naming the version, and Migrate changes nothing.
func TestUnknownMigrations(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			before, err := ns.Store.Applied(ctx)
			if err != nil {
				t.Fatal(err)
			}
			storetest.Exec(t, ns.Store.URL(), `INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000000Z'), ('0000_a_branch', '2030-01-01T00:00:00.000000Z')`)
			want := []string{"0000_a_branch", "9999_from_the_future"}
			for name, run := range map[string]func(context.Context) ([]string, error){"Pending": ns.Store.Pending, "Migrate": ns.Store.Migrate} {
				got, err := run(ctx)
				var unknown *domain.UnknownMigrationsError
				if !errors.As(err, &unknown) || !slices.Equal(unknown.Versions, want) || got != nil ||
					!strings.Contains(err.Error(), "0000_a_branch, 9999_from_the_future") {
					t.Fatalf("%s = %v, %v; want an UnknownMigrationsError naming %v", name, got, err, want)
				}
			}
			if done, err := ns.Store.Applied(ctx); err != nil || len(done) != len(before)+len(want) {
				t.Fatalf("Applied after the refusals = %v, %v", done, err)
			}
		})
	}
}

// bodies is a migration per dialect whose statements hold semicolons at
// line ends: a PL/pgSQL trigger function in $$, an SQLite trigger in a
// statement block. Both keep notes.len equal to length(notes.body).
var bodies = map[string]string{
	"postgres": `CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL, len BIGINT NOT NULL DEFAULT 0);
CREATE FUNCTION notes_len() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.len := length(NEW.body);
  RETURN NEW;
END;
$$;
CREATE TRIGGER notes_len BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_len();
`,
	"sqlite": `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, len INTEGER NOT NULL DEFAULT 0);
-- +statement begin
CREATE TRIGGER notes_len AFTER INSERT ON notes BEGIN
  UPDATE notes SET len = length(NEW.body) WHERE id = NEW.id;
END;
-- +statement end
`,
}

func TestMigrationBodies(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			if err := store.ApplyMigration(ctx, ns.Store, "9000_bodies", bodies[ns.Store.Dialect().String()]); err != nil {
				t.Fatal(err)
			}
			db := storetest.RawDB(t, ns.Store.URL())
			if _, err := db.Exec(`INSERT INTO notes (id, body) VALUES (1, 'a;b;c')`); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.QueryRow(`SELECT len FROM notes WHERE id = 1`).Scan(&n); err != nil || n != 5 {
				t.Fatalf("len = %d, %v; the trigger did not run", n, err)
			}
		})
	}
}
