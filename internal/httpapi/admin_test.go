package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"kechuang/internal/adminio"
	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
)

type orgList struct {
	Items []domain.Org `json:"items"`
	Total int          `json:"total"`
}

type userList struct {
	Items []domain.User `json:"items"`
	Total int           `json:"total"`
}

func wantStatus(t *testing.T, res response, status int) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
}

// TestAdminOrgsOverHTTP: create, list, filter, rename with the version,
// disable and enable an organisation; validation names the field.
func TestAdminOrgsOverHTTP(t *testing.T) {
	t.Parallel()
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			res := fx.send(t, "bureau", request{Method: "POST", Path: "/api/v1/orgs", JSON: map[string]string{
				"kind": "enterprise", "name": "沈阳新松测试有限公司", "uscc": fx.uscc(), "region_code": "210112"}})
			wantStatus(t, res, http.StatusCreated)
			var o domain.Org
			res.decode(t, &o)
			if o.ID == 0 || o.Version != 1 || o.Disabled {
				t.Fatalf("created %+v", o)
			}
			bad := fx.send(t, "admin", request{Method: "POST", Path: "/api/v1/orgs", JSON: map[string]string{
				"kind": "enterprise", "name": "某公司", "region_code": "999999"}})
			wantStatus(t, bad, http.StatusUnprocessableEntity)
			if p := bad.problem(t); p.Field != "region_code" {
				t.Fatalf("problem %+v", p)
			}
			wantStatus(t, fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/orgs", JSON: map[string]string{"kind": "enterprise"}}), http.StatusForbidden)

			var list orgList
			res = fx.send(t, "tto", request{Method: "GET", Path: "/api/v1/orgs?q=%E6%96%B0%E6%9D%BE&kind=enterprise"})
			wantStatus(t, res, http.StatusOK)
			if res.decode(t, &list); list.Total != 1 || list.Items[0].ID != o.ID {
				t.Fatalf("list %+v", list)
			}
			wantStatus(t, fx.send(t, "tto", request{Method: "GET", Path: "/api/v1/orgs?sort=uscc"}), http.StatusUnprocessableEntity)

			path := fmt.Sprintf("/api/v1/orgs/%d", o.ID)
			res = fx.send(t, "admin", request{Method: "PATCH", Path: path, JSON: map[string]any{"version": 1, "name": "沈阳新松改名有限公司"}})
			wantStatus(t, res, http.StatusOK)
			res.decode(t, &o)
			if o.Name != "沈阳新松改名有限公司" || o.Version != 2 {
				t.Fatalf("patched %+v", o)
			}
			wantStatus(t, fx.send(t, "admin", request{Method: "PATCH", Path: path, JSON: map[string]any{"version": 1, "name": "过期"}}), http.StatusConflict)
			wantStatus(t, fx.send(t, "admin", request{Method: "PATCH", Path: path, JSON: map[string]any{"disabled": true, "name": "x"}}), http.StatusUnprocessableEntity)
			res = fx.send(t, "admin", request{Method: "PATCH", Path: path, JSON: map[string]any{"version": 2, "disabled": true}})
			wantStatus(t, res, http.StatusOK)
			res = fx.send(t, "admin", request{Method: "GET", Path: "/api/v1/orgs?status=disabled"})
			if res.decode(t, &list); list.Total != 1 || !list.Items[0].Disabled {
				t.Fatalf("disabled list %+v", list)
			}
			wantStatus(t, fx.send(t, "admin", request{Method: "PATCH", Path: path, JSON: map[string]any{"disabled": false}}), http.StatusOK)
			wantStatus(t, fx.send(t, "admin", request{Method: "PATCH", Path: "/api/v1/orgs/999999", JSON: map[string]any{"name": "无"}}), http.StatusNotFound)
		})
	}
}

