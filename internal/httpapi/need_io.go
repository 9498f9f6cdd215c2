package httpapi

import (
	"io"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/needio"
	"kechuang/internal/sheetio"
)

// importNeeds: POST /api/v1/needs/import (an enterprise's user for its
// enterprise; an administrator with ?org_id=).
func (a *API) importNeeds(w http.ResponseWriter, r *http.Request) error {
	return a.recordImport(w, r, domain.Needs.CanImport, needio.MaxAPIRows,
		func(actor *domain.Actor, org int64, content io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
			return a.Svc.Needs.Import(r.Context(), actor, org, content, opt)
		})
}

// exportNeeds: GET /api/v1/needs/export?format= with the list's filters
// and ?year= (published in), what the caller may list.
func (a *API) exportNeeds(w http.ResponseWriter, r *http.Request) error {
	f, err := httpx.NeedFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	year, err := exportYear(r)
	if err != nil {
		return err
	}
	return a.recordFile(w, r, "needs", "技术需求", func(actor *domain.Actor, format sheetio.Format, w io.Writer) error {
		_, err := a.Svc.Needs.Export(r.Context(), actor, f, year, format, w)
		return err
	})
}

// needTemplate: GET /api/v1/needs/template?format=.
func (a *API) needTemplate(w http.ResponseWriter, r *http.Request) error {
	return a.recordFile(w, r, "needs-template", "技术需求导入模板", func(_ *domain.Actor, format sheetio.Format, w io.Writer) error {
		return a.Svc.Needs.Template(r.Context(), format, w)
	})
}
