// Package httpx is the HTTP kernel shared by the JSON API (internal/httpapi)
// and the pages (internal/web): the middleware around the whole mux
// (recovery, logging, metrics, cross-origin protection, authentication by
// session cookie or bearer token), the user in the request context,
// cookies, the client address, uploads, paging, strict JSON, and the one
// problem writer with its status table. Handlers return errors through
// HandlerFunc; the kernel turns them into problem documents.
package httpx

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
	"kechuang/internal/textnorm"
)

// Authenticator finds the user behind a credential. The service implements
// it; an unknown or expired credential is an error.
type Authenticator interface {
	APITokenUser(ctx context.Context, token string) (*domain.User, *domain.APIToken, error)
	UserBySession(ctx context.Context, token string) (*domain.User, error)
}

// Kernel holds what the middleware and the handlers of both transports
// share: the logger, the authenticator, the cookie and proxy settings and
// the metrics.
type Kernel struct {
	Log  *slog.Logger
	Auth Authenticator
	// SecureCookies marks cookies Secure (behind TLS).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string

	// PageError answers an error the middleware finds in a page request
	// (not under /api/) as a page; the pages set it. Nil: problem+json.
	PageError func(w http.ResponseWriter, r *http.Request, err error)

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	registry *prometheus.Registry
}

// New returns a kernel authenticating through auth.
func New(auth Authenticator, log *slog.Logger) *Kernel {
	if log == nil {
		log = slog.Default()
	}
	k := &Kernel{Log: log, Auth: auth, registry: prometheus.NewRegistry()}
	k.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kechuang_http_requests_total", Help: "HTTP requests by route pattern and status."}, []string{"pattern", "status"})
	k.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kechuang_http_request_seconds", Help: "HTTP latency by route pattern.", Buckets: prometheus.DefBuckets}, []string{"pattern"})
	k.registry.MustRegister(k.requests, k.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return k
}

// CountFunc exposes a count kept elsewhere (a service's) as the counter
// name on /metrics. A name already registered keeps its first source.
func (k *Kernel) CountFunc(name, help string, f func() float64) {
	k.registry.Register(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f))
}

// Metrics returns the Prometheus handler: public, or behind the bearer
// MetricsToken when one is set (L6: the per-route counts and latencies
// need not be public).
func (k *Kernel) Metrics() http.Handler {
	h := promhttp.HandlerFor(k.registry, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k.MetricsToken != "" {
			tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(tok), []byte(k.MetricsToken)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				k.Error(w, r, domain.Errorf(domain.EUNAUTHORIZED, "/metrics 需要令牌"))
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// Wrap puts the shared middleware around the whole mux: the language,
// recovery, logging and metrics, security headers, cross-origin protection
// for unsafe methods, and authentication by session cookie or bearer token.
func (k *Kernel) Wrap(mux *http.ServeMux) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.Error(w, r, domain.Errorf(domain.EFORBIDDEN, "拒绝跨站请求：请从本站页面提交"))
	}))
	var h http.Handler = mux
	h = k.checkQuery(h)
	h = k.authenticate(h)
	h = cop.Handler(h)
	h = k.securityHeaders(h)
	return i18n.Middleware(k.observe(mux, h), k.SecureCookies)
}

// ContentSecurityPolicy: the pages load scripts, styles, images and data
// only from this site and run no inline script (L6); styles may be inline
// because ECharts and htmx set them. Data blocks (<script
// type="application/json">) are not scripts and need nothing. Frames only
// from this site: the contract page's PDF viewer (whose answer alone may be
// framed, AttachmentCSP); the pages themselves are never framed.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the hardening headers of every answer; HSTS only
// with secure cookies, that is behind HTTPS (over plain HTTP it would
// lock a browser out of a site that has no TLS).
func (k *Kernel) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		if k.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
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

// observe recovers from panics (answering 500 when nothing was written),
// counts and times every request by its route pattern, and logs it.
func (k *Kernel) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				k.Log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					k.Error(sw, r, domain.Errorf(domain.EINTERNAL, "系统内部错误"))
				}
			}
			_, pattern := mux.Handler(r)
			if pattern == "" {
				pattern = "unmatched"
			}
			k.requests.WithLabelValues(pattern, fmt.Sprint(sw.status)).Inc()
			k.latency.WithLabelValues(pattern).Observe(time.Since(start).Seconds())
			if !strings.HasPrefix(r.URL.Path, "/static/") {
				k.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "dur", time.Since(start))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// checkQuery refuses a query whose names or values hold invalid UTF-8 or a
// control, format or bidirectional character (422 naming the parameter),
// before any handler reads it: PostgreSQL answered "?q=%00" with a 500.
func (k *Kernel) checkQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			if err := textnorm.CheckValues(r.URL.Query(), textnorm.Options{}); err != nil {
				k.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// fail answers an error of the middleware: a page for a page request when
// the pages gave PageError, else problem+json.
func (k *Kernel) fail(w http.ResponseWriter, r *http.Request, err error) {
	if k.PageError != nil && !strings.HasPrefix(r.URL.Path, "/api/") {
		k.PageError(w, r, err)
		return
	}
	k.Error(w, r, err)
}

// authenticate puts the user of a bearer token or a session cookie into the
// request context. A bad or expired bearer token is refused, and so is a
// read-only one on an unsafe method (checked here, once, for every route of
// both transports); an expired session is simply anonymous, so a stale
// cookie never locks a visitor out.
func (k *Kernel) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" { // its own bearer token (Metrics), not a user's
			next.ServeHTTP(w, r)
			return
		}
		var u *domain.User
		if auth := r.Header.Get("Authorization"); auth != "" {
			tok, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				k.Error(w, r, domain.Errorf(domain.EUNAUTHORIZED, "Authorization 头应为 Bearer 令牌"))
				return
			}
			var t *domain.APIToken
			var err error
			if u, t, err = k.Auth.APITokenUser(r.Context(), strings.TrimSpace(tok)); err != nil {
				k.Error(w, r, err)
				return
			}
			if !t.Allows(r.Method) {
				k.Error(w, r, readOnly(r.Method))
				return
			}
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			u, _ = k.Auth.UserBySession(r.Context(), c.Value)
		}
		if u != nil {
			r = r.WithContext(WithUser(r.Context(), u))
		}
		next.ServeHTTP(w, r)
	})
}

// readOnly is the refusal of a read-only token on an unsafe method; it
// names the scope so a script's author knows which token to make instead.
func readOnly(method string) *domain.Error {
	e := domain.Errorf(domain.EFORBIDDEN, "只读令牌（scope: read）不能用于 %s 请求，请使用读写令牌（scope: write）", method)
	e.Field = "scope"
	return e
}