// TestAdminUsersOverHTTP: an administrator creates a user, who logs in;
// disabling ends the session at once; a reset password works and the old
// one does not; unlock lifts the lock-out.
func TestAdminUsersOverHTTP(t *testing.T) {
	t.Parallel()
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			body := map[string]any{"username": "zhou", "name": "周工", "role": "enterprise", "org_id": fx.Orgs["enterprise"].ID, "password": "zhou-password-1"}
			wantStatus(t, fx.send(t, "bureau", request{Method: "POST", Path: "/api/v1/users", JSON: body}), http.StatusForbidden)
			res := fx.send(t, "admin", request{Method: "POST", Path: "/api/v1/users", JSON: body})
			wantStatus(t, res, http.StatusCreated)
			var u domain.User
			res.decode(t, &u)
			if u.ID == 0 || u.DisplayName != "周工" || u.OrgName != fx.Orgs["enterprise"].Name {
				t.Fatalf("created %+v", u)
			}
			if p := fx.send(t, "admin", request{Method: "POST", Path: "/api/v1/users", JSON: body}).problem(t); p.Field != "username" {
				t.Fatalf("duplicate %+v", p)
			}
			wrongRole := map[string]any{"username": "zhou2", "name": "周二", "role": "registrar", "org_id": fx.Orgs["enterprise"].ID, "password": "zhou-password-1"}
			if p := fx.send(t, "admin", request{Method: "POST", Path: "/api/v1/users", JSON: wrongRole}).problem(t); p.Field != "role" {
				t.Fatalf("wrong role %+v", p)
			}

			var list userList
			res = fx.send(t, "admin", request{Method: "GET", Path: fmt.Sprintf("/api/v1/users?org_id=%d&role=enterprise", fx.Orgs["enterprise"].ID)})
			wantStatus(t, res, http.StatusOK)
			if res.decode(t, &list); list.Total != 2 {
				t.Fatalf("list %+v", list)
			}
			wantStatus(t, fx.send(t, "tto", request{Method: "GET", Path: "/api/v1/users"}), http.StatusForbidden)

			path := fmt.Sprintf("/api/v1/users/%d", u.ID)
			res = fx.send(t, "admin", request{Method: "PATCH", Path: path, JSON: map[string]any{"version": u.Version, "name": "周工程师"}})
			wantStatus(t, res, http.StatusOK)
			res.decode(t, &u)

			session := fx.login(t, "zhou", "zhou-password-1")
			wantStatus(t, fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Session: session}), http.StatusOK)
			res = fx.send(t, "admin", request{Method: "POST", Path: path + "/disable", JSON: map[string]any{"version": u.Version}})
			wantStatus(t, res, http.StatusOK)
			wantStatus(t, fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Session: session}), http.StatusUnauthorized)
			wantStatus(t, fx.send(t, "admin", request{Method: "POST", Path: path + "/disable"}), http.StatusConflict)
			wantStatus(t, fx.send(t, "admin", request{Method: "POST", Path: path + "/enable"}), http.StatusOK)

			res = fx.send(t, "admin", request{Method: "POST", Path: path + "/reset-password"})
			wantStatus(t, res, http.StatusOK)
			var reset httpapi.PasswordReset
			res.decode(t, &reset)
			if !reset.Generated || len(reset.Password) != 12 || res.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("reset %+v", reset)
			}
			login := func(pw string) int {
				return fx.send(t, "anonymous", request{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "zhou", "password": pw}}).Status
			}
			if st := login("zhou-password-1"); st != http.StatusUnauthorized {
				t.Fatalf("old password: %d", st)
			}
			for range 4 {
				login("wrong-password")
			}
			if st := login(reset.Password); st != http.StatusTooManyRequests {
				t.Fatalf("locked out: %d", st)
			}
			wantStatus(t, fx.send(t, "admin", request{Method: "POST", Path: path + "/unlock"}), http.StatusOK)
			if st := login(reset.Password); st != http.StatusOK {
				t.Fatalf("after unlock: %d", st)
			}
			res = fx.send(t, "admin", request{Method: "POST", Path: path + "/reset-password", JSON: map[string]string{"password": "short"}})
			if p := res.problem(t); p.Field != "password" {
				t.Fatalf("short password %+v", p)
			}
			self := fmt.Sprintf("/api/v1/users/%d/disable", fx.Users["admin"].ID)
			wantStatus(t, fx.send(t, "admin", request{Method: "POST", Path: self}), http.StatusForbidden)
		})
	}
}

// TestAdminImportExportOverHTTP: the export answers a file with the list's
// filters; an import with a bad row stores nothing and names the row.
func TestAdminImportExportOverHTTP(t *testing.T) {
	t.Parallel()
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			res := fx.send(t, "bureau", request{Method: "GET", Path: "/api/v1/orgs/export?format=csv&kind=university"})
			wantStatus(t, res, http.StatusOK)
			if body := string(res.Body); !strings.Contains(body, "东北大学") || strings.Contains(body, "沈阳海龟") ||
				!strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("export: %s %s", res.Header.Get("Content-Type"), body)
			}
			wantStatus(t, fx.send(t, "tto", request{Method: "GET", Path: "/api/v1/orgs/export"}), http.StatusForbidden)
			wantStatus(t, fx.send(t, "bureau", request{Method: "GET", Path: "/api/v1/users/export"}), http.StatusForbidden)
			res = fx.send(t, "admin", request{Method: "GET", Path: "/api/v1/users/export?format=xlsx"})
			if wantStatus(t, res, http.StatusOK); !bytes.HasPrefix(res.Body, []byte("PK")) {
				t.Fatal("users export is not an xlsx file")
			}

			csv := "机构名称,机构类型,统一社会信用代码,行政区划代码\n沈阳接口导入有限公司,企业," + fx.uscc() + ",210106\n坏,企业,,123\n"
			res = fx.send(t, "admin", request{Method: "POST", Path: "/api/v1/orgs/import?format=csv", Body: []byte(csv), Type: "text/csv"})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			var failed struct {
				Code string `json:"code"`
				adminio.Report
			}
			if res.decode(t, &failed); failed.Code != "invalid" || !failed.Failed || failed.Errors[0].Row != 3 {
				t.Fatalf("failed import %s", res.Body)
			}
			res = fx.send(t, "admin", request{Method: "POST", Path: "/api/v1/orgs/import?format=csv&skip_bad=1", Body: []byte(csv), Type: "text/csv"})
			wantStatus(t, res, http.StatusOK)
			var rep adminio.Report
			if res.decode(t, &rep); rep.Imported != 1 || rep.Skipped != 1 {
				t.Fatalf("report %+v", rep)
			}
			users := "用户名,姓名,角色,所属机构名称,初始密码\napiuser,接口,企业,沈阳接口导入有限公司,api-password-1\n"
			wantStatus(t, fx.send(t, "bureau", request{Method: "POST", Path: "/api/v1/users/import?format=csv", Body: []byte(users), Type: "text/csv"}), http.StatusForbidden)
			wantStatus(t, fx.send(t, "admin", request{Method: "POST", Path: "/api/v1/users/import?format=csv", Body: []byte(users), Type: "text/csv"}), http.StatusOK)
			fx.login(t, "apiuser", "api-password-1")
		})
	}
}
