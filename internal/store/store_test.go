package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// eachStore runs fn as a subtest on a fresh migrated store of every
// configured database: this is the conformance suite's driver. Tests run
// in parallel: each has its own databases, and creating a PostgreSQL
// database is mostly waiting.
func eachStore(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) { fn(t, ns.Store) })
	}
}

// wantCode fails unless err is a domain error with code (and, when field is
// not empty, naming field).
func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a domain error %s", err, code)
	}
	if de.Code != code || (field != "" && de.Field != field) {
		t.Fatalf("got %s/%s (%s), want %s/%s", de.Code, de.Field, de.Message, code, field)
	}
}

func inTx(t *testing.T, st *store.Store, fn func(tx *store.Q) error) error {
	t.Helper()
	return st.InTx(context.Background(), fn)
}

func TestOrgs(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		got, err := st.FindOrgByID(ctx, city.Univ.ID)
		if err != nil || got.Name != "东北大学" || got.USCC != city.Univ.USCC || got.Kind != domain.OrgUniversity || got.RegionCode != storetest.Heping {
			t.Fatalf("FindOrgByID = %+v, %v", got, err)
		}
		if got.CreatedAt.IsZero() {
			t.Error("created_at not stored")
		}
		_, err = st.FindOrgByID(ctx, 999999)
		wantCode(t, err, domain.ENOTFOUND, "")

		t.Run("DuplicateUSCC", func(t *testing.T) {
			dup := &domain.Org{Kind: domain.OrgEnterprise, Name: "冒名公司", USCC: city.Ent.USCC, RegionCode: storetest.Tiexi}
			err := inTx(t, st, func(tx *store.Q) error { return tx.CreateOrg(ctx, dup) })
			wantCode(t, err, domain.EINVALID, "uscc")
			if !strings.Contains(domain.ErrorMessage(err), city.Ent.USCC) {
				t.Errorf("message %q does not name the code", domain.ErrorMessage(err))
			}
		})
		t.Run("NoUSCCTwice", func(t *testing.T) {
			// Registries have no credit code in the fixture: NULLs never collide.
			err := inTx(t, st, func(tx *store.Q) error {
				return tx.CreateOrg(ctx, &domain.Org{Kind: domain.OrgRegistry, Name: "第三登记点", RegionCode: storetest.Tiexi})
			})
			if err != nil {
				t.Fatal(err)
			}
		})
		t.Run("FindOrgs", func(t *testing.T) {
			all, total, err := st.FindOrgs(ctx, domain.OrgFilter{})
			if err != nil || total != 13 || len(all) != 13 { // the world's twelve and 第三登记点
				t.Fatalf("FindOrgs = %d/%d, %v", len(all), total, err)
			}
			ents, total, err := st.FindOrgs(ctx, domain.OrgFilter{Kind: domain.OrgEnterprise, Limit: 2})
			if err != nil || total != 3 || len(ents) != 2 {
				t.Fatalf("enterprises page = %d/%d, %v", len(ents), total, err)
			}
			next, _, _ := st.FindOrgs(ctx, domain.OrgFilter{Kind: domain.OrgEnterprise, Limit: 2, Offset: 2})
			if len(next) != 1 || next[0].ID == ents[0].ID || next[0].ID == ents[1].ID {
				t.Fatalf("second page = %+v", next)
			}
			q, total, err := st.FindOrgs(ctx, domain.OrgFilter{Query: "沈阳"})
			if err != nil || total != 7 || len(q) != 7 { // all but the university, the institute, the Beijing firm and the district registries
				t.Fatalf("query 沈阳 = %d/%d, %v", len(q), total, err)
			}
		})
	})
}

