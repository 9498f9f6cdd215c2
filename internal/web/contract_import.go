package web

import (
	"bytes"
	"net/http"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// importPage is the data of /contracts/import: the format, the upload form
// and, after a POST, the import's report.
type importPage struct {
	Columns []contractio.Column
	MaxMB   int64
	SkipBad bool
	Error   string             // the file could not be read at all
	Report  *contractio.Report // nil until a file was imported
}

// canImport: registrars import into their registry, administrators into
// the default one (the contract policy).
func canImport(u *domain.User) bool { return domain.Contracts.CanImport(service.ActorOf(u)) }

// importUser returns the user when they may import, else answers the
// request (login page or 403).
func (w *Web) importUser(rw http.ResponseWriter, r *http.Request) *domain.User {
	u := w.requireUser(rw, r)
	if u != nil && !canImport(u) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "您的角色（%s）不能批量导入技术合同，导入由登记机构办理", domain.Msg(u.Role.Label())))
		return nil
	}
	return u
}

func newImportPage() importPage {
	return importPage{Columns: contractio.Columns, MaxMB: httpx.MaxImportBytes >> 20}
}

// contractImportPage serves the upload form.
func (w *Web) contractImportPage(rw http.ResponseWriter, r *http.Request) {
	if w.importUser(rw, r) == nil {
		return
	}
	w.render(rw, r, http.StatusOK, "contract/import", w.newView(r, "批量导入技术合同", "import", newImportPage()))
}

// contractImport imports the uploaded file with the API's importer and
// shows its report. Nothing is stored when a row is bad, unless the user
// asked to skip bad rows.
func (w *Web) contractImport(rw http.ResponseWriter, r *http.Request) {
	u := w.importUser(rw, r)
	if u == nil {
		return
	}
	p := newImportPage()
	err := w.Svc.Contracts.AllowHeavy(service.ActorOf(u))
	var name string
	var content []byte
	if err == nil {
		name, content, err = httpx.ReadUpload(rw, r, "file", httpx.MaxImportBytes)
	}
	p.SkipBad = r.FormValue("skip_bad") == "1"
	if err == nil {
		opt := contractio.Options{FileName: name, MaxRows: contractio.MaxAPIRows, SkipBad: p.SkipBad}
		p.Report, err = w.Svc.Contracts.Import(r.Context(), service.ActorOf(u), bytes.NewReader(content), opt)
	}
	status := http.StatusOK
	switch code := domain.ErrorCode(err); {
	case err == nil:
		w.Log.Info("web: contracts imported", "user", u.Username, "file", p.Report.File, "rows", p.Report.Rows,
			"imported", p.Report.Imported, "skipped", p.Report.Skipped)
	case p.Report != nil: // bad rows: nothing stored, the report says why
		status = http.StatusUnprocessableEntity
	case code == domain.EINVALID || code == domain.ETOOLARGE || code == domain.ERATELIMIT:
		p.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), httpx.StatusOf(err)
	default:
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "contract/import", w.newView(r, "批量导入技术合同", "import", p))
}
