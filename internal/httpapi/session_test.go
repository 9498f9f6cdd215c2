package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// TestCrossOriginProtection: a browser's cross-site POST is refused with a
// problem, same-origin and non-browser calls pass, safe methods always pass.
func TestCrossOriginProtection(t *testing.T) {
	fx := newSQLiteFixture(t)
	token := request{Method: "POST", Path: "/api/v1/tokens", JSON: map[string]string{"name": "脚本"}}
	for _, tc := range []struct {
		name   string
		rq     request
		header map[string]string
		status int
	}{
		{"CrossSite", token, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"SameSite", token, map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"OtherOrigin", token, map[string]string{"Origin": "https://evil.example"}, 403},
		{"SameOrigin", token, map[string]string{"Sec-Fetch-Site": "same-origin"}, 201},
		{"OwnOrigin", token, map[string]string{"Origin": fx.Srv.URL}, 201},
		{"NoBrowserHeaders", token, nil, 201},
		{"CrossSiteLogin", request{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "tto", "password": testPassword}},
			map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"CrossSiteLogout", request{Method: "DELETE", Path: "/api/v1/session"}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"CrossSiteGET", request{Method: "GET", Path: "/api/v1/me"}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rq := tc.rq
			rq.Header = tc.header
			res := fx.send(t, "tto", rq)
			if res.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
			}
			if tc.status == 403 {
				if p := res.problem(t); p.Code != domain.EFORBIDDEN {
					t.Fatalf("code %q", p.Code)
				}
			}
		})
	}
	if res := fx.send(t, "tto", request{Method: "GET", Path: "/api/v1/me"}); res.Status != 200 {
		t.Fatalf("the cross-site logout ended the session: %d", res.Status)
	}
}

// TestLoginRateLimit: five wrong passwords lock the name for a while, even
// against the right password; other users are unaffected.
func TestLoginRateLimit(t *testing.T) {
	fx := newSQLiteFixture(t)
	login := func(user, pw string) response {
		return fx.send(t, "anonymous", request{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": user, "password": pw}})
	}
	for i := range 5 {
		if res := login("tto", "wrong-password"); res.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d", i+1, res.Status)
		} else if p := res.problem(t); p.Code != domain.EUNAUTHORIZED {
			t.Fatalf("code %q", p.Code)
		}
	}
	res := login("tto", testPassword)
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt with the right password: %d, want 429", res.Status)
	}
	if p := res.problem(t); p.Code != domain.ERATELIMIT || len(res.Cookies) != 0 {
		t.Fatalf("code %q, cookies %v", p.Code, res.Cookies)
	}
	if res := login("bureau", testPassword); res.Status != http.StatusOK {
		t.Fatalf("another user from the same address: %d", res.Status)
	}
	// An unknown name answers exactly like a wrong password.
	a, b := login("nobody", "wrong-password").problem(t), login("bureau", "wrong-password").problem(t)
	if a.Status != b.Status || a.Code != b.Code || a.Detail != b.Detail || a.Field != b.Field {
		t.Fatalf("unknown user %+v differs from wrong password %+v", a, b)
	}
}

// TestSessionLifecycle: login sets a safe cookie, /me answers the user
// without secrets, logout ends the session server-side.
func TestSessionLifecycle(t *testing.T) {
	fx := newSQLiteFixture(t)
	res := fx.send(t, "anonymous", request{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "registrar", "password": testPassword}})
	if res.Status != 200 {
		t.Fatalf("login: %d %s", res.Status, res.Body)
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies {
		if c.Name == httpx.SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.MaxAge <= 0 {
		t.Fatalf("session cookie %+v", cookie)
	}
	if strings.Contains(string(res.Body), "argon2") || strings.Contains(string(res.Body), "password") {
		t.Fatalf("login answer leaks the hash: %s", res.Body)
	}
	var me domain.User
	res = fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Session: cookie.Value})
	res.decode(t, &me)
	if res.Status != 200 || me.Username != "registrar" || me.Role != domain.RoleRegistrar || me.OrgName != "沈阳市技术合同认定登记站" {
		t.Fatalf("me: %d %+v", res.Status, me)
	}

	res = fx.send(t, "", request{Method: "DELETE", Path: "/api/v1/session", Session: cookie.Value})
	if res.Status != http.StatusNoContent {
		t.Fatalf("logout: %d", res.Status)
	}
	cleared := false
	for _, c := range res.Cookies {
		cleared = cleared || (c.Name == httpx.SessionCookie && c.MaxAge < 0)
	}
	if !cleared {
		t.Errorf("logout does not clear the cookie: %v", res.Cookies)
	}
	if res := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Session: cookie.Value}); res.Status != http.StatusUnauthorized {
		t.Fatalf("the old cookie still works after logout: %d", res.Status)
	}
	if res := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Session: "forged"}); res.Status != http.StatusUnauthorized {
		t.Fatalf("a forged cookie: %d", res.Status)
	}
}

