// Package security_test replays the security probe's findings against a real server
// (../shared/reviews/security-probe-2026-12.md), on SQLite and PostgreSQL.
package security_test

// account_test.go replays finding M4 (account lifecycle: password changes,
// resets and disabling leave sessions and tokens alive) and checks the
// token scopes and expiries that close it, against the whole handler stack
// of `kechuang serve` (kernel, API and pages) on an httptest server, and
// the command line's `user passwd` on the same database. Its names carry
// "Account" so the other finding groups keep their own.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"kechuang/internal/cli"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
	"kechuang/internal/web"
)

// accountServer is the serve stack over one test world.
type accountServer struct {
	t     *testing.T
	st    *store.Store
	world *storetest.World
	srv   *httptest.Server
}

// eachAccountServer runs fn on a fresh server per configured database.
func eachAccountServer(t *testing.T, fn func(t *testing.T, s *accountServer)) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) { fn(t, newAccountServer(t, ns.Store)) })
	}
}

func newAccountServer(t *testing.T, st *store.Store) *accountServer {
	w := storetest.New(t, st)
	svc := service.New(w.St, testutil.Log())
	k := httpx.New(svc.Auth, testutil.Log())
	api, err := httpapi.New(svc, k)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(svc, k, testutil.Log())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	pages.Routes(mux)
	s := &accountServer{t: t, st: st, world: w, srv: httptest.NewServer(k.Wrap(mux))}
	t.Cleanup(s.srv.Close)
	return s
}

// credential is a session cookie or a bearer token.
type credential struct{ cookie, token string }

// accountReply is a status with its body.
type accountReply struct {
	status int
	ctype  string
	body   []byte
}

func (r accountReply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends one request; body is JSON, or url.Values for a page form.
func (s *accountServer) do(c credential, method, path string, body any) accountReply {
	s.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		js, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(js), "application/json"
	}
	req, err := http.NewRequest(method, s.srv.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: c.cookie})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return accountReply{res.StatusCode, res.Header.Get("Content-Type"), b}
}

// login opens a session for the world's user of key over the API.
func (s *accountServer) login(key string) credential {
	s.t.Helper()
	res, err := http.Post(s.srv.URL+"/api/v1/session", "application/json",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, s.world.User(key).Username, storetest.Password)))
	if err != nil {
		s.t.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == httpx.SessionCookie && c.Value != "" {
			return credential{cookie: c.Value}
		}
	}
	s.t.Fatalf("login of %s: %d, no session cookie", key, res.StatusCode)
	return credential{}
}

// newToken creates an API token over the API with the given extra members.
func (s *accountServer) newToken(c credential, extra map[string]any) (credential, int64) {
	s.t.Helper()
	body := map[string]any{"name": "probe"}
	for k, v := range extra {
		body[k] = v
	}
	res := s.do(c, "POST", "/api/v1/tokens", body)
	if res.status != http.StatusCreated {
		s.t.Fatalf("create token %v: %d %s", extra, res.status, res.body)
	}
	var created struct {
		Token    string `json:"token"`
		APIToken struct {
			ID int64 `json:"id"`
		} `json:"api_token"`
	}
	res.decode(s.t, &created)
	return credential{token: created.Token}, created.APIToken.ID
}

// me is the status of GET /api/v1/me with c.
func (s *accountServer) me(c credential) int {
	s.t.Helper()
	return s.do(c, "GET", "/api/v1/me", nil).status
}

func wantStatus(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s: %d, want %d", what, got, want)
	}
}

// The probe: own password change (API) → other sessions 401, this session
// 200, API token still 200. Now the token is revoked unless keep_tokens.
func TestAccountOwnPasswordChangeRevokesTokens(t *testing.T) {
	eachAccountServer(t, func(t *testing.T, s *accountServer) {
		this, other := s.login("tto"), s.login("tto")
		tok, _ := s.newToken(this, nil)
		pw := map[string]any{"current_password": storetest.Password, "new_password": "Another-pass-1"}
		wantStatus(t, "change", s.do(this, "PUT", "/api/v1/me/password", pw).status, http.StatusNoContent)
		wantStatus(t, "this session", s.me(this), 200)
		wantStatus(t, "other session", s.me(other), 401)
		wantStatus(t, "token after the change", s.me(tok), 401)

		kept, _ := s.newToken(this, nil)
		pw = map[string]any{"current_password": "Another-pass-1", "new_password": storetest.Password, "keep_tokens": true}
		wantStatus(t, "change keeping tokens", s.do(this, "PUT", "/api/v1/me/password", pw).status, http.StatusNoContent)
		wantStatus(t, "token kept on request", s.me(kept), 200)
	})
}

