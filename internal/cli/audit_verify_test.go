package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"kechuang/internal/anchor"
	"kechuang/internal/cli"
	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// syncBuffer is a bytes.Buffer safe to read while a server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// kechuang runs the command line against the database url with the given
// extra environment, returning the exit code, stdout and stderr.
func kechuang(ctx context.Context, url string, env map[string]string, args ...string) (int, string, string) {
	var out, errOut syncBuffer
	code := cli.Main(ctx, &cli.Env{Args: append([]string{"kechuang"}, args...), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string {
			if k == "KECHUANG_DATABASE_URL" {
				return url
			}
			if v, ok := env[k]; ok {
				return v
			}
			return cli.EnvForTest(k)
		}})
	return code, out.String(), errOut.String()
}

func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := service.New(ns.Store, testutil.Log())
			// The organisations' district, below the service (unaudited).
			if err := ns.Store.PutRegion(ctx, domain.Region{Code: "210106", Name: "铁西区", Parent: "210100"}); err != nil {
				t.Fatal(err)
			}
			for i := range 4 { // four audited changes
				o := &domain.Org{Kind: domain.OrgEnterprise, Name: fmt.Sprintf("企业%d", i), USCC: storetest.USCC(100 + i), RegionCode: "210106"}
				if err := svc.Admin.CreateOrg(ctx, domain.SystemActor(), o); err != nil {
					t.Fatal(err)
				}
			}
			url := ns.Store.URL()
			code, out, errOut := kechuang(ctx, url, nil, "audit", "verify")
			if code != 0 || !strings.Contains(out, "审计链完整：共 4 条") {
				t.Fatalf("fresh chain: exit %d\n%s%s", code, out, errOut)
			}
			storetest.Exec(t, url, `UPDATE audit_log SET after_json = $1 WHERE seq = 2`, `{"name":"冒名企业"}`)
			code, out, errOut = kechuang(ctx, url, nil, "audit", "verify")
			if code == 0 || !strings.Contains(out, "第一处断点在第 2 条") || !strings.Contains(errOut, "seq 2") {
				t.Fatalf("tampered chain: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			code, _, errOut = kechuang(ctx, url, nil, "audit", "list")
			if code == 0 || !strings.Contains(errOut, "audit verify") {
				t.Fatalf("unknown subcommand: exit %d %s", code, errOut)
			}
		})
	}
}

// TestAuditKeyAndAnchorsCommand: `kechuang demo` creates the key beside
// the data (0600) and anchors the head as it ends; `audit verify` then
// catches the probe's forgery (an actor rewritten and the last five rows
// deleted, every hash and the head recomputed without the key) at the
// rewritten row, and the same forgery rehashed with the stolen key as a
// truncation against the anchor.
func TestAuditKeyAndAnchorsCommand(t *testing.T) {
	t.Parallel()
	for _, f := range storetest.FreshURLs(t) {
		t.Run(f.Name, func(t *testing.T) {
			ctx := context.Background()
			dataDir := t.TempDir()
			env := map[string]string{"KECHUANG_AUDIT_KEY": "", "KECHUANG_DATA_DIR": dataDir}
			if code, out, errOut := kechuang(ctx, f.URL, env, "demo"); code != 0 || !strings.Contains(errOut, "audit anchor") {
				t.Fatalf("demo: exit %d\n%s%s", code, out, errOut)
			}
			loc := anchor.Locate(f.URL, dataDir)
			fi, err := os.Stat(loc.KeyFile)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("key file %s: %v %v", loc.KeyFile, fi, err)
			}
			key, err := anchor.LoadKey(loc.KeyFile, "", false)
			if err != nil {
				t.Fatal(err)
			}
			anchors, err := anchor.NewFile(loc.AnchorFile).Read()
			if err != nil || len(anchors) == 0 {
				t.Fatalf("anchors after demo: %v %v", anchors, err)
			}
			last := anchors[len(anchors)-1].Seq
			code, out, errOut := kechuang(ctx, f.URL, env, "audit", "verify")
			if code != 0 || !strings.Contains(out, fmt.Sprintf("审计链完整：共 %d 条", last)) || !strings.Contains(out, "全部记录以 HMAC-SHA-256 密钥签名") ||
				!strings.Contains(out, fmt.Sprintf("最新记录到第 %d 条", last)) {
				t.Fatalf("verify after demo: exit %d\n%s%s", code, out, errOut)
			}
			var seq int64
			if err := storetest.RawDB(t, f.URL).QueryRow(`SELECT MAX(seq) FROM audit_log WHERE action = 'contract.register'`).Scan(&seq); err != nil {
				t.Fatal(err)
			}
			toAdmin := map[int64]func(*storetest.AuditRow){seq: func(r *storetest.AuditRow) { r.ActorName, r.ActorID = "admin", 1 }}
			storetest.ForgeAudit(t, f.URL, storetest.Forgery{Edit: toAdmin, DeleteFrom: last - 4})
			code, out, errOut = kechuang(ctx, f.URL, env, "audit", "verify")
			if code == 0 || !strings.Contains(out, fmt.Sprintf("第一处断点在第 %d 条", seq)) || !strings.Contains(errOut, fmt.Sprintf("seq %d", seq)) {
				t.Fatalf("forged without the key: exit %d\n%s%s", code, out, errOut)
			}
			storetest.ForgeAudit(t, f.URL, storetest.Forgery{Edit: toAdmin, Key: key})
			code, out, errOut = kechuang(ctx, f.URL, env, "audit", "verify")
			if code == 0 || !strings.Contains(out, fmt.Sprintf("第一处断点在第 %d 条", last-4)) ||
				!strings.Contains(out, fmt.Sprintf("记录到第 %d 条，数据库只有 %d 条", last, last-5)) {
				t.Fatalf("forged with the key: exit %d\n%s%s", code, out, errOut)
			}
		})
	}
}

