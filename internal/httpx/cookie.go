package httpx

import (
	"net"
	"net/http"
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

// ClientAddr returns the client's address for rate limiting: the first
// X-Forwarded-For entry behind a trusted proxy, else the peer's host.
func (k *Kernel) ClientAddr(r *http.Request) string {
	if k.TrustProxy {
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
