package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/city"
	"kechuang/internal/cli"
	"kechuang/internal/config"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

const initPassword = "init-pass-2026"

var withPassword = map[string]string{cli.AdminPasswordEnv: initPassword}

// initCases are the cities init is tried on: a prefecture-level city with
// districts and county-level cities, and a municipality whose districts and
// counties sit directly under it.
var initCases = []struct {
	code, name string
	districts  map[string]string // some of its districts, as the national table names them
}{
	{"320500", "苏州市", map[string]string{"320508": "姑苏区", "320583": "昆山市"}},
	{"500000", "重庆市", map[string]string{"500101": "万州区", "500229": "城口县", "500240": "石柱土家族自治县"}},
}

// TestInitCity: `kechuang init --city-code` on an empty database installs
// the city of the national table — GET /api/v1/meta/regions lists it with
// every district and county, the registry registers a filing whose 登记号
// carries the city's code, no demo account exists — and refuses a second
// run; `city export` writes a file that `init --city-file` installs
// again, giving the same export.
func TestInitCity(t *testing.T) {
	t.Parallel()
	for _, tc := range initCases {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			for _, f := range storetest.FreshURLs(t) {
				t.Run(f.Name, func(t *testing.T) {
					ctx := context.Background()
					code, out, errOut := kechuang(ctx, f.URL, withPassword, "init", "--city-code", tc.code, "--admin-user", "root")
					if code != 0 || !strings.Contains(out, "已安装城市 "+tc.name) {
						t.Fatalf("init: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
					}
					want := gb2260.Default().Children(tc.code)
					checkRegions(t, f.URL, tc.code, tc.name, tc.districts, len(want))
					fileAndRegister(t, f.URL, tc.code)

					code, out, errOut = kechuang(ctx, f.URL, withPassword, "init", "--city-code", tc.code, "--admin-user", "root")
					if code == 0 || !strings.Contains(errOut, "数据库已初始化（"+tc.code+" "+tc.name+"）") {
						t.Fatalf("second init: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
					}

					exported := filepath.Join(t.TempDir(), "city.yaml")
					if code, out, errOut = kechuang(ctx, f.URL, nil, "city", "export", "--out", exported); code != 0 {
						t.Fatalf("city export: exit %d\n%s%s", code, out, errOut)
					}
					if code, _, errOut = kechuang(ctx, f.URL, nil, "city", "export", "--out", exported); code == 0 || !strings.Contains(errOut, "不会覆盖") {
						t.Fatalf("city export over a file: exit %d %s", code, errOut)
					}
					data, err := os.ReadFile(exported)
					if err != nil {
						t.Fatal(err)
					}
					got, err := city.Load(bytes.NewReader(data))
					if err != nil {
						t.Fatalf("the export does not load: %v\n%s", err, data)
					}
					orig, err := city.FromTable(gb2260.Default(), tc.code, "")
					if err != nil {
						t.Fatal(err)
					}
					if a, b := cityYAML(t, orig), cityYAML(t, got); a != b {
						t.Fatalf("export differs from the installed city:\n%s\n---\n%s", b, a)
					}

					again := storetest.FreshURLs(t)[0].URL
					if code, out, errOut = kechuang(ctx, again, withPassword, "init", "--city-file", exported, "--admin-user", "root"); code != 0 {
						t.Fatalf("init --city-file of the export: exit %d\n%s%s", code, out, errOut)
					}
					code, second, errOut := kechuang(ctx, again, nil, "city", "export")
					if code != 0 || second != string(data) {
						t.Fatalf("round trip: exit %d %s\nfirst:\n%s\nsecond:\n%s", code, errOut, data, second)
					}
				})
			}
		})
	}
}

