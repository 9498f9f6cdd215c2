package httpapi_test

import (
	"net/http"
	"testing"
)

// Unknown API paths and wrong methods answer problem+json, not the
// standard library's plain text.
func TestUnmatchedAPIRequests(t *testing.T) {
	fx := newSQLiteFixture(t)
	res := fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/no-such-thing"})
	if res.Status != http.StatusNotFound {
		t.Fatalf("unknown path: %d", res.Status)
	}
	if p := res.problem(t); p.Code != "not_found" {
		t.Fatalf("code %q", p.Code)
	}
	res = fx.send(t, "anonymous", request{Method: "DELETE", Path: "/api/v1/stats/contracts"})
	if res.Status != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET" {
		t.Fatalf("wrong method: %d Allow=%q", res.Status, res.Header.Get("Allow"))
	}
	if p := res.problem(t); p.Code != "method_not_allowed" {
		t.Fatalf("code %q", p.Code)
	}
}
