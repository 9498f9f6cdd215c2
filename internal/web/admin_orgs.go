package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// adminFuncs are the administration module's template functions, bound
// to a language.
func adminFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"admin_status": func(disabled bool) string { return tr(statusOfDisabled(disabled).Label()) },
		"admin_statusClass": func(disabled bool) string {
			if disabled {
				return "badge-gray"
			}
			return "badge-green"
		},
		"admin_kind": func(k domain.OrgKind) string { return tr(k.Label()) },
		// admin_action names a history step by the audit vocabulary ("org", "disable" → 停用机构).
		"admin_action": func(entity, action string) string {
			if lbl := domain.AuditActionLabel(entity + "." + action); lbl != "" {
				return tr(lbl)
			}
			return action
		},
		"admin_statusLabel": func(s string) string { return tr(domain.ActiveStatus(s).Label()) },
	}
}

func statusOfDisabled(disabled bool) domain.ActiveStatus {
	if disabled {
		return domain.StatusDisabled
	}
	return domain.StatusActive
}

// adminActor returns the actor when the policy rule admits them, else
// answers the request (the login page, or a 403 page).
func (w *Web) adminActor(rw http.ResponseWriter, r *http.Request, rule func(*domain.Actor) bool) *domain.Actor {
	u := w.requireUser(rw, r)
	if u == nil {
		return nil
	}
	a := service.ActorOf(u)
	if !rule(a) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "您的角色（%s）不能使用系统管理功能", domain.Msg(u.Role.Label())))
		return nil
	}
	return a
}

// adminForm reads a posted form (small: no uploads).
func adminForm(rw http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(rw, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "无法读取表单")
	}
	return nil
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// formVersion is the version of the record as the form showed it; an
// action is always taken on what the user saw.
func formVersion(r *http.Request) (int64, error) {
	v, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || v <= 0 {
		return 0, domain.Errorf(domain.EINVALID, "表单缺少版本号，请刷新页面后重试")
	}
	return v, nil
}

// adminErrors maps a validation error's fields to their first message.
func adminErrors(ctx context.Context, err error) (string, map[string]string) {
	out := map[string]string{}
	var e *domain.Error
	if !asDomain(ctx, err, &e) {
		return i18n.Message(i18n.FromContext(ctx), err), out
	}
	for _, fe := range e.Fields {
		if _, seen := out[fe.Field]; !seen {
			out[fe.Field] = fe.Message
		}
	}
	return e.Message, out
}

// userError reports whether err is the user's to fix on the same page.
func userError(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.EINVALID, domain.ECONFLICT:
		return true
	}
	return false
}

// sortOpt is one choice of a list's sort menu.
type sortOpt struct{ Code, Label string }

// adminOrgRow is an organisation in the list with what the viewer may do.
type adminOrgRow struct {
	*domain.Org
	Region  string
	Actions map[string]bool
}

type adminOrgsPage struct {
	Rows     []adminOrgRow
	Pager    pager
	Q        url.Values
	Kinds    []domain.OrgKind
	Statuses []domain.Label
	Sorts    []sortOpt
	Export   string
	Error    string
}

var adminOrgSorts = []sortOpt{{"", "按类型"}, {"name", "名称"}, {"-created_at", "最近创建"}, {"-updated_at", "最近修改"}, {"region_code", "行政区划"}}

func orgKinds() []domain.OrgKind {
	return domain.OrgKinds.Codes()
}

