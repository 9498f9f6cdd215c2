// Package httpapi is Kechuang's JSON API under /api/v1. routes.go shows the
// whole API; the HTTP kernel it shares with the pages (middleware, the
// actor, problem documents) is internal/httpx. Every request and answer
// body is a named type (types.go), so the OpenAPI document's schemas can be
// checked against them field by field.
package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// API serves the JSON API.
type API struct {
	Svc    *service.Service
	Log    *slog.Logger
	Kernel *httpx.Kernel

	openapi []byte // the merged OpenAPI document, built once by New
}

// New returns the API over a service, on the kernel k.
func New(svc *service.Service, k *httpx.Kernel) (*API, error) {
	doc, err := OpenAPIDocument()
	if err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	return &API{Svc: svc, Log: k.Log, Kernel: k, openapi: doc}, nil
}

// ActorFrom returns the request's actor (httpx.ActorFrom), under the short
// name the handlers' service calls use.
func ActorFrom(r *http.Request) *domain.Actor { return httpx.ActorFrom(r) }

// h adapts an error-returning handler: its error becomes problem+json.
func (a *API) h(f httpx.HandlerFunc) http.Handler { return a.Kernel.Handler(f) }
