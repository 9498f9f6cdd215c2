package httpx

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestClientGoneIsNot500: an error after the client went away (its
// request's context cancelled) is answered 499, counted as 499 and not
// logged as an error (L4: wrk's disconnects were 65 "500"s and 68 ERROR
// lines); the same error while the client waits is still a 500, logged.
func TestClientGoneIsNot500(t *testing.T) {
	var logged bytes.Buffer
	k := New(nil, slog.New(slog.NewTextHandler(&logged, nil)))
	mux := http.NewServeMux()
	mux.Handle("GET /x", k.Handler(func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("store: find contracts: %w", r.Context().Err())
	}))
	h := k.observe(mux, mux)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil).WithContext(ctx))
	if rec.Code != StatusClientClosed || strings.Contains(logged.String(), "level=ERROR") {
		t.Errorf("client gone: %d, log %q; want 499 and no error logged", rec.Code, logged.String())
	}
	rec = httptest.NewRecorder()
	mux2 := http.NewServeMux()
	mux2.Handle("GET /x", k.Handler(func(http.ResponseWriter, *http.Request) error { return fmt.Errorf("store: disk full") }))
	k.observe(mux2, mux2).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(logged.String(), "level=ERROR") {
		t.Errorf("a real failure: %d, log %q; want 500, logged", rec.Code, logged.String())
	}
	var metrics bytes.Buffer
	mrec := httptest.NewRecorder()
	k.Metrics().ServeHTTP(mrec, httptest.NewRequest("GET", "/metrics", nil))
	metrics.Write(mrec.Body.Bytes())
	if !strings.Contains(metrics.String(), `kechuang_http_requests_total{pattern="GET /x",status="499"} 1`) {
		t.Errorf("metrics do not count the disconnect as 499:\n%s", metrics.String())
	}
}
