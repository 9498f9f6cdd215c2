package httpx

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"kechuang/internal/service"
)

// SessionCookie is the browser session cookie's name.
const SessionCookie = "kc_session"

// SetSessionCookie writes the session cookie after a login.
func (k *Kernel) SetSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: k.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(service.SessionTTL.Seconds())})
}

// ClearSessionCookie removes the session cookie.
func (k *Kernel) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: k.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// CurrentSession returns the session token the request was authenticated
// by, or "" when it came with an API token (or none): a password change
// keeps this session and ends the user's others.
func CurrentSession(r *http.Request) string {
	if r.Header.Get("Authorization") != "" {
		return ""
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// ClientAddr returns the client's address for rate limiting and the
// audit: behind a trusted proxy (TrustProxy) the right-most
// X-Forwarded-For hop that is not a proxy, else the peer's host.
func (k *Kernel) ClientAddr(r *http.Request) string {
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		peer = r.RemoteAddr
	}
	if k.TrustProxy {
		if c := forwardedClient(r.Header.Values("X-Forwarded-For"), peer); c != "" {
			return c
		}
	}
	return peer
}

// forwardedClient is the right-most X-Forwarded-For hop that is not one of
// our proxies (the peer, or loopback): a proxy appends the address it saw,
// so everything to the left of that is whatever the client chose to send
// (L8: trusting the left-most hop let a client pick its own address and
// slip past the per-address login limit).
func forwardedClient(headers []string, peer string) string {
	var hops []string
	for _, h := range headers {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return "" // a hop we cannot read: trust none of it
		}
		ip = ip.Unmap()
		if ip.IsLoopback() || ip.String() == peer {
			continue
		}
		return ip.String()
	}
	return ""
}