// adminOrgs serves /admin/orgs: filter by kind, status and name or credit
// code, sorted and paginated.
func (w *Web) adminOrgs(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageOrgs)
	if a == nil {
		return
	}
	q := r.URL.Query()
	lp := adminOrgsPage{Q: q, Kinds: orgKinds(), Statuses: domain.ActiveStatuses, Sorts: adminOrgSorts, Export: exportQuery(q, "kind", "status", "q", "sort")}
	p, err := httpx.PageOf(r)
	status := http.StatusOK
	if err == nil {
		f := httpx.OrgFilterOf(q)
		f.Offset, f.Limit = p.Offset(), p.PerPage
		var orgs []*domain.Org
		var total int
		if orgs, total, err = w.Svc.Admin.Orgs(r.Context(), a, f); err == nil {
			codes := make([]string, len(orgs))
			for i, o := range orgs {
				codes[i] = o.RegionCode
			}
			regions := w.regionNames(r.Context(), codes...)
			for _, o := range orgs {
				lp.Rows = append(lp.Rows, adminOrgRow{o, regions[o.RegionCode].FullName, w.Svc.Admin.OrgActions(a, o)})
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
	w.render(rw, r, status, "admin/orgs", w.newView(r, "机构管理", "admin-orgs", lp))
}

// exportQuery keeps the list's filters for the export links.
func exportQuery(q url.Values, keys ...string) string {
	exp := url.Values{}
	for _, k := range keys {
		if v := q.Get(k); v != "" {
			exp.Set(k, v)
		}
	}
	return exp.Encode()
}

// adminOrgForm is the data of the organisation form (new and edit).
type adminOrgForm struct {
	Org         *domain.Org
	Kinds       []domain.OrgKind
	CityRegions []domain.Region // the region field's quick list
	Region      regionPicker
	Actions     map[string]bool
	Events      []*domain.Event
	Error       string
	Errors      map[string]string
	CityCode    string
}

func (w *Web) renderOrgForm(rw http.ResponseWriter, r *http.Request, a *domain.Actor, status int, f adminOrgForm) {
	city, _ := w.Svc.Meta.CityCode(r.Context())
	var err error
	if f.CityRegions, err = w.Svc.Meta.CityRegions(r.Context()); err != nil {
		w.fail(rw, r, err)
		return
	}
	// What was typed or stored stays in the field, named when the table knows it.
	f.Region = newRegionPicker("org-region", "region_code", f.Org.RegionCode, true, w.regionNames(r.Context(), f.Org.RegionCode))
	f.Kinds, f.CityCode = orgKinds(), city
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	title := "新建机构"
	if f.Org.ID != 0 {
		title = "编辑机构"
		f.Actions = w.Svc.Admin.OrgActions(a, f.Org)
		if f.Events, err = w.Svc.Admin.OrgEvents(r.Context(), a, f.Org.ID); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	w.render(rw, r, status, "admin/org_form", w.newView(r, title, "admin-orgs", f))
}

func (w *Web) adminOrgNew(rw http.ResponseWriter, r *http.Request) {
	if a := w.adminActor(rw, r, domain.AdminRules.CanManageOrgs); a != nil {
		w.renderOrgForm(rw, r, a, http.StatusOK, adminOrgForm{Org: &domain.Org{Kind: domain.OrgEnterprise}})
	}
}

func orgFromForm(r *http.Request) *domain.Org {
	f := r.PostForm
	return &domain.Org{Kind: domain.OrgKind(f.Get("kind")), Name: f.Get("name"), USCC: f.Get("uscc"), RegionCode: f.Get("region_code")}
}

func (w *Web) adminOrgCreate(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageOrgs)
	if a == nil {
		return
	}
	if err := adminForm(rw, r); err != nil {
		w.fail(rw, r, err)
		return
	}
	o := orgFromForm(r)
	if err := w.Svc.Admin.CreateOrg(r.Context(), a, o); err != nil {
		w.orgFormFailed(rw, r, a, o, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/orgs?ok=org_created&q=%s", url.QueryEscape(o.Name)), http.StatusSeeOther)
}

func (w *Web) orgFormFailed(rw http.ResponseWriter, r *http.Request, a *domain.Actor, o *domain.Org, err error) {
	if !userError(err) {
		w.fail(rw, r, err)
		return
	}
	msg, errs := adminErrors(r.Context(), err)
	w.renderOrgForm(rw, r, a, httpx.StatusOf(err), adminOrgForm{Org: o, Error: msg, Errors: errs})
}

// adminOrg loads the organisation of the path.
func (w *Web) adminOrg(rw http.ResponseWriter, r *http.Request, a *domain.Actor) *domain.Org {
	return pathRecord(w, rw, r, func(ctx context.Context, id int64) (*domain.Org, error) { return w.Svc.Admin.Org(ctx, a, id) })
}

// pathRecord loads the record the path's {id} names through find: a
// malformed id answers the 404 page, a service error its own page (nil).
func pathRecord[T any](w *Web, rw http.ResponseWriter, r *http.Request, find func(ctx context.Context, id int64) (*T, error)) *T {
	id, ok := pathID(r)
	if !ok {
		w.notFound(rw, r)
		return nil
	}
	x, err := find(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return nil
	}
	return x
}

func (w *Web) adminOrgEdit(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageOrgs)
	if a == nil {
		return
	}
	if o := w.adminOrg(rw, r, a); o != nil {
		w.renderOrgForm(rw, r, a, http.StatusOK, adminOrgForm{Org: o})
	}
}

func (w *Web) adminOrgUpdate(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageOrgs)
	if a == nil {
		return
	}
	o := w.adminOrg(rw, r, a)
	if o == nil {
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
	in := orgFromForm(r)
	up := domain.OrgUpdate{Kind: &in.Kind, Name: &in.Name, USCC: &in.USCC, RegionCode: &in.RegionCode}
	if _, err := w.Svc.Admin.UpdateOrg(r.Context(), a, o.ID, version, up); err != nil {
		in.ID, in.Version, in.Disabled = o.ID, o.Version, o.Disabled
		w.orgFormFailed(rw, r, a, in, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/orgs/%d/edit?ok=org_updated", o.ID), http.StatusSeeOther)
}

// adminOrgAction disables or enables an organisation from a button of the
// list or the form; a refusal (users still active) is shown on the form.
func (w *Web) adminOrgAction(action string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		a := w.adminActor(rw, r, domain.AdminRules.CanManageOrgs)
		if a == nil {
			return
		}
		o := w.adminOrg(rw, r, a)
		if o == nil {
			return
		}
		err := adminForm(rw, r)
		var version int64
		if err == nil {
			version, err = formVersion(r)
		}
		if err == nil {
			do := w.Svc.Admin.DisableOrg
			if action == "enable" {
				do = w.Svc.Admin.EnableOrg
			}
			_, err = do(r.Context(), a, o.ID, version)
		}
		if err != nil {
			w.orgFormFailed(rw, r, a, o, err)
			return
		}
		back := safeNext(r.PostForm.Get("back"))
		if back == "" || !strings.HasPrefix(back, "/admin/") {
			back = fmt.Sprintf("/admin/orgs/%d/edit", o.ID)
		}
		http.Redirect(rw, r, withFlash(back, "org_"+action+"d"), http.StatusSeeOther)
	}
}

// withFlash adds ?ok=code to a local path that may carry a query.
func withFlash(path, code string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Set("ok", code)
	u.RawQuery = q.Encode()
	return u.String()
}
