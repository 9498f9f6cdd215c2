package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// enterpriseDistricts are the city's districts (for the pickers) and
// their names by code.
func (w *Web) enterpriseDistricts(r *http.Request) ([]domain.Region, map[string]string) {
	names := map[string]string{}
	rs, err := w.Svc.Meta.CityRegions(r.Context())
	if err != nil || len(rs) == 0 {
		return nil, names
	}
	for _, d := range rs {
		names[d.Code] = d.Name
	}
	return rs[1:], names // the city first
}

// enterpriseListPage is the registry's list.
type enterpriseListPage struct {
	Rows      []*domain.Enterprise
	Districts []domain.Region
	Chains    []domain.Chain
	Years     []int
	CanCreate bool
	CanImport bool
	district  map[string]string
	listState
	chainLabels
}

// District names a district code.
func (p *enterpriseListPage) District(code string) string { return orCode(p.district, code) }

func orCode(m map[string]string, code string) string {
	if n, ok := m[code]; ok {
		return n
	}
	return code
}

// filingYears are the years offered for filing and filtering: those with
// filings and the current and last year, newest first.
func (w *Web) filingYears(r *http.Request, a *domain.Actor) []int {
	now := domain.ChinaYear(w.Svc.Now())
	seen := map[int]bool{now: true, now - 1: true}
	if ys, err := w.Svc.Enterprises.FilingYears(r.Context(), a); err == nil {
		for _, y := range ys {
			seen[y] = true
		}
	}
	var out []int
	for y := range seen {
		out = append(out, y)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out
}

func (w *Web) enterpriseList(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	a := service.ActorOf(u)
	if !domain.Enterprises.CanList(a) { // an enterprise has 我的企业
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "无权查看企业库"))
		return
	}
	lp := &enterpriseListPage{listState: listState{Q: r.URL.Query()}, CanCreate: domain.Enterprises.CanCreate(a),
		CanImport: domain.Enterprises.CanImport(a), Years: w.filingYears(r, a)}
	lp.Districts, lp.district = w.enterpriseDistricts(r)
	lp.Chains, lp.chainName = w.chainNames(r)
	rows, status, ok := listRows(w, rw, r, a, &lp.listState, httpx.EnterpriseFilterOf,
		func(f *domain.EnterpriseFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage }, w.Svc.Enterprises.List)
	if !ok {
		return
	}
	lp.Rows = rows
	w.render(rw, r, status, "enterprise/list", w.newView(r, "企业库", "enterprises", lp))
}

// enterpriseMine is 我的企业: the enterprise user's own firm, or a page
// saying it is not in the registry yet.
func (w *Web) enterpriseMine(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	x, err := w.Svc.Enterprises.Mine(r.Context(), service.ActorOf(u))
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		w.render(rw, r, http.StatusOK, "enterprise/mine", w.newView(r, "我的企业", "enterprises", nil))
		return
	} else if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/enterprises/%d", x.ID), http.StatusSeeOther)
}

// enterpriseSlot is what another module shows on a firm's profile (the
// tier verdicts of the assessments, helper entassess): HTML for the firm,
// or "" for nothing. Registration: one line in enterpriseSlots.
type enterpriseSlot func(w *Web, r *http.Request, a *domain.Actor, x *domain.Enterprise) (template.HTML, error)

// enterpriseSlots are the profile's slots, in order.
var enterpriseSlots = []enterpriseSlot{enterpriseAssessSlot}

// enterpriseYear is one year of a firm's history: its filing and the
// qualifications of that year.
type enterpriseYear struct {
	Year   int
	Filing *domain.EnterpriseFiling
	Quals  []*domain.EnterpriseQualification
}

// enterpriseDetailPage is a firm's profile.
type enterpriseDetailPage struct {
	X         *domain.Enterprise
	Years     []enterpriseYear
	Quals     []*domain.EnterpriseQualification
	Events    []*domain.Event
	Slots     []template.HTML
	FileYears []int
	Actions   map[string]bool
	QualKinds []domain.Item[domain.EnterpriseQualKind]
	Today     string
	District  string
	actionForm
	chainLabels
}

func (w *Web) enterpriseDetail(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	w.renderEnterprise(rw, r, u, id, http.StatusOK, actionForm{Errors: map[string]string{}})
}

