package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

func TestAdminImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	url, _ := demoCopy(t, dir)
	orgsCSV := filepath.Join(dir, "orgs.csv")
	code, out := runCLI(t, url, "export", "orgs", "--out", orgsCSV)
	if code != 0 || !strings.Contains(out, "个机构到") {
		t.Fatalf("export orgs: %d %s", code, out)
	}
	if b, _ := os.ReadFile(orgsCSV); !strings.Contains(string(b), "东北大学") {
		t.Fatalf("export lacks 东北大学: %.300s", b)
	}
	file := filepath.Join(dir, "new.csv")
	os.WriteFile(file, []byte("机构名称,机构类型,统一社会信用代码,行政区划代码\n沈阳命令行测试有限公司,企业,"+
		domain.MakeUSCC("91210100MA7777777")+",210106\n坏行,企业,,999999\n"), 0o644)
	if code, out = runCLI(t, url, "import", "orgs", "--file", file); code == 0 || !strings.Contains(out, "第 3 行") || !strings.Contains(out, "未导入任何数据") {
		t.Fatalf("bad import: %d %s", code, out)
	}
	if code, out = runCLI(t, url, "import", "orgs", "--file", file, "--skip-bad"); code != 0 || !strings.Contains(out, "已导入 1 个机构") {
		t.Fatalf("skip-bad import: %d %s", code, out)
	}
	users := filepath.Join(dir, "users.csv")
	os.WriteFile(users, []byte("用户名,姓名,角色,所属机构名称,初始密码\ncliuser,命令行,企业,沈阳命令行测试有限公司,cli-password-1\n"), 0o644)
	if code, out = runCLI(t, url, "import", "users", "--file", users); code != 0 || !strings.Contains(out, "已导入 1 个用户") {
		t.Fatalf("import users: %d %s", code, out)
	}
	if code, out = runCLI(t, url, "export", "users", "--format", "csv", "--out", "-"); code != 0 || !strings.Contains(out, "cliuser") {
		t.Fatalf("export users: %d %s", code, out)
	}
	if code, out = runCLI(t, url, "user", "disable", "cliuser"); code != 0 || !strings.Contains(out, "已停用用户 cliuser") {
		t.Fatalf("disable: %d %s", code, out)
	}
	if code, out = runCLI(t, url, "user", "disable", "cliuser"); code == 0 {
		t.Fatalf("disabled twice: %s", out)
	}
	if code, out = runCLI(t, url, "user", "enable", "cliuser"); code != 0 {
		t.Fatalf("enable: %d %s", code, out)
	}
	if code, out = runCLI(t, url, "import", "widgets", "--file", file); code == 0 || !strings.Contains(out, "achievements|challenges|contracts|enterprise-facts|enterprises|events|needs|orgs|users") {
		t.Fatalf("unknown kind: %d %s", code, out)
	}
}
