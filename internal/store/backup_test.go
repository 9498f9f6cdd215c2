package store_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestBackup: Backup writes a copy of either database that restores to the
// same records, and refuses to overwrite a file. On PostgreSQL the store's
// URL carries a password (the test server trusts local connections and
// ignores it), so the password-file path runs for real and leaves no file.
func TestBackup(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the password file would be left behind
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			st := ns.Store
			if ns.Name == "postgres" {
				st = withPassword(t, st.URL(), "ignored:by\\trust")
			}
			city := storetest.New(t, st)
			c := city.Contract().Turnover(1_000_000).Build()
			city.Insert(t, c)

			path := filepath.Join(t.TempDir(), "backup")
			if err := st.Backup(ctx, path); err != nil {
				t.Fatal(err)
			}
			if err := st.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Fatalf("second Backup to the same file: %v", err)
			}
			copied := restore(t, ns.Name, path)
			if p, err := copied.Pending(ctx); err != nil || len(p) != 0 {
				t.Fatalf("restored copy: Pending = %v, %v", p, err)
			}
			got, err := copied.FindContractByID(ctx, c.ID)
			if err != nil || got.Title != c.Title || got.TurnoverFen != c.TurnoverFen {
				t.Fatalf("restored contract = %+v, %v", got, err)
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "kechuang-pgpass-*")); len(left) != 0 {
		t.Fatalf("backup left %v behind", left)
	}
}

// withPassword opens a second store on storeURL with a password added.
func withPassword(t *testing.T, storeURL, password string) *store.Store {
	t.Helper()
	u, err := url.Parse(storeURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), password)
	st, err := store.Open(context.Background(), u.String(), store.WithAuditKey([]byte(testutil.AuditKey)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// restore opens the backup at path: directly for SQLite, through
// pg_restore into a new database for PostgreSQL.
func restore(t *testing.T, dialect, path string) *store.Store {
	t.Helper()
	target := "sqlite:" + path
	if dialect == "postgres" {
		target = testutil.NewPostgresDB(t, testutil.PostgresDSN(t))
		if out, err := exec.Command("pg_restore", "--no-owner", "--dbname="+target, path).CombinedOutput(); err != nil {
			t.Fatalf("pg_restore: %v\n%s", err, out)
		}
	}
	st, err := store.Open(context.Background(), target, store.WithAuditKey([]byte(testutil.AuditKey)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestPgDumpPassword: pg_dump gets the URL without its password, whether in
// the user part or a password= parameter, and reads the password from a
// 0600 PGPASSFILE; a PGPASSWORD of ours, which would win, is not passed on.
func TestPgDumpPassword(t *testing.T) {
	t.Setenv("PGPASSWORD", "stale")
	t.Setenv("TMPDIR", t.TempDir())
	for _, tc := range []struct{ url, wantURL string }{
		{"postgres://kc:s3cr%3At%5C@db.example:5432/kc?sslmode=disable", "postgres://kc@db.example:5432/kc?sslmode=disable"},
		{"postgres://kc@db.example/kc?password=s3cr%3At%5C&sslmode=require", "postgres://kc@db.example/kc?sslmode=require"},
	} {
		cmd, cleanup, err := store.PgDumpCommand(context.Background(), tc.url, "/backups/kc.dump")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"pg_dump", "--format=custom", "--file=/backups/kc.dump", "--dbname=" + tc.wantURL}
		if !slices.Equal(cmd.Args, want) {
			t.Errorf("args = %q, want %q", cmd.Args, want)
		}
		var passfile string
		for _, kv := range cmd.Env {
			if strings.HasPrefix(kv, "PGPASSWORD=") {
				t.Errorf("PGPASSWORD passed on: %s", kv)
			}
			if f, ok := strings.CutPrefix(kv, "PGPASSFILE="); ok {
				passfile = f
			}
		}
		fi, err := os.Stat(passfile)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("PGPASSFILE %q: %v, %v", passfile, fi, err)
		}
		if b, _ := os.ReadFile(passfile); string(b) != `*:*:*:*:s3cr\:t\\`+"\n" {
			t.Errorf("password file holds %q", b)
		}
		cleanup()
		if _, err := os.Stat(passfile); !os.IsNotExist(err) {
			t.Errorf("password file left after cleanup: %v", err)
		}
	}
	// Without a password the operator's own environment (PGPASSFILE, a
	// service file) applies unchanged.
	cmd, cleanup, err := store.PgDumpCommand(context.Background(), "postgres://kc@db.example/kc", "/b")
	if err != nil || cmd.Env != nil || cmd.Args[len(cmd.Args)-1] != "--dbname=postgres://kc@db.example/kc" {
		t.Fatalf("no password: %v %q %v", cmd.Env, cmd.Args, err)
	}
	cleanup()
}
