package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// Listing and revoking API tokens and changing one's own password over
// HTTP, on both databases.

const matrixOldPassword = "matrix-old-password"

var matrixOnce = sync.OnceValues(func() (string, error) { return password.Hash(matrixOldPassword) })

func matrixOldHash(t testing.TB) string {
	h, err := matrixOnce()
	must(t, err)
	return h
}

// setPasswordHash puts a hash straight into the store (no audit, no
// argon2 per call).
func (fx *fixture) setPasswordHash(t testing.TB, role, hash string) {
	t.Helper()
	must(t, fx.St.InTx(context.Background(), func(tx *store.Q) error { return tx.SetPassword(context.Background(), fx.Users[role].ID, hash) }))
}

// newToken creates an API token for role through the service.
func (fx *fixture) newToken(t testing.TB, role, name string) (string, *domain.APIToken) {
	t.Helper()
	secret, tok, err := fx.Svc.Auth.CreateToken(context.Background(), fx.actor(role), name)
	must(t, err)
	return secret, tok
}

func bearer(secret string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + secret}
}

func TestTokenListAndRevokeOverHTTP(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			res := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/tokens", JSON: map[string]string{"name": "导出脚本"}})
			var created struct {
				Token    string
				APIToken domain.APIToken `json:"api_token"`
			}
			res.decode(t, &created)
			secretA, a := created.Token, created.APIToken
			secretB, b := fx.newToken(t, "tto", "统计脚本")
			fx.newToken(t, "enterprise", "企业脚本")
			if st := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Header: bearer(secretA), NoAuth: true}).Status; st != 200 {
				t.Fatalf("token A before revocation: %d", st)
			}

			t.Run("ListShowsNoSecrets", func(t *testing.T) {
				res := fx.send(t, "tto", request{Method: "GET", Path: "/api/v1/tokens"})
				if res.Status != 200 {
					t.Fatalf("list: %d %s", res.Status, res.Body)
				}
				body := string(res.Body)
				for _, secret := range []string{secretA, secretB} {
					for _, leak := range []string{secret, service.TokenHash(secret), "hash", `"token"`} {
						if strings.Contains(body, leak) {
							t.Fatalf("the list contains %q: %s", leak, body)
						}
					}
				}
				var list struct{ Items []domain.APIToken }
				res.decode(t, &list)
				if len(list.Items) != 2 || list.Items[0].ID != b.ID || list.Items[1].ID != a.ID || list.Items[1].Name != "导出脚本" {
					t.Fatalf("list %+v, want B then A (no one else's)", list.Items)
				}
				if !list.Items[1].LastUsedAt.Equal(fx.W.Clock.Now()) || !list.Items[0].LastUsedAt.IsZero() {
					t.Fatalf("last used: A %v (want %v), B %v (want never)", list.Items[1].LastUsedAt, fx.W.Clock.Now(), list.Items[0].LastUsedAt)
				}
				res = fx.send(t, "agency", request{Method: "GET", Path: "/api/v1/tokens"})
				if res.Status != 200 || strings.TrimSpace(string(res.Body)) != `{"items":[]}` {
					t.Fatalf("no tokens: %d %s", res.Status, res.Body)
				}
			})

			tests := []struct {
				name   string
				role   string
				path   string
				header map[string]string
				status int
				dead   []string // secrets that answer 401 afterwards
				alive  []string
			}{
				{"OtherUsersTokenIsNotFound", "enterprise", fmt.Sprintf("/api/v1/tokens/%d", a.ID), nil, 404, nil, []string{secretA}},
				{"BadID", "tto", "/api/v1/tokens/abc", nil, 404, nil, []string{secretA}},
				{"MissingID", "tto", "/api/v1/tokens/987654", nil, 404, nil, nil},
				{"Own", "tto", fmt.Sprintf("/api/v1/tokens/%d", a.ID), nil, 204, []string{secretA}, []string{secretB}},
				{"Twice", "tto", fmt.Sprintf("/api/v1/tokens/%d", a.ID), nil, 404, nil, nil},
				{"AdminAnyones", "admin", fmt.Sprintf("/api/v1/tokens/%d", b.ID), nil, 204, []string{secretB}, nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					res := fx.send(t, tt.role, request{Method: "DELETE", Path: tt.path, Header: tt.header})
					if res.Status != tt.status {
						t.Fatalf("DELETE %s as %s: %d, want %d: %s", tt.path, tt.role, res.Status, tt.status, res.Body)
					}
					if res.Status >= 400 {
						res.problem(t)
					}
					for _, s := range tt.dead {
						res := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Header: bearer(s), NoAuth: true})
						if res.Status != 401 {
							t.Fatalf("revoked token: %d, want 401", res.Status)
						}
						res.problem(t)
					}
					for _, s := range tt.alive {
						if st := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Header: bearer(s), NoAuth: true}).Status; st != 200 {
							t.Fatalf("live token: %d", st)
						}
					}
				})
			}
			// A script may revoke the token it runs with; the next call fails.
			secretC, c := fx.newToken(t, "registrar", "临时脚本")
			path := fmt.Sprintf("/api/v1/tokens/%d", c.ID)
			if st := fx.send(t, "", request{Method: "DELETE", Path: path, Header: bearer(secretC), NoAuth: true}).Status; st != 204 {
				t.Fatalf("self-revocation: %d", st)
			}
			if st := fx.send(t, "", request{Method: "GET", Path: "/api/v1/tokens", Header: bearer(secretC), NoAuth: true}).Status; st != 401 {
				t.Fatalf("after self-revocation: %d", st)
			}
		})
	}
}

