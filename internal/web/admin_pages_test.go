package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// The administration pages at the HTTP level: who may open them, and what
// each form does with good and bad input.

func TestAdministrationPages(t *testing.T) {
	for _, ns := range demoStores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			srv, svc := server(t, ns.Store)
			seed(t, svc)
			ensureBureau(t, svc)
			clients := map[string]*client{"anonymous": newClient(t, srv.URL)}
			for _, name := range []string{"admin", "bureau", "registrar", "expert", "neu", "enterprise", "agency"} {
				clients[name] = newClient(t, srv.URL)
				clients[name].login(name)
			}
			t.Run("Permissions", func(t *testing.T) { adminPermissions(t, clients) })
			t.Run("Orgs", func(t *testing.T) { adminOrgPages(t, svc, clients["bureau"]) })
			t.Run("Users", func(t *testing.T) { adminUserPages(t, srv.URL, svc, clients["admin"]) })
			t.Run("Settings", func(t *testing.T) { adminSettingsPage(t, svc, clients["bureau"]) })
			t.Run("Import", func(t *testing.T) { adminImportPages(t, svc, clients["admin"]) })
			t.Run("OtherTargets", func(t *testing.T) { adminOtherTargets(t, svc, clients["bureau"]) })
			t.Run("Chains", func(t *testing.T) { adminChainPages(t, svc, clients) })
		})
	}
}

func adminPermissions(t *testing.T, clients map[string]*client) {
	orgs := map[string]int{"anonymous": 303, "admin": 200, "bureau": 200, "registrar": 403, "expert": 403, "neu": 403, "enterprise": 403, "agency": 403}
	users := map[string]int{"anonymous": 303, "admin": 200, "bureau": 403, "registrar": 403, "expert": 403, "neu": 403, "enterprise": 403, "agency": 403}
	want := map[string]map[string]int{
		"/admin/orgs": orgs, "/admin/orgs/new": orgs, "/admin/orgs/import": orgs, "/admin/settings": orgs,
		"/admin/users": users, "/admin/users/new": users, "/admin/users/import": users,
	}
	nav := map[string]string{"/admin/orgs": `id="nav-admin-orgs"`, "/admin/users": `id="nav-admin-users"`, "/admin/settings": `id="nav-admin-settings"`}
	for path, roles := range want {
		for role, status := range roles {
			c := clients[role]
			c.t = t
			st, loc, body := c.do("GET", path, nil)
			if st != status {
				t.Errorf("%s as %s: %d, want %d", path, role, st, status)
			}
			if st == 303 && loc != "/login?next="+url.QueryEscape(path) {
				t.Errorf("%s as %s: to %q", path, role, loc)
			}
			if st == 403 && !strings.Contains(body, "无权访问") {
				t.Errorf("%s as %s: 403 without the friendly page", path, role)
			}
			if item, ok := nav[path]; ok && role != "anonymous" {
				_, _, home := c.do("GET", "/account", nil)
				if got := strings.Contains(home, item); got != (status == 200) {
					t.Errorf("%s as %s: nav item shown = %v, page status %d", path, role, got, status)
				}
			}
		}
	}
	// A POST is refused like the page.
	c := clients["neu"]
	if st, _, _ := c.do("POST", "/admin/orgs/new", url.Values{"name": {"x"}}); st != 403 {
		t.Errorf("POST /admin/orgs/new as neu: %d", st)
	}
	if st, _, _ := clients["bureau"].do("POST", "/admin/users/1/disable", url.Values{"version": {"1"}}); st != 403 {
		t.Errorf("POST disable as bureau: %d", st)
	}
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

func formVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version field in %.300q", body)
	}
	return m[1]
}

