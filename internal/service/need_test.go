package service_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
)

// needInput is what an enterprise's user sends: a valid need.
func (w *world) needInput() *domain.Need {
	x := *w.city.Need().Build()
	x.ID, x.Status, x.OwnerOrgID = 0, "", 0
	x.Indicators = append([]domain.NeedIndicator(nil), x.Indicators...)
	return &x
}

func TestNeedLifecycle(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Needs
		w.city.SetDay("2022-04-01")
		in := w.needInput()
		in.Title = "  焊点视觉在线检测\u3000"
		in.Deadline = "2022-06-30"
		x, err := svc.Create(ctx, w.ent, in)
		if err != nil {
			t.Fatal(err)
		}
		if x.Status != domain.NeedDraft || x.OwnerOrgID != w.ent.OrgID || x.Title != "焊点视觉在线检测" {
			t.Fatalf("created %+v", x)
		}
		// A draft is the enterprise's alone.
		for _, a := range []*domain.Actor{nil, w.bureau, w.univ, w.ent2} {
			if _, err := svc.Get(ctx, a, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("%v sees a draft: %v", a, err)
			}
		}
		if x, err = svc.Submit(ctx, w.ent, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, w.ent, x.ID, x.Version, ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("enterprise publishes its own: %v", err)
		}
		if _, err := svc.Return(ctx, w.bureau, x.ID, x.Version, " "); domain.ErrorField(err) != "reason" {
			t.Errorf("return without a reason: %v", err)
		}
		if x, err = svc.Return(ctx, w.bureau, x.ID, x.Version, "请补充目标指标的测试条件"); err != nil {
			t.Fatal(err)
		}
		in = w.needInput()
		in.Deadline = "2022-03-31" // yesterday
		if _, err := svc.Update(ctx, w.ent, x.ID, x.Version, in); domain.ErrorField(err) != "deadline" {
			t.Errorf("deadline in the past: %v", err)
		}
		in.Deadline, in.BudgetMinFen, in.BudgetMaxFen = "2022-06-30", 3, 2
		if _, err := svc.Update(ctx, w.ent, x.ID, x.Version, in); domain.ErrorField(err) != "budget_max_fen" {
			t.Errorf("max below min: %v", err)
		}
		if again, _ := svc.Get(ctx, w.ent, x.ID); again.Version != x.Version || again.Title != x.Title {
			t.Errorf("a refused edit was written: version %d", again.Version)
		}
		in.BudgetMinFen, in.BudgetMaxFen = 0, 0
		if x, err = svc.Update(ctx, w.ent, x.ID, x.Version, in); err != nil {
			t.Fatal(err)
		}
		stale := x.Version
		if x, err = svc.Submit(ctx, w.ent, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if x.ReturnReason != "" {
			t.Errorf("return reason kept after resubmission: %q", x.ReturnReason)
		}
		if _, err := svc.Publish(ctx, w.bureau, x.ID, stale, ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("stale tab: %v", err)
		}
		if x, err = svc.Publish(ctx, w.bureau, x.ID, x.Version, "经核实真实"); err != nil {
			t.Fatal(err)
		}
		if x.PublishedOn != "2022-04-01" || x.Expired {
			t.Errorf("published on %q, expired %v", x.PublishedOn, x.Expired)
		}
		// The public finds it without any contact; a university sees the person, not the phone.
		got, n, err := svc.List(ctx, nil, domain.NeedFilter{Query: "焊点", State: "open"})
		if err != nil || n != 1 || got[0].ID != x.ID {
			t.Fatalf("public board: %d, %v", n, err)
		}
		if got[0].ContactName != "" || got[0].ContactPhone != "" {
			t.Errorf("the public sees the contact %q %q", got[0].ContactName, got[0].ContactPhone)
		}
		pub, _ := svc.Get(ctx, nil, x.ID)
		if pub.ContactName != "" || pub.ContactPhone != "" {
			t.Errorf("the public detail shows the contact %q %q", pub.ContactName, pub.ContactPhone)
		}
		uni, _ := svc.Get(ctx, w.univ, x.ID)
		if uni.ContactName == "" || uni.ContactPhone != "" {
			t.Errorf("a university sees contact %q phone %q", uni.ContactName, uni.ContactPhone)
		}
		if b, _ := svc.Get(ctx, w.bureau, x.ID); b.ContactPhone == "" {
			t.Error("the bureau does not see the phone")
		}
		// Past the deadline it shows as expired and leaves the open list.
		if _, err := svc.Close(ctx, w.ent, x.ID, x.Version, "expired", ""); domain.ErrorField(err) != "outcome" {
			t.Errorf("closed as expired before the deadline: %v", err)
		}
		w.city.SetDay("2022-07-01")
		if got, _, _ := svc.List(ctx, nil, domain.NeedFilter{State: "open"}); len(got) != 0 {
			t.Errorf("an expired need is open: %v", got)
		}
		got, _, _ = svc.List(ctx, nil, domain.NeedFilter{State: "closed"})
		if len(got) != 1 || !got[0].Expired || got[0].StatusLabel() != domain.NeedExpiredLabel {
			t.Fatalf("expired need in the closed list: %+v", got)
		}
		if _, err := svc.Close(ctx, w.ent, x.ID, x.Version, "sold", ""); domain.ErrorField(err) != "outcome" {
			t.Errorf("bad outcome: %v", err)
		}
		if _, err := svc.Close(ctx, w.univ, x.ID, x.Version, "contract", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("a university closes another's need: %v", err)
		}
		if x, err = svc.Close(ctx, w.ent, x.ID, x.Version, "contract", "与东北大学签订技术开发合同"); err != nil {
			t.Fatal(err)
		}
		if x.Status != domain.NeedClosed || x.Outcome != "contract" || x.ClosedOn != "2022-07-01" || x.Expired {
			t.Errorf("closed %+v", x)
		}
		if _, err := svc.Get(ctx, nil, x.ID); err != nil {
			t.Errorf("a closed, once-published need is hidden from the public: %v", err)
		}
		events, err := svc.Events(ctx, w.ent, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		want := []string{"create", "submit", "return", "update", "submit", "publish", "close"}
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

func TestNeedRefusals(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Needs
		if _, err := svc.Create(ctx, w.univ, w.needInput()); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("a university posts a need: %v", err)
		}
		if _, err := svc.Create(ctx, nil, w.needInput()); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("anonymous: %v", err)
		}
		if _, err := svc.Create(ctx, w.city.Actor("admin"), w.needInput()); domain.ErrorField(err) != "owner_org_id" {
			t.Errorf("the administrator posts for the bureau: %v", err)
		}
		in := w.needInput()
		in.Title = "焊点\u202e检测"
		if _, err := svc.Create(ctx, w.ent, in); domain.ErrorField(err) != "title" {
			t.Errorf("bidi control in the title: %v", err)
		}
		in = w.needInput()
		in.Indicators[0].Target = "\u200b"
		if _, err := svc.Create(ctx, w.ent, in); domain.ErrorField(err) != "indicators[0].target" {
			t.Errorf("zero-width target: %v", err)
		}
		in = w.needInput()
		in.ChainCode = "no-such-chain"
		if _, err := svc.Create(ctx, w.ent, in); domain.ErrorField(err) != "chain_code" {
			t.Errorf("unknown chain: %v", err)
		}
		x, err := svc.Create(ctx, w.ent, w.needInput())
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Delete(ctx, w.ent2, x.ID, x.Version); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("another enterprise deletes a draft: %v", err)
		}
		// Withdrawn while submitted: closed, outcome 未解决-撤回, never on the board.
		if x, err = svc.Submit(ctx, w.ent, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Withdraw(ctx, w.ent, x.ID, x.Version, ""); domain.ErrorField(err) != "reason" {
			t.Errorf("withdraw without a reason: %v", err)
		}
		if x, err = svc.Withdraw(ctx, w.ent, x.ID, x.Version, "已自行解决"); err != nil {
			t.Fatal(err)
		}
		if x.Status != domain.NeedClosed || x.Outcome != "withdrawn" {
			t.Errorf("withdrawn %+v", x)
		}
		if _, err := svc.Get(ctx, nil, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("the public sees a need withdrawn before publication: %v", err)
		}
		d, err := svc.Create(ctx, w.ent, w.needInput())
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Delete(ctx, w.ent, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Get(ctx, w.ent, d.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("deleted draft still there: %v", err)
		}
		for field, f := range map[string]domain.NeedFilter{
			"stage": {Stage: "mass"}, "state": {State: "maybe"}, "max_budget_fen": {MinBudget: 10, MaxBudget: 5}, "status": {Status: "gone"},
		} {
			if _, _, err := svc.List(ctx, nil, f); domain.ErrorField(err) != field {
				t.Errorf("bad filter %s: %v", field, err)
			}
		}
	})
}
