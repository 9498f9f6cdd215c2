package service_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
)

// adminWorld is a world with a real administrator account and the region
// list the organisation checks read.
func adminWorld(t *testing.T, w *world) *domain.Actor {
	t.Helper()
	return w.newUser(t, "root", domain.RoleAdmin, "correct horse")
}

func ptr[T any](v T) *T { return &v }

func TestAdminOrgPolicyByRole(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		for i, c := range []struct {
			name string
			a    *domain.Actor
			want string
		}{{"admin", admin, ""}, {"bureau", w.bureau, ""}, {"registrar", w.registrar, domain.EFORBIDDEN},
			{"tto", w.univ, domain.EFORBIDDEN}, {"enterprise", w.ent, domain.EFORBIDDEN}, {"agency", w.agency, domain.EFORBIDDEN},
			{"expert", w.expert, domain.EFORBIDDEN}, {"public", nil, domain.EUNAUTHORIZED}} {
			t.Run(c.name, func(t *testing.T) {
				o := &domain.Org{Kind: domain.OrgEnterprise, Name: "企业" + c.name, USCC: storetest.USCC(200 + i), RegionCode: storetest.Tiexi}
				err := w.svc.Admin.CreateOrg(ctx, c.a, o)
				if domain.ErrorCode(err) != c.want {
					t.Fatalf("create: %v, want %q", err, c.want)
				}
				_, err = w.svc.Admin.UpdateOrg(ctx, c.a, w.city.Ent.ID, 0, domain.OrgUpdate{Name: ptr("改名" + c.name)})
				if domain.ErrorCode(err) != c.want {
					t.Fatalf("update: %v, want %q", err, c.want)
				}
				_, _, err = w.svc.Admin.Orgs(ctx, c.a, domain.OrgFilter{})
				if (err == nil) != (c.a != nil) {
					t.Fatalf("list: %v", err)
				}
			})
		}
	})
}

func TestAdminOrgValidation(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		for _, c := range []struct {
			name  string
			org   domain.Org
			field string
		}{
			{"BadUSCC", domain.Org{Kind: domain.OrgEnterprise, Name: "甲", USCC: "91210100MA0000000X", RegionCode: storetest.Tiexi}, "uscc"},
			{"UnknownRegion", domain.Org{Kind: domain.OrgEnterprise, Name: "乙", RegionCode: "999999"}, "region_code"},
			{"ShortRegion", domain.Org{Kind: domain.OrgEnterprise, Name: "丙", RegionCode: "2101"}, "region_code"},
			{"BureauOutsideCity", domain.Org{Kind: domain.OrgBureau, Name: "丁", RegionCode: storetest.Beijing}, "region_code"},
			{"NoName", domain.Org{Kind: domain.OrgEnterprise, Name: "  ", RegionCode: storetest.Tiexi}, "name"},
			{"BadKind", domain.Org{Kind: "club", Name: "戊", RegionCode: storetest.Tiexi}, "kind"},
			{"DuplicateUSCC", domain.Org{Kind: domain.OrgEnterprise, Name: "己", USCC: w.city.Ent.USCC, RegionCode: storetest.Tiexi}, "uscc"},
		} {
			t.Run(c.name, func(t *testing.T) {
				o := c.org
				if c.name == "BureauOutsideCity" {
					// Beijing must be a known region for the city rule to be what refuses it.
					if err := w.st.PutRegion(ctx, domain.Region{Code: storetest.Beijing, Name: "北京市海淀区"}); err != nil {
						t.Fatal(err)
					}
				}
				wantCode(t, w.svc.Admin.CreateOrg(ctx, admin, &o), domain.EINVALID, c.field)
			})
		}
		t.Run("EnterpriseOutsideCity", func(t *testing.T) {
			if err := w.st.PutRegion(ctx, domain.Region{Code: storetest.Beijing, Name: "北京市海淀区"}); err != nil {
				t.Fatal(err)
			}
			o := &domain.Org{Kind: domain.OrgEnterprise, Name: "北京买方", RegionCode: storetest.Beijing}
			if err := w.svc.Admin.CreateOrg(ctx, admin, o); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("Update", func(t *testing.T) {
			_, err := w.svc.Admin.UpdateOrg(ctx, admin, w.city.Ent.ID, 0, domain.OrgUpdate{RegionCode: ptr("888888")})
			wantCode(t, err, domain.EINVALID, "region_code")
			o, err := w.svc.Admin.UpdateOrg(ctx, admin, w.city.Ent.ID, 1, domain.OrgUpdate{Name: ptr(" 海龟医疗 ")})
			if err != nil || o.Name != "海龟医疗" || o.Version != 2 {
				t.Fatalf("update %+v, %v", o, err)
			}
			_, err = w.svc.Admin.UpdateOrg(ctx, admin, w.city.Ent.ID, 1, domain.OrgUpdate{Name: ptr("旧版本")})
			wantCode(t, err, domain.ECONFLICT, "")
			// The world's enterprise user would not fit a registry.
			_, err = w.svc.Admin.UpdateOrg(ctx, admin, w.city.Ent.ID, 0, domain.OrgUpdate{Kind: ptr(domain.OrgRegistry)})
			wantCode(t, err, domain.EINVALID, "kind")
		})
	})
}