func adminOrgPages(t *testing.T, svc *service.Service, c *client) {
	c.t = t
	form := url.Values{"name": {"沈阳网页测试科技有限公司"}, "kind": {"enterprise"}, "uscc": {"91210100MA0000000X"}, "region_code": {"210106"}}
	st, _, body := c.do("POST", "/admin/orgs/new", form)
	if st != 422 || !strings.Contains(body, "has-error") || !strings.Contains(body, "沈阳网页测试科技有限公司") {
		t.Fatalf("bad credit code: %d %.500q", st, body)
	}
	form.Set("uscc", domain.MakeUSCC("91210106MA0WEB001"))
	form.Set("region_code", "999999")
	if st, _, body = c.do("POST", "/admin/orgs/new", form); st != 422 || !strings.Contains(body, "行政区划代码 999999 不存在") {
		t.Fatalf("unknown region: %d", st)
	}
	form.Set("region_code", "210106")
	st, loc, _ := c.do("POST", "/admin/orgs/new", form)
	if st != 303 || !strings.HasPrefix(loc, "/admin/orgs?ok=org_created") {
		t.Fatalf("create: %d %s", st, loc)
	}
	_, _, list := c.do("GET", loc, nil)
	if !strings.Contains(list, "机构已创建") || !strings.Contains(list, "沈阳网页测试科技有限公司") {
		t.Fatalf("list after create: %.300q", list)
	}
	orgs, _, err := svc.Admin.Orgs(context.Background(), domain.SystemActor(), domain.OrgFilter{Query: "网页测试"})
	if err != nil || len(orgs) != 1 {
		t.Fatalf("orgs %v %v", orgs, err)
	}
	o := orgs[0]
	edit := fmt.Sprintf("/admin/orgs/%d/edit", o.ID)
	_, _, page := c.do("GET", edit, nil)
	v := formVersion(t, page)
	form.Set("name", "沈阳网页测试改名有限公司")
	if st, _, _ := c.do("POST", edit, form); st != 422 { // no version
		t.Fatalf("edit without version: %d", st)
	}
	form.Set("version", v)
	if st, loc, _ := c.do("POST", edit, form); st != 303 || !strings.Contains(loc, "ok=org_updated") {
		t.Fatalf("edit: %d %s", st, loc)
	}
	if st, _, body := c.do("POST", edit, form); st != 409 || !strings.Contains(body, "已被他人修改") {
		t.Fatalf("stale edit: %d", st)
	}
	_, _, page = c.do("GET", edit, nil)
	if !strings.Contains(page, `id="org-disable"`) || strings.Contains(page, `id="org-enable"`) {
		t.Fatal("an active organisation's form does not offer exactly 停用")
	}
	st, loc, _ = c.do("POST", fmt.Sprintf("/admin/orgs/%d/disable", o.ID), url.Values{"version": {formVersion(t, page)}, "back": {"/admin/orgs?q=x"}})
	if st != 303 || loc != "/admin/orgs?ok=org_disabled&q=x" {
		t.Fatalf("disable: %d %s", st, loc)
	}
	_, _, page = c.do("GET", edit, nil)
	if !strings.Contains(page, `id="org-enable"`) || !strings.Contains(page, `data-action="disable"`) {
		t.Fatal("a disabled organisation's form lacks 启用 or the history step")
	}
	// An organisation with active users cannot be disabled: the form says why.
	neuOrg := user(t, svc, "neu").OrgID
	_, _, page = c.do("GET", fmt.Sprintf("/admin/orgs/%d/edit", neuOrg), nil)
	st, _, body = c.do("POST", fmt.Sprintf("/admin/orgs/%d/disable", neuOrg), url.Values{"version": {formVersion(t, page)}})
	if st != 409 || !strings.Contains(body, "正常使用的用户") {
		t.Fatalf("disable with users: %d", st)
	}
}

var passwordRE = regexp.MustCompile(`id="new-password">([^<]+)<`)

