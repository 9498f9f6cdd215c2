package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

// kechuang import|export enterprises and enterprise-facts: a bad row
// stores nothing, --skip-bad the good ones; the facts export reads back.
func TestEnterpriseImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	url, _ := demoCopy(t, dir)
	code := domain.MakeUSCC("91210100MAC000001")
	reg := filepath.Join(dir, "e.csv")
	os.WriteFile(reg, []byte("统一社会信用代码,企业名称,所在区县,成立日期\n"+code+",沈阳命令行测试有限公司,浑南区,2018-01-01\n"+
		"91210100MA0Y6KJG4X,坏代码,浑南区,2018-01-01\n"), 0o644)
	if c, out := runCLI(t, url, "import", "enterprises", "--file", reg); c == 0 || !strings.Contains(out, "第 3 行") || !strings.Contains(out, "未导入任何数据") {
		t.Fatalf("bad import: %d %s", c, out)
	}
	if c, out := runCLI(t, url, "import", "enterprises", "--file", reg, "--skip-bad"); c != 0 || !strings.Contains(out, "已导入 1 家企业") {
		t.Fatalf("skip-bad import: %d %s", c, out)
	}
	facts := filepath.Join(dir, "f.csv")
	os.WriteFile(facts, []byte("统一社会信用代码,评价日期,职工总数,资产总额（元）\n"+code+",2022-05-20,80,15000000.01\n"), 0o644)
	if c, out := runCLI(t, url, "import", "enterprise-facts", "--file", facts); c != 0 || !strings.Contains(out, "已导入 1 家企业的年度数据") {
		t.Fatalf("facts import: %d %s", c, out)
	}
	out := filepath.Join(dir, "out.csv")
	if c, msg := runCLI(t, url, "export", "enterprise-facts", "--year", "2022", "--format", "csv", "--out", out); c != 0 {
		t.Fatalf("facts export: %d %s", c, msg)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), code) || !strings.Contains(string(b), "15000000.01") {
		t.Errorf("export %s", b)
	}
	if c, msg := runCLI(t, url, "export", "enterprise-facts", "--format", "csv", "--out", out); c == 0 || !strings.Contains(msg, "年度") {
		t.Errorf("export without --year: %d %s", c, msg)
	}
}
