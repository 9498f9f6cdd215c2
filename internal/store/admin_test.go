package store_test

import (
	"context"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// The administration module's queries on both databases.

func TestAdminOrgQueries(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		o, err := st.FindOrgByID(ctx, w.Ent.ID)
		if err != nil || o.Version != 1 || o.Disabled || !o.UpdatedAt.Equal(o.CreatedAt) {
			t.Fatalf("new org %+v, %v", o, err)
		}
		o.Disabled, o.Name = true, "改名公司"
		if err := inTx(t, st, func(q *store.Q) error { return q.UpdateOrg(ctx, o) }); err != nil || o.Version != 2 {
			t.Fatalf("update: %v, version %d", err, o.Version)
		}
		stale := *o
		stale.Version = 1
		wantCode(t, inTx(t, st, func(q *store.Q) error { return q.UpdateOrg(ctx, &stale) }), domain.ECONFLICT, "")
		dup := *o
		dup.USCC = w.Univ.USCC
		wantCode(t, inTx(t, st, func(q *store.Q) error { return q.UpdateOrg(ctx, &dup) }), domain.EINVALID, "uscc")

		disabled, n, err := st.FindOrgs(ctx, domain.OrgFilter{Status: domain.StatusDisabled})
		if err != nil || n != 1 || disabled[0].ID != o.ID {
			t.Fatalf("disabled orgs %v %d %v", disabled, n, err)
		}
		byCode, n, _ := st.FindOrgs(ctx, domain.OrgFilter{Query: w.Univ.USCC[10:]})
		if n != 1 || byCode[0].ID != w.Univ.ID {
			t.Fatalf("by credit code: %v", byCode)
		}
		byName, _, _ := st.FindOrgs(ctx, domain.OrgFilter{Sort: "-name", Limit: 100})
		for i := 1; i < len(byName); i++ {
			if byName[i-1].Name < byName[i].Name {
				t.Fatalf("not sorted by name descending at %d: %q < %q", i, byName[i-1].Name, byName[i].Name)
			}
		}
	})
}

func TestAdminUserQueries(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		u := w.User("tto")
		all, total, err := st.FindUsersPage(ctx, domain.UserFilter{})
		if err != nil || total != len(all) || total < 8 {
			t.Fatalf("users %d/%d %v", len(all), total, err)
		}
		mine, n, _ := st.FindUsersPage(ctx, domain.UserFilter{OrgID: u.OrgID, Role: domain.RoleTTO, Query: u.Username})
		if n != 1 || mine[0].ID != u.ID {
			t.Fatalf("filtered %v", mine)
		}
		sorted, _, _ := st.FindUsersPage(ctx, domain.UserFilter{Sort: "username", Limit: 100})
		for i := 1; i < len(sorted); i++ {
			if sorted[i-1].Username > sorted[i].Username {
				t.Fatalf("not sorted by user name at %d", i)
			}
		}
		if err := inTx(t, st, func(q *store.Q) error {
			if err := q.CreateAPIToken(ctx, &domain.APIToken{UserID: u.ID, Name: "x"}, "hash-1", 20); err != nil {
				return err
			}
			return q.CreateSession(ctx, "session-1", u.ID, w.Clock.Now().Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
		if s, tk, err := st.CountUserAccess(ctx, u.ID); err != nil || s != 1 || tk != 1 {
			t.Fatalf("access %d %d %v", s, tk, err)
		}
		before, _ := st.CountActiveUsers(ctx, u.OrgID)
		u.Disabled = true
		err = inTx(t, st, func(q *store.Q) error {
			if err := q.UpdateUser(ctx, u); err != nil {
				return err
			}
			if n, err := q.DeleteUserTokens(ctx, u.ID); err != nil || n != 1 {
				t.Errorf("tokens deleted %d, %v", n, err)
			}
			_, err := q.DeleteUserSessions(ctx, u.ID, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if after, _ := st.CountActiveUsers(ctx, u.OrgID); after != before-1 {
			t.Fatalf("active users %d → %d", before, after)
		}
		if s, tk, _ := st.CountUserAccess(ctx, u.ID); s != 0 || tk != 0 {
			t.Fatalf("access left: %d sessions, %d tokens", s, tk)
		}
		stale := *u
		stale.Version = 1
		wantCode(t, inTx(t, st, func(q *store.Q) error { return q.UpdateUser(ctx, &stale) }), domain.ECONFLICT, "")
		got, _ := st.FindUserByID(ctx, u.ID)
		if !got.Disabled || got.Version != 2 {
			t.Fatalf("read back %+v", got)
		}
	})
}

func TestAdminTargetsAndLimits(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		storetest.New(t, st)
		if err := inTx(t, st, func(q *store.Q) error { return q.SetTarget(ctx, 2030, "contract_turnover_fen", 7) }); err != nil {
			t.Fatal(err)
		}
		ts, err := st.Targets(ctx)
		if err != nil || len(ts) == 0 || ts[len(ts)-1] != (domain.YearTarget{Year: 2030, Metric: "contract_turnover_fen", Value: 7}) {
			t.Fatalf("targets %v %v", ts, err)
		}
		if err := inTx(t, st, func(q *store.Q) error { return q.DeleteTarget(ctx, 2030, "contract_turnover_fen") }); err != nil {
			t.Fatal(err)
		}
		if after, _ := st.Targets(ctx); len(after) != len(ts)-1 {
			t.Fatalf("targets after delete %v", after)
		}
		c := userCounter("locked-out")
		for range 5 {
			reserve(t, st, t0, c)
			if _, err := st.FailAttempt(ctx, t0, c); err != nil {
				t.Fatal(err)
			}
		}
		if reserve(t, st, t0, c) {
			t.Fatal("not locked after five failures")
		}
		if err := st.ClearAttempts(ctx, c); err != nil {
			t.Fatal(err)
		}
		if n, locked := count(t, st, c); n != 0 || !locked.IsZero() || !reserve(t, st, t0, c) {
			t.Fatalf("after clearing: %d, locked until %v", n, locked)
		}
	})
}
