package service_test

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
)

// achievementInput is what a university's officer sends: a valid filing.
func (w *world) achievementInput() *domain.Achievement {
	x := *w.city.Achievement().Build()
	x.ID, x.Status, x.OwnerOrgID = 0, "", 0
	return &x
}

func TestAchievementLifecycle(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Achievements
		in := w.achievementInput()
		in.Title = "  高性能镁合金板材轧制技术\u3000"
		x, err := svc.Create(ctx, w.univ, in)
		if err != nil {
			t.Fatal(err)
		}
		if x.Status != domain.AchievementDraft || x.OwnerOrgID != w.univ.OrgID || x.Title != "高性能镁合金板材轧制技术" {
			t.Fatalf("created %+v", x)
		}
		// A draft is the unit's alone: the bureau and the public do not see it.
		for _, a := range []*domain.Actor{nil, w.bureau, w.ent} {
			if _, err := svc.Get(ctx, a, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("%v sees a draft: %v", a, err)
			}
		}
		if x, err = svc.Submit(ctx, w.univ, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		// The unit may not file its own achievement; the bureau returns it.
		if _, err := svc.File(ctx, w.univ, x.ID, x.Version, ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("unit files its own: %v", err)
		}
		if _, err := svc.Return(ctx, w.bureau, x.ID, x.Version, " "); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("return without a reason: %v", err)
		}
		if x, err = svc.Return(ctx, w.bureau, x.ID, x.Version, "请补充专利证书号"); err != nil {
			t.Fatal(err)
		}
		if x.ReturnReason != "请补充专利证书号" {
			t.Errorf("return reason %q", x.ReturnReason)
		}
		// The unit's officer hears of the bureau's return (and of nothing it did itself).
		ns, err := w.svc.Notify.About(ctx, "achievement", x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 1 || ns[0].UserID != w.univ.UserID || ns[0].Link != fmt.Sprintf("/achievements/%d", x.ID) || ns[0].Detail != "退回成果修改" {
			t.Errorf("notices after the return: %+v", ns)
		}
		in = w.achievementInput()
		in.TRL = 11
		if _, err := svc.Update(ctx, w.univ, x.ID, x.Version, in); domain.ErrorField(err) != "trl" {
			t.Errorf("bad TRL: %v", err)
		}
		if again, _ := svc.Get(ctx, w.univ, x.ID); again.TRL != 6 || again.Version != x.Version {
			t.Errorf("a refused edit was written: TRL %d, version %d", again.TRL, again.Version)
		}
		in.TRL = 7
		if x, err = svc.Update(ctx, w.univ, x.ID, x.Version, in); err != nil {
			t.Fatal(err)
		}
		stale := x.Version
		if x, err = svc.Submit(ctx, w.univ, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if x.ReturnReason != "" {
			t.Errorf("return reason kept after resubmission: %q", x.ReturnReason)
		}
		if _, err := svc.File(ctx, w.bureau, x.ID, stale, ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("stale tab: %v", err)
		}
		w.city.SetDay("2022-04-01")
		if x, err = svc.File(ctx, w.bureau, x.ID, x.Version, "材料齐全"); err != nil {
			t.Fatal(err)
		}
		if x.FiledOn != "2022-04-01" {
			t.Errorf("filed on %q", x.FiledOn)
		}
		if _, err := svc.Get(ctx, nil, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("the public sees a filed, unpublished achievement: %v", err)
		}
		if x, err = svc.Publish(ctx, w.univ, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		got, n, err := svc.List(ctx, nil, domain.AchievementFilter{Query: "镁合金"})
		if err != nil || n != 1 || got[0].ID != x.ID {
			t.Fatalf("catalogue: %d, %v", n, err)
		}
		if x, err = svc.Unpublish(ctx, w.bureau, x.ID, x.Version, "核实中"); err != nil {
			t.Fatal(err)
		}
		if x, err = svc.Publish(ctx, w.bureau, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if x.PublishedOn != "2022-04-01" {
			t.Errorf("republication moved the first publication date: %q", x.PublishedOn)
		}
		if x, err = svc.Transfer(ctx, w.univ, x.ID, x.Version, "独占许可沈阳某企业"); err != nil {
			t.Fatal(err)
		}
		events, err := svc.Events(ctx, w.univ, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		want := []string{"create", "submit", "return", "update", "submit", "file", "publish", "unpublish", "publish", "transfer"}
		if len(actions) != len(want) {
			t.Fatalf("history %v, want %v", actions, want)
		}
		for i := range want {
			if actions[i] != want[i] {
				t.Fatalf("history %v, want %v", actions, want)
			}
		}
	})
}

func TestAchievementCreateRefusals(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Achievements
		if _, err := svc.Create(ctx, w.ent, w.achievementInput()); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("an enterprise files an achievement: %v", err)
		}
		if _, err := svc.Create(ctx, nil, w.achievementInput()); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("anonymous: %v", err)
		}
		in := w.achievementInput()
		in.Title = "镁合金\u202e轧制"
		if _, err := svc.Create(ctx, w.univ, in); domain.ErrorField(err) != "title" {
			t.Errorf("bidi control in the title: %v", err)
		}
		in = w.achievementInput()
		in.ChainCode = "no-such-chain"
		if _, err := svc.Create(ctx, w.univ, in); domain.ErrorField(err) != "chain_code" {
			t.Errorf("unknown chain: %v", err)
		}
		in = w.achievementInput()
		in.Empowerment = &domain.Empowerment{Kind: "long_term_use", UseFrom: "2022-01-01", UseTo: "2031-12-31",
			AgreementOn: "2022-01-01", PublicityFrom: "2021-12-01", PublicityTo: "2021-12-10"}
		if _, err := svc.Create(ctx, w.univ, in); domain.ErrorField(err) != "empowerment.use_to" {
			t.Errorf("use right under ten years: %v", err)
		}
		in.Empowerment.UseTo = "2032-01-01"
		x, err := svc.Create(ctx, w.univ, in)
		if err != nil {
			t.Fatalf("a ten-year use right refused: %v", err)
		}
		// Another unit's officer can neither see nor delete the draft; its own can.
		other := w.city.Actor("other_tto")
		if err := svc.Delete(ctx, other, x.ID, x.Version); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("another unit deletes a draft: %v", err)
		}
		if err := svc.Delete(ctx, w.univ, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Get(ctx, w.univ, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("deleted draft still there: %v", err)
		}
		if _, _, err := svc.List(ctx, nil, domain.AchievementFilter{MinTRL: 12}); domain.ErrorField(err) != "min_trl" {
			t.Errorf("bad filter: %v", err)
		}
	})
}
