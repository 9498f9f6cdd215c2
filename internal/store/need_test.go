package store_test

import (
	"context"
	"reflect"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

func TestNeedRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		x := w.Need().Closed("contract").Insert(t)
		got, err := st.FindNeedByID(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.OwnerName != w.Ent.Name {
			t.Errorf("owner name %q, want %q", got.OwnerName, w.Ent.Name)
		}
		got.OwnerName = ""
		if !reflect.DeepEqual(got, x) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, x)
		}
		stale := *got
		if err := st.InTx(ctx, func(q *store.Q) error { got.Title = "新名称"; return q.UpdateNeed(ctx, got) }); err != nil {
			t.Fatal(err)
		}
		err = st.InTx(ctx, func(q *store.Q) error { stale.Title = "旧标签页"; return q.UpdateNeed(ctx, &stale) })
		if code := domain.ErrorCode(err); code != domain.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		if again, _ := st.FindNeedByID(ctx, x.ID); again.Title != "新名称" {
			t.Errorf("title %q after a stale update", again.Title)
		}
		if _, err := st.FindNeedByID(ctx, x.ID+100); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("missing need: %v", err)
		}
	})
}

func TestNeedFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		today := w.Today()
		robot := w.Need(func(x *domain.Need) {
			x.Title, x.Keywords, x.Stage = "协作机器人力控装配", []string{"力控", "ＡＩ"}, "industrial"
			x.ChainCode = w.City.Chains[1].Code
			x.BudgetMinFen, x.BudgetMaxFen = 2_000_000_00, 3_000_000_00
			x.Indicators = []domain.NeedIndicator{{Indicator: "装配力控精度", Target: "±0.5", Unit: "N"}}
			x.Problem = "精密减速器装配依赖熟练工人手感，一致性差，希望以协作机器人力控装配替代人工并保证装配质量。"
		}).Published().Insert(t)
		vision := w.Need().Published().Insert(t) // 50–100万
		talk := w.Need(func(x *domain.Need) { x.BudgetMinFen, x.BudgetMaxFen = 0, 0; x.Deadline = today }).Published().Insert(t)
		late := w.Need(func(x *domain.Need) { x.Deadline = "2020-01-01" }).Published().Insert(t)
		closed := w.Need().Closed("other").Insert(t)
		w.Need().Submitted().Insert(t)
		all := domain.NeedScope{All: true}
		ids := func(f domain.NeedFilter, sc domain.NeedScope) []int64 {
			t.Helper()
			f.Today = today
			got, total, err := st.FindNeeds(ctx, f, sc)
			if err != nil || total != len(got) {
				t.Fatalf("%+v: %d of %d, %v", f, len(got), total, err)
			}
			var out []int64
			for _, x := range got {
				out = append(out, x.ID)
			}
			return out
		}
		for _, c := range []struct {
			name string
			f    domain.NeedFilter
			want []int64
		}{
			{"keyword, full-width and case folded", domain.NeedFilter{Query: "ai"}, []int64{robot.ID}},
			{"indicator name", domain.NeedFilter{Query: "漏检率", Status: domain.NeedPublished}, []int64{late.ID, talk.ID, vision.ID}},
			{"chain", domain.NeedFilter{ChainCode: w.City.Chains[1].Code}, []int64{robot.ID}},
			{"stage", domain.NeedFilter{Stage: "industrial"}, []int64{robot.ID}},
			{"budget at least 150万", domain.NeedFilter{MinBudget: 1_500_000_00}, []int64{robot.ID}},
			{"budget at most 50万, exactly", domain.NeedFilter{MaxBudget: 500_000_00, Status: domain.NeedPublished}, []int64{late.ID, vision.ID}},
			{"budget just under 50万", domain.NeedFilter{MaxBudget: 500_000_00 - 1}, nil},
			{"open: published, deadline today or later", domain.NeedFilter{State: "open"}, []int64{talk.ID, vision.ID, robot.ID}},
			{"closed: closed or past the deadline", domain.NeedFilter{State: "closed"}, []int64{closed.ID, late.ID}},
			{"percent is literal", domain.NeedFilter{Query: "%"}, nil},
		} {
			if got := ids(c.f, all); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}
		if got := ids(domain.NeedFilter{Sort: "-budget_max_fen"}, domain.NeedScope{PublishedOnly: true}); len(got) != 5 || got[0] != robot.ID {
			t.Errorf("board sorted by budget: %v", got)
		}
		if _, _, err := st.FindNeeds(ctx, domain.NeedFilter{Sort: "owner_org_id; DROP"}, all); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad sort: %v", err)
		}
		if _, _, err := st.FindNeeds(ctx, domain.NeedFilter{State: "maybe"}, all); domain.ErrorField(err) != "state" {
			t.Errorf("bad state: %v", err)
		}
	})
}

// TestNeedPolicyAgreesWithList: for every role × status × owner × was it
// published, the single-need rule and the list query over the role's
// scope agree, and so does the public board.
func TestNeedPolicyAgreesWithList(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		var all []*domain.Need
		for _, owner := range []*domain.Org{w.Ent, w.Ent2} {
			for _, s := range domain.NeedStatuses.Codes() {
				for _, published := range []string{"", "2022-01-01"} {
					all = append(all, w.Need(func(x *domain.Need) { x.PublishedOn = published }).Owner(owner).Status(s).Insert(t))
				}
			}
		}
		orgs := []*domain.Org{w.Bureau, w.Univ, w.Ent, w.Ent2}
		actors := []*domain.Actor{nil}
		for _, r := range domain.Roles.Codes() {
			for _, o := range orgs {
				actors = append(actors, &domain.Actor{UserID: 1, Role: r, OrgID: o.ID})
			}
		}
		for _, a := range actors {
			got, total, err := st.FindNeeds(ctx, domain.NeedFilter{PerPage: 200}, domain.Needs.ListScope(a))
			if err != nil || total != len(got) {
				t.Fatalf("%v: %d of %d, %v", a, len(got), total, err)
			}
			listed := map[int64]bool{}
			for _, x := range got {
				listed[x.ID] = true
			}
			for _, x := range all {
				if see := domain.Needs.CanSee(a, x); see != listed[x.ID] {
					t.Errorf("%+v on a %s need (published on %q) of org %d: CanSee=%v, listed=%v", a, x.Status, x.PublishedOn, x.OwnerOrgID, see, listed[x.ID])
				}
			}
		}
	})
}
