package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

func TestLogin(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc
		u := &domain.User{Username: "li", DisplayName: "李登记员", Role: domain.RoleRegistrar, OrgID: w.city.Registry.ID}
		if err := svc.Admin.CreateUser(ctx, domain.SystemActor(), u, "correct horse"); err != nil {
			t.Fatal(err)
		}
		other := &domain.User{Username: "wang", DisplayName: "王科长", Role: domain.RoleBureau, OrgID: w.city.Registry.ID}
		if err := svc.Admin.CreateUser(ctx, w.bureau, other, "correct horse"); err == nil {
			t.Fatal("bureau staff created a user")
		}
		err := svc.Admin.CreateUser(ctx, domain.SystemActor(), &domain.User{Username: "x", DisplayName: "", Role: "king", OrgID: 424242}, "short")
		if e, ok := err.(*domain.Error); !ok || len(e.Fields) != 3 {
			t.Fatalf("bad user: %v (want display_name, role, password)", err)
		}

		tok, got, err := svc.Auth.Login(ctx, " li ", "correct horse", "10.0.0.1")
		if err != nil || got.ID != u.ID || tok == "" {
			t.Fatalf("login: %v", err)
		}
		if su, err := svc.Auth.UserBySession(ctx, tok); err != nil || su.ID != u.ID {
			t.Fatalf("session user %v, %v", su, err)
		}
		_, _, err = svc.Auth.Login(ctx, "li", "wrong", "10.0.0.1")
		wantCode(t, err, domain.EUNAUTHORIZED, "")
		_, _, err = svc.Auth.Login(ctx, "nobody", "wrong", "10.0.0.1")
		wantCode(t, err, domain.EUNAUTHORIZED, "")
		_, _, err = svc.Auth.Login(ctx, "li", "", "10.0.0.1")
		wantCode(t, err, domain.EINVALID, "username")

		t.Run("RateLimit", func(t *testing.T) {
			for range 5 {
				_, _, err := svc.Auth.Login(ctx, "li", "wrong", "10.0.0.2")
				wantCode(t, err, domain.EUNAUTHORIZED, "")
			}
			_, _, err := svc.Auth.Login(ctx, "li", "correct horse", "10.0.0.2")
			wantCode(t, err, domain.ERATELIMIT, "")
			// Guesses from 10.0.0.2 do not lock li out elsewhere (M5).
			if _, _, err := svc.Auth.Login(ctx, "li", "correct horse", "10.0.0.3"); err != nil {
				t.Fatalf("from another address: %v", err)
			}
			w.city.Clock.Advance(16 * time.Minute)
			if _, _, err := svc.Auth.Login(ctx, "li", "correct horse", "10.0.0.2"); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})
		t.Run("SessionExpiresAndLogout", func(t *testing.T) {
			tok, _, err := svc.Auth.Login(ctx, "li", "correct horse", "10.0.0.4")
			if err != nil {
				t.Fatal(err)
			}
			w.city.Clock.Advance(service.SessionTTL + time.Second)
			_, err = svc.Auth.UserBySession(ctx, tok)
			wantCode(t, err, domain.ENOTFOUND, "")
			tok, _, _ = svc.Auth.Login(ctx, "li", "correct horse", "10.0.0.4")
			if err := svc.Auth.Logout(ctx, tok); err != nil {
				t.Fatal(err)
			}
			_, err = svc.Auth.UserBySession(ctx, tok)
			wantCode(t, err, domain.ENOTFOUND, "")
		})
		t.Run("APIToken", func(t *testing.T) {
			a := service.ActorOf(u)
			secret, at, err := svc.Auth.CreateToken(ctx, a, "导出脚本")
			if err != nil || !strings.HasPrefix(secret, service.APITokenPrefix) || at.ID == 0 {
				t.Fatalf("token %q %+v, %v", secret, at, err)
			}
			if tu, err := svc.Auth.UserByAPIToken(ctx, secret); err != nil || tu.ID != u.ID {
				t.Fatalf("token user %v, %v", tu, err)
			}
			for _, bad := range []string{"kc_nope", secret[3:], ""} {
				_, err := svc.Auth.UserByAPIToken(ctx, bad)
				wantCode(t, err, domain.EUNAUTHORIZED, "")
			}
			_, _, err = svc.Auth.CreateToken(ctx, a, " ")
			wantCode(t, err, domain.EINVALID, "name")
			_, _, err = svc.Auth.CreateToken(ctx, nil, "x")
			wantCode(t, err, domain.EUNAUTHORIZED, "")
		})
		t.Run("SetPassword", func(t *testing.T) {
			err := svc.Admin.SetPassword(ctx, service.ActorOf(other), u.ID, "new password")
			wantCode(t, err, domain.EFORBIDDEN, "")
			if err := svc.Admin.SetPassword(ctx, service.ActorOf(u), u.ID, "new password"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := svc.Auth.Login(ctx, "li", "new password", "10.0.0.5"); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("CreateOrg", func(t *testing.T) {
			o := &domain.Org{Kind: domain.OrgEnterprise, Name: "新公司", USCC: " ９１３１００００７７５７８５５５２ｌ", RegionCode: "210106"}
			if err := svc.Admin.CreateOrg(ctx, w.bureau, o); err != nil || o.USCC != "91310000775785552L" {
				t.Fatalf("org %+v, %v", o, err)
			}
			dup := &domain.Org{Kind: domain.OrgEnterprise, Name: "重复", USCC: o.USCC, RegionCode: "210106"}
			wantCode(t, svc.Admin.CreateOrg(ctx, w.bureau, dup), domain.EINVALID, "uscc")
			wantCode(t, svc.Admin.CreateOrg(ctx, w.ent, &domain.Org{}), domain.EFORBIDDEN, "")
		})
		if rep, err := w.st.VerifyAudit(ctx); err != nil || !rep.OK {
			t.Fatalf("audit %+v, %v", rep, err)
		}
	})
}
