package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"

	"kechuang/internal/adminio"
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/sheetio"
)

// The administration module's file endpoints: export of the organisation
// and user lists (with the lists' filters) and their import.

func sheetFormat(r *http.Request) (sheetio.Format, error) {
	f := r.URL.Query().Get("format")
	if f == "" {
		return sheetio.XLSX, nil
	}
	return sheetio.FormatOf(f, "", nil)
}

// download answers a finished file.
func download(w http.ResponseWriter, format sheetio.Format, ascii, name string, body []byte) {
	ct := "text/csv; charset=utf-8"
	if format == sheetio.XLSX {
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	file := name + "." + string(format)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"; filename*=UTF-8''%s`, ascii, format, url.PathEscape(file)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}

// exportOrgs writes the organisations (xlsx by default, or CSV).
func (a *API) exportOrgs(w http.ResponseWriter, r *http.Request) error {
	format, err := sheetFormat(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := a.Svc.Admin.ExportOrgs(r.Context(), ActorFrom(r), httpx.OrgFilterOf(r.URL.Query()), format, &buf); err != nil {
		return err
	}
	download(w, format, "orgs", "机构-"+a.Svc.Now().Format("20060102"), buf.Bytes())
	return nil
}

// exportUsers writes the users, never their passwords.
func (a *API) exportUsers(w http.ResponseWriter, r *http.Request) error {
	format, err := sheetFormat(r)
	if err != nil {
		return err
	}
	f, err := httpx.UserFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := a.Svc.Admin.ExportUsers(r.Context(), ActorFrom(r), f, format, &buf); err != nil {
		return err
	}
	download(w, format, "users", "用户-"+a.Svc.Now().Format("20060102"), buf.Bytes())
	return nil
}

// adminImport imports an uploaded file (multipart field "file" or the raw
// body; ?format=csv|xlsx, else by name or content; ?skip_bad=1).
func (a *API) adminImport(rule func(*domain.Actor) bool,
	do func(a *API, r *http.Request, content []byte, opt adminio.Options) (*adminio.Report, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := httpx.Allowed(r, rule); err != nil {
			return err
		}
		name, content, err := httpx.ReadUpload(w, r, "file", httpx.MaxImportBytes)
		if err != nil {
			return err
		}
		q := r.URL.Query()
		opt := adminio.Options{Format: sheetio.Format(q.Get("format")), FileName: name, MaxRows: adminio.MaxAPIRows,
			SkipBad: q.Get("skip_bad") == "1" || q.Get("skip_bad") == "true"}
		rep, err := do(a, r, content, opt)
		if rep != nil && err != nil {
			return httpx.WithMembers(err, rep)
		} else if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, rep)
	}
}

// importOrgs: POST /api/v1/orgs/import (organisation managers).
func (a *API) importOrgs(w http.ResponseWriter, r *http.Request) error {
	return a.adminImport(domain.AdminRules.CanManageOrgs, func(a *API, r *http.Request, content []byte, opt adminio.Options) (*adminio.Report, error) {
		return a.Svc.Admin.ImportOrgs(r.Context(), ActorFrom(r), bytes.NewReader(content), opt)
	})(w, r)
}

// importUsers: POST /api/v1/users/import (administrators).
func (a *API) importUsers(w http.ResponseWriter, r *http.Request) error {
	return a.adminImport(domain.AdminRules.CanManageUsers, func(a *API, r *http.Request, content []byte, opt adminio.Options) (*adminio.Report, error) {
		return a.Svc.Admin.ImportUsers(r.Context(), ActorFrom(r), bytes.NewReader(content), opt)
	})(w, r)
}
