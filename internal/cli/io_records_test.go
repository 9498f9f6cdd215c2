package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kechuang/internal/achievementio"
	"kechuang/internal/challengeio"
	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/eventio"
	"kechuang/internal/needio"
	"kechuang/internal/sheetio"
)

// orgIDOf finds an organisation's id in the orgs export.
func orgIDOf(t *testing.T, url, name string) string {
	t.Helper()
	code, out := runCLI(t, url, "export", "orgs", "--format", "csv", "--out", "-")
	if code != 0 {
		t.Fatalf("export orgs: %s", out)
	}
	cr := csv.NewReader(strings.NewReader(out[strings.Index(out, "ID,"):]))
	cr.FieldsPerRecord = -1
	rows, _ := cr.ReadAll()
	for _, r := range rows {
		if len(r) > 1 && r[1] == name {
			return r[0]
		}
	}
	t.Fatalf("no org %s in %.300s", name, out)
	return ""
}

func TestRecordImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	url, _ := demoCopy(t, dir)
	univ, ent := orgIDOf(t, url, "东北大学"), orgIDOf(t, url, "沈阳海龟医疗科技有限公司")
	var a, n bytes.Buffer
	achievementio.Template(sheetio.CSV, &achievementio.Lookup{Rules: domain.DefaultAchievementRules()}, &a)
	needio.Template(sheetio.CSV, &needio.Lookup{Today: "2099-01-01"}, &n)
	af, nf := filepath.Join(dir, "a.csv"), filepath.Join(dir, "n.csv")
	os.WriteFile(af, append(a.Bytes(), []byte(",太短,,,,,,,,,,,,,,,,,,,,,\r\n")...), 0o644)
	os.WriteFile(nf, n.Bytes(), 0o644)
	if code, out := runCLI(t, url, "import", "achievements", "--file", af); code == 0 || !strings.Contains(out, "--org") {
		t.Fatalf("import without --org: %d %s", code, out)
	}
	if code, out := runCLI(t, url, "import", "achievements", "--file", af, "--org", univ); code == 0 || !strings.Contains(out, "第 3 行") || !strings.Contains(out, "未导入任何数据") {
		t.Fatalf("bad import: %d %s", code, out)
	}
	if code, out := runCLI(t, url, "import", "achievements", "--file", af, "--org", univ, "--skip-bad"); code != 0 || !strings.Contains(out, "已导入 1 项成果，跳过 1 行") {
		t.Fatalf("skip-bad import: %d %s", code, out)
	}
	if code, out := runCLI(t, url, "import", "needs", "--file", nf, "--org", univ); code == 0 || !strings.Contains(out, "不能导入技术需求") {
		t.Fatalf("needs for a university: %d %s", code, out)
	}
	if code, out := runCLI(t, url, "import", "needs", "--file", nf, "--org", ent); code != 0 || !strings.Contains(out, "已导入 1 项需求") {
		t.Fatalf("import needs: %d %s", code, out)
	}
	out := filepath.Join(dir, "a.xlsx")
	if code, msg := runCLI(t, url, "export", "achievements", "--format", "xlsx", "--out", out, "--status", "published"); code != 0 || !strings.Contains(msg, "项成果到") {
		t.Fatalf("export achievements: %d %s", code, msg)
	}
	if code, msg := runCLI(t, url, "export", "needs", "--out", "-", "--status", "nonsense"); code == 0 || !strings.Contains(msg, "状态无效") {
		t.Fatalf("export needs, bad status: %d %s", code, msg)
	}
	// 揭榜挂帅 and events: the kinds challenges and events.
	var chains []domain.Chain
	for _, c := range city.Shenyang().Chains {
		chains = append(chains, domain.Chain{Code: c.Code, Name: c.Name})
	}
	var c, e bytes.Buffer
	challengeio.Template(sheetio.CSV, &challengeio.Lookup{Chains: chains, Today: "2099-01-01", Rules: domain.DefaultChallengeRules()}, &c)
	eventio.Template(sheetio.CSV, &eventio.Lookup{Today: "2099-01-01"}, &e)
	cf, ef := filepath.Join(dir, "c.csv"), filepath.Join(dir, "e.csv")
	os.WriteFile(cf, c.Bytes(), 0o644)
	os.WriteFile(ef, append(e.Bytes(), []byte("坏活动,座谈会,2099-13-01,,0\r\n")...), 0o644)
	if code, out := runCLI(t, url, "import", "challenges", "--file", cf, "--org", univ); code == 0 || !strings.Contains(out, "不能导入揭榜挂帅榜单") {
		t.Fatalf("challenges for a university: %d %s", code, out)
	}
	if code, out := runCLI(t, url, "import", "challenges", "--file", cf, "--org", ent); code != 0 || !strings.Contains(out, "已导入 1 项榜单") {
		t.Fatalf("import challenges: %d %s", code, out)
	}
	if code, out := runCLI(t, url, "import", "events", "--file", ef, "--org", univ); code == 0 || !strings.Contains(out, "第 3 行") || !strings.Contains(out, "未导入任何数据") {
		t.Fatalf("bad events import: %d %s", code, out)
	}
	if code, out := runCLI(t, url, "import", "events", "--file", ef, "--org", univ, "--skip-bad"); code != 0 || !strings.Contains(out, "已导入 1 项活动，跳过 1 行") {
		t.Fatalf("import events: %d %s", code, out)
	}
	if code, msg := runCLI(t, url, "export", "events", "--format", "xlsx", "--out", filepath.Join(dir, "e.xlsx"), "--status", "draft"); code != 0 || !strings.Contains(msg, "项活动到") {
		t.Fatalf("export events: %d %s", code, msg)
	}
	if code, msg := runCLI(t, url, "export", "challenges", "--out", "-", "--status", "nonsense"); code == 0 || !strings.Contains(msg, "状态无效") {
		t.Fatalf("export challenges, bad status: %d %s", code, msg)
	}
}
