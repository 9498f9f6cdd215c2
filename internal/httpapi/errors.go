package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// statusOf is the one table mapping domain error codes to HTTP statuses.
var statusOf = map[string]int{
	domain.ECONFLICT:     http.StatusConflict,
	domain.EINTERNAL:     http.StatusInternalServerError,
	domain.EINVALID:      http.StatusUnprocessableEntity,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ERATELIMIT:    http.StatusTooManyRequests,
	domain.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	"method_not_allowed": http.StatusMethodNotAllowed,
}

// StatusOf returns the HTTP status of an error.
func StatusOf(err error) int {
	if st, ok := statusOf[domain.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem document with our machine code.
type Problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Code   string              `json:"code"`
	Detail string              `json:"detail"`
	Field  string              `json:"field,omitempty"`
	Errors []domain.FieldError `json:"errors,omitempty"`
}

// writeError answers with application/problem+json; only internal errors
// are logged, and their cause never reaches the client.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := domain.ErrorCode(err)
	st := StatusOf(err)
	if code == domain.EINTERNAL {
		log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	e := i18n.Error(i18n.FromContext(r.Context()), err) // detail and field errors in the reader's language
	p := Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Code: code, Detail: e.Message, Field: e.Field, Errors: e.Fields}
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(st)
	json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
