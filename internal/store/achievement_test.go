package store_test

import (
	"context"
	"reflect"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

func TestAchievementRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		x := w.Achievement(func(x *domain.Achievement) {
			x.Empowerment = &domain.Empowerment{Kind: "ownership", TeamPermille: 700, UnitPermille: 300,
				AgreementOn: "2023-05-10", PublicityFrom: "2023-04-01", PublicityTo: "2023-04-15"}
		}).Published().Insert(t)
		got, err := st.FindAchievementByID(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.OwnerName != w.Univ.Name {
			t.Errorf("owner name %q, want %q", got.OwnerName, w.Univ.Name)
		}
		got.OwnerName = ""
		if !reflect.DeepEqual(got, x) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, x)
		}
		// A stale version is refused and nothing is written.
		stale := *got
		if err := st.InTx(ctx, func(q *store.Q) error { got.Title = "新名称"; return q.UpdateAchievement(ctx, got) }); err != nil {
			t.Fatal(err)
		}
		err = st.InTx(ctx, func(q *store.Q) error { stale.Title = "旧标签页"; return q.UpdateAchievement(ctx, &stale) })
		if code := domain.ErrorCode(err); code != domain.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		if again, _ := st.FindAchievementByID(ctx, x.ID); again.Title != "新名称" {
			t.Errorf("title %q after a stale update", again.Title)
		}
		if _, err := st.FindAchievementByID(ctx, x.ID+100); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("missing achievement: %v", err)
		}
	})
}

func TestAchievementFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		robot := w.Achievement(func(x *domain.Achievement) {
			x.Title, x.Keywords, x.TRL, x.Stage = "工业机器人视觉定位", []string{"机器视觉", "ＡＩ"}, 8, "industrial"
			x.ChainCode = w.City.Chains[1].Code
			x.Abstract = "基于深度学习的工业机器人视觉定位方法，在汽车焊装产线上定位误差小于0.1毫米，已在三家企业应用。"
		}).Published().Insert(t)
		mg := w.Achievement().Published().Insert(t)
		w.Achievement().Filed().Insert(t)
		all := domain.AchievementScope{All: true}
		ids := func(f domain.AchievementFilter, sc domain.AchievementScope) []int64 {
			t.Helper()
			got, total, err := st.FindAchievements(ctx, f, sc)
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
			f    domain.AchievementFilter
			want []int64
		}{
			{"keyword, full-width and case folded", domain.AchievementFilter{Query: "ai"}, []int64{robot.ID}},
			{"two words, both needed", domain.AchievementFilter{Query: "镁合金 轧制", Status: domain.AchievementPublished}, []int64{mg.ID}},
			{"patent number", domain.AchievementFilter{Query: mg.IP[0].Number}, []int64{mg.ID}},
			{"chain", domain.AchievementFilter{ChainCode: w.City.Chains[1].Code}, []int64{robot.ID}},
			{"min TRL", domain.AchievementFilter{MinTRL: 7}, []int64{robot.ID}},
			{"stage", domain.AchievementFilter{Stage: "industrial"}, []int64{robot.ID}},
			{"percent is literal", domain.AchievementFilter{Query: "%"}, nil},
		} {
			if got := ids(c.f, all); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}
		if got := ids(domain.AchievementFilter{Sort: "trl"}, domain.AchievementScope{PublishedOnly: true}); len(got) != 2 || got[0] != mg.ID {
			t.Errorf("catalogue sorted by TRL: %v", got)
		}
		if _, _, err := st.FindAchievements(ctx, domain.AchievementFilter{Sort: "owner_org_id; DROP"}, all); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad sort: %v", err)
		}
	})
}

// TestAchievementPolicyAgreesWithList: for every role × status × owner, the
// single-achievement rule and the list query over the role's scope agree,
// and so does the public catalogue.
func TestAchievementPolicyAgreesWithList(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		var all []*domain.Achievement
		for _, owner := range []*domain.Org{w.Univ, w.Institute} {
			for _, s := range domain.AchievementStatuses.Codes() {
				all = append(all, w.Achievement().Owner(owner).Status(s).Insert(t))
			}
		}
		orgs := []*domain.Org{w.Bureau, w.Univ, w.Institute, w.Univ2, w.Ent}
		actors := []*domain.Actor{nil}
		for _, r := range domain.Roles.Codes() {
			for _, o := range orgs {
				actors = append(actors, &domain.Actor{UserID: 1, Role: r, OrgID: o.ID})
			}
		}
		for _, a := range actors {
			got, total, err := st.FindAchievements(ctx, domain.AchievementFilter{PerPage: 200}, domain.Achievements.ListScope(a))
			if err != nil || total != len(got) {
				t.Fatalf("%v: %d of %d, %v", a, len(got), total, err)
			}
			listed := map[int64]bool{}
			for _, x := range got {
				listed[x.ID] = true
			}
			for _, x := range all {
				if see := domain.Achievements.CanSee(a, x); see != listed[x.ID] {
					t.Errorf("%+v on a %s achievement of org %d: CanSee=%v, listed=%v", a, x.Status, x.OwnerOrgID, see, listed[x.ID])
				}
			}
		}
	})
}