func adminUserPages(t *testing.T, base string, svc *service.Service, admin *client) {
	admin.t = t
	org := strconv.FormatInt(user(t, svc, "enterprise").OrgID, 10)
	form := url.Values{"username": {"web.user"}, "name": {"网页用户"}, "role": {"registrar"}, "org_id": {org}}
	if st, _, body := admin.do("POST", "/admin/users/new", form); st != 422 || !strings.Contains(body, "不能属于企业类机构") {
		t.Fatalf("role does not fit: %d", st)
	}
	form.Set("role", "enterprise")
	st, _, body := admin.do("POST", "/admin/users/new", form)
	m := passwordRE.FindStringSubmatch(body)
	if st != 200 || m == nil || len(m[1]) != 12 {
		t.Fatalf("create with a generated password: %d %.300q", st, body)
	}
	pw := m[1]
	u, err := svc.Admin.UserByUsername(context.Background(), domain.SystemActor(), "web.user")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Auth.Login(context.Background(), "web.user", pw, "10.9.9.9"); err != nil {
		t.Fatalf("the shown password does not work: %v", err)
	}
	me := newClient(t, base)
	if st, _, _ := me.do("POST", "/login", url.Values{"username": {"web.user"}, "password": {pw}}); st != 303 {
		t.Fatalf("login: %d", st)
	}
	edit := fmt.Sprintf("/admin/users/%d/edit", u.ID)
	_, _, page := admin.do("GET", edit, nil)
	st, loc, _ := admin.do("POST", fmt.Sprintf("/admin/users/%d/disable", u.ID), url.Values{"version": {formVersion(t, page)}})
	if st != 303 || !strings.Contains(loc, "ok=user_disabled") {
		t.Fatalf("disable: %d %s", st, loc)
	}
	if st, loc, _ := me.do("GET", "/account", nil); st != 303 || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("the disabled user's session still works: %d %s", st, loc)
	}
	_, _, page = admin.do("GET", edit, nil)
	if st, _, _ := admin.do("POST", fmt.Sprintf("/admin/users/%d/enable", u.ID), url.Values{"version": {formVersion(t, page)}}); st != 303 {
		t.Fatalf("enable: %d", st)
	}
	reset := fmt.Sprintf("/admin/users/%d/reset-password", u.ID)
	if st, _, body := admin.do("POST", reset, url.Values{"password": {"new-pass-123"}, "password2": {"other-pass-123"}}); st != 422 || !strings.Contains(body, "两次输入的密码不一致") {
		t.Fatalf("mismatch: %d", st)
	}
	st, _, body = admin.do("POST", reset, url.Values{"password": {"new-pass-123"}, "password2": {"new-pass-123"}})
	if st != 200 || !strings.Contains(body, `id="new-password">new-pass-123<`) {
		t.Fatalf("reset: %d", st)
	}
	if _, _, err := svc.Auth.Login(context.Background(), "web.user", "new-pass-123", "10.9.9.9"); err != nil {
		t.Fatalf("reset password: %v", err)
	}
	for range 5 {
		svc.Auth.Login(context.Background(), "web.user", "wrong-password", "10.9.9.8")
	}
	_, _, page = admin.do("GET", edit, nil)
	if !strings.Contains(page, `id="user-locked"`) {
		t.Fatal("the user's page does not say the login is locked")
	}
	if st, loc, _ := admin.do("POST", fmt.Sprintf("/admin/users/%d/unlock", u.ID), url.Values{"version": {formVersion(t, page)}}); st != 303 || !strings.Contains(loc, "ok=user_unlocked") {
		t.Fatalf("unlock: %d %s", st, loc)
	}
	if _, _, page = admin.do("GET", edit, nil); strings.Contains(page, `id="user-locked"`) {
		t.Fatal("still shown as locked after unlocking")
	}
	// One's own account: no role or organisation change, no disable button.
	self := user(t, svc, "admin")
	_, _, page = admin.do("GET", fmt.Sprintf("/admin/users/%d/edit", self.ID), nil)
	if !strings.Contains(page, `id="self-note"`) || strings.Contains(page, `id="user-disable"`) {
		t.Fatal("the administrator's own form offers to change role or disable")
	}
	_, _, list := admin.do("GET", "/admin/users?q=web.user", nil)
	if !strings.Contains(list, `data-username="web.user"`) || strings.Count(list, `data-username=`) != 1 {
		t.Fatalf("filtered list: %.500q", list)
	}
}

