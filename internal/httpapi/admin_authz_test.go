package httpapi_test

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/adminio"
	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// The administration module's rows of the authorisation matrix and its
// OpenAPI schema pairs.

var adminSchemaTypes = map[string][]any{
	"Org": {domain.Org{}}, "OrgList": {httpapi.OrgList{}}, "OrgCreateRequest": {httpapi.OrgCreateRequest{}},
	"OrgPatchRequest": {httpapi.OrgPatchRequest{}}, "UserCreateRequest": {httpapi.UserCreateRequest{}},
	"UserPatchRequest": {httpapi.UserPatchRequest{}}, "UserActionRequest": {httpapi.UserActionRequest{}},
	"PasswordResetRequest": {httpapi.PasswordResetRequest{}}, "PasswordReset": {httpapi.PasswordReset{}},
	"UserList": {httpapi.UserList{}}, "AdminRowError": {adminio.RowError{}}, "AdminImportReport": {adminio.Report{}},
	"AdminImportProblem": {httpx.Problem{}, adminio.Report{}},
	"ChainEntry":         {domain.ChainEntry{}}, "ChainEntryList": {httpapi.ChainEntryList{}},
	"ChainCreateRequest": {httpapi.ChainCreateRequest{}}, "ChainPatchRequest": {httpapi.ChainPatchRequest{}},
	"ChainOrderRequest": {httpapi.ChainOrderRequest{}}, "YearTarget": {domain.YearTarget{}},
	"TargetList": {httpapi.TargetList{}}, "TargetsRequest": {httpapi.TargetsRequest{}},
}

// matrixChain creates a chain no contract names, for one cell.
func (fx *fixture) matrixChain(t *testing.T) string {
	t.Helper()
	fx.seq++
	e, err := fx.Svc.Admin.CreateChain(context.Background(), domain.SystemActor(),
		service.ChainInput{Code: fmt.Sprintf("matrix%03d", fx.seq), Name: fmt.Sprintf("矩阵产业链%03d", fx.seq)})
	if err != nil {
		t.Fatal(err)
	}
	return e.Code
}

// orgManagers manage organisations; only administrators manage users.
var orgManagers = []string{"admin", "bureau"}

