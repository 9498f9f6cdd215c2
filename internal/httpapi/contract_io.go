package httpapi

import (
	"net/http"

	"kechuang/internal/domain"
)

// Placeholders replaced by the import/export work (see internal/contractio).

func (a *API) exportContracts(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, a.Log, domain.Errorf(domain.EINTERNAL, "尚未实现"))
}

func (a *API) contractTemplate(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, a.Log, domain.Errorf(domain.EINTERNAL, "尚未实现"))
}

func (a *API) importContracts(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, a.Log, domain.Errorf(domain.EINTERNAL, "尚未实现"))
}