func TestAdminOrgDisable(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		zhang := w.newUser(t, "zhang", domain.RoleTTO, "correct horse") // of w.city.Univ
		univ := w.city.Univ.ID
		_, err := w.svc.Admin.DisableOrg(ctx, admin, univ, 0)
		wantCode(t, err, domain.ECONFLICT, "")
		if _, err := w.svc.Admin.DisableUser(ctx, admin, zhang.UserID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Admin.DisableUser(ctx, admin, admin.UserID, 0); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("an administrator disabled themself: %v", err)
		}
		// root, the administrator, belongs to Univ too: move them away first;
		// the world's other users of Univ are disabled.
		if _, err := w.svc.Admin.UpdateUser(ctx, w.systemAdmin(), admin.UserID, 0, domain.UserUpdate{OrgID: ptr(w.city.Ent.ID)}); err != nil {
			t.Fatal(err)
		}
		others, _, err := w.svc.Admin.Users(ctx, admin, domain.UserFilter{OrgID: univ, Status: domain.StatusActive})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range others {
			if _, err := w.svc.Admin.DisableUser(ctx, admin, u.ID, 0); err != nil {
				t.Fatal(err)
			}
		}
		o, err := w.svc.Admin.DisableOrg(ctx, admin, univ, 0)
		if err != nil || !o.Disabled {
			t.Fatalf("disable %+v, %v", o, err)
		}
		if _, err := w.svc.Admin.DisableOrg(ctx, admin, univ, 0); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("disabled twice: %v", err)
		}
		if !slices.Equal(keys(w.svc.Admin.OrgActions(admin, o)), []string{"enable", "update"}) {
			t.Fatalf("actions %v", w.svc.Admin.OrgActions(admin, o))
		}
		u := &domain.User{Username: "newbie", DisplayName: "新人", Role: domain.RoleTTO, OrgID: univ}
		wantCode(t, w.svc.Admin.CreateUser(ctx, admin, u, "correct horse"), domain.EINVALID, "org_id")
		_, err = w.svc.Admin.EnableUser(ctx, admin, zhang.UserID, 0)
		wantCode(t, err, domain.ECONFLICT, "")
		if _, err := w.svc.Admin.EnableOrg(ctx, admin, univ, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Admin.EnableUser(ctx, admin, zhang.UserID, 0); err != nil {
			t.Fatal(err)
		}
		events, err := w.svc.Admin.OrgEvents(ctx, admin, univ)
		if err != nil || len(events) != 2 || events[0].Action != "disable" || events[1].To != "active" {
			t.Fatalf("events %+v, %v", events, err)
		}
		id := strconv.FormatInt(univ, 10)
		if got := w.auditActions(t, "org", id); !slices.Equal(got, []string{"org.enable", "org.disable"}) {
			t.Fatalf("audit %v", got)
		}
	})
}

