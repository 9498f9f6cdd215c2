package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestReadyzWhileWriting: /readyz answers "ready" while a write transaction
// holds SQLite's single writer connection and its write lock, because the
// probe only reads. A probe that touched the writer would wait for it and
// answer 503 when its ping timed out.
func TestReadyzWhileWriting(t *testing.T) {
	t.Parallel()
	st := testutil.OpenSQLite(t)
	svc := service.New(st, testutil.Log())
	api, err := httpapi.New(svc, httpx.New(svc.Auth, slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Routes(mux)

	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock()
	go func() {
		done <- st.InTx(context.Background(), func(*store.Q) error { close(held); <-release; return nil })
	}()
	<-held
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	unblock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"ready"`) {
		t.Fatalf("readyz during a write: %d %s", rec.Code, rec.Body)
	}
}

// TestReadyzNewerDatabase: once a newer release has migrated the database
// under a running server, /readyz answers 503 naming the unknown version.
func TestReadyzNewerDatabase(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			svc := service.New(ns.Store, testutil.Log())
			api, err := httpapi.New(svc, httpx.New(svc.Auth, slog.New(slog.NewTextHandler(io.Discard, nil))))
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			api.Routes(mux)
			storetest.Exec(t, ns.Store.URL(), `INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_newer', '2030-01-01T00:00:00.000000Z')`)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"unknown":["9999_newer"]`) {
				t.Fatalf("readyz on a newer database: %d %s", rec.Code, rec.Body)
			}
		})
	}
}
