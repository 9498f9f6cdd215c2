package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// The administration module's rows of the page authorisation matrix.

// orgManagers manage organisations and the city's settings; only
// administrators manage users (domain.AdminRules).
var orgManagers = []string{"admin", "bureau"}

var userManagers = []string{"admin"}

// matrixOrg creates an organisation without users for one cell.
func (fx *pageFixture) matrixOrg(t *testing.T, disabled bool) *domain.Org {
	t.Helper()
	ctx := context.Background()
	fx.seq++
	o := &domain.Org{Kind: domain.OrgEnterprise, Name: fmt.Sprintf("矩阵测试企业%03d", fx.seq), RegionCode: "210106"}
	if err := fx.svc.Admin.CreateOrg(ctx, domain.SystemActor(), o); err != nil {
		t.Fatal(err)
	}
	if disabled {
		var err error
		if o, err = fx.svc.Admin.DisableOrg(ctx, domain.SystemActor(), o.ID, 0); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// matrixUser creates an expert of the university for one cell.
func (fx *pageFixture) matrixUser(t *testing.T, disabled bool) *domain.User {
	t.Helper()
	ctx := context.Background()
	fx.seq++
	u := &domain.User{Username: fmt.Sprintf("matrix%03d", fx.seq), DisplayName: "矩阵测试", Role: domain.RoleExpert, OrgID: fx.users["tto"].OrgID}
	if err := fx.svc.Admin.CreateUser(ctx, domain.SystemActor(), u, "matrix-2026-pw"); err != nil {
		t.Fatal(err)
	}
	if disabled {
		var err error
		if u, err = fx.svc.Admin.DisableUser(ctx, domain.SystemActor(), u.ID, 0); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

func version(v int64) url.Values { return url.Values{"version": {strconv.FormatInt(v, 10)}} }

func adminPageRows() []pageRow {
	get := func(path string) func(*testing.T, *pageFixture, string) pageRequest {
		return func(*testing.T, *pageFixture, string) pageRequest { return pageRequest{Method: "GET", Path: path} }
	}
	onOrg := func(action string, disabled bool) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			o := fx.matrixOrg(t, disabled)
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/admin/orgs/%d/%s", o.ID, action), Form: version(o.Version)}
		}
	}
	onUser := func(action string, disabled bool) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			u := fx.matrixUser(t, disabled)
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/admin/users/%d/%s", u.ID, action), Form: version(u.Version)}
		}
	}
	userEdit := func(t *testing.T, fx *pageFixture, _ string) pageRequest {
		return pageRequest{Method: "GET", Path: fmt.Sprintf("/admin/users/%d/edit", fx.users["tto"].ID)}
	}
	orgEdit := func(t *testing.T, fx *pageFixture, _ string) pageRequest {
		return pageRequest{Method: "GET", Path: fmt.Sprintf("/admin/orgs/%d/edit", fx.users["tto"].OrgID)}
	}
	return []pageRow{
		{Pattern: "GET /admin/orgs", Allow: orgManagers},
		{Pattern: "GET /admin/orgs/new", Allow: orgManagers},
		{Pattern: "POST /admin/orgs/new", Allow: orgManagers, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.seq++
			return pageRequest{Method: "POST", Path: "/admin/orgs/new", Form: url.Values{"kind": {"enterprise"},
				"name": {fmt.Sprintf("矩阵新建企业%03d", fx.seq)}, "region_code": {"210106"}}}
		}},
		{Pattern: "GET /admin/orgs/import", Allow: orgManagers},
		{Pattern: "POST /admin/orgs/import", Allow: orgManagers, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.seq++
			csv := fmt.Sprintf("机构名称,机构类型,行政区划代码\n矩阵导入企业%03d,企业,210106\n", fx.seq)
			return pageRequest{Method: "POST", Path: "/admin/orgs/import", FileField: "file", FileName: "orgs.csv", File: []byte(csv)}
		}},
		{Pattern: "GET /admin/orgs/{id}/edit", Allow: orgManagers, Prepare: orgEdit},
		{Pattern: "POST /admin/orgs/{id}/edit", Allow: orgManagers, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			o := fx.matrixOrg(t, false)
			f := version(o.Version)
			f.Set("kind", "enterprise")
			f.Set("name", o.Name+"（改）")
			f.Set("region_code", o.RegionCode)
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/admin/orgs/%d/edit", o.ID), Form: f}
		}},
		{Pattern: "POST /admin/orgs/{id}/disable", Allow: orgManagers, Want: pageRedirect, Prepare: onOrg("disable", false)},
		{Pattern: "POST /admin/orgs/{id}/enable", Allow: orgManagers, Want: pageRedirect, Prepare: onOrg("enable", true)},

		{Pattern: "GET /admin/users", Allow: userManagers},
		{Pattern: "GET /admin/users/new", Allow: userManagers},
		{Pattern: "POST /admin/users/new", Allow: userManagers, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.seq++
			return pageRequest{Method: "POST", Path: "/admin/users/new", Form: url.Values{"username": {fmt.Sprintf("matrixnew%03d", fx.seq)},
				"name": {"矩阵"}, "role": {"expert"}, "org_id": {strconv.FormatInt(fx.users["tto"].OrgID, 10)}, "password": {"matrix-2026-pw"}}}
		}},
		{Pattern: "GET /admin/users/import", Allow: userManagers},
		{Pattern: "POST /admin/users/import", Allow: userManagers, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.seq++
			csv := fmt.Sprintf("用户名,姓名,角色,所属机构名称\nmatriximp%03d,矩阵,专家,%s\n", fx.seq, fx.users["tto"].OrgName)
			return pageRequest{Method: "POST", Path: "/admin/users/import", FileField: "file", FileName: "users.csv", File: []byte(csv)}
		}},
		{Pattern: "GET /admin/users/{id}/edit", Allow: userManagers, Prepare: userEdit},
		{Pattern: "POST /admin/users/{id}/edit", Allow: userManagers, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			u := fx.matrixUser(t, false)
			f := version(u.Version)
			f.Set("name", "矩阵改名")
			f.Set("role", string(u.Role))
			f.Set("org_id", strconv.FormatInt(u.OrgID, 10))
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/admin/users/%d/edit", u.ID), Form: f}
		}},
		{Pattern: "POST /admin/users/{id}/disable", Allow: userManagers, Want: pageRedirect, Prepare: onUser("disable", false)},
		{Pattern: "POST /admin/users/{id}/enable", Allow: userManagers, Want: pageRedirect, Prepare: onUser("enable", true)},
		{Pattern: "POST /admin/users/{id}/unlock", Allow: userManagers, Want: pageRedirect, Prepare: onUser("unlock", false)},
		{Pattern: "POST /admin/users/{id}/reset-password", Allow: userManagers, Prepare: onUser("reset-password", false)},

		{Pattern: "GET /admin/settings", Allow: orgManagers, Prepare: get("/admin/settings")},
		// Rules by regime: the page is the admin's and the bureau's; the
		// settings the admin's alone, the calendar both.
		{Pattern: "GET /admin/regime", Allow: orgManagers, Prepare: get("/admin/regime")},
		{Pattern: "POST /admin/regime", Allow: []string{"admin"}, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "POST", Path: "/admin/regime", Form: url.Values{"cutover": {"2026-03-01"}, "threshold_wan": {"500"}}}
		}},
		{Pattern: "POST /admin/regime/calendar", Allow: orgManagers, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "POST", Path: "/admin/regime/calendar", FileField: "file", FileName: "2027.txt", File: []byte("2027-01-01 holiday 元旦\n")}
		}},
		{Pattern: "POST /admin/settings", Allow: orgManagers, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "POST", Path: "/admin/settings", Form: url.Values{"city_name": {fx.svc.Meta.CityName(context.Background())}}}
		}},

		{Pattern: "GET /admin/chains", Allow: userManagers, Prepare: get("/admin/chains")},
		{Pattern: "POST /admin/chains", Allow: userManagers, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.seq++
			return pageRequest{Method: "POST", Path: "/admin/chains", Form: url.Values{"code": {fmt.Sprintf("newchain%03d", fx.seq)}, "name": {fmt.Sprintf("新产业链%03d", fx.seq)}}}
		}},
		{Pattern: "POST /admin/chains/{code}/rename", Allow: userManagers, Want: pageRedirect, Prepare: onChain("rename", url.Values{"name": {"矩阵改名"}})},
		{Pattern: "POST /admin/chains/{code}/up", Allow: userManagers, Want: pageRedirect, Prepare: onChain("up", nil)},
		{Pattern: "POST /admin/chains/{code}/down", Allow: userManagers, Want: pageRedirect, Prepare: onChain("down", nil)},
		{Pattern: "POST /admin/chains/{code}/hide", Allow: userManagers, Want: pageRedirect, Prepare: onChain("hide", nil)},
		{Pattern: "POST /admin/chains/{code}/show", Allow: userManagers, Want: pageRedirect, Prepare: onChain("show", nil)},
		{Pattern: "POST /admin/chains/{code}/delete", Allow: userManagers, Want: pageRedirect, Prepare: onChain("delete", nil)},
	}
}

// onChain posts action on a chain made for the cell.
func onChain(action string, form url.Values) func(*testing.T, *pageFixture, string) pageRequest {
	return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
		fx.seq++
		e, err := fx.svc.Admin.CreateChain(context.Background(), domain.SystemActor(),
			service.ChainInput{Code: fmt.Sprintf("matrix%03d", fx.seq), Name: fmt.Sprintf("矩阵产业链%03d", fx.seq)})
		if err != nil {
			t.Fatal(err)
		}
		if form == nil {
			form = url.Values{}
		}
		return pageRequest{Method: "POST", Path: "/admin/chains/" + e.Code + "/" + action, Form: form}
	}
}