func cityYAML(t *testing.T, c *city.City) string {
	t.Helper()
	var b bytes.Buffer
	if err := city.Write(&b, c); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// openInstalled opens the service over an installed database, as serve does.
func openInstalled(t *testing.T, url string) (*service.Service, http.Handler) {
	t.Helper()
	getenv := func(k string) string {
		if k == "KECHUANG_DATABASE_URL" {
			return url
		}
		return cli.EnvForTest(k)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.Open(context.Background(), url, testutil.Log(), service.Options{AuditKey: []byte(testutil.AuditKey)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	h, err := cli.Handler(svc, cfg, testutil.Log())
	if err != nil {
		t.Fatal(err)
	}
	return svc, h
}

// checkRegions reads GET /api/v1/meta/regions: the city and all n of its
// county-level divisions, each under the city.
func checkRegions(t *testing.T, url, code, name string, some map[string]string, n int) {
	t.Helper()
	_, h := openInstalled(t, url)
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/meta/regions")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Items []domain.Region }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 {
		t.Fatalf("regions: %d %v", resp.StatusCode, err)
	}
	byCode := map[string]domain.Region{}
	under := 0
	for _, r := range body.Items {
		byCode[r.Code] = r
		if r.Parent == code {
			under++
		}
	}
	if byCode[code].Name != name {
		t.Errorf("the city %s is %+v, want %s", code, byCode[code], name)
	}
	for c, nm := range some {
		if r := byCode[c]; r.Name != nm || r.Parent != code {
			t.Errorf("region %s = %+v, want %s under %s", c, r, nm, code)
		}
	}
	if under != n || n == 0 {
		t.Errorf("%d regions under %s, the national table has %d", under, code, n)
	}
}

// fileAndRegister adds a university, an enterprise, a filer and a
// registrar as the installed administrator, files a contract and registers
// it: the 登记号 is year + the city's code + serial 1.
func fileAndRegister(t *testing.T, url, cityCode string) {
	t.Helper()
	ctx := context.Background()
	svc, _ := openInstalled(t, url)
	if _, _, err := svc.Auth.Login(ctx, "root", "bad-password", "127.0.0.1"); err == nil {
		t.Fatal("login with a wrong password")
	}
	_, root, err := svc.Auth.Login(ctx, "root", initPassword, "127.0.0.1")
	if err != nil {
		t.Fatalf("the administrator cannot log in: %v", err)
	}
	admin := service.ActorOf(root)
	regs, _, err := svc.Admin.Orgs(ctx, admin, domain.OrgFilter{Kind: domain.OrgRegistry})
	if err != nil || len(regs) != 1 || regs[0].RegionCode != cityCode {
		t.Fatalf("registries: %v %v", regs, err)
	}
	district := gb2260.Default().Children(cityCode)[0].Code
	univ := &domain.Org{Kind: domain.OrgUniversity, Name: "本市大学", RegionCode: district, USCC: storetest.USCC(1)}
	ent := &domain.Org{Kind: domain.OrgEnterprise, Name: "本市科技有限公司", RegionCode: district, USCC: storetest.USCC(2)}
	for _, o := range []*domain.Org{univ, ent} {
		if err := svc.Admin.CreateOrg(ctx, admin, o); err != nil {
			t.Fatalf("create org %s: %v", o.Name, err)
		}
	}
	users := map[domain.Role]*domain.User{
		domain.RoleTTO:       {Username: "tto", DisplayName: "转移中心", Role: domain.RoleTTO, OrgID: univ.ID},
		domain.RoleRegistrar: {Username: "clerk", DisplayName: "登记员", Role: domain.RoleRegistrar, OrgID: regs[0].ID},
	}
	for _, u := range users {
		if err := svc.Admin.CreateUser(ctx, admin, u, initPassword); err != nil {
			t.Fatalf("create user %s: %v", u.Username, err)
		}
	}
	filer, clerk := service.ActorOf(users[domain.RoleTTO]), service.ActorOf(users[domain.RoleRegistrar])
	today := svc.Today()
	end, _ := domain.ParseDate(today)
	in := &domain.Contract{Title: "工业机器人视觉定位技术开发合同", ContractNo: "HT-001",
		Seller: storetest.PartyOf(univ), Buyer: storetest.PartyOf(ent),
		SignedOn: today, TermStart: today, TermEnd: end.AddDate(1, 0, 0).Format("2006-01-02"),
		Category: "development", SubType: "entrusted_dev", Form: "written", SealsMatch: true, Field: "manufacturing",
		TurnoverFen: 100_000_00, CostItems: []domain.CostItem{{Kind: "equipment", Description: "工控机", UnitPriceFen: 10_000_00, Quantity: 1}}}
	c, err := svc.Contracts.Create(ctx, filer, in)
	if err != nil {
		t.Fatalf("file: %v", err)
	}
	if c.RegistryID != regs[0].ID {
		t.Errorf("filed with registry %d, the city's is %d", c.RegistryID, regs[0].ID)
	}
	if c, err = svc.Contracts.UploadDocument(ctx, filer, c.ID, "合同.pdf", storetest.PDF); err != nil {
		t.Fatal(err)
	}
	if c, err = svc.Contracts.Submit(ctx, filer, c.ID, c.Version); err != nil {
		t.Fatal(err)
	}
	if c, err = svc.Contracts.Accept(ctx, clerk, c.ID, c.Version); err != nil { // 受理
		t.Fatalf("accept: %v", err)
	}
	if c, err = svc.Contracts.Register(ctx, clerk, c.ID, c.Version, c.TechTransactionFen, ""); err != nil {
		t.Fatalf("register: %v", err)
	}
	year, _ := strconv.Atoi(today[:4])
	if want := domain.RegNoFor(year, cityCode, 1); c.RegNo != want {
		t.Errorf("登记号 %s, want %s", c.RegNo, want)
	}
	st, err := svc.Contracts.Stats(ctx, year)
	if err != nil || st.Count != 1 || st.TurnoverFen != in.TurnoverFen {
		t.Errorf("stats of %d after one registration: %+v %v", year, st, err)
	}
	if demo, _ := svc.Meta.Setting(ctx, "demo"); demo != "" {
		t.Errorf("an initialised city is marked demo %q", demo)
	}
}

// TestInitRefuses: codes that are not cities, bad input, and databases
// that hold data are refused with the reason, and nothing is created.
func TestInitRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fresh := storetest.FreshURLs(t)[0].URL
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--city-code", "320508", "--admin-user", "root"}, withPassword, "320508 姑苏区 是县级行政区，不是城市：请给出地级市或直辖市的代码；它属于 320500 苏州市"},
		{[]string{"--city-code", "320000", "--admin-user", "root"}, withPassword, "320000 江苏省 是省级行政区"},
		{[]string{"--city-code", "429004", "--admin-user", "root"}, withPassword, "县级行政区"},
		{[]string{"--city-code", "999900", "--admin-user", "root"}, withPassword, "不在全国行政区划表"},
		{[]string{"--city-code", "3205", "--admin-user", "root"}, withPassword, "不在全国行政区划表"},
		{[]string{"--city-code", "320500"}, withPassword, "用法：kechuang init"},
		{[]string{"--admin-user", "root"}, withPassword, "用法：kechuang init"},
		{[]string{"--city-code", "320500", "--admin-user", "root"}, map[string]string{cli.AdminPasswordEnv: "short"}, "password：密码至少8位"},
		{[]string{"--city-code", "320500", "--admin-user", "root"}, nil, cli.AdminPasswordEnv},
		{[]string{"--city-code", "320500", "--admin-user", "root", "--bureau-district", "210102"}, withPassword, "bureau.code"},
		{[]string{"--city-file", filepath.Join(t.TempDir(), "none.yaml"), "--admin-user", "root"}, withPassword, "城市文件"},
		{[]string{"--city-code", "210100", "--city-file", "../city/shenyang.yaml", "--admin-user", "root", "--bureau-district", "210102"}, withPassword, "--bureau-district 只用于"},
		{[]string{"--city-code", "320500", "--city-file", "../city/shenyang.yaml", "--admin-user", "root"}, withPassword, "不一致"},
	} {
		code, out, errOut := kechuang(ctx, fresh, tc.env, append([]string{"init"}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("init %v: exit %d, want %q\nstdout: %s\nstderr: %s", tc.args, code, tc.want, out, errOut)
		}
	}
	if pending := pendingAt(t, fresh); len(pending) == 0 {
		t.Fatal("a refused init created the schema")
	}

	// A database with data (organisations, no city) and one with a city.
	for _, ns := range testutil.Stores(t) {
		svc := service.New(ns.Store, testutil.Log())
		if _, err := svc.Meta.LoadRegions(ctx, domain.SystemActor(), gb2260.Default()); err != nil {
			t.Fatal(err)
		}
		o := &domain.Org{Kind: domain.OrgEnterprise, Name: "某企业", USCC: storetest.USCC(9), RegionCode: "210106"}
		if err := svc.Admin.CreateOrg(ctx, domain.SystemActor(), o); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := kechuang(ctx, ns.Store.URL(), withPassword, "init", "--city-code", "320500", "--admin-user", "root")
		if code == 0 || !strings.Contains(errOut, "数据库中已有数据") {
			t.Errorf("%s: init on a database with an organisation: exit %d %s", ns.Name, code, errOut)
		}
		if orgs, _, _ := svc.Meta.Orgs(ctx, domain.SystemActor(), domain.OrgFilter{}); len(orgs) != 1 {
			t.Errorf("%s: %d organisations after the refusal", ns.Name, len(orgs))
		}
	}
	for _, ns := range testutil.Stores(t) {
		storetest.New(t, ns.Store)
		code, _, errOut := kechuang(ctx, ns.Store.URL(), withPassword, "init", "--city-code", "320500", "--admin-user", "root")
		if code == 0 || !strings.Contains(errOut, "数据库已初始化（210100 沈阳市）") {
			t.Errorf("%s: init on an installed city: exit %d %s", ns.Name, code, errOut)
		}
	}
}

// TestInitFromCityFile: the demo's city file installs Shenyang with its
// targets and chains, and the export gives them back.
func TestInitFromCityFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, f := range storetest.FreshURLs(t) {
		t.Run(f.Name, func(t *testing.T) {
			code, out, errOut := kechuang(ctx, f.URL, withPassword, "init", "--city-file", "../city/shenyang.yaml", "--admin-user", "root", "--admin-name", "管理员")
			if code != 0 {
				t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
			}
			code, got, errOut := kechuang(ctx, f.URL, nil, "city", "export")
			if code != 0 {
				t.Fatalf("export: %d %s", code, errOut)
			}
			c, err := city.Load(strings.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			want := city.Shenyang()
			for i := range want.Chains {
				want.Chains[i].Sort = i + 1 // the export writes the order as positions
			}
			if a, b := cityYAML(t, want), cityYAML(t, c); a != b {
				t.Fatalf("export of Shenyang:\n%s\nwant:\n%s", b, a)
			}
			if len(want.TargetYears()) == 0 {
				t.Fatal("the Shenyang file has no targets to carry")
			}
		})
	}
}

// TestCommandsOnAnEmptyDatabase: every command that needs a city says the
// same sentence on an empty database and creates nothing.
func TestCommandsOnAnEmptyDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	csv := filepath.Join(dir, "c.csv")
	if err := os.WriteFile(csv, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, f := range storetest.FreshURLs(t) {
		for i, args := range [][]string{
			{"import", "contracts", "--file", csv},
			{"import", "orgs", "--file", csv},
			{"export", "contracts", "--format", "csv", "--out", filepath.Join(dir, fmt.Sprint(f.Name, 1, ".csv"))},
			{"export", "users", "--format", "csv", "--out", filepath.Join(dir, fmt.Sprint(f.Name, 2, ".csv"))},
			{"stats", "check"},
			{"stats", "rebuild"},
			{"user", "list"},
			{"user", "add", "--username", "u", "--name", "n", "--role", "admin", "--org", "1", "--password", "longenough"},
			{"audit", "verify"},
			{"city", "export"},
			{"serve", "--no-demo"},
		} {
			code, out, errOut := kechuang(ctx, f.URL, loopback, args...)
			if code == 0 || !strings.Contains(errOut, "尚未初始化：请先运行 `kechuang init`（或 `kechuang demo`）") ||
				strings.Contains(errOut, "default_registry") || strings.Contains(errOut, "迁移") {
				t.Errorf("%s #%d %v: exit %d\nstdout: %s\nstderr: %s", f.Name, i, args, code, out, errOut)
			}
		}
		if pending := pendingAt(t, f.URL); len(pending) == 0 {
			t.Errorf("%s: a refused command created the schema", f.Name)
		}
	}
}
