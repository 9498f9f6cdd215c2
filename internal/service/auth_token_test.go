package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// newUser creates a user through the service and returns its actor.
func (w *world) newUser(t *testing.T, name string, role domain.Role, password string) *domain.Actor {
	t.Helper()
	u := &domain.User{Username: name, DisplayName: "测试" + name, Role: role, OrgID: w.city.Univ.ID}
	if err := w.svc.Admin.CreateUser(context.Background(), domain.SystemActor(), u, password); err != nil {
		t.Fatal(err)
	}
	return service.ActorOf(u)
}

func (w *world) auditActions(t *testing.T, entity, id string) []string {
	t.Helper()
	rows, _, err := w.st.FindAudit(context.Background(), domain.AuditFilter{Entity: entity, EntityID: id, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Action)
	}
	return out
}

func TestAPITokenListAndRevoke(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc
		zhang := w.newUser(t, "zhang", domain.RoleTTO, "correct horse")
		wang := w.newUser(t, "wang", domain.RoleTTO, "correct horse")
		admin := w.newUser(t, "root", domain.RoleAdmin, "correct horse")
		secretA, a, err := svc.Auth.CreateToken(ctx, zhang, "导出脚本")
		if err != nil {
			t.Fatal(err)
		}
		secretB, b, _ := svc.Auth.CreateToken(ctx, zhang, "统计脚本")
		secretC, c, _ := svc.Auth.CreateToken(ctx, wang, "他人脚本")

		t.Run("List", func(t *testing.T) {
			list, err := svc.Auth.ListTokens(ctx, zhang)
			if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
				t.Fatalf("ListAPITokens = %+v, %v", list, err)
			}
			_, err = svc.Auth.ListTokens(ctx, nil)
			wantCode(t, err, domain.EUNAUTHORIZED, "")
		})

		t.Run("LastUsed", func(t *testing.T) {
			start := w.city.Clock.Now()
			defer w.city.Clock.Set(start)
			steps := []struct {
				advance time.Duration
				want    time.Time
			}{
				{0, start}, {30 * time.Second, start}, {90 * time.Second, start.Add(90 * time.Second)},
			}
			for i, st := range steps {
				w.city.Clock.Set(start.Add(st.advance))
				if u, err := svc.Auth.UserByAPIToken(ctx, secretA); err != nil || u.ID != zhang.UserID {
					t.Fatalf("step %d: token user %v, %v", i, u, err)
				}
				list, _ := svc.Auth.ListTokens(ctx, zhang)
				if got := list[1].LastUsedAt; !got.Equal(st.want) {
					t.Fatalf("step %d: last used %v, want %v", i, got, st.want)
				}
			}
		})

		t.Run("Revoke", func(t *testing.T) {
			tests := []struct {
				name    string
				actor   *domain.Actor
				id      int64
				wantErr string
				secret  string // stops working when revoked
			}{
				{"Public", nil, a.ID, domain.EUNAUTHORIZED, ""},
				{"OtherUsersToken", zhang, c.ID, domain.ENOTFOUND, ""},
				{"Missing", zhang, 987654, domain.ENOTFOUND, ""},
				{"Own", zhang, a.ID, "", secretA},
				{"Again", zhang, a.ID, domain.ENOTFOUND, ""},
				{"AdminAnyones", admin, c.ID, "", secretC},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					err := svc.Auth.RevokeToken(ctx, tt.actor, tt.id)
					if tt.wantErr != "" {
						wantCode(t, err, tt.wantErr, "")
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					_, err = svc.Auth.UserByAPIToken(ctx, tt.secret)
					wantCode(t, err, domain.EUNAUTHORIZED, "")
					if acts := w.auditActions(t, "api_token", strconv.FormatInt(tt.id, 10)); !strings.Contains(strings.Join(acts, ","), "token.revoke") {
						t.Fatalf("audit of token %d: %v", tt.id, acts)
					}
				})
			}
			if u, err := svc.Auth.UserByAPIToken(ctx, secretB); err != nil || u.ID != zhang.UserID {
				t.Fatalf("the unrevoked token: %v, %v", u, err)
			}
			if list, _ := svc.Auth.ListTokens(ctx, wang); len(list) != 0 {
				t.Fatalf("wang still has %d tokens", len(list))
			}
		})
		if rep, err := w.st.VerifyAudit(ctx); err != nil || !rep.OK {
			t.Fatalf("audit %+v, %v", rep, err)
		}
	})
}

