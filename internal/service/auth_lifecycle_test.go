package service_test

import (
	"context"
	"testing"
	"time"

	"kechuang/internal/domain"
)

// The account lifecycle (probe finding M4): a password change or reset
// revokes API tokens, tokens carry a scope and an expiry.

// tokenWorks reports whether secret still authenticates.
func tokenWorks(t *testing.T, w *world, secret string) bool {
	t.Helper()
	_, err := w.svc.Auth.UserByAPIToken(context.Background(), secret)
	return err == nil
}

func TestOwnPasswordChangeRevokesTokens(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		zhao := w.newUser(t, "zhao", domain.RoleTTO, "correct horse")
		secret, _, err := w.svc.Auth.CreateToken(ctx, zhao, "脚本")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Auth.ChangeOwnPassword(ctx, zhao, "correct horse", "battery staple", "10.0.0.1", "", true); err != nil {
			t.Fatal(err)
		}
		if !tokenWorks(t, w, secret) {
			t.Fatal("keep_tokens: the token was revoked")
		}
		if err := w.svc.Auth.ChangeOwnPassword(ctx, zhao, "battery staple", "correct horse", "10.0.0.1", "", false); err != nil {
			t.Fatal(err)
		}
		if tokenWorks(t, w, secret) {
			t.Fatal("the token survived the owner's password change")
		}
		if list, _ := w.svc.Auth.ListTokens(ctx, zhao); len(list) != 0 {
			t.Fatalf("tokens left: %+v", list)
		}
	})
}

func TestAdminPasswordResetRevokesTokens(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		zhao := w.newUser(t, "zhao", domain.RoleTTO, "correct horse")
		session, _, err := w.svc.Auth.Login(ctx, "zhao", "correct horse", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		viaPage, _, _ := w.svc.Auth.CreateToken(ctx, zhao, "页面重置前")
		reset, _, err := w.svc.Admin.ResetPassword(ctx, admin, zhao.UserID, "")
		if err != nil {
			t.Fatal(err)
		}
		if tokenWorks(t, w, viaPage) {
			t.Fatal("the token survived the administrator's reset")
		}
		if _, err := w.svc.Auth.UserBySession(ctx, session); err == nil {
			t.Fatal("the session survived the administrator's reset")
		}
		events, err := w.svc.Admin.UserEvents(ctx, admin, zhao.UserID)
		if err != nil || events[len(events)-1].Comment != "结束 1 个登录会话，作废 1 个 API 令牌" {
			t.Fatalf("events %+v, %v", events, err)
		}

		// The command line's `user passwd` (SetPassword) does the same.
		if session, _, err = w.svc.Auth.Login(ctx, "zhao", reset, "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		viaCLI, _, _ := w.svc.Auth.CreateToken(ctx, zhao, "命令行重置前")
		if err := w.svc.Admin.SetPassword(ctx, domain.SystemActor(), zhao.UserID, "another pass 1"); err != nil {
			t.Fatal(err)
		}
		if tokenWorks(t, w, viaCLI) {
			t.Fatal("the token survived `user passwd`")
		}
		if _, err := w.svc.Auth.UserBySession(ctx, session); err == nil {
			t.Fatal("a session survived `user passwd`")
		}
	})
}

func TestTokenScopeAndExpiry(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		zhao := w.newUser(t, "zhao", domain.RoleTTO, "correct horse")
		t.Run("Invalid", func(t *testing.T) {
			for _, spec := range []domain.TokenSpec{
				{Name: "x", Scope: "admin"}, {Name: "x", Days: -1}, {Name: "x", Days: domain.MaxTokenDays + 1},
			} {
				_, _, err := w.svc.Auth.IssueToken(ctx, zhao, spec)
				field := "expires_in_days"
				if spec.Scope != "" {
					field = "scope"
				}
				wantCode(t, err, domain.EINVALID, field)
			}
		})
		secret, tok, err := w.svc.Auth.IssueToken(ctx, zhao, domain.TokenSpec{Name: "周报", Scope: domain.ScopeRead, Days: 30})
		if err != nil {
			t.Fatal(err)
		}
		want := w.city.Clock.Now().AddDate(0, 0, 30)
		if tok.Scope != domain.ScopeRead || !tok.ExpiresAt.Equal(want) {
			t.Fatalf("token %+v, want read until %v", tok, want)
		}
		u, got, err := w.svc.Auth.APITokenUser(ctx, secret)
		if err != nil || u.ID != zhao.UserID || got.Scope != domain.ScopeRead || !got.ExpiresAt.Equal(want) {
			t.Fatalf("APITokenUser = %+v, %+v, %v", u, got, err)
		}
		if got.Allows("POST") || got.Allows("DELETE") || !got.Allows("GET") {
			t.Fatalf("a read-only token allows the wrong methods: %+v", got)
		}
		list, _ := w.svc.Auth.ListTokens(ctx, zhao)
		if len(list) != 1 || list[0].Scope != domain.ScopeRead || !list[0].ExpiresAt.Equal(want) {
			t.Fatalf("list %+v", list)
		}

		w.city.Clock.Set(want.Add(-time.Second))
		if !tokenWorks(t, w, secret) {
			t.Fatal("the token stopped before its expiry")
		}
		w.city.Clock.Set(want)
		_, err = w.svc.Auth.UserByAPIToken(ctx, secret)
		wantCode(t, err, domain.EUNAUTHORIZED, "")

		// Without a scope or a lifetime: read-write until revoked.
		secret, tok, err = w.svc.Auth.IssueToken(ctx, zhao, domain.TokenSpec{Name: "长期"})
		if err != nil || tok.Scope != domain.ScopeWrite || !tok.ExpiresAt.IsZero() {
			t.Fatalf("default token %+v, %v", tok, err)
		}
		w.city.Clock.Set(want.AddDate(10, 0, 0))
		if !tokenWorks(t, w, secret) {
			t.Fatal("a token without expiry expired")
		}
	})
}