func TestUsersSessionsTokens(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		u := &domain.User{Username: "li", DisplayName: "李登记员", Role: domain.RoleRegistrar, OrgID: city.Registry.ID, PasswordHash: "h1"}
		if err := inTx(t, st, func(tx *store.Q) error { return tx.CreateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		dup := &domain.User{Username: "li", DisplayName: "x", Role: domain.RoleTTO, OrgID: city.Univ.ID, PasswordHash: "h"}
		wantCode(t, inTx(t, st, func(tx *store.Q) error { return tx.CreateUser(ctx, dup) }), domain.EINVALID, "username")
		bad := &domain.User{Username: "ghost", DisplayName: "x", Role: domain.RoleTTO, OrgID: 424242, PasswordHash: "h"}
		if err := inTx(t, st, func(tx *store.Q) error { return tx.CreateUser(ctx, bad) }); err == nil {
			t.Fatal("user of a missing organisation was stored (foreign keys off?)")
		}

		got, err := st.FindUserByUsername(ctx, "li")
		if err != nil || got.ID != u.ID || got.OrgName != city.Registry.Name || got.Role != domain.RoleRegistrar || got.PasswordHash != "h1" || got.Disabled {
			t.Fatalf("FindUserByUsername = %+v, %v", got, err)
		}
		_, err = st.FindUserByID(ctx, 987654)
		wantCode(t, err, domain.ENOTFOUND, "")
		if err := inTx(t, st, func(tx *store.Q) error { return tx.SetPassword(ctx, u.ID, "h2") }); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.FindUserByID(ctx, u.ID); got.PasswordHash != "h2" {
			t.Fatalf("password hash = %q", got.PasswordHash)
		}
		wantCode(t, inTx(t, st, func(tx *store.Q) error { return tx.SetPassword(ctx, 987654, "x") }), domain.ENOTFOUND, "")
		if us, err := st.FindUsers(ctx, city.Univ.ID); err != nil || len(us) != 1 || us[0].ID != city.User("tto").ID {
			t.Fatalf("FindUsers(univ) = %d, %v", len(us), err)
		}
		if us, err := st.FindUsers(ctx, 0); err != nil || len(us) != len(city.Users)+1 {
			t.Fatalf("FindUsers(all) = %d, %v", len(us), err)
		}

		t.Run("SessionExpiry", func(t *testing.T) {
			now := time.Date(2023, 5, 1, 12, 0, 0, 0, time.UTC)
			if err := st.CreateSession(ctx, "live", u.ID, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := st.CreateSession(ctx, "old", u.ID, now.Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if got, err := st.FindSessionUser(ctx, "live", now); err != nil || got.ID != u.ID {
				t.Fatalf("live session = %v, %v", got, err)
			}
			_, err := st.FindSessionUser(ctx, "live", now.Add(time.Hour))
			wantCode(t, err, domain.ENOTFOUND, "") // expires_at is exclusive
			_, err = st.FindSessionUser(ctx, "old", now)
			wantCode(t, err, domain.ENOTFOUND, "")
			n, err := st.DeleteExpiredSessions(ctx, now)
			if err != nil || n != 1 {
				t.Fatalf("DeleteExpiredSessions = %d, %v", n, err)
			}
			if err := st.DeleteSession(ctx, "live"); err != nil {
				t.Fatal(err)
			}
			_, err = st.FindSessionUser(ctx, "live", now)
			wantCode(t, err, domain.ENOTFOUND, "")
		})
		t.Run("APIToken", func(t *testing.T) {
			tok := &domain.APIToken{UserID: u.ID, Name: "脚本"}
			if err := inTx(t, st, func(tx *store.Q) error { return tx.CreateAPIToken(ctx, tok, "tokhash", 20) }); err != nil {
				t.Fatal(err)
			}
			if tok.ID == 0 || tok.CreatedAt.IsZero() {
				t.Fatalf("token = %+v", tok)
			}
			if got, tt, err := st.FindAPITokenUser(ctx, "tokhash"); err != nil || got.ID != u.ID || tt.ID != tok.ID {
				t.Fatalf("FindAPITokenUser = %v, %v, %v", got, tt, err)
			}
			_, _, err := st.FindAPITokenUser(ctx, "other")
			wantCode(t, err, domain.ENOTFOUND, "")
		})
	})
}

func TestSettingsTargetsRegionsChains(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if v, err := st.Setting(ctx, "nope", "def"); err != nil || v != "def" {
			t.Fatalf("unset setting = %q, %v", v, err)
		}
		if _, ok, err := st.Target(ctx, 2023, "contract_turnover_fen"); err != nil || ok {
			t.Fatalf("unset target ok=%v, %v", ok, err)
		}
		err := inTx(t, st, func(tx *store.Q) error {
			for _, step := range []error{
				tx.SetSetting(ctx, "city_name", "大连市"), tx.SetSetting(ctx, "city_name", "沈阳市"),
				tx.SetTarget(ctx, 2023, "contract_turnover_fen", 1), tx.SetTarget(ctx, 2023, "contract_turnover_fen", 45_000_000_000_00),
				tx.PutRegion(ctx, domain.Region{Code: "210112", Name: "浑南新区", Parent: "210100"}),
				tx.PutRegion(ctx, domain.Region{Code: "210112", Name: "浑南区", Parent: "210100"}),
				tx.PutRegion(ctx, domain.Region{Code: "210102", Name: "和平区", Parent: "210100"}),
				tx.PutChain(ctx, domain.Chain{Code: "ic", Name: "集成电路"}, 2),
				tx.PutChain(ctx, domain.Chain{Code: "robot", Name: "机器人"}, 1),
				tx.PutChain(ctx, domain.Chain{Code: "ic", Name: "集成电路装备"}, 3),
			} {
				if step != nil {
					return step
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := st.Setting(ctx, "city_name", ""); v != "沈阳市" {
			t.Errorf("setting upsert = %q", v)
		}
		if v, ok, _ := st.Target(ctx, 2023, "contract_turnover_fen"); !ok || v != 45_000_000_000_00 {
			t.Errorf("target upsert = %d %v", v, ok)
		}
		rs, err := st.Regions(ctx)
		if err != nil || len(rs) != 2 || rs[0].Code != "210102" || rs[1].Name != "浑南区" {
			t.Errorf("regions = %+v, %v", rs, err)
		}
		cs, err := st.Chains(ctx)
		if err != nil || len(cs) != 2 || cs[0].Code != "robot" || cs[1].Name != "集成电路装备" {
			t.Errorf("chains = %+v, %v", cs, err)
		}
	})
}

func TestTxRollback(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := inTx(t, st, func(tx *store.Q) error {
			if err := tx.SetSetting(ctx, "k", "v"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		if v, _ := st.Setting(ctx, "k", "unset"); v != "unset" {
			t.Fatalf("rolled-back write visible: %q", v)
		}
	})
}