func TestChangeOwnPasswordOverHTTP(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			const next = "pilot-new-password"
			current := fx.login(t, "pilot_base", testPassword)
			other := fx.login(t, "pilot_base", testPassword)
			change := func(cur, nw string) response {
				return fx.send(t, "", request{Method: "PUT", Path: "/api/v1/me/password", Session: current,
					JSON: map[string]string{"current_password": cur, "new_password": nw}})
			}
			tests := []struct {
				name, current, next string
				status              int
				field               string
			}{
				{"TooShort", testPassword, "short", 422, "new_password"},
				{"SameAsCurrent", testPassword, testPassword, 422, "new_password"},
				{"NoCurrent", "", next, 422, "current_password"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					res := change(tt.current, tt.next)
					if res.Status != tt.status {
						t.Fatalf("%d, want %d: %s", res.Status, tt.status, res.Body)
					}
					if p := res.problem(t); p.Field != tt.field && !strings.Contains(string(res.Body), `"`+tt.field+`"`) {
						t.Fatalf("problem names %q, want %s: %s", p.Field, tt.field, res.Body)
					}
				})
			}
			t.Run("UnknownField", func(t *testing.T) {
				res := fx.send(t, "", request{Method: "PUT", Path: "/api/v1/me/password", Session: current,
					JSON: map[string]string{"current_password": testPassword, "password": next}})
				if res.Status != 422 {
					t.Fatalf("unknown member: %d", res.Status)
				}
			})

			t.Run("WrongCurrentFiveTimes", func(t *testing.T) {
				for i := range 5 {
					res := change("not-my-password", next)
					if res.Status != 422 || res.problem(t).Field != "current_password" {
						t.Fatalf("wrong current #%d: %d %s", i+1, res.Status, res.Body)
					}
				}
				res := change(testPassword, next)
				if res.Status != http.StatusTooManyRequests || !strings.Contains(res.problem(t).Detail, "次数过多") {
					t.Fatalf("after five wrong passwords: %d %s", res.Status, res.Body)
				}
				// The login shares the limiter.
				res = fx.send(t, "anonymous", request{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "pilot_base", "password": testPassword}})
				if res.Status != http.StatusTooManyRequests {
					t.Fatalf("login after five wrong passwords: %d", res.Status)
				}
				fx.W.Clock.Advance(16 * time.Minute)
			})

			t.Run("Changed", func(t *testing.T) {
				if res := change(testPassword, next); res.Status != 204 {
					t.Fatalf("change: %d %s", res.Status, res.Body)
				}
				res := fx.send(t, "anonymous", request{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "pilot_base", "password": testPassword}})
				if res.Status != 401 {
					t.Fatalf("old password: %d, want 401", res.Status)
				}
				fx.login(t, "pilot_base", next)
				if st := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Session: current}).Status; st != 200 {
					t.Fatalf("the session that changed the password: %d, want 200", st)
				}
				if st := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Session: other}).Status; st != 401 {
					t.Fatalf("another session of the user: %d, want 401 (ended)", st)
				}
				if st := fx.send(t, "", request{Method: "GET", Path: "/api/v1/me", Session: fx.Sessions["tto"]}).Status; st != 200 {
					t.Fatalf("another user's session: %d", st)
				}
			})
		})
	}
}
