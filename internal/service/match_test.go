package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// matchCity publishes a need of the enterprise about magnesium sheet
// rolling and three achievements: two about magnesium sheets (of the two
// universities) and one about batteries.
func matchCity(t *testing.T, w *world) (need *domain.Need, mg1, mg2, other *domain.Achievement) {
	t.Helper()
	need = w.city.Need(func(x *domain.Need) {
		x.Title, x.Keywords = "镁合金板材轧制成形工艺改进", []string{"镁合金", "板材", "轧制"}
		x.Problem = "我公司镁合金板材轧制后成形性能差，边裂严重，希望引入新的轧制工艺提升板材强度与成形性能。"
	}).Published().Insert(t)
	mg1 = w.city.Achievement().Published().Insert(t)
	mg2 = w.city.Achievement(func(x *domain.Achievement) {
		x.Title, x.Keywords = "镁合金板材温轧边裂控制技术", []string{"镁合金", "温轧", "边裂"}
		x.Abstract = "本成果针对镁合金板材轧制边裂问题，提出温轧与道次压下量协同控制方法，显著提升板材成形性能与成材率。"
	}).Owner(w.city.Univ2).Published().Insert(t)
	other = w.city.Achievement(func(x *domain.Achievement) {
		x.Title, x.Keywords = "高镍三元正极材料包覆改性", []string{"锂电池", "正极材料"}
		x.Abstract = "本成果提出一种高镍三元正极材料的表面包覆改性方法，提升锂离子电池循环寿命与热稳定性，已完成小试验证。"
	}).Published().Insert(t)
	return
}

func groupOf(t *testing.T, r *domain.MatchResult, k domain.MatchItemKind) domain.MatchGroup {
	t.Helper()
	for _, g := range r.Groups {
		if g.Kind == k {
			return g
		}
	}
	t.Fatalf("no %s group in %+v", k, r.Groups)
	return domain.MatchGroup{}
}

func rankOf(g domain.MatchGroup, id int64) int {
	return slices.IndexFunc(g.Suggestions, func(s domain.MatchSuggestion) bool { return s.ID == id })
}

func TestMatchNeedPolicyAndReasons(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		need, mg1, mg2, other := matchCity(t, w)
		r, err := w.svc.Match.ForNeed(ctx, w.ent, need.ID)
		if err != nil {
			t.Fatal(err)
		}
		g := groupOf(t, r, domain.MatchAchievement)
		if !g.CanDecide || rankOf(g, mg1.ID) < 0 || rankOf(g, mg2.ID) < 0 {
			t.Fatalf("the enterprise's achievements: %+v", g)
		}
		if i := rankOf(g, other.ID); i >= 0 && i < rankOf(g, mg1.ID) {
			t.Errorf("the battery achievement ranks above the magnesium one: %+v", g.Suggestions)
		}
		for _, s := range g.Suggestions {
			sum := 0.0
			for _, x := range s.Reasons {
				sum += x.Contribution
			}
			if len(s.Reasons) == 0 || sum < s.Score-1e-6 || sum > s.Score+1e-6 {
				t.Errorf("%s: reasons %v do not sum to %v", s.Title, s.Reasons, s.Score)
			}
		}
		if len(r.Missing) == 0 {
			t.Error("platforms not named as missing")
		}
		// The agency may read a published need's matches but not decide; the
		// other enterprise and the public may not read them.
		if r, err := w.svc.Match.ForNeed(ctx, w.agency, need.ID); err != nil || groupOf(t, r, domain.MatchAchievement).CanDecide {
			t.Errorf("agency: %v", err)
		}
		for _, a := range []*domain.Actor{nil, w.ent2, w.univ} {
			if _, err := w.svc.Match.ForNeed(ctx, a, need.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("%v reads the need's matches: %v", a, err)
			}
		}
		if _, err := w.svc.Match.ForNeed(ctx, w.bureau, need.ID); err != nil {
			t.Error(err)
		}
	})
}