func adminSettingsPage(t *testing.T, svc *service.Service, c *client) {
	c.t = t
	form := url.Values{"city_name": {"沈阳市"}, "year": {"2030", "2031", ""}, "amount": {"12.5", "3,456.789012", ""}, "unit": {"yi", "wan", "yi"}}
	if st, loc, _ := c.do("POST", "/admin/settings", form); st != 303 || loc != "/admin/settings?ok=settings_saved" {
		t.Fatalf("save: %d %s", st, loc)
	}
	s, err := svc.Admin.Settings(context.Background(), domain.SystemActor())
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]int64{}
	for _, x := range s.Targets {
		got[x.Year] = x.Value
	}
	if got[2030] != 1_250_000_000_00 || got[2031] != 3_456_789_012 {
		t.Fatalf("targets %v (want 12.5 亿元 and 3,456.789012 万元 exactly in fen)", got)
	}
	form = url.Values{"city_name": {"沈阳市"}, "year": {"2030"}, "amount": {"1.23456789012"}, "unit": {"yi"}}
	if st, _, body := c.do("POST", "/admin/settings", form); st != 422 || !strings.Contains(body, "精确到分") {
		t.Fatalf("too many decimals: %d", st)
	}
	form = url.Values{"city_name": {"沈阳市"}, "year": {"2031"}, "amount": {""}, "unit": {"yi"}}
	c.do("POST", "/admin/settings", form)
	if s, _ = svc.Admin.Settings(context.Background(), domain.SystemActor()); len(s.Targets) == 0 || s.Targets[len(s.Targets)-1].Year == 2031 {
		t.Fatalf("an emptied target stays: %+v", s.Targets)
	}
}

func adminImportPages(t *testing.T, svc *service.Service, c *client) {
	c.t = t
	csv := "机构名称,机构类型,统一社会信用代码,行政区划代码\n沈阳网页导入有限公司,企业," + domain.MakeUSCC("91210106MA0WEB002") + ",210106\n坏行,俱乐部,,210106\n"
	st, _, body := c.upload("/admin/orgs/import", "orgs.csv", []byte(csv))
	if st != 422 || !strings.Contains(body, `id="import-failed"`) || !strings.Contains(body, `data-row="3"`) {
		t.Fatalf("bad import: %d %.300q", st, body)
	}
	st, _, body = c.upload("/admin/orgs/import", "orgs.csv", []byte(csv), "skip_bad", "1")
	if st != 200 || !strings.Contains(body, `id="import-partial"`) {
		t.Fatalf("skip bad: %d", st)
	}
	users := "用户名,姓名,角色,所属机构名称\nweb.import,导入,企业,沈阳网页导入有限公司\n"
	if st, _, body = c.upload("/admin/users/import", "u.csv", []byte(users)); st != 200 || !strings.Contains(body, `id="import-ok"`) {
		t.Fatalf("users: %d %.300q", st, body)
	}
	if _, err := svc.Admin.UserByUsername(context.Background(), domain.SystemActor(), "web.import"); err != nil {
		t.Fatal(err)
	}
}

// adminOtherTargets: the settings page sets a rate in percent, a count and
// a turnover in 元, exactly, and refuses a rate above 100% naming it.
func adminOtherTargets(t *testing.T, svc *service.Service, c *client) {
	c.t = t
	ctx := context.Background()
	form := url.Values{"city_name": {"沈阳市"}, "year": {"2032"}, "amount": {"1234.56"}, "unit": {"yuan"},
		"o_year": {"2032", "2032", ""}, "o_metric": {"local_conversion_rate_bp", "platforms", "tech_enterprises"}, "o_value": {"65.25", "120", ""}}
	if st, loc, body := c.do("POST", "/admin/settings", form); st != 303 {
		t.Fatalf("save: %d %s %.400s", st, loc, body)
	}
	s, err := svc.Admin.Settings(ctx, domain.SystemActor())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, x := range s.Targets {
		if x.Year == 2032 {
			got[x.Metric] = x.Value
		}
	}
	if got["local_conversion_rate_bp"] != 6525 || got["platforms"] != 120 || got["contract_turnover_fen"] != 123_456 || len(got) != 3 {
		t.Fatalf("2032 targets %v", got)
	}
	_, _, page := c.do("GET", "/admin/settings", nil)
	if !strings.Contains(page, `name="o_value" value="65.25"`) {
		t.Errorf("the rate is not shown in percent")
	}
	for _, bad := range [][2]string{{"local_conversion_rate_bp", "100.01"}, {"local_conversion_rate_bp", "65.125"}, {"platforms", "1.5"}, {"platforms", "-3"}} {
		form := url.Values{"city_name": {"沈阳市"}, "o_year": {"2033"}, "o_metric": {bad[0]}, "o_value": {bad[1]}}
		if st, _, body := c.do("POST", "/admin/settings", form); st != 422 || !strings.Contains(body, "target-error") {
			t.Errorf("%s = %s accepted: %d", bad[0], bad[1], st)
		}
	}
	form = url.Values{"city_name": {"沈阳市"}, "o_year": {"2032"}, "o_metric": {"platforms"}, "o_value": {""}}
	if st, _, _ := c.do("POST", "/admin/settings", form); st != 303 {
		t.Fatalf("delete: %d", st)
	}
	if s, _ = svc.Admin.Settings(ctx, domain.SystemActor()); slices.ContainsFunc(s.Targets, func(x domain.YearTarget) bool { return x.Year == 2032 && x.Metric == "platforms" }) {
		t.Error("an emptied count target stays")
	}
}

