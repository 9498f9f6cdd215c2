package httpapi

import (
	"bytes"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// getRegime answers the rules by regime: the administration's settings,
// the regime in force today, the loaded calendar years and the table.
func (a *API) getRegime(w http.ResponseWriter, r *http.Request) error {
	info, err := a.Svc.Contracts.Regime(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, info)
}

// putRegime changes the cut-over and the expert-review threshold (admin).
func (a *API) putRegime(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var in domain.RegimeRules
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	out, err := a.Svc.Contracts.SetRegime(r.Context(), ActorFrom(r), in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, out)
}

// loadCalendar loads a working-day arrangement: the file as the raw body
// (text/plain) or the "file" part of a multipart form.
func (a *API) loadCalendar(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	_, content, err := httpx.ReadUpload(w, r, "file", 1<<20) // the parser bounds the file to 64 KB
	if err != nil {
		return err
	}
	out, err := a.Svc.Contracts.LoadCalendar(r.Context(), ActorFrom(r), bytes.NewReader(content))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, out)
}

// verifyCertificate answers anyone (rate-limited per client address) with
// the public fields of a registration certificate, 404 for an unknown
// number.
func (a *API) verifyCertificate(w http.ResponseWriter, r *http.Request) error {
	cert, err := a.Svc.Contracts.Certificate(r.Context(), a.Kernel.ClientAddr(r), r.PathValue("reg_no"))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, cert)
}