// systemAdmin is the command line's actor.
func (w *world) systemAdmin() *domain.Actor { return domain.SystemActor() }

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestAdminUserPolicyAndValidation(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		for _, a := range []*domain.Actor{w.bureau, w.registrar, w.univ, w.ent, w.agency, w.expert} {
			u := &domain.User{Username: "x" + string(a.Role), DisplayName: "某", Role: domain.RoleTTO, OrgID: w.city.Univ.ID}
			wantCode(t, w.svc.Admin.CreateUser(ctx, a, u, "correct horse"), domain.EFORBIDDEN, "")
			_, _, err := w.svc.Admin.Users(ctx, a, domain.UserFilter{})
			wantCode(t, err, domain.EFORBIDDEN, "")
			_, err = w.svc.Admin.DisableUser(ctx, a, admin.UserID, 0)
			wantCode(t, err, domain.EFORBIDDEN, "")
			_, _, err = w.svc.Admin.ResetPassword(ctx, a, admin.UserID, "")
			wantCode(t, err, domain.EFORBIDDEN, "")
		}
		for _, c := range []struct {
			name  string
			u     domain.User
			field string
		}{
			{"BadUsername", domain.User{Username: "张三", DisplayName: "张三", Role: domain.RoleTTO, OrgID: w.city.Univ.ID}, "username"},
			{"RoleDoesNotFit", domain.User{Username: "reg", DisplayName: "登记员", Role: domain.RoleRegistrar, OrgID: w.city.Univ.ID}, "role"},
			{"NoOrg", domain.User{Username: "lost", DisplayName: "无机构", Role: domain.RoleExpert, OrgID: 999999}, "org_id"},
			{"Duplicate", domain.User{Username: "root", DisplayName: "重名", Role: domain.RoleAdmin, OrgID: w.city.Univ.ID}, "username"},
		} {
			t.Run(c.name, func(t *testing.T) {
				u := c.u
				wantCode(t, w.svc.Admin.CreateUser(ctx, admin, &u, "correct horse"), domain.EINVALID, c.field)
			})
		}
		u := &domain.User{Username: "li.ming", DisplayName: "李明", Role: domain.RoleEnterprise, OrgID: w.city.Ent.ID}
		if err := w.svc.Admin.CreateUser(ctx, admin, u, "correct horse"); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.Admin.UpdateUser(ctx, admin, u.ID, 0, domain.UserUpdate{Role: ptr(domain.RoleRegistrar)})
		wantCode(t, err, domain.EINVALID, "role")
		got, err := w.svc.Admin.UpdateUser(ctx, admin, u.ID, u.Version, domain.UserUpdate{Role: ptr(domain.RoleRegistrar), OrgID: ptr(w.city.Registry.ID), DisplayName: ptr("李登记")})
		if err != nil || got.Role != domain.RoleRegistrar || got.OrgName != w.city.Registry.Name || got.DisplayName != "李登记" {
			t.Fatalf("update %+v, %v", got, err)
		}
		_, err = w.svc.Admin.UpdateUser(ctx, admin, admin.UserID, 0, domain.UserUpdate{Role: ptr(domain.RoleExpert)})
		wantCode(t, err, domain.EFORBIDDEN, "")
		list, total, err := w.svc.Admin.Users(ctx, admin, domain.UserFilter{Role: domain.RoleRegistrar, Query: "李"})
		if err != nil || total != 1 || list[0].ID != u.ID {
			t.Fatalf("list %+v %d, %v", list, total, err)
		}
		_, _, err = w.svc.Admin.Users(ctx, admin, domain.UserFilter{Sort: "password_hash"})
		wantCode(t, err, domain.EINVALID, "sort")
	})
}

func TestAdminDisableEndsAccess(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		zhang := w.newUser(t, "zhang", domain.RoleTTO, "correct horse")
		session, _, err := w.svc.Auth.Login(ctx, "zhang", "correct horse", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := w.svc.Auth.CreateToken(ctx, zhang, "脚本")
		if err != nil {
			t.Fatal(err)
		}
		u, err := w.svc.Admin.DisableUser(ctx, admin, zhang.UserID, 1)
		if err != nil || !u.Disabled {
			t.Fatalf("disable %+v, %v", u, err)
		}
		if _, err := w.svc.Auth.UserBySession(ctx, session); err == nil {
			t.Fatal("the disabled user's session still works")
		}
		if _, err := w.svc.Auth.UserByAPIToken(ctx, secret); err == nil {
			t.Fatal("the disabled user's token still works")
		}
		if tokens, _ := w.svc.Auth.ListTokens(ctx, zhang); len(tokens) != 0 {
			t.Fatalf("tokens left: %+v", tokens)
		}
		if _, _, err := w.svc.Auth.Login(ctx, "zhang", "correct horse", "10.0.0.1"); err == nil {
			t.Fatal("a disabled user logged in")
		}
		if _, err := w.svc.Admin.EnableUser(ctx, admin, zhang.UserID, u.Version); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.Auth.Login(ctx, "zhang", "correct horse", "10.0.0.1"); err != nil {
			t.Fatalf("re-enabled user: %v", err)
		}
		events, err := w.svc.Admin.UserEvents(ctx, admin, zhang.UserID)
		if err != nil || len(events) != 3 || events[1].Action != "disable" || events[1].Comment != "结束 1 个登录会话，作废 1 个 API 令牌" {
			t.Fatalf("events %+v, %v", events, err)
		}
		got := w.auditActions(t, "user", strconv.FormatInt(zhang.UserID, 10))
		if !slices.Contains(got, "user.disable") || !slices.Contains(got, "user.enable") {
			t.Fatalf("audit %v", got)
		}
	})
}