func TestChangeOwnPassword(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc
		const old, next = "correct horse", "battery staple"
		zhao := w.newUser(t, "zhao", domain.RoleTTO, old)
		keep, _, err := svc.Auth.Login(ctx, "zhao", old, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		other, _, _ := svc.Auth.Login(ctx, "zhao", old, "10.0.0.2")

		tests := []struct {
			name           string
			actor          *domain.Actor
			current, next  string
			code, field    string
			countsAsFailed bool
		}{
			{"Public", nil, old, next, domain.EUNAUTHORIZED, "", false},
			{"NoCurrent", zhao, "", next, domain.EINVALID, "current_password", false},
			{"TooShort", zhao, old, "short", domain.EINVALID, "new_password", false},
			{"SameAsCurrent", zhao, old, old, domain.EINVALID, "new_password", false},
			{"WrongCurrent", zhao, "wrong horse", next, domain.EINVALID, "current_password", true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := svc.Auth.ChangeOwnPassword(ctx, tt.actor, tt.current, tt.next, "10.0.0.9", keep, false)
				wantCode(t, err, tt.code, tt.field)
			})
		}

		t.Run("RateLimit", func(t *testing.T) {
			start := w.city.Clock.Now()
			for range 4 { // with WrongCurrent above, five failures
				err := svc.Auth.ChangeOwnPassword(ctx, zhao, "wrong horse", next, "10.0.0.9", keep, false)
				wantCode(t, err, domain.EINVALID, "current_password")
			}
			err := svc.Auth.ChangeOwnPassword(ctx, zhao, old, next, "10.0.0.9", keep, false)
			wantCode(t, err, domain.ERATELIMIT, "")
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, "次数过多") {
				t.Fatalf("rate-limit message %q", msg)
			}
			// The same limiter guards the login page from that address,
			// and only from that address.
			_, _, err = svc.Auth.Login(ctx, "zhao", old, "10.0.0.9")
			wantCode(t, err, domain.ERATELIMIT, "")
			if _, _, err := svc.Auth.Login(ctx, "zhao", old, "10.0.0.7"); err != nil {
				t.Fatalf("login from another address: %v", err)
			}
			w.city.Clock.Set(start.Add(16 * time.Minute))
		})

		t.Run("Changed", func(t *testing.T) {
			if err := svc.Auth.ChangeOwnPassword(ctx, zhao, old, next, "10.0.0.9", keep, false); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Auth.UserBySession(ctx, keep); err != nil {
				t.Fatalf("the current session ended: %v", err)
			}
			_, err := svc.Auth.UserBySession(ctx, other)
			wantCode(t, err, domain.ENOTFOUND, "")
			_, _, err = svc.Auth.Login(ctx, "zhao", old, "10.0.0.3")
			wantCode(t, err, domain.EUNAUTHORIZED, "")
			if _, _, err := svc.Auth.Login(ctx, "zhao", next, "10.0.0.3"); err != nil {
				t.Fatalf("new password: %v", err)
			}
			acts := w.auditActions(t, "user", strconv.FormatInt(zhao.UserID, 10))
			if !strings.Contains(strings.Join(acts, ","), "user.set_password") {
				t.Fatalf("audit of the user: %v", acts)
			}
		})

		t.Run("ByTokenEndsAllSessions", func(t *testing.T) {
			s1, _, _ := svc.Auth.Login(ctx, "zhao", next, "10.0.0.4")
			if err := svc.Auth.ChangeOwnPassword(ctx, zhao, next, old, "10.0.0.4", "", false); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{keep, s1} {
				_, err := svc.Auth.UserBySession(ctx, s)
				wantCode(t, err, domain.ENOTFOUND, "")
			}
		})
	})
}
