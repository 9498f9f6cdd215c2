package httpapi

import (
	"io"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/eventio"
	"kechuang/internal/httpx"
	"kechuang/internal/sheetio"
)

// importTechEvents: POST /api/v1/events/import (an organiser's user for
// its organisation; an administrator with ?org_id=).
func (a *API) importTechEvents(w http.ResponseWriter, r *http.Request) error {
	return a.recordImport(w, r, domain.TechEvents.CanImport, eventio.MaxAPIRows,
		func(actor *domain.Actor, org int64, content io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
			return a.Svc.Events.Import(r.Context(), actor, org, content, opt)
		})
}

// exportTechEvents: GET /api/v1/events/export?format= with the list's
// filters (upcoming too), what the caller may list.
func (a *API) exportTechEvents(w http.ResponseWriter, r *http.Request) error {
	f, upcoming, err := httpx.TechEventFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	return a.recordFile(w, r, "events", "路演对接活动", func(actor *domain.Actor, format sheetio.Format, w io.Writer) error {
		_, err := a.Svc.Events.Export(r.Context(), actor, f, upcoming, format, w)
		return err
	})
}

// techEventTemplate: GET /api/v1/events/template?format=.
func (a *API) techEventTemplate(w http.ResponseWriter, r *http.Request) error {
	return a.recordFile(w, r, "events-template", "路演对接活动导入模板", func(_ *domain.Actor, format sheetio.Format, w io.Writer) error {
		return a.Svc.Events.Template(r.Context(), format, w)
	})
}
