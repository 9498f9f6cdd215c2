package security_test

import (
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"kechuang/internal/config"
	"kechuang/internal/httpx"
)

// Replays of the probe's hardening findings: L6 (headers, listings,
// /metrics) and L8 (X-Forwarded-For), against the serve stack on both
// databases. L4 (disconnects) is TestClientGoneIsNot500 in httpx, L3 (a
// full disk) TestL3StorageFull below.

// TestL6Hardening replays L6: no Content-Security-Policy or HSTS, listings
// of /static/ and /static/vendor/, and /metrics public whatever the setup.
func TestL6Hardening(t *testing.T) {
	for _, s := range inServers(t, config.Config{SecureCookies: true, MetricsToken: "metrics-token-of-the-replay"}) {
		t.Run(s.DB, func(t *testing.T) {
			for _, path := range []string{"/stats", "/login", "/api/v1/stats/contracts"} {
				res := s.do(t, "", inReq{Method: "GET", Path: path})
				if got := res.Header.Get("Content-Security-Policy"); got != httpx.ContentSecurityPolicy || !strings.Contains(got, "script-src 'self';") {
					t.Errorf("%s: Content-Security-Policy %q", path, got)
				}
				if got := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
					t.Errorf("%s with secure cookies: Strict-Transport-Security %q", path, got)
				}
			}
			// No page runs inline script, which the policy would block.
			for _, path := range []string{"/stats", "/login"} {
				if body := s.do(t, "", inReq{Method: "GET", Path: path}).Body; strings.Contains(body, " onclick=") || strings.Contains(body, " onchange=") {
					t.Errorf("%s has an inline event handler", path)
				}
			}
			for _, path := range []string{"/static/", "/static/vendor/"} {
				if res := s.do(t, "", inReq{Method: "GET", Path: path}); res.Status != http.StatusNotFound || strings.Contains(res.Body, `<pre>`) {
					t.Errorf("%s: %d, want 404 without a listing: %s", path, res.Status, res.short())
				}
			}
			if res := s.do(t, "", inReq{Method: "GET", Path: "/static/app.js"}); res.Status != http.StatusOK {
				t.Errorf("/static/app.js: %d", res.Status)
			}
			for _, tc := range []struct {
				auth string
				want int
			}{{"", http.StatusUnauthorized}, {"Bearer wrong", http.StatusUnauthorized}, {"Bearer metrics-token-of-the-replay", http.StatusOK}} {
				res := s.do(t, "", inReq{Method: "GET", Path: "/metrics", Header: map[string]string{"Authorization": tc.auth}})
				if res.Status != tc.want || (tc.want == http.StatusOK && !strings.Contains(res.Body, "kechuang_http_requests_total")) {
					t.Errorf("/metrics with %q: %d, want %d", tc.auth, res.Status, tc.want)
				}
			}
		})
	}
	// Over plain HTTP (no secure cookies) there is no HSTS, which would lock
	// browsers out of a site without TLS.
	s := inServers(t, config.Config{})[0]
	if got := s.do(t, "", inReq{Method: "GET", Path: "/stats"}).Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS over plain HTTP: %q", got)
	}
	if res := s.do(t, "", inReq{Method: "GET", Path: "/metrics"}); res.Status != http.StatusOK {
		t.Errorf("/metrics without a token configured: %d", res.Status)
	}
}

// TestL8RightMostForwardedHop replays L8: behind KECHUANG_TRUST_PROXY the
// left-most X-Forwarded-For hop was the client's address, so rotating it
// let 40 of 40 failed logins past the per-address limit. The proxy appends
// the address it saw (here 203.0.113.7) after the client's forged hops.
func TestL8RightMostForwardedHop(t *testing.T) {
	for _, s := range inServers(t, config.Config{TrustProxy: true}) {
		t.Run(s.DB, func(t *testing.T) {
			limited := 0
			for i := range 40 {
				res := s.do(t, "", inReq{Method: "POST", Path: "/api/v1/session",
					JSON:   map[string]string{"username": fmt.Sprintf("nobody%02d", i), "password": "wrong-password"},
					Header: map[string]string{"X-Forwarded-For": fmt.Sprintf("10.0.%d.1, 203.0.113.7", i)}})
				if res.Status == http.StatusTooManyRequests {
					limited++
				}
			}
			if limited == 0 {
				t.Errorf("40 failed logins from one address behind the proxy, forged left hops: none limited")
			}
		})
	}
}

// TestL3StorageFull replays L3: on a full disk every write answered a
// generic 500 and /readyz stayed "ready". The full disk is injected in
// place of the commit (a tmpfs is not at hand), as the file system reports
// it (ENOSPC), through the store's own classification: writes answer 503
// with a clear message, /readyz says "storage full", reads still work,
// and the first write that commits afterwards makes the server ready again.
func TestL3StorageFull(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			file := map[string]any{"name": "空间测试"}
			s.W.St.InjectCommitFault(func() error { return fmt.Errorf("write wal: %w", syscall.ENOSPC) })
			res := s.do(t, "tto", inReq{Method: "POST", Path: "/api/v1/tokens", JSON: file})
			if res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Body, "存储空间已满") {
				t.Errorf("a write on a full disk: %d, want 503 saying the storage is full: %s", res.Status, res.short())
			}
			if res := s.do(t, "", inReq{Method: "GET", Path: "/readyz"}); res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Body, "storage full") {
				t.Errorf("/readyz after a failed commit: %d %s", res.Status, res.short())
			}
			if res := s.do(t, "", inReq{Method: "GET", Path: "/api/v1/stats/contracts"}); res.Status != http.StatusOK {
				t.Errorf("a read on a full disk: %d", res.Status)
			}
			s.W.St.InjectCommitFault(nil) // space is back
			if res := s.do(t, "tto", inReq{Method: "POST", Path: "/api/v1/tokens", JSON: file}); res.Status != http.StatusCreated {
				t.Errorf("a write once space is back: %d: %s", res.Status, res.short())
			}
			if res := s.do(t, "", inReq{Method: "GET", Path: "/readyz"}); res.Status != http.StatusOK {
				t.Errorf("/readyz after a commit: %d %s", res.Status, res.short())
			}
			if strings.Contains(s.Log.String(), "internal error") {
				t.Errorf("a full disk logged as an internal error:\n%s", s.Log.String())
			}
		})
	}
}