// The same on the /account page: the box keeps the tokens, no box revokes.
func TestAccountPagePasswordChangeRevokesTokens(t *testing.T) {
	eachAccountServer(t, func(t *testing.T, s *accountServer) {
		this := s.login("enterprise")
		kept, _ := s.newToken(this, nil)
		form := url.Values{"current_password": {storetest.Password}, "new_password": {"Another-pass-1"},
			"new_password2": {"Another-pass-1"}, "keep_tokens": {"1"}}
		wantStatus(t, "page change keeping tokens", s.do(this, "POST", "/account/password", form).status, http.StatusSeeOther)
		wantStatus(t, "token kept", s.me(kept), 200)

		form = url.Values{"current_password": {"Another-pass-1"}, "new_password": {storetest.Password}, "new_password2": {storetest.Password}}
		wantStatus(t, "page change", s.do(this, "POST", "/account/password", form).status, http.StatusSeeOther)
		wantStatus(t, "token after the page change", s.me(kept), 401)

		page := s.do(this, "GET", "/account", nil)
		for _, want := range []string{`name="keep_tokens"`, `name="scope"`, `name="expires_in_days"`} {
			if !strings.Contains(string(page.body), want) {
				t.Errorf("/account has no %s", want)
			}
		}
	})
}

// The probe: `kechuang user passwd` → all old sessions and API tokens still
// 200; an administrator's reset over the API likewise.
func TestAccountAdminResetRevokesTokens(t *testing.T) {
	eachAccountServer(t, func(t *testing.T, s *accountServer) {
		victim := s.login("tto")
		tok, _ := s.newToken(victim, nil)
		admin := s.login("admin")
		path := fmt.Sprintf("/api/v1/users/%d/reset-password", s.world.User("tto").ID)
		wantStatus(t, "reset", s.do(admin, "POST", path, nil).status, 200)
		wantStatus(t, "session after the reset", s.me(victim), 401)
		wantStatus(t, "token after the reset", s.me(tok), 401)

		victim = s.login("enterprise")
		tok, _ = s.newToken(victim, nil)
		var out bytes.Buffer
		dataDir := t.TempDir() // the audit key and anchors of a PostgreSQL database live here, not in the package
		env := &cli.Env{Args: []string{"kechuang", "user", "passwd", "--username", s.world.User("enterprise").Username, "--password", "Another-pass-1"},
			Stdout: &out, Stderr: &out, Getenv: func(k string) string {
				switch k {
				case "KECHUANG_DATABASE_URL":
					return s.st.URL()
				case "KECHUANG_DATA_DIR":
					return dataDir
				}
				return ""
			}}
		if code := cli.Main(context.Background(), env); code != 0 {
			t.Fatalf("user passwd: %d %s", code, out.String())
		}
		wantStatus(t, "session after user passwd", s.me(victim), 401)
		wantStatus(t, "token after user passwd", s.me(tok), 401)
	})
}

// The probe: users.disabled=1 by SQL, then re-enabled → the old session and
// token work again. Disabling now deletes them, so enabling resurrects
// nothing.
func TestAccountDisableRevokesForGood(t *testing.T) {
	eachAccountServer(t, func(t *testing.T, s *accountServer) {
		victim := s.login("agency")
		tok, _ := s.newToken(victim, nil)
		admin := s.login("admin")
		id := s.world.User("agency").ID
		res := s.do(admin, "POST", fmt.Sprintf("/api/v1/users/%d/disable", id), map[string]any{"version": s.world.User("agency").Version})
		wantStatus(t, "disable", res.status, 200)
		var u struct{ Version int64 }
		res.decode(t, &u)
		wantStatus(t, "session while disabled", s.me(victim), 401)
		wantStatus(t, "token while disabled", s.me(tok), 401)
		wantStatus(t, "enable", s.do(admin, "POST", fmt.Sprintf("/api/v1/users/%d/enable", id), map[string]any{"version": u.Version}).status, 200)
		wantStatus(t, "session after re-enabling", s.me(victim), 401)
		wantStatus(t, "token after re-enabling", s.me(tok), 401)
	})
}

