package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// adminUserRow is a user in the list with what the viewer may do.
type adminUserRow struct {
	*domain.User
	Actions map[string]bool
}

type adminUsersPage struct {
	Rows     []adminUserRow
	Pager    pager
	Q        url.Values
	Orgs     []*domain.Org
	Roles    []domain.Role
	Statuses []domain.Label
	Sorts    []sortOpt
	Export   string
	Error    string
}

var adminUserSorts = []sortOpt{{"", "按编号"}, {"username", "用户名"}, {"display_name", "姓名"}, {"org_name", "所属机构"},
	{"-created_at", "最近创建"}, {"-updated_at", "最近修改"}}

func roles() []domain.Role {
	return domain.Roles.Codes()
}

// allOrgs lists every organisation for the pickers.
func (w *Web) allOrgs(r *http.Request, a *domain.Actor) ([]*domain.Org, error) {
	orgs, _, err := w.Svc.Admin.Orgs(r.Context(), a, domain.OrgFilter{Sort: "name", Limit: math.MaxInt32})
	return orgs, err
}

// adminUsers serves /admin/users: filter by organisation, role, status and
// name, sorted and paginated.
func (w *Web) adminUsers(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageUsers)
	if a == nil {
		return
	}
	q := r.URL.Query()
	lp := adminUsersPage{Q: q, Roles: roles(), Statuses: domain.ActiveStatuses, Sorts: adminUserSorts,
		Export: exportQuery(q, "org_id", "role", "status", "q", "sort")}
	orgs, err := w.allOrgs(r, a)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	lp.Orgs = orgs
	status := http.StatusOK
	p, err := httpx.PageOf(r)
	var f domain.UserFilter
	if err == nil {
		f, err = httpx.UserFilterOf(q)
	}
	if err == nil {
		f.Offset, f.Limit = p.Offset(), p.PerPage
		var users []*domain.User
		var total int
		if users, total, err = w.Svc.Admin.Users(r.Context(), a, f); err == nil {
			for _, u := range users {
				lp.Rows = append(lp.Rows, adminUserRow{u, w.Svc.Admin.UserActions(a, u)})
			}
			lp.Pager = newPager(p, total, q)
		}
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			w.fail(rw, r, err)
			return
		}
		lp.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), http.StatusUnprocessableEntity
		lp.Pager = newPager(httpx.Page{Page: 1, PerPage: 20}, 0, q)
	}
	w.render(rw, r, status, "admin/users", w.newView(r, "用户管理", "admin-users", lp))
}

// adminUserForm is the data of the user form (new and edit).
type adminUserForm struct {
	User    *domain.User
	Orgs    []*domain.Org
	Roles   []domain.Role
	Actions map[string]bool
	Self    bool      // editing one's own account: role and organisation are fixed
	Locked  time.Time // the login lock-out ends then (zero: not locked)
	Events  []*domain.Event
	Form    string // the form an error belongs to: "user" or "password"
	Error   string
	Errors  map[string]string
}

func (w *Web) renderUserForm(rw http.ResponseWriter, r *http.Request, a *domain.Actor, status int, f adminUserForm) {
	orgs, err := w.allOrgs(r, a)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f.Orgs, f.Roles = orgs, roles()
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	title := "新建用户"
	if f.User.ID != 0 {
		title = "编辑用户"
		f.Self = !domain.AdminRules.CanChangeRole(a, f.User)
		f.Actions = w.Svc.Admin.UserActions(a, f.User)
		if f.Locked, err = w.Svc.Admin.LockedUntil(r.Context(), a, f.User); err != nil {
			w.fail(rw, r, err)
			return
		}
		if f.Events, err = w.Svc.Admin.UserEvents(r.Context(), a, f.User.ID); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	w.render(rw, r, status, "admin/user_form", w.newView(r, title, "admin-users", f))
}

func (w *Web) adminUserNew(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageUsers)
	if a == nil {
		return
	}
	u := &domain.User{Role: domain.RoleEnterprise}
	if id, err := strconv.ParseInt(r.URL.Query().Get("org_id"), 10, 64); err == nil {
		u.OrgID = id
	}
	w.renderUserForm(rw, r, a, http.StatusOK, adminUserForm{User: u})
}

func userFromForm(r *http.Request) *domain.User {
	f := r.PostForm
	org, _ := strconv.ParseInt(f.Get("org_id"), 10, 64)
	return &domain.User{Username: f.Get("username"), DisplayName: f.Get("name"), Role: domain.Role(f.Get("role")), OrgID: org, Email: f.Get("email")}
}

// adminUserCreate creates a user; a password left empty is generated and
// shown once, on the page that answers this POST (never in a URL).
func (w *Web) adminUserCreate(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageUsers)
	if a == nil {
		return
	}
	if err := adminForm(rw, r); err != nil {
		w.fail(rw, r, err)
		return
	}
	u := userFromForm(r)
	pw, generated := r.PostForm.Get("password"), false
	if pw == "" {
		pw, generated = service.GeneratePassword(), true
	}
	if err := w.Svc.Admin.CreateUser(r.Context(), a, u, pw); err != nil {
		w.userFormFailed(rw, r, a, u, "user", err)
		return
	}
	if !generated {
		http.Redirect(rw, r, fmt.Sprintf("/admin/users?ok=user_created&q=%s", url.QueryEscape(u.Username)), http.StatusSeeOther)
		return
	}
	w.render(rw, r, http.StatusOK, "admin/user_password", w.newView(r, "初始密码", "admin-users", adminPasswordPage{User: u, Password: pw, New: true}))
}

