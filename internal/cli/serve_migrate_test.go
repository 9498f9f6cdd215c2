package cli_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"kechuang/internal/cli"
	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

var loopback = map[string]string{"KECHUANG_ADDR": "127.0.0.1:0"}

// startServe runs `kechuang serve args…` until it prints its address, checks
// /readyz answers 200, then stops it and returns its stdout.
func startServe(t *testing.T, url string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, &cli.Env{Args: append([]string{"kechuang", "serve"}, args...), Stdout: &out, Stderr: &errOut,
			Getenv: func(k string) string {
				if k == "KECHUANG_DATABASE_URL" {
					return url
				}
				if v, ok := loopback[k]; ok {
					return v
				}
				return cli.EnvForTest(k)
			}})
	}()
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	deadline := time.After(30 * time.Second)
	for {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			resp, err := http.Get("http://" + m[1] + "/readyz")
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("readyz: %v %v", resp, err)
			}
			resp.Body.Close()
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
		case <-deadline:
			t.Fatalf("serve did not start\nstdout: %s\nstderr: %s", out.String(), errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exit %d after cancel: %s", code, errOut.String())
	}
	return out.String()
}

// TestServeEmptyDatabase: serve --no-demo on an empty database creates
// nothing and tells the operator to run init; init creates the schema,
// naming the migrations it applied, and then serve answers /readyz without
// loading the demo.
func TestServeEmptyDatabase(t *testing.T) {
	t.Parallel()
	for _, f := range storetest.FreshURLs(t) {
		t.Run(f.Name, func(t *testing.T) {
			ctx := context.Background()
			all := pendingAt(t, f.URL)
			code, out, errOut := kechuang(ctx, f.URL, loopback, "serve", "--no-demo")
			if code == 0 || !strings.Contains(errOut, "尚未初始化：请先运行 `kechuang init`（或 `kechuang demo`）") || strings.Contains(out, "已启动") {
				t.Fatalf("serve --no-demo on an empty database: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			if pending := pendingAt(t, f.URL); !slices.Equal(pending, all) {
				t.Fatalf("serve --no-demo created the schema: pending %v, want %v", pending, all)
			}
			code, out, errOut = kechuang(ctx, f.URL, map[string]string{cli.AdminPasswordEnv: "init-pass-2026"},
				"init", "--city-code", "320500", "--admin-user", "root")
			if code != 0 || !strings.Contains(out, fmt.Sprintf("创建表结构：%s", strings.Join(all, ", "))) {
				t.Fatalf("init: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			out = startServe(t, f.URL, "--no-demo")
			if strings.Contains(out, "演示") {
				t.Fatalf("serve after init mentions the demo: %s", out)
			}
			code, out, _ = kechuang(ctx, f.URL, nil, "migrate")
			if code != 0 || !strings.Contains(out, "已是最新") {
				t.Fatalf("migrate on an up-to-date database: %d %s", code, out)
			}
		})
	}
}

// TestServeRefusesPendingMigration: a database as the previous release left
// it (every migration but the newest applied) is not empty, so serve must
// refuse to start and name the pending migration, until run with --migrate.
// This is the path a real upgrade takes.
func TestServeRefusesPendingMigration(t *testing.T) {
	t.Parallel()
	for _, f := range storetest.FreshURLs(t) {
		t.Run(f.Name, func(t *testing.T) {
			ctx := context.Background()
			newest := olderDatabase(t, f.URL)

			code, out, errOut := kechuang(ctx, f.URL, loopback, "serve", "--no-demo")
			if code == 0 || !strings.Contains(errOut, newest) || !strings.Contains(errOut, "kechuang migrate") || strings.Contains(out, "已启动") {
				t.Fatalf("serve on a stale schema: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			// Commands that need the schema refuse too, naming it.
			code, _, errOut = kechuang(ctx, f.URL, nil, "user", "list")
			if code == 0 || !strings.Contains(errOut, newest) {
				t.Fatalf("user list on a stale schema: %d %s", code, errOut)
			}
			// Refusing changed nothing: the migration is still pending.
			if pending := pendingAt(t, f.URL); !slices.Equal(pending, []string{newest}) {
				t.Fatalf("pending after refusal = %v", pending)
			}

			// --migrate applies it; the database, migrated but never
			// initialised, then gets the sentence every command gives.
			code, out, errOut = kechuang(ctx, f.URL, loopback, "serve", "--migrate", "--no-demo")
			if code == 0 || !strings.Contains(out, "已执行迁移：["+newest+"]") || !strings.Contains(errOut, "尚未初始化") {
				t.Fatalf("serve --migrate --no-demo: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			if pending := pendingAt(t, f.URL); len(pending) != 0 {
				t.Fatalf("pending after --migrate = %v", pending)
			}
		})
	}
}

// olderDatabase migrates the empty database at url to all but this
// binary's newest migration, and returns that one.
func olderDatabase(t *testing.T, url string) string {
	t.Helper()
	all := pendingAt(t, url)
	if len(all) < 2 {
		t.Skipf("the binary has one migration (%v): an older database is an empty one", all)
	}
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.MigrateTo(context.Background(), all[len(all)-2]); err != nil {
		t.Fatal(err)
	}
	return all[len(all)-1]
}

func pendingAt(t *testing.T, url string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pending, err := st.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return pending
}

// TestServeRefusesNewerDatabase: a database that a newer release migrated
// records a version this binary lacks; serve (with or without --migrate),
// migrate and the other commands refuse it, naming the version, and the
// record stays.
func TestServeRefusesNewerDatabase(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			url := ns.Store.URL()
			storetest.Exec(t, url, `INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_from_a_newer_release', '2030-01-01T00:00:00.000000Z')`)
			for _, args := range [][]string{{"serve", "--no-demo"}, {"serve", "--migrate", "--no-demo"}, {"migrate"}, {"user", "list"}} {
				code, out, errOut := kechuang(ctx, url, loopback, args...)
				if code == 0 || !strings.Contains(errOut, "不认识的迁移：9999_from_a_newer_release") || !strings.Contains(errOut, "更新版本") || strings.Contains(out, "已启动") {
					t.Fatalf("%v on a newer database: exit %d\nstdout: %s\nstderr: %s", args, code, out, errOut)
				}
			}
			if done, err := ns.Store.Applied(ctx); err != nil || !done["9999_from_a_newer_release"] {
				t.Fatalf("applied after the refusals = %v, %v", done, err)
			}
		})
	}
}

// TestServeMigrationRecordLost: tables exist but the record of 0001_init
// was deleted by hand. The database looks empty to serve, whose attempt to
// create the schema fails in its transaction: serve does not start and the
// data is untouched.
func TestServeMigrationRecordLost(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			city := storetest.New(t, ns.Store)
			storetest.Exec(t, ns.Store.URL(), `DELETE FROM schema_migrations WHERE version = '0001_init'`)
			code, out, errOut := kechuang(ctx, ns.Store.URL(), loopback, "serve", "--no-demo")
			if code == 0 || !strings.Contains(errOut, "0001_init") || strings.Contains(out, "已启动") {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			if o, err := ns.Store.FindOrgByID(ctx, city.Univ.ID); err != nil || o.Kind != domain.OrgUniversity {
				t.Fatalf("data after the failed start: %v, %v", o, err)
			}
		})
	}
}

// TestServeUpgradesLoginLimits: a database created before the shared
// login limiter (without 0002_login_limits, with data) refuses to serve
// until --migrate applies it, and keeps its data.
func TestServeUpgradesLoginLimits(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			city := storetest.New(t, ns.Store)
			storetest.Exec(t, ns.Store.URL(), `DROP TABLE login_limits`)
			storetest.Exec(t, ns.Store.URL(), `DELETE FROM schema_migrations WHERE version = '0002_login_limits'`)
			code, out, errOut := kechuang(ctx, ns.Store.URL(), loopback, "serve", "--no-demo")
			if code == 0 || !strings.Contains(errOut, "0002_login_limits") || strings.Contains(out, "已启动") {
				t.Fatalf("serve before the upgrade: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			out = startServe(t, ns.Store.URL(), "--migrate", "--no-demo")
			if !strings.Contains(out, "已执行迁移：[0002_login_limits]") {
				t.Fatalf("serve --migrate stdout: %s", out)
			}
			if o, err := ns.Store.FindOrgByID(ctx, city.Univ.ID); err != nil || o.Kind != domain.OrgUniversity {
				t.Fatalf("data after the upgrade: %v, %v", o, err)
			}
			var n int
			if err := storetest.RawDB(t, ns.Store.URL()).QueryRow(`SELECT COUNT(*) FROM login_limits`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("login_limits after the upgrade: %d rows, %v", n, err)
			}
		})
	}
}