func TestMatchFeedbackDemotesAndAcceptMakesIntention(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		need, _, _, _ := matchCity(t, w)
		r, err := w.svc.Match.ForNeed(ctx, w.ent, need.ID)
		if err != nil {
			t.Fatal(err)
		}
		g := groupOf(t, r, domain.MatchAchievement)
		if len(g.Suggestions) < 2 {
			t.Fatalf("suggestions: %+v", g.Suggestions)
		}
		first, second := g.Suggestions[0], g.Suggestions[1]
		fb := func(a *domain.Actor, id int64, d domain.MatchDecision, reason string) (*domain.MatchFeedback, error) {
			return w.svc.Match.Feedback(ctx, a, &domain.MatchFeedback{Surface: domain.MatchForNeed, SubjectID: need.ID,
				ItemKind: domain.MatchAchievement, ItemID: id, Decision: d, Reason: reason, Note: " 已有类似方案 "})
		}
		if _, err := fb(w.ent, first.ID, domain.MatchDecline, ""); domain.ErrorField(err) != "reason" {
			t.Errorf("decline without a reason: %v", err)
		}
		if _, err := fb(w.ent, first.ID, domain.MatchDecline, "maybe"); domain.ErrorField(err) != "reason" {
			t.Errorf("decline with an unknown reason: %v", err)
		}
		if _, err := fb(w.ent2, first.ID, domain.MatchDecline, "too_early"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("another enterprise decides: %v", err)
		}
		if _, err := fb(w.agency, first.ID, domain.MatchDecline, "too_early"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the agency decides: %v", err)
		}
		if _, err := fb(w.ent, 999999, domain.MatchAccept, ""); domain.ErrorField(err) != "item_id" {
			t.Errorf("an unknown item: %v", err)
		}
		if f, err := fb(w.ent, first.ID, domain.MatchDecline, "too_early"); err != nil || f.Note != "已有类似方案" {
			t.Fatalf("decline: %+v %v", f, err)
		}
		r, err = w.svc.Match.ForNeed(ctx, w.ent, need.ID)
		if err != nil {
			t.Fatal(err)
		}
		g = groupOf(t, r, domain.MatchAchievement)
		if i := rankOf(g, first.ID); i <= 0 || g.Suggestions[i].Feedback == nil || g.Suggestions[i].Feedback.Reason != "too_early" {
			t.Errorf("the declined item did not drop below where it was (rank %d): %+v", i, g.Suggestions)
		}
		before, err := w.svc.Chain.Stats(ctx, 2022, "")
		if err != nil {
			t.Fatal(err)
		}
		f, err := fb(w.ent, second.ID, domain.MatchAccept, "")
		if err != nil || f.SignedOn != w.city.Today() {
			t.Fatalf("accept: %+v %v", f, err)
		}
		tl, err := w.svc.Chain.AchievementTimeline(ctx, w.bureau, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(tl.Steps, func(s service.ChainStep) bool {
			return s.Step == "intention" && s.Ref.Kind == "need" && s.Ref.ID == need.ID
		}) {
			t.Errorf("no intention on the achievement's timeline: %+v", tl.Steps)
		}
		after, err := w.svc.Chain.Stats(ctx, 2022, "")
		if err != nil {
			t.Fatal(err)
		}
		if after.Intentions != before.Intentions+1 {
			t.Errorf("intentions %d → %d", before.Intentions, after.Intentions)
		}
		// The achievement's unit heard of it.
		ns, err := w.svc.Notify.About(ctx, "achievement", second.ID)
		if err != nil || !slices.ContainsFunc(ns, func(n *domain.Notification) bool { return n.Kind == domain.NoticeMatch }) {
			t.Errorf("no notice of the acceptance: %v %v", ns, err)
		}
		// Audited.
		rows, _, err := w.st.FindAudit(ctx, domain.AuditFilter{Entity: "match_feedback", Limit: 10})
		if err != nil || len(rows) != 2 {
			t.Errorf("audit rows %d %v", len(rows), err)
		}
		// The bureau's report counts the records.
		rep, err := w.svc.Match.Report(ctx, w.bureau)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Accepted != 1 || rep.Declined != 1 || rep.AcceptRate != 0.5 || rep.Intentions != 1 || rep.ByReason[0].Code != "too_early" || rep.ByReason[0].Count != 1 {
			t.Errorf("report %+v", rep)
		}
		if _, err := w.svc.Match.Report(ctx, w.ent); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the enterprise reads the report: %v", err)
		}
	})
}