func TestAdminResetPasswordAndUnlock(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		zhang := w.newUser(t, "zhang", domain.RoleTTO, "correct horse")
		session, _, err := w.svc.Auth.Login(ctx, "zhang", "correct horse", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		pw, _, err := w.svc.Admin.ResetPassword(ctx, admin, zhang.UserID, "")
		if err != nil || len(pw) != 12 {
			t.Fatalf("generated %q, %v", pw, err)
		}
		if _, err := w.svc.Auth.UserBySession(ctx, session); err == nil {
			t.Fatal("the session survived a password reset")
		}
		if _, _, err := w.svc.Auth.Login(ctx, "zhang", "correct horse", "10.0.0.2"); err == nil {
			t.Fatal("the old password still works")
		}
		if _, _, err := w.svc.Auth.Login(ctx, "zhang", pw, "10.0.0.2"); err != nil {
			t.Fatalf("new password: %v", err)
		}
		_, _, err = w.svc.Admin.ResetPassword(ctx, admin, zhang.UserID, "short")
		wantCode(t, err, domain.EINVALID, "password")

		t.Run("Unlock", func(t *testing.T) {
			// Five wrong passwords from one address lock the name there
			// (only there: see TestLoginLimitSharedByProcesses).
			for range 5 {
				w.svc.Auth.Login(ctx, "zhang", "wrong password", "10.0.2.1")
			}
			if _, _, err := w.svc.Auth.Login(ctx, "zhang", pw, "10.0.2.1"); domain.ErrorCode(err) != domain.ERATELIMIT {
				t.Fatalf("locked user: %v", err)
			}
			u, _ := w.svc.Admin.User(ctx, admin, zhang.UserID)
			if until, err := w.svc.Admin.LockedUntil(ctx, admin, u); err != nil || until.IsZero() {
				t.Fatalf("the lock from one address is not shown: %v, %v", until, err)
			}
			if _, err := w.svc.Admin.Unlock(ctx, w.bureau, zhang.UserID); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Fatalf("bureau unlocked: %v", err)
			}
			if _, err := w.svc.Admin.Unlock(ctx, admin, zhang.UserID); err != nil {
				t.Fatal(err)
			}
			if until, err := w.svc.Admin.LockedUntil(ctx, admin, u); err != nil || !until.IsZero() {
				t.Fatalf("still shown locked after the unlock: %v, %v", until, err)
			}
			if _, _, err := w.svc.Auth.Login(ctx, "zhang", pw, "10.0.2.1"); err != nil {
				t.Fatalf("unlocked user: %v", err)
			}
			got := w.auditActions(t, "user", strconv.FormatInt(zhang.UserID, 10))
			if !slices.Contains(got, "user.unlock") || !slices.Contains(got, "user.reset_password") {
				t.Fatalf("audit %v", got)
			}
		})
	})
}

func TestAdminSettings(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		if _, err := w.svc.Admin.Settings(ctx, w.univ); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("tto read settings: %v", err)
		}
		up := service.SettingsUpdate{Name: ptr("沈阳"), Targets: []domain.YearTarget{{Year: 2024, Metric: "contract_turnover_fen", Value: 123_456_789_012_345}}}
		target := func(s *domain.CitySettings, year int) int64 {
			for _, x := range s.Targets {
				if x.Year == year {
					return x.Value
				}
			}
			return 0
		}
		s, err := w.svc.Admin.UpdateSettings(ctx, w.bureau, up)
		if err != nil || s.Name != "沈阳" || target(s, 2024) != 123_456_789_012_345 {
			t.Fatalf("settings %+v, %v", s, err)
		}
		_, err = w.svc.Admin.UpdateSettings(ctx, admin, service.SettingsUpdate{Targets: []domain.YearTarget{{Year: 1900, Metric: "x", Value: -1}}})
		wantCode(t, err, domain.EINVALID, "targets")
		s, err = w.svc.Admin.UpdateSettings(ctx, admin, service.SettingsUpdate{Targets: []domain.YearTarget{{Year: 2024, Metric: "contract_turnover_fen"}}})
		if err != nil || target(s, 2024) != 0 || w.svc.Meta.CityName(ctx) != "沈阳" {
			t.Fatalf("settings %+v, %v", s, err)
		}
		if got := w.auditActions(t, "settings", "city"); len(got) != 2 {
			t.Fatalf("audit %v", got)
		}
	})
}
