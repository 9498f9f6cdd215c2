package httpapi

import (
	"net/http"
	"strings"

	"kechuang/internal/domain"
)

// unmatched answers API requests no route takes, as problem+json.
func (a *API) unmatched(mux *http.ServeMux, w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/v1/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, r, a.Log, domain.Errorf("method_not_allowed", "该接口不支持 %s 方法，可用：%s", r.Method, strings.Join(allow, ", ")))
		return
	}
	writeError(w, r, a.Log, domain.Errorf(domain.ENOTFOUND, "接口 %s 不存在", r.URL.Path))
}
