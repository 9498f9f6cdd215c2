package store_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestChallengePolicyAgreesWithList: for every role × status × owner
// (an enterprise, the bureau) × the actor's organisation, the single-item
// rule (domain.Challenges.CanSee) and the list query (FindChallenges over
// domain.Challenges.ListScope) give the same answer.
func TestChallengePolicyAgreesWithList(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		var all []*domain.Challenge
		for _, owner := range []*domain.Org{w.Ent, w.Bureau} {
			for _, s := range domain.ChallengeStatuses.Codes() {
				all = append(all, w.Challenge().Owner(owner).Status(s).Insert(t))
			}
		}
		roles := []domain.Role{domain.RoleAdmin, domain.RoleBureau, domain.RoleRegistrar, domain.RoleExpert,
			domain.RoleTTO, domain.RoleEnterprise, domain.RolePilotBase, domain.RoleAgency, domain.RoleAuthority}
		orgs := []*domain.Org{w.Bureau, w.Ent, w.Ent2, w.Univ}
		check := func(a *domain.Actor, name string) {
			listed := map[int64]bool{}
			got, total, err := st.FindChallenges(ctx, domain.ChallengeFilter{PerPage: 200}, domain.Challenges.ListScope(a))
			if err != nil || total != len(got) {
				t.Fatalf("%s: %d of %d, %v", name, len(got), total, err)
			}
			for _, x := range got {
				listed[x.ID] = true
			}
			for _, x := range all {
				if see := domain.Challenges.CanSee(a, x); see != listed[x.ID] {
					t.Errorf("%s, %s of org %d: CanSee %v, listed %v", name, x.Status, x.OwnerOrgID, see, listed[x.ID])
				}
			}
		}
		check(nil, "public")
		for _, r := range roles {
			for _, o := range orgs {
				check(&domain.Actor{UserID: 1, Username: "u", Role: r, OrgID: o.ID}, string(r)+"@"+o.Name)
			}
		}
	})
}

// TestChallengeStore: a challenge's round trip, its answers (one per
// organisation, refused by the index too), milestones, the filters and the
// year's figures on both databases.
func TestChallengeStore(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		w.SetDay("2022-06-01")
		x := w.Challenge().Published().Insert(t)
		got, err := st.FindChallengeByID(ctx, x.ID)
		if err != nil || got.Title != x.Title || len(got.Indicators) != 2 || got.Indicators[0].Method != "第三方检测" ||
			got.OwnerName != w.Ent.Name || got.PublishedOn != "2022-06-01" || got.Project != nil {
			t.Fatalf("%+v %v", got, err)
		}
		an := w.ChallengeAnswer(t, x, w.Univ)
		err = st.InTx(ctx, func(q *store.Q) error {
			return q.InsertChallengeAnswer(ctx, &domain.ChallengeAnswer{ChallengeID: x.ID, OrgID: w.Univ.ID, Team: "t", Approach: "a",
				PriceFen: 1, Status: domain.AnswerSubmitted})
		})
		wantCode(t, err, domain.EINVALID, "challenge_id")
		as, err := st.FindChallengeAnswers(ctx, x.ID, 0)
		if err != nil || len(as) != 1 || as[0].ID != an.ID || as[0].OrgName != w.Univ.Name || as[0].ChallengeOwnerID != w.Ent.ID {
			t.Fatalf("answers %+v %v", as, err)
		}
		// The project: milestones in order, the payments summed.
		got.Status, got.WinnerOrgID, got.WinnerAnswerID = domain.ChallengeContracted, w.Univ.ID, an.ID
		got.Project = &domain.ChallengeProject{AgreementDate: "2022-06-01", AgreedFen: 2_000_000_00}
		err = st.InTx(ctx, func(q *store.Q) error {
			if err := q.UpdateChallenge(ctx, got); err != nil {
				return err
			}
			for i, fen := range []int64{1_200_000_00, 800_000_00} {
				if err := q.AddChallengeMilestone(ctx, &domain.ChallengeMilestone{ChallengeID: x.ID, Seq: i + 1, Title: "M", DueOn: "2022-12-01", PaymentFen: fen}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ = st.FindChallengeByID(ctx, x.ID)
		if got.Project == nil || len(got.Project.Milestones) != 2 || got.Project.PaymentsFen() != 2_000_000_00 || got.WinnerName != w.Univ.Name {
			t.Fatalf("project %+v", got.Project)
		}
		stale := *got
		stale.Version--
		wantCode(t, st.InTx(ctx, func(q *store.Q) error { return q.UpdateChallenge(ctx, &stale) }), domain.ECONFLICT, "")
		// Figures: published in 2022, on the chains of those.
		w.Challenge(func(c *domain.Challenge) { c.ChainCode = w.City.Chains[1].Code }).Published().Insert(t)
		w.SetDay("2023-02-01")
		w.Challenge().Published().Insert(t)
		w.Challenge().Confirmed().Insert(t)
		n, chains, err := st.ChallengeYearFigures(ctx, 2022, "")
		if err != nil || n != 2 || chains != 2 {
			t.Errorf("2022: %d on %d chains, %v", n, chains, err)
		}
		if n, _, _ := st.ChallengeYearFigures(ctx, 2022, w.City.Chains[1].Code); n != 1 {
			t.Errorf("2022 on one chain: %d", n)
		}
		xs, total, err := st.FindChallenges(ctx, domain.ChallengeFilter{Year: 2023}, domain.ChallengeScope{})
		if err != nil || total != 1 || len(xs) != 1 {
			t.Errorf("2023's board: %d %v", total, err)
		}
		if _, _, err := st.FindChallenges(ctx, domain.ChallengeFilter{Sort: "nope"}, domain.ChallengeScope{}); domain.ErrorField(err) != "sort" {
			t.Errorf("a bad sort: %v", err)
		}
	})
}