// TestBearerToken: a token made through the API authenticates scripts;
// anything else in the Authorization header is refused, never ignored.
func TestBearerToken(t *testing.T) {
	fx := newSQLiteFixture(t)
	var made struct {
		Token    string `json:"token"`
		APIToken struct {
			ID     int64  `json:"id"`
			UserID int64  `json:"user_id"`
			Name   string `json:"name"`
		} `json:"api_token"`
	}
	res := fx.send(t, "enterprise", request{Method: "POST", Path: "/api/v1/tokens", JSON: map[string]string{"name": "ERP 对接"}})
	res.decode(t, &made)
	if res.Status != 201 || !strings.HasPrefix(made.Token, "kc_") || made.APIToken.UserID != fx.Users["enterprise"].ID || made.APIToken.Name != "ERP 对接" {
		t.Fatalf("token: %d %s", res.Status, res.Body)
	}
	for _, tc := range []struct {
		name, auth string
		status     int
		user       string
	}{
		{"Valid", "Bearer " + made.Token, 200, "enterprise"},
		{"Wrong", "Bearer kc_" + strings.Repeat("A", 43), 401, ""},
		{"NoPrefix", "Bearer " + strings.TrimPrefix(made.Token, "kc_"), 401, ""},
		{"Truncated", "Bearer " + made.Token[:len(made.Token)-1], 401, ""},
		{"Basic", "Basic ZW50ZXJwcmlzZTpwdw==", 401, ""},
		{"Empty", "Bearer ", 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Header: map[string]string{"Authorization": tc.auth}})
			if res.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
			}
			if tc.status != 200 {
				res.problem(t)
				return
			}
			var me domain.User
			res.decode(t, &me)
			if me.Username != tc.user {
				t.Fatalf("user %q", me.Username)
			}
		})
	}
	// The token works for writes too, without any cookie.
	in := fx.contractInput(fx.Orgs["enterprise"])
	res = fx.send(t, "", request{Method: "POST", Path: "/api/v1/contracts", JSON: in, Header: map[string]string{"Authorization": "Bearer " + made.Token}})
	if c := wantContract(t, res, 201); c.OwnerOrgID != fx.Orgs["enterprise"].ID || c.CreatedBy != fx.Users["enterprise"].ID {
		t.Fatalf("contract filed by token: owner %d creator %d", c.OwnerOrgID, c.CreatedBy)
	}
	// A wrong token is refused even when a valid cookie comes along.
	res = fx.send(t, "enterprise", request{Method: "GET", Path: "/api/v1/me", Header: map[string]string{"Authorization": "Bearer kc_nope"}})
	if res.Status != 401 {
		t.Fatalf("wrong token with a valid cookie: %d", res.Status)
	}
}

// TestProbesAndMetrics: /readyz is ready on a migrated database, and
// /metrics counts requests by route pattern and status.
func TestProbesAndMetrics(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			for _, p := range []struct{ path, status string }{{"/healthz", "ok"}, {"/readyz", "ready"}} {
				var body struct{ Status string }
				res := fx.send(t, "", request{Method: "GET", Path: p.path})
				res.decode(t, &body)
				if res.Status != 200 || body.Status != p.status {
					t.Fatalf("%s: %d %s", p.path, res.Status, res.Body)
				}
			}
			fx.send(t, "", request{Method: "GET", Path: "/api/v1/me"})
			res := fx.send(t, "", request{Method: "GET", Path: "/metrics"})
			body := string(res.Body)
			for _, want := range []string{
				`kechuang_http_requests_total{pattern="GET /readyz",status="200"} 1`,
				`kechuang_http_requests_total{pattern="GET /api/v1/me",status="401"} 1`,
				`kechuang_http_request_seconds_bucket{pattern="GET /healthz"`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
		})
	}
}

// TestSecurityHeaders: every answer carries the hardening headers.
func TestSecurityHeaders(t *testing.T) {
	fx := newSQLiteFixture(t)
	for _, path := range []string{"/healthz", "/api/v1/me", "/api/v1/stats/contracts"} {
		res := fx.send(t, "", request{Method: "GET", Path: path})
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
	}
}
