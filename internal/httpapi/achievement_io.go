package httpapi

import (
	"io"
	"net/http"

	"kechuang/internal/achievementio"
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/sheetio"
)

// importAchievements: POST /api/v1/achievements/import (a university's or
// institute's officer for its unit; an administrator with ?org_id=).
func (a *API) importAchievements(w http.ResponseWriter, r *http.Request) error {
	return a.recordImport(w, r, domain.Achievements.CanImport, achievementio.MaxAPIRows,
		func(actor *domain.Actor, org int64, content io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
			return a.Svc.Achievements.Import(r.Context(), actor, org, content, opt)
		})
}

// exportAchievements: GET /api/v1/achievements/export?format= with the
// list's filters, what the caller may list.
func (a *API) exportAchievements(w http.ResponseWriter, r *http.Request) error {
	f, err := httpx.AchievementFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	return a.recordFile(w, r, "achievements", "科技成果", func(actor *domain.Actor, format sheetio.Format, w io.Writer) error {
		_, err := a.Svc.Achievements.Export(r.Context(), actor, f, format, w)
		return err
	})
}

// achievementTemplate: GET /api/v1/achievements/template?format=.
func (a *API) achievementTemplate(w http.ResponseWriter, r *http.Request) error {
	return a.recordFile(w, r, "achievements-template", "科技成果导入模板", func(_ *domain.Actor, format sheetio.Format, w io.Writer) error {
		return a.Svc.Achievements.Template(r.Context(), format, w)
	})
}