func TestMatchChallengeReviewersWithoutConflicts(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		matchCity(t, w)
		ch := w.city.Challenge(func(x *domain.Challenge) {
			x.Title, x.Problem = "镁合金板材轧制边裂难题揭榜", "征集镁合金板材轧制边裂控制与成形性能提升的技术方案，要求在中试线上验证。"
		}).Published().Insert(t)
		chain := ch.ChainCode
		pool := w.city.ExpertPool(t, 2, 0, chain)
		// An expert of the publisher, and one who declared a relation with it.
		same := w.city.AddUser(t, "same_org_expert", domain.RoleExpert, w.city.Ent)
		decl := pool[1]
		decl.Declared = []evaluate.Declaration{{OrgID: ch.OwnerOrgID, Relation: "近三年合作研究"}}
		if err := w.st.InTx(ctx, func(q *store.Q) error {
			if err := q.PutExpert(ctx, evaluate.Expert{ID: same.ID, Name: same.DisplayName, Org: evaluate.Org{ID: w.city.Ent.ID, Name: w.city.Ent.Name},
				Kind: evaluate.Technical, Fields: []string{chain}}); err != nil {
				return err
			}
			return q.PutExpert(ctx, decl)
		}); err != nil {
			t.Fatal(err)
		}
		owner := w.ent
		if ch.OwnerOrgID != w.city.Ent.ID {
			t.Fatalf("the challenge's owner is %d", ch.OwnerOrgID)
		}
		r, err := w.svc.Match.ForChallenge(ctx, owner, ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		rev := groupOf(t, r, domain.MatchReviewer)
		if rankOf(rev, pool[0].ID) < 0 || rankOf(rev, same.ID) >= 0 || rankOf(rev, decl.ID) >= 0 {
			t.Errorf("reviewers %+v", rev.Suggestions)
		}
		excluded := map[int64]bool{}
		kinds := map[int64]string{}
		for _, x := range rev.Excluded {
			excluded[x.ID] = len(x.Reasons) > 0 && len(x.Conflicts) == len(x.Reasons)
			kinds[x.ID] = strings.Join(x.Conflicts, ",")
		}
		if !excluded[same.ID] || !excluded[decl.ID] || kinds[same.ID] != "same_org" || kinds[decl.ID] != "declared" {
			t.Errorf("excluded %+v", rev.Excluded)
		}
		teams := groupOf(t, r, domain.MatchTeam)
		if rankOf(teams, w.city.Univ.ID) < 0 && rankOf(teams, w.city.Univ2.ID) < 0 {
			t.Errorf("teams %+v", teams.Suggestions)
		}
		// An expert who wrote an answer (for a unit not their own) is a
		// co-applicant of the challenge: excluded too.
		team := &domain.Org{Kind: domain.OrgInstitute, Name: "揭榜联合体单位", RegionCode: storetest.Heping, USCC: storetest.USCC(9001)}
		if err := w.st.InTx(ctx, func(q *store.Q) error { return q.CreateOrg(ctx, team) }); err != nil {
			t.Fatal(err)
		}
		w.city.ChallengeAnswer(t, ch, team, func(an *domain.ChallengeAnswer) { an.CreatedBy = pool[0].ID })
		if r, err = w.svc.Match.ForChallenge(ctx, owner, ch.ID); err != nil {
			t.Fatal(err)
		}
		rev = groupOf(t, r, domain.MatchReviewer)
		if rankOf(rev, pool[0].ID) >= 0 {
			t.Errorf("the author of an answer is suggested as its reviewer: %+v", rev.Suggestions)
		}
		for _, a := range []*domain.Actor{w.ent2, w.univ, nil} {
			if _, err := w.svc.Match.ForChallenge(ctx, a, ch.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("%v reads the challenge's matches: %v", a, err)
			}
		}
	})
}

func TestMatchAchievementEnterprises(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		need, mg1, _, _ := matchCity(t, w)
		r, err := w.svc.Match.ForAchievement(ctx, w.univ, mg1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if g := groupOf(t, r, domain.MatchNeed); rankOf(g, need.ID) != 0 || !g.CanDecide {
			t.Errorf("needs %+v", g)
		}
		for _, a := range []*domain.Actor{w.ent, nil} {
			if _, err := w.svc.Match.ForAchievement(ctx, a, mg1.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("%v reads the achievement's matches: %v", a, err)
			}
		}
	})
}
