package httpapi

import (
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// unmatched answers API requests no route takes, as problem+json: 405 with
// Allow when the path exists for other methods, else 404.
func (a *API) unmatched(mux *http.ServeMux) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/v1/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			return &httpx.MethodNotAllowedError{Method: r.Method, Allow: allow}
		}
		return domain.Errorf(domain.ENOTFOUND, "接口 %s 不存在", r.URL.Path)
	}
}