// TestAuditVerifyCopyAgainstAnchors: a backup copy has no anchor file of
// its own, so a truncation rehashed with the key passes it (and verify
// says that no anchor was checked); --anchors checks the copy against the
// original's anchors and catches it. It starts from the binary's one
// `kechuang demo` (cli.DemoCopy: the database and the anchors the command
// wrote beside it), whose key is the tests' KECHUANG_AUDIT_KEY; the key
// file the command creates is TestAuditKeyAndAnchorsCommand's.
func TestAuditVerifyCopyAgainstAnchors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	url, _ := cli.DemoCopy(t, dir)
	if _, err := os.Stat(anchor.Locate(url, "").AnchorFile); err != nil {
		t.Fatalf("the demo's anchors beside its copy: %v", err)
	}
	env := map[string]string{}
	copyURL := "sqlite:" + filepath.Join(dir, "copy.db")
	if code, out, errOut := kechuang(ctx, url, env, "backup", "--out", filepath.Join(dir, "copy.db")); code != 0 {
		t.Fatalf("backup: %d %s%s", code, out, errOut)
	}
	key, err := anchor.LoadKey("", cli.EnvForTest("KECHUANG_AUDIT_KEY"), false)
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	storetest.RawDB(t, copyURL).QueryRow(`SELECT seq FROM audit_head`).Scan(&last)
	storetest.ForgeAudit(t, copyURL, storetest.Forgery{DeleteFrom: last - 2, Key: key})
	code, out, _ := kechuang(ctx, copyURL, env, "audit", "verify")
	if code != 0 || !strings.Contains(out, "外部锚点：无") {
		t.Fatalf("copy against its own (missing) anchors: exit %d\n%s", code, out)
	}
	code, out, _ = kechuang(ctx, copyURL, env, "audit", "verify", "--anchors", anchor.Locate(url, "").AnchorFile)
	if code == 0 || !strings.Contains(out, fmt.Sprintf("第一处断点在第 %d 条（日志末尾被截断：外部锚点", last-2)) {
		t.Fatalf("copy against the original's anchors: exit %d\n%s", code, out)
	}
	if code, _, errOut := kechuang(ctx, copyURL, env, "audit", "verify", "extra"); code == 0 || !strings.Contains(errOut, "--anchors") {
		t.Fatalf("stray argument: %d %s", code, errOut)
	}
}

// TestAuditVerifyPendingMigration: verify on a database older than the
// binary names the migration to run, not a missing column.
func TestAuditVerifyPendingMigration(t *testing.T) {
	t.Parallel()
	url := "sqlite:" + filepath.Join(t.TempDir(), "old.db")
	olderDatabase(t, url)
	code, _, errOut := kechuang(context.Background(), url, nil, "audit", "verify")
	if code == 0 || !strings.Contains(errOut, "待执行的迁移") {
		t.Fatalf("verify on an older schema: exit %d %s", code, errOut)
	}
}
