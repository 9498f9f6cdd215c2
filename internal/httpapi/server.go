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

	statsBodies statsBodyCache // encoded public statistics per year and version
}

// New returns the API over a service, on the kernel k.
func New(svc *service.Service, k *httpx.Kernel) (*API, error) {
	doc, err := OpenAPIDocument()
	if err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	loginMetrics(svc.Auth, k)
	return &API{Svc: svc, Log: k.Log, Kernel: k, openapi: doc}, nil
}

// loginMetrics puts the service's password-attempt counts on /metrics
// (L9): failures and lockouts for alerting, checks and refusals to show
// the limiter and the hashing bound at work.
func loginMetrics(auth *service.Auth, k *httpx.Kernel) {
	count := func(f func(service.LoginCounts) int64) func() float64 {
		return func() float64 { return float64(f(auth.Counts())) }
	}
	k.CountFunc("kechuang_login_password_checks_total", "Passwords checked (argon2 run) by logins and password changes.",
		count(func(c service.LoginCounts) int64 { return c.Checks }))
	k.CountFunc("kechuang_login_failures_total", "Failed password attempts: wrong password, unknown or disabled user.",
		count(func(c service.LoginCounts) int64 { return c.Failures }))
	k.CountFunc("kechuang_login_refused_total", "Password attempts refused by the limiter without a check (429).",
		count(func(c service.LoginCounts) int64 { return c.Refused }))
	k.CountFunc("kechuang_login_busy_total", "Password attempts refused because every hashing slot was busy (429).",
		count(func(c service.LoginCounts) int64 { return c.Busy }))
	k.CountFunc("kechuang_login_lockouts_total", "Limiter keys (user from an address, user, address) locked by a failure.",
		count(func(c service.LoginCounts) int64 { return c.Lockouts }))
}

// ActorFrom returns the request's actor (httpx.ActorFrom), under the short
// name the handlers' service calls use.
func ActorFrom(r *http.Request) *domain.Actor { return httpx.ActorFrom(r) }

// h adapts an error-returning handler: its error becomes problem+json.
func (a *API) h(f httpx.HandlerFunc) http.Handler { return a.Kernel.Handler(f) }