// matrixUser creates an expert of the institute for one cell.
func (fx *fixture) matrixUser(t *testing.T, disabled bool) *domain.User {
	t.Helper()
	ctx := context.Background()
	fx.seq++
	u := &domain.User{Username: fmt.Sprintf("matrix%03d", fx.seq), DisplayName: "矩阵", Role: domain.RoleExpert, OrgID: fx.Orgs["institute"].ID}
	if err := fx.Svc.Admin.CreateUser(ctx, domain.SystemActor(), u, testPassword); err != nil {
		t.Fatal(err)
	}
	if disabled {
		var err error
		if u, err = fx.Svc.Admin.DisableUser(ctx, domain.SystemActor(), u.ID, 0); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

// matrixOrg creates an organisation without users for one cell.
func (fx *fixture) matrixOrg(t *testing.T) *domain.Org {
	t.Helper()
	fx.seq++
	o := &domain.Org{Kind: domain.OrgEnterprise, Name: fmt.Sprintf("矩阵测试企业%03d", fx.seq), RegionCode: "210106"}
	if err := fx.Svc.Admin.CreateOrg(context.Background(), domain.SystemActor(), o); err != nil {
		t.Fatal(err)
	}
	return o
}

func adminAuthzRows() []authzRow {
	onUser := func(action string, disabled bool, body any) func(*testing.T, *fixture, string) request {
		return func(t *testing.T, fx *fixture, _ string) request {
			u := fx.matrixUser(t, disabled)
			return request{Method: "POST", Path: fmt.Sprintf("/api/v1/users/%d/%s", u.ID, action), JSON: body}
		}
	}
	importCSV := func(path, csv string) func(*testing.T, *fixture, string) request {
		return func(t *testing.T, fx *fixture, _ string) request {
			fx.seq++
			return request{Method: "POST", Path: path + "?format=csv", Body: []byte(fmt.Sprintf(csv, fx.seq)), Type: "text/csv"}
		}
	}
	return []authzRow{
		{Pattern: "GET /api/v1/orgs", Allow: loggedIn},
		{Pattern: "POST /api/v1/orgs", Allow: orgManagers, Prepare: func(t *testing.T, fx *fixture, role string) request {
			fx.seq++
			return request{Method: "POST", Path: "/api/v1/orgs", JSON: map[string]string{"kind": "enterprise",
				"name": fmt.Sprintf("沈阳矩阵测试有限公司%03d", fx.seq), "uscc": fx.uscc(), "region_code": "210106"}}
		}},
		{Pattern: "GET /api/v1/orgs/export", Allow: orgManagers},
		{Pattern: "POST /api/v1/orgs/import", Allow: orgManagers, Prepare: importCSV("/api/v1/orgs/import", "机构名称,机构类型,行政区划代码\n矩阵导入企业%03d,企业,210106\n")},
		{Pattern: "PATCH /api/v1/orgs/{id}", Allow: orgManagers, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			o := fx.matrixOrg(t)
			return request{Method: "PATCH", Path: fmt.Sprintf("/api/v1/orgs/%d", o.ID), JSON: map[string]any{"version": o.Version, "name": o.Name + "（改）"}}
		}},
		{Pattern: "GET /api/v1/users", Allow: []string{"admin"}},
		{Pattern: "POST /api/v1/users", Allow: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			fx.seq++
			return request{Method: "POST", Path: "/api/v1/users", JSON: map[string]any{"username": fmt.Sprintf("matrixnew%03d", fx.seq),
				"name": "矩阵", "role": "expert", "org_id": fx.Orgs["institute"].ID, "password": testPassword}}
		}},
		{Pattern: "GET /api/v1/users/export", Allow: []string{"admin"}},
		{Pattern: "POST /api/v1/users/import", Allow: []string{"admin"}, Prepare: importCSV("/api/v1/users/import", "用户名,姓名,角色,所属机构名称\nmatriximp%03d,矩阵,专家,中国科学院金属研究所\n")},
		{Pattern: "PATCH /api/v1/users/{id}", Allow: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			u := fx.matrixUser(t, false)
			return request{Method: "PATCH", Path: fmt.Sprintf("/api/v1/users/%d", u.ID), JSON: map[string]any{"version": u.Version, "name": "矩阵改名"}}
		}},
		{Pattern: "POST /api/v1/users/{id}/disable", Allow: []string{"admin"}, Prepare: onUser("disable", false, map[string]any{"version": 1})},
		{Pattern: "POST /api/v1/users/{id}/enable", Allow: []string{"admin"}, Prepare: onUser("enable", true, nil)},
		{Pattern: "POST /api/v1/users/{id}/unlock", Allow: []string{"admin"}, Prepare: onUser("unlock", false, nil)},
		{Pattern: "POST /api/v1/users/{id}/reset-password", Allow: []string{"admin"}, Prepare: onUser("reset-password", false, nil)},
		{Pattern: "GET /api/v1/admin/chains", Allow: []string{"admin"}},
		{Pattern: "POST /api/v1/admin/chains", Allow: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			fx.seq++
			return request{Method: "POST", Path: "/api/v1/admin/chains", JSON: map[string]string{"code": fmt.Sprintf("newchain%03d", fx.seq), "name": fmt.Sprintf("新产业链%03d", fx.seq)}}
		}},
		{Pattern: "PUT /api/v1/admin/chains/order", Allow: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			cs, err := fx.Svc.Admin.Chains(context.Background(), domain.SystemActor())
			if err != nil {
				t.Fatal(err)
			}
			codes := make([]string, len(cs))
			for i, c := range cs {
				codes[len(cs)-1-i] = c.Code
			}
			return request{Method: "PUT", Path: "/api/v1/admin/chains/order", JSON: map[string]any{"codes": codes}}
		}},
		{Pattern: "PATCH /api/v1/admin/chains/{code}", Allow: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			return request{Method: "PATCH", Path: "/api/v1/admin/chains/" + fx.matrixChain(t), JSON: map[string]any{"hidden": true}}
		}},
		{Pattern: "DELETE /api/v1/admin/chains/{code}", Allow: []string{"admin"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			return request{Method: "DELETE", Path: "/api/v1/admin/chains/" + fx.matrixChain(t)}
		}},
		{Pattern: "GET /api/v1/admin/targets", Allow: orgManagers},
		{Pattern: "PUT /api/v1/admin/targets", Allow: orgManagers, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			fx.seq++
			return request{Method: "PUT", Path: "/api/v1/admin/targets", JSON: map[string]any{"targets": []map[string]any{{"year": 2030, "metric": "platforms", "value": fx.seq}}}}
		}},
	}
}
