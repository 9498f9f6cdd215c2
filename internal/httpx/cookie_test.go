package httpx

import (
	"net/http/httptest"
	"testing"
)

// TestClientAddrBehindProxy: behind a trusted proxy the client is the
// right-most hop the proxy did not add itself (L8: the left-most hop is
// whatever the client sent, and rotating it slipped past the per-address
// login limit).
func TestClientAddrBehindProxy(t *testing.T) {
	for _, tc := range []struct {
		name, peer string
		xff        []string
		trust      bool
		want       string
	}{
		{"NoProxy", "203.0.113.7:5000", []string{"10.9.9.9"}, false, "203.0.113.7"},
		{"ProxyAppends", "127.0.0.1:5000", []string{"203.0.113.7"}, true, "203.0.113.7"},
		{"SpoofedLeftHop", "127.0.0.1:5000", []string{"10.0.0.1, 203.0.113.7"}, true, "203.0.113.7"},
		{"SpoofedHeaderLine", "127.0.0.1:5000", []string{"10.0.0.1", "203.0.113.7"}, true, "203.0.113.7"},
		{"ProxyOnAnotherHost", "192.0.2.10:5000", []string{"1.1.1.1, 203.0.113.7, 192.0.2.10"}, true, "203.0.113.7"},
		{"IPv6", "[::1]:5000", []string{"2001:db8::1"}, true, "2001:db8::1"},
		{"Garbage", "127.0.0.1:5000", []string{"203.0.113.7, not-an-ip"}, true, "127.0.0.1"},
		{"NoHeader", "198.51.100.2:5000", nil, true, "198.51.100.2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			k := &Kernel{TrustProxy: tc.trust}
			if got := k.ClientAddr(r); got != tc.want {
				t.Errorf("ClientAddr = %q, want %q", got, tc.want)
			}
		})
	}
}