func (w *Web) renderEnterprise(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, status int, af actionForm) {
	a := service.ActorOf(u)
	ctx := r.Context()
	x, err := w.Svc.Enterprises.Get(ctx, a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	dp := &enterpriseDetailPage{X: x, actionForm: af, Actions: domain.EnterpriseFlow.Actions(a, x),
		QualKinds: domain.EnterpriseQualKinds.All(), Today: w.Svc.Today()}
	fs, err := w.Svc.Enterprises.Filings(ctx, a, id)
	if err == nil {
		dp.Quals, err = w.Svc.Enterprises.Qualifications(ctx, a, id)
	}
	if err == nil {
		dp.Events, err = w.Svc.Enterprises.Events(ctx, a, id)
	}
	for _, slot := range enterpriseSlots {
		if err != nil {
			break
		}
		var h template.HTML
		if h, err = slot(w, r, a, x); h != "" {
			dp.Slots = append(dp.Slots, h)
		}
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	dp.Years = enterpriseYears(fs, dp.Quals)
	dp.FileYears = w.filingYears(r, a)
	_, names := w.enterpriseDistricts(r)
	dp.District = orCode(names, x.District)
	_, dp.chainName = w.chainNames(r)
	w.render(rw, r, status, "enterprise/detail", w.newView(r, x.Name, "enterprises", dp))
}

// enterpriseYears groups filings and qualifications by year, newest first.
func enterpriseYears(fs []*domain.EnterpriseFiling, qs []*domain.EnterpriseQualification) []enterpriseYear {
	by := map[int]*enterpriseYear{}
	get := func(y int) *enterpriseYear {
		if by[y] == nil {
			by[y] = &enterpriseYear{Year: y}
		}
		return by[y]
	}
	for _, f := range fs {
		get(f.Year).Filing = f
	}
	for _, q := range qs {
		e := get(q.Year)
		e.Quals = append(e.Quals, q)
	}
	var out []enterpriseYear
	for _, e := range by {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year > out[j].Year })
	return out
}

// enterpriseFailed shows the profile again with a form's user error.
func (w *Web) enterpriseFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, af actionForm, err error) {
	w.stepFailed(rw, r, &af, err, func(status int) { w.renderEnterprise(rw, r, u, id, status, af) })
}

