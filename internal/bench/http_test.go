package bench

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestHTTPSmall runs `kechuang bench http` briefly on SQLite and asserts
// only counts: every endpoint answered, with its expected status, no
// request failed — never a rate or a time.
func TestHTTPSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo city")
	}
	o := HTTPOptions{DB: "sqlite", Conns: 4, Duration: 500 * time.Millisecond, TempDir: t.TempDir()}
	_, rs, err := RunHTTP(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"/": 200, "/api/v1/openapi.json": 200, "/stats?year=2022": 200}
	if len(rs) != 5 {
		t.Fatalf("%d results, want 5", len(rs))
	}
	for _, r := range rs {
		if r.Requests == 0 || r.Errors != 0 || len(r.Latency) != r.Requests {
			t.Errorf("%s: %d answered, %d errors, %d latencies", r.Name, r.Requests, r.Errors, len(r.Latency))
		}
		if w, ok := want[r.Path]; ok && r.Want != w {
			t.Errorf("%s: wants %d, want %d", r.Name, r.Want, w)
		}
	}
	if rs[2].Want != http.StatusNotModified {
		t.Errorf("revalidation wants %d, want 304", rs[2].Want)
	}
}
