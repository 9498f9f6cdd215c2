package contractio_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/anchor"
	"kechuang/internal/cli"
	"kechuang/internal/contractio"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

func runCLI(t *testing.T, dbURL string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cli.Env{Args: append([]string{"kechuang"}, args...), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if k == "KECHUANG_DATABASE_URL" {
				return dbURL
			}
			if k == "KECHUANG_AUDIT_KEY" {
				return testutil.AuditKey
			}
			return ""
		}}
	code := cli.Main(context.Background(), env)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "kechuang.db")
	if code, _, stderr := runCLI(t, url, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	st, err := store.Open(context.Background(), url, store.WithAuditKey([]byte(testutil.AuditKey)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fx := newFixture(t, "sqlite", st)

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, toCSV(t, table(
		validRow(map[string]string{"登记号": "2022210100000001"}),
		validRow(map[string]string{"登记号": "2022210100000002", "签订日期": "昨天"}),
		validRow(map[string]string{"登记号": "2022210100000003"}),
	)), 0o644)
	code, _, stderr := runCLI(t, url, "import", "contracts", "--file", bad)
	if code != 1 || !strings.Contains(stderr, "第 3 行，字段“签订日期”：“昨天”不是有效日期") || !strings.Contains(stderr, "未导入任何数据") {
		t.Fatalf("bad file: exit %d\n%s", code, stderr)
	}
	if n := fx.count(t); n != 0 {
		t.Fatalf("failed import stored %d", n)
	}
	code, stdout, stderr := runCLI(t, url, "import", "contracts", "--file", bad, "--skip-bad")
	if code != 0 || !strings.Contains(stdout, "已导入 2 条合同，跳过 1 行错误数据") || !strings.Contains(stdout, "第 3 行") {
		t.Fatalf("skip-bad: exit %d\n%s%s", code, stdout, stderr)
	}

	xlsx := filepath.Join(dir, "more.xlsx")
	os.WriteFile(xlsx, toXLSX(t, table(validRow(map[string]string{"登记号": "2022210100000010"}))), 0o644)
	if code, stdout, stderr := runCLI(t, url, "import", "contracts", "--file", xlsx); code != 0 || !strings.Contains(stdout, "已导入 1 条合同") {
		t.Fatalf("xlsx: exit %d\n%s%s", code, stdout, stderr)
	}
	// Each import ends by anchoring the audit chain's head beside the data.
	head, err := st.AuditHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	anchors, err := anchor.NewFile(anchor.Locate(url, "").AnchorFile).Read()
	if err != nil || len(anchors) == 0 || anchors[len(anchors)-1].Seq != head.Seq || anchors[len(anchors)-1].Hash != head.Hash {
		t.Fatalf("anchors after import %+v (%v), head %+v", anchors, err, head)
	}

	out := filepath.Join(dir, "out.xlsx")
	code, stdout, stderr = runCLI(t, url, "export", "contracts", "--format", "xlsx", "--out", out, "--year", "2022", "--status", "已登记")
	if code != 0 || !strings.Contains(stdout, "已导出 3 条合同") {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(contractio.SheetName)
	f.Close()
	if len(rows) != 4 || rows[1][0] != "2022210100000001" || rows[3][0] != "2022210100000010" {
		t.Errorf("exported rows %v", rows)
	}
	if code, stdout, _ := runCLI(t, url, "export", "contracts", "--out", filepath.Join(dir, "out.csv"), "--year", "2021"); code != 0 || !strings.Contains(stdout, "已导出 0 条合同") {
		t.Errorf("empty export: %d %s", code, stdout)
	}
	for _, args := range [][]string{{"import"}, {"import", "contracts"}, {"export", "contracts", "--out", out, "--status", "作废"}, {"import", "contracts", "--file", filepath.Join(dir, "missing.csv")}} {
		if code, _, _ := runCLI(t, url, args...); code == 0 {
			t.Errorf("%v succeeded", args)
		}
	}
}