// adminChainPages: the administrator adds, renames, moves, hides and
// deletes a chain on the page; a refusal (a used chain's delete, a taken
// code) answers 422 with the reason; the bureau is refused the page.
func adminChainPages(t *testing.T, svc *service.Service, clients map[string]*client) {
	c := clients["admin"]
	c.t = t
	ctx := context.Background()
	if st, _, _ := clients["bureau"].do("GET", "/admin/chains", nil); st != 403 {
		t.Errorf("the bureau opens the chains page: %d", st)
	}
	if st, loc, _ := c.do("POST", "/admin/chains", url.Values{"code": {"quantum"}, "name": {"量子信息"}}); st != 303 || !strings.Contains(loc, "chain_created") {
		t.Fatalf("add: %d %s", st, loc)
	}
	if st, _, body := c.do("POST", "/admin/chains", url.Values{"code": {"quantum"}, "name": {"另一个"}}); st != 422 || !strings.Contains(body, "已存在") {
		t.Errorf("a taken code: %d", st)
	}
	if st, _, body := c.do("POST", "/admin/chains", url.Values{"code": {"Bad Code"}, "name": {"x"}}); st != 422 || !strings.Contains(body, "小写字母开头") {
		t.Errorf("a bad code: %d", st)
	}
	c.do("POST", "/admin/chains/quantum/rename", url.Values{"name": {"量子科技"}})
	c.do("POST", "/admin/chains/quantum/up", nil)
	c.do("POST", "/admin/chains/quantum/hide", nil)
	cs, err := svc.Admin.Chains(ctx, domain.SystemActor())
	if err != nil {
		t.Fatal(err)
	}
	q := cs[len(cs)-2]
	if q.Code != "quantum" || q.Name != "量子科技" || !q.Hidden {
		t.Fatalf("after rename, up and hide: %+v", cs)
	}
	_, _, page := c.do("GET", "/admin/chains", nil)
	if !strings.Contains(page, `id="chain-quantum" data-code="quantum" data-hidden="true"`) || !strings.Contains(page, `id="show-quantum"`) || !strings.Contains(page, `id="delete-quantum"`) {
		t.Errorf("the page does not show the hidden chain with show and delete")
	}
	// A chain that a contract names offers no delete, and refuses one.
	i := slices.IndexFunc(cs, func(e domain.ChainEntry) bool { return e.Contracts > 0 })
	if i < 0 {
		t.Fatalf("no chain of the seeded city is named by a contract: %+v", cs)
	}
	if used := cs[i].Code; true {
		if strings.Contains(page, `id="delete-`+used+`"`) {
			t.Errorf("a used chain offers delete")
		}
		if st, _, body := c.do("POST", "/admin/chains/"+used+"/delete", nil); st != 422 || !strings.Contains(body, "只能改名或隐藏") {
			t.Errorf("delete of a used chain: %d", st)
		}
	}
	if st, loc, _ := c.do("POST", "/admin/chains/quantum/delete", nil); st != 303 || !strings.Contains(loc, "chain_deleted") {
		t.Errorf("delete: %d %s", st, loc)
	}
	if st, _, _ := c.do("POST", "/admin/chains/quantum/delete", nil); st != 422 && st != 404 {
		t.Errorf("second delete: %d", st)
	}
}
