package httpapi

import (
	"io"
	"net/http"

	"kechuang/internal/challengeio"
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/sheetio"
)

// importChallenges: POST /api/v1/challenges/import (an enterprise's or the
// bureau's user for its organisation; an administrator with ?org_id=).
func (a *API) importChallenges(w http.ResponseWriter, r *http.Request) error {
	return a.recordImport(w, r, domain.Challenges.CanImport, challengeio.MaxAPIRows,
		func(actor *domain.Actor, org int64, content io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
			return a.Svc.Challenges.Import(r.Context(), actor, org, content, opt)
		})
}

// exportChallenges: GET /api/v1/challenges/export?format= with the list's
// filters, what the caller may list.
func (a *API) exportChallenges(w http.ResponseWriter, r *http.Request) error {
	f, err := httpx.ChallengeFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	return a.recordFile(w, r, "challenges", "揭榜挂帅榜单", func(actor *domain.Actor, format sheetio.Format, w io.Writer) error {
		_, err := a.Svc.Challenges.Export(r.Context(), actor, f, format, w)
		return err
	})
}

// challengeTemplate: GET /api/v1/challenges/template?format=.
func (a *API) challengeTemplate(w http.ResponseWriter, r *http.Request) error {
	return a.recordFile(w, r, "challenges-template", "揭榜挂帅榜单导入模板", func(_ *domain.Actor, format sheetio.Format, w io.Writer) error {
		return a.Svc.Challenges.Template(r.Context(), format, w)
	})
}