// enterpriseQualify records a qualification from the profile's form.
func (w *Web) enterpriseQualify(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	if err := parseForm(rw, r, 16<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	af := actionForm{Form: "qualify", Typed: r.PostForm, Errors: map[string]string{}}
	in := service.QualificationInput{Kind: domain.EnterpriseQualKind(r.PostForm.Get("kind")), Number: r.PostForm.Get("number"),
		IssuedOn: strings.TrimSpace(r.PostForm.Get("issued_on")), ExpiresOn: strings.TrimSpace(r.PostForm.Get("expires_on"))}
	if _, err := w.Svc.Enterprises.Qualify(r.Context(), service.ActorOf(u), id, in); err != nil {
		w.enterpriseFailed(rw, r, u, id, af, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/enterprises/%d?ok=enterprise_qualified", id), http.StatusSeeOther)
}

// enterpriseRevoke revokes a qualification from its form.
func (w *Web) enterpriseRevoke(rw http.ResponseWriter, r *http.Request) {
	u, id, version, ok := w.actionTarget(rw, r)
	if !ok {
		return
	}
	qid, err := strconv.ParseInt(r.PathValue("qid"), 10, 64)
	if err != nil || qid <= 0 {
		w.notFound(rw, r)
		return
	}
	af := actionForm{Form: "revoke-" + strconv.FormatInt(qid, 10), Comment: r.PostForm.Get("comment"), Typed: r.PostForm, Errors: map[string]string{}}
	if _, err := w.Svc.Enterprises.Revoke(r.Context(), service.ActorOf(u), id, qid, version, "", af.Comment); err != nil {
		w.enterpriseFailed(rw, r, u, id, af, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/enterprises/%d?ok=enterprise_revoked", id), http.StatusSeeOther)
}

// ——— the profile form ———

// enterpriseFormPage is the registry entry's form (new and edit).
type enterpriseFormPage struct {
	formState
	In        service.EnterpriseInput
	Districts []domain.Region
	Chains    []domain.Chain
	Keys      bool // the credit code and the account link may be changed
	OrgID     string
}

func (w *Web) newEnterpriseForm(r *http.Request, in service.EnterpriseInput, keys bool) *enterpriseFormPage {
	f := &enterpriseFormPage{In: in, Keys: keys, formState: formState{Errors: map[string]string{}}}
	f.Districts, _ = w.enterpriseDistricts(r)
	f.Chains, _ = w.chainNames(r)
	if in.OrgID != 0 {
		f.OrgID = strconv.FormatInt(in.OrgID, 10)
	}
	return f
}

func (w *Web) enterpriseNew(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if !domain.Enterprises.CanCreate(service.ActorOf(u)) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "无权登记企业"))
		return
	}
	f := w.newEnterpriseForm(r, service.EnterpriseInput{}, true)
	f.Action = "/enterprises/new"
	w.render(rw, r, http.StatusOK, "enterprise/form", w.newView(r, "登记企业", "enterprises", f))
}

func (w *Web) enterpriseEdit(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	a := service.ActorOf(u)
	x, err := w.Svc.Enterprises.Get(r.Context(), a, id)
	if err == nil {
		err = domain.EnterpriseFlow.Check("update", a, x)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f := w.newEnterpriseForm(r, service.EnterpriseInput{USCC: x.USCC, Name: x.Name, OrgID: x.OrgID, District: x.District,
		Chain: x.Chain, RegisteredOn: x.RegisteredOn}, domain.Enterprises.CanEditKeys(a, x))
	f.Action, f.ID, f.Version = fmt.Sprintf("/enterprises/%d/edit", id), id, x.Version
	w.render(rw, r, http.StatusOK, "enterprise/form", w.newView(r, "修改企业信息", "enterprises", f))
}

func (w *Web) enterpriseCreate(rw http.ResponseWriter, r *http.Request) { w.enterpriseSave(rw, r, 0) }

func (w *Web) enterpriseUpdate(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.pageID(rw, r)
	if ok {
		w.enterpriseSave(rw, r, id)
	}
}

// enterpriseSave creates (id 0) or updates a firm from the form; a user
// error shows the form again with the messages at their fields.
func (w *Web) enterpriseSave(rw http.ResponseWriter, r *http.Request, id int64) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 16<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	a := service.ActorOf(u)
	p := r.PostForm
	in := service.EnterpriseInput{USCC: p.Get("uscc"), Name: p.Get("name"), District: p.Get("district"), Chain: p.Get("chain"),
		RegisteredOn: strings.TrimSpace(p.Get("registered_on"))}
	var err error
	if s := strings.TrimSpace(p.Get("org_id")); s != "" {
		if in.OrgID, err = strconv.ParseInt(s, 10, 64); err != nil || in.OrgID < 0 {
			err = domain.FieldErrorf("org_id", "关联机构应为机构编号（数字）")
		}
	}
	var x *domain.Enterprise
	version, _ := strconv.ParseInt(p.Get("version"), 10, 64)
	if err == nil {
		if id == 0 {
			x, err = w.Svc.Enterprises.Create(r.Context(), a, in)
		} else {
			x, err = w.Svc.Enterprises.Update(r.Context(), a, id, version, in)
		}
	}
	if err != nil {
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.EINVALID && e.Code != domain.ECONFLICT {
			w.fail(rw, r, err)
			return
		}
		f := w.newEnterpriseForm(r, in, id == 0 || p.Has("uscc"))
		f.OrgID = p.Get("org_id")
		f.Action, f.ID, f.Version, f.Error = r.URL.Path, id, version, i18n.Message(i18n.FromContext(r.Context()), err)
		f.Errors = formErrors(e)
		title := "登记企业"
		if id != 0 {
			title = "修改企业信息"
		}
		w.render(rw, r, httpx.StatusOf(err), "enterprise/form", w.newView(r, title, "enterprises", f))
		return
	}
	flash := "enterprise_updated"
	if id == 0 {
		flash = "enterprise_created"
	}
	http.Redirect(rw, r, fmt.Sprintf("/enterprises/%d?ok=%s", x.ID, flash), http.StatusSeeOther)
}