func (w *Web) userFormFailed(rw http.ResponseWriter, r *http.Request, a *domain.Actor, u *domain.User, form string, err error) {
	if !userError(err) && domain.ErrorCode(err) != domain.EFORBIDDEN {
		w.fail(rw, r, err)
		return
	}
	if domain.ErrorCode(err) == domain.EFORBIDDEN && u.ID == 0 {
		w.fail(rw, r, err)
		return
	}
	msg, errs := adminErrors(r.Context(), err)
	w.renderUserForm(rw, r, a, httpx.StatusOf(err), adminUserForm{User: u, Form: form, Error: msg, Errors: errs})
}

// adminUser loads the user of the path.
func (w *Web) adminUser(rw http.ResponseWriter, r *http.Request, a *domain.Actor) *domain.User {
	return pathRecord(w, rw, r, func(ctx context.Context, id int64) (*domain.User, error) { return w.Svc.Admin.User(ctx, a, id) })
}

func (w *Web) adminUserEdit(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageUsers)
	if a == nil {
		return
	}
	if u := w.adminUser(rw, r, a); u != nil {
		w.renderUserForm(rw, r, a, http.StatusOK, adminUserForm{User: u})
	}
}

// adminUserUpdate saves the name, role and organisation; on one's own
// account only the name (the form does not offer the others).
func (w *Web) adminUserUpdate(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageUsers)
	if a == nil {
		return
	}
	u := w.adminUser(rw, r, a)
	if u == nil {
		return
	}
	err := adminForm(rw, r)
	var version int64
	if err == nil {
		version, err = formVersion(r)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	in := userFromForm(r)
	up := domain.UserUpdate{DisplayName: &in.DisplayName, Email: &in.Email}
	if domain.AdminRules.CanChangeRole(a, u) {
		up.Role, up.OrgID = &in.Role, &in.OrgID
	}
	if _, err := w.Svc.Admin.UpdateUser(r.Context(), a, u.ID, version, up); err != nil {
		up.Apply(u)
		w.userFormFailed(rw, r, a, u, "user", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/users/%d/edit?ok=user_updated", u.ID), http.StatusSeeOther)
}

// adminUserAction disables, enables or unlocks a user from a button of
// the list or the form.
func (w *Web) adminUserAction(action string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		a := w.adminActor(rw, r, domain.AdminRules.CanManageUsers)
		if a == nil {
			return
		}
		u := w.adminUser(rw, r, a)
		if u == nil {
			return
		}
		err := adminForm(rw, r)
		var version int64
		if err == nil {
			version, err = formVersion(r)
		}
		if err == nil {
			switch action {
			case "disable":
				_, err = w.Svc.Admin.DisableUser(r.Context(), a, u.ID, version)
			case "enable":
				_, err = w.Svc.Admin.EnableUser(r.Context(), a, u.ID, version)
			default:
				_, err = w.Svc.Admin.Unlock(r.Context(), a, u.ID)
			}
		}
		if err != nil {
			w.userFormFailed(rw, r, a, u, "status", err)
			return
		}
		back := safeNext(r.PostForm.Get("back"))
		if !strings.HasPrefix(back, "/admin/") {
			back = fmt.Sprintf("/admin/users/%d/edit", u.ID)
		}
		flash := map[string]string{"disable": "user_disabled", "enable": "user_enabled", "unlock": "user_unlocked"}[action]
		http.Redirect(rw, r, withFlash(back, flash), http.StatusSeeOther)
	}
}

// adminPasswordPage shows a password once: a generated initial password
// or a reset one.
type adminPasswordPage struct {
	User     *domain.User
	Password string
	New      bool // a new account, not a reset
}

// adminUserReset sets the password the administrator typed, or a
// generated one, and shows it this once; the user's sessions end.
func (w *Web) adminUserReset(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageUsers)
	if a == nil {
		return
	}
	u := w.adminUser(rw, r, a)
	if u == nil {
		return
	}
	if err := adminForm(rw, r); err != nil {
		w.fail(rw, r, err)
		return
	}
	typed := r.PostForm.Get("password")
	if typed != r.PostForm.Get("password2") {
		w.userFormFailed(rw, r, a, u, "password", domain.FieldErrorf("password2", "两次输入的密码不一致"))
		return
	}
	pw, u2, err := w.Svc.Admin.ResetPassword(r.Context(), a, u.ID, typed)
	if err != nil {
		w.userFormFailed(rw, r, a, u, "password", err)
		return
	}
	w.render(rw, r, http.StatusOK, "admin/user_password", w.newView(r, "密码已重置", "admin-users", adminPasswordPage{User: u2, Password: pw}))
}
