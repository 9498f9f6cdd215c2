package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// runCLI runs one kechuang command against the database url.
func runCLI(t *testing.T, url string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	env := &Env{Args: append([]string{"kechuang"}, args...), Stdout: &out, Stderr: &out,
		Getenv: func(k string) string {
			if k == "KECHUANG_DATABASE_URL" {
				return url
			}
			return EnvForTest(k)
		}}
	code := Main(context.Background(), env)
	return code, out.String()
}

func TestDemoUserBackupCommands(t *testing.T) {
	dir := t.TempDir()
	url, out := demoCopy(t, dir) // what `kechuang demo` printed on an empty database
	if !strings.Contains(out, "registrar") {
		t.Fatalf("demo: %s", out)
	}
	if code, out := runCLI(t, url, "demo"); code == 0 || !strings.Contains(out, "只能载入空数据库") {
		t.Fatalf("second demo should refuse: %d %s", code, out)
	}
	// user add: bad input names every field and stores nothing.
	code, out := runCLI(t, url, "user", "add", "--username", "", "--role", "boss", "--org", "1", "--password", "short")
	if code == 0 || !strings.Contains(out, "username") || !strings.Contains(out, "role") || !strings.Contains(out, "password") {
		t.Fatalf("bad user add: %d %s", code, out)
	}
	code, out = runCLI(t, url, "user", "add", "--username", "li2", "--name", "李二", "--role", "registrar", "--org", "2", "--password", "longenough1")
	if code != 0 {
		t.Fatalf("user add: %s", out)
	}
	if code, out = runCLI(t, url, "user", "list"); code != 0 || !strings.Contains(out, "li2") {
		t.Fatalf("user list: %s", out)
	}
	if code, out = runCLI(t, url, "user", "token", "--username", "li2", "--name", "脚本"); code != 0 || !strings.Contains(out, "kc_") {
		t.Fatalf("user token: %s", out)
	}
	if code, out = runCLI(t, url, "user", "passwd", "--username", "li2", "--password", "x"); code == 0 {
		t.Fatalf("short password accepted: %s", out)
	}
	// backup: a consistent copy that opens and holds the same contracts.
	bak := filepath.Join(dir, "backup.db")
	if code, out = runCLI(t, url, "backup", "--out", bak); code != 0 {
		t.Fatalf("backup: %s", out)
	}
	if code, out = runCLI(t, url, "backup", "--out", bak); code == 0 || !strings.Contains(out, "不会覆盖") {
		t.Fatalf("backup over an existing file: %s", out)
	}
	ctx := context.Background()
	orig, err := store.Open(ctx, url, store.WithAuditKey([]byte(testutil.AuditKey)))
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	copyDB, err := store.Open(ctx, "sqlite:"+bak, store.WithAuditKey([]byte(testutil.AuditKey)))
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	a, _ := orig.RollupRows(ctx, 2022)
	b, _ := copyDB.RollupRows(ctx, 2022)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("backup rollup %d cells, original %d", len(b), len(a))
	}
	if rep, err := copyDB.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Fatalf("backup audit: %+v %v", rep, err)
	}
	if code, out = runCLI(t, url, "nonsense"); code != 2 || !strings.Contains(out, "未知命令") {
		t.Fatalf("unknown command: %d %s", code, out)
	}
}
