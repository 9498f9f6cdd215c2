// Package httpapi is Kechuang's JSON API under /api/v1 and the HTTP
// plumbing shared with the web pages: authentication, cross-origin
// protection, recovery, logging and metrics. routes.go shows the whole API.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// SessionCookie is the browser session cookie's name.
const SessionCookie = "kc_session"

// API serves the JSON API.
type API struct {
	Svc *service.Service
	Log *slog.Logger
	// SecureCookies marks cookies Secure (behind TLS).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	registry *prometheus.Registry
}

// New returns the API over a service.
func New(svc *service.Service, log *slog.Logger) *API {
	a := &API{Svc: svc, Log: log, registry: prometheus.NewRegistry()}
	a.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kechuang_http_requests_total", Help: "HTTP requests by route pattern and status."}, []string{"pattern", "status"})
	a.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kechuang_http_request_seconds", Help: "HTTP latency by route pattern.", Buckets: prometheus.DefBuckets}, []string{"pattern"})
	a.registry.MustRegister(a.requests, a.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return a
}

// Metrics returns the Prometheus handler.
func (a *API) Metrics() http.Handler { return promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{}) }

type ctxKey int

const userKey ctxKey = 1

// UserFrom returns the authenticated user of a request, or nil.
func UserFrom(ctx context.Context) *domain.User {
	u, _ := ctx.Value(userKey).(*domain.User)
	return u
}

// ActorFrom returns the request's actor, or nil for the public.
func ActorFrom(r *http.Request) *domain.Actor { return service.ActorOf(UserFrom(r.Context())) }

// WithUser returns ctx carrying u (tests and the web layer use it).
func WithUser(ctx context.Context, u *domain.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// Wrap puts the shared middleware around the whole mux: the language, recovery, logging
// and metrics, cross-origin protection for unsafe methods, and
// authentication by session cookie or bearer token.
func (a *API) Wrap(mux *http.ServeMux) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, a.Log, domain.Errorf(domain.EFORBIDDEN, "拒绝跨站请求：请从本站页面提交"))
	}))
	var h http.Handler = mux
	h = a.authenticate(h)
	h = cop.Handler(h)
	h = securityHeaders(h)
	return i18n.Middleware(a.observe(mux, h), a.SecureCookies)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (a *API) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				a.Log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeError(sw, r, a.Log, domain.Errorf(domain.EINTERNAL, "系统内部错误"))
				}
			}
			_, pattern := mux.Handler(r)
			if pattern == "" {
				pattern = "unmatched"
			}
			a.requests.WithLabelValues(pattern, fmt.Sprint(sw.status)).Inc()
			a.latency.WithLabelValues(pattern).Observe(time.Since(start).Seconds())
			if !strings.HasPrefix(r.URL.Path, "/static/") {
				a.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "dur", time.Since(start))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

func (a *API) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *domain.User
		if auth := r.Header.Get("Authorization"); auth != "" {
			tok, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				writeError(w, r, a.Log, domain.Errorf(domain.EUNAUTHORIZED, "Authorization 头应为 Bearer 令牌"))
				return
			}
			var err error
			if u, err = a.Svc.Auth.UserByAPIToken(r.Context(), strings.TrimSpace(tok)); err != nil {
				writeError(w, r, a.Log, err)
				return
			}
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			u, _ = a.Svc.Auth.UserBySession(r.Context(), c.Value) // an expired session is simply anonymous
		}
		if u != nil {
			r = r.WithContext(WithUser(r.Context(), u))
		}
		next.ServeHTTP(w, r)
	})
}

// ClientAddr returns the client's address for rate limiting.
func (a *API) ClientAddr(r *http.Request) string {
	if a.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// SetSessionCookie writes the session cookie after a login.
func (a *API) SetSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: a.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(service.SessionTTL.Seconds())})
}

// ClearSessionCookie removes the session cookie.
func (a *API) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: a.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// authed reports whether the request has a user, answering 401 when not:
// protected handlers call it first so the public never learns how a body
// would have been validated.
func (a *API) authed(w http.ResponseWriter, r *http.Request) bool {
	if UserFrom(r.Context()) == nil {
		writeError(w, r, a.Log, domain.Errorf(domain.EUNAUTHORIZED, "请先登录"))
		return false
	}
	return true
}

// Error writes err as problem+json (exported for the web layer's htmx calls).
func (a *API) Error(w http.ResponseWriter, r *http.Request, err error) { writeError(w, r, a.Log, err) }
