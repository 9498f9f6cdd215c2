package web

import (
	"bytes"
	"net/http"
	"strings"

	"kechuang/internal/adminio"
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
)

// adminImportPage's data: which registry, its columns and, after a POST,
// the report.
type adminImportData struct {
	Kind    string // orgs or users
	Title   string
	Back    string
	Columns []adminio.Column
	MaxMB   int64
	SkipBad bool
	Error   string
	Report  *adminio.Report
}

// importKind is the registry of an import path and the rule for it.
func importKind(r *http.Request) (adminImportData, func(*domain.Actor) bool) {
	if strings.HasPrefix(r.URL.Path, "/admin/users/") {
		return adminImportData{Kind: "users", Title: "批量导入用户", Back: "/admin/users", Columns: adminio.UserColumns, MaxMB: httpx.MaxImportBytes >> 20},
			domain.AdminRules.CanManageUsers
	}
	return adminImportData{Kind: "orgs", Title: "批量导入机构", Back: "/admin/orgs", Columns: adminio.OrgColumns, MaxMB: httpx.MaxImportBytes >> 20},
		domain.AdminRules.CanManageOrgs
}

func (d adminImportData) active() string {
	if d.Kind == "users" {
		return "admin-users"
	}
	return "admin-orgs"
}

func (w *Web) adminImportPage(rw http.ResponseWriter, r *http.Request) {
	d, rule := importKind(r)
	if w.adminActor(rw, r, rule) == nil {
		return
	}
	w.render(rw, r, http.StatusOK, "admin/import", w.newView(r, d.Title, d.active(), d))
}

// adminImport imports the uploaded file and shows its report: nothing is
// stored when a row is bad, unless the user asked to skip bad rows.
func (w *Web) adminImport(rw http.ResponseWriter, r *http.Request) {
	d, rule := importKind(r)
	a := w.adminActor(rw, r, rule)
	if a == nil {
		return
	}
	name, content, err := httpx.ReadUpload(rw, r, "file", httpx.MaxImportBytes)
	d.SkipBad = r.FormValue("skip_bad") == "1"
	if err == nil {
		opt := adminio.Options{FileName: name, MaxRows: adminio.MaxAPIRows, SkipBad: d.SkipBad}
		if d.Kind == "users" {
			d.Report, err = w.Svc.Admin.ImportUsers(r.Context(), a, bytes.NewReader(content), opt)
		} else {
			d.Report, err = w.Svc.Admin.ImportOrgs(r.Context(), a, bytes.NewReader(content), opt)
		}
	}
	status := http.StatusOK
	switch code := domain.ErrorCode(err); {
	case err == nil:
	case d.Report != nil:
		status = http.StatusUnprocessableEntity
	case code == domain.EINVALID || code == domain.ETOOLARGE:
		d.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), httpx.StatusOf(err)
	default:
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "admin/import", w.newView(r, d.Title, d.active(), d))
}