// A read-only token reads, and is refused (403, naming the scope) on every
// unsafe method, on API routes and pages alike; a read-write one is not.
func TestAccountReadOnlyTokenRefusedOnWrites(t *testing.T) {
	eachAccountServer(t, func(t *testing.T, s *accountServer) {
		owner := s.login("tto")
		ro, _ := s.newToken(owner, map[string]any{"scope": "read"})
		rw, _ := s.newToken(owner, map[string]any{"scope": "write"})
		_, spareID := s.newToken(owner, nil) // what the DELETE aims at
		wantStatus(t, "read-only GET /api/v1/contracts", s.do(ro, "GET", "/api/v1/contracts", nil).status, 200)
		wantStatus(t, "read-only GET /account", s.do(ro, "GET", "/account", nil).status, 200)
		writes := []struct {
			method, path string
			body         any
		}{
			{"POST", "/api/v1/contracts", map[string]any{"title": "x"}},
			{"PUT", "/api/v1/me/password", map[string]any{"current_password": storetest.Password, "new_password": "Another-pass-1", "keep_tokens": true}},
			{"PATCH", "/api/v1/contracts/1", map[string]any{"version": 1}},
			{"DELETE", fmt.Sprintf("/api/v1/tokens/%d", spareID), nil},
			{"POST", "/api/v1/tokens", map[string]any{"name": "escalate", "scope": "write"}},
			{"POST", "/account/tokens", url.Values{"name": {"escalate"}}},
		}
		for _, wr := range writes {
			res := s.do(ro, wr.method, wr.path, wr.body)
			var p struct {
				Status int    `json:"status"`
				Field  string `json:"field"`
				Detail string `json:"detail"`
			}
			res.decode(t, &p)
			if res.status != 403 || !strings.HasPrefix(res.ctype, "application/problem+json") || p.Field != "scope" || !strings.Contains(p.Detail, "scope: read") {
				t.Errorf("read-only %s %s: %d %s %s", wr.method, wr.path, res.status, res.ctype, res.body)
			}
			if st := s.do(rw, wr.method, wr.path, wr.body).status; st == 403 || st == 401 {
				t.Errorf("read-write %s %s: %d", wr.method, wr.path, st)
			}
		}
		wantStatus(t, "the read-only token after the refusals", s.me(ro), 200)
	})
}

// A token with an expiry is refused as unauthorised from that moment on,
// and lifetimes outside 1–365 days or unknown scopes are named errors.
func TestAccountTokenExpiry(t *testing.T) {
	eachAccountServer(t, func(t *testing.T, s *accountServer) {
		owner := s.login("registrar")
		tok, _ := s.newToken(owner, map[string]any{"expires_in_days": 1})
		forever, _ := s.newToken(owner, nil)
		var list struct {
			Items []struct {
				Scope     string    `json:"scope"`
				ExpiresAt time.Time `json:"expires_at"`
			}
		}
		s.do(owner, "GET", "/api/v1/tokens", nil).decode(t, &list)
		if len(list.Items) != 2 || list.Items[1].Scope != "write" || !list.Items[1].ExpiresAt.Equal(s.world.Clock.Now().AddDate(0, 0, 1)) || !list.Items[0].ExpiresAt.IsZero() {
			t.Fatalf("tokens listed %+v", list.Items)
		}
		wantStatus(t, "before expiry", s.me(tok), 200)
		s.world.Clock.Advance(24 * time.Hour)
		res := s.do(tok, "GET", "/api/v1/me", nil)
		if res.status != 401 || !strings.Contains(string(res.body), "过期") {
			t.Errorf("expired token: %d %s", res.status, res.body)
		}
		wantStatus(t, "token without expiry", s.me(forever), 200)
		owner = s.login("registrar") // the first session has ended (12 h)
		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"name": "x", "expires_in_days": 0.5}, "expires_in_days"},
			{map[string]any{"name": "x", "expires_in_days": 366}, "expires_in_days"},
			{map[string]any{"name": "x", "expires_in_days": -1}, "expires_in_days"},
			{map[string]any{"name": "x", "scope": "admin"}, "scope"},
		} {
			res := s.do(owner, "POST", "/api/v1/tokens", bad.body)
			if res.status != 422 || !strings.Contains(string(res.body), bad.field) {
				t.Errorf("token %v: %d %s", bad.body, res.status, res.body)
			}
		}
		page := s.do(owner, "POST", "/account/tokens", url.Values{"name": {"x"}, "expires_in_days": {"abc"}})
		if page.status != 422 {
			t.Errorf("page token with lifetime abc: %d", page.status)
		}
	})
}
