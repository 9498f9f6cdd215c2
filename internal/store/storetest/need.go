package storetest

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// NeedBuilder makes one valid need record of the world: by default a
// draft of the enterprise (沈阳海龟医疗科技有限公司) for a machine-vision
// inspection system on the first chain, budget 50–100万元, due 60 days
// from today. The status methods move it along the workflow the way the
// service would, and Insert writes it with the history rows the workflow
// leaves behind.
type NeedBuilder struct {
	w     *World
	x     *domain.Need
	steps steps[domain.NeedStatus]
}

// Need starts a need; opts edit it before the status methods run.
func (w *World) Need(opts ...func(*domain.Need)) *NeedBuilder {
	b := &NeedBuilder{w: w, x: &domain.Need{
		Title:   "焊装线焊点视觉在线检测系统",
		Problem: "我公司焊装线焊点质量依赖人工抽检，漏检率高，希望引入机器视觉实现焊点在线全检，并与现有产线系统对接。",
		Indicators: []domain.NeedIndicator{{Indicator: "漏检率", Target: "≤0.1", Unit: "%"},
			{Indicator: "检测节拍", Target: "≤2", Unit: "秒/件"}},
		BudgetMinFen: 500_000_00, BudgetMaxFen: 1_000_000_00,
		Deadline:  domain.DateOf(w.Clock.Now().AddDate(0, 0, 60)),
		ChainCode: w.City.Chains[0].Code, Keywords: []string{"机器视觉", "焊点检测"}, Stage: "pilot",
		Modes: []string{"develop", "license"}, ContactName: "张工", ContactPhone: "024-23456789",
		Status: domain.NeedDraft, OwnerOrgID: w.Ent.ID,
	}}
	for _, f := range opts {
		f(b.x)
	}
	b.steps = newSteps(w, "need", &b.x.Status)
	b.steps.start(domain.NeedDraft)
	return b
}

// Owner posts the need as o.
func (b *NeedBuilder) Owner(o *domain.Org) *NeedBuilder {
	b.x.OwnerOrgID = o.ID
	return b
}

// Submitted submits it for the bureau's check.
func (b *NeedBuilder) Submitted() *NeedBuilder {
	b.steps.step("submit", domain.NeedSubmitted)
	return b
}

// Published has the bureau publish it today.
func (b *NeedBuilder) Published() *NeedBuilder {
	if b.x.Status != domain.NeedSubmitted {
		b.Submitted()
	}
	b.x.PublishedOn = b.w.Today()
	b.steps.step("publish", domain.NeedPublished)
	return b
}

// Closed has the owner close it today with an outcome.
func (b *NeedBuilder) Closed(outcome string) *NeedBuilder {
	if b.x.Status != domain.NeedPublished {
		b.Published()
	}
	b.x.Outcome, b.x.ClosedOn = outcome, b.w.Today()
	b.steps.step("close", domain.NeedClosed)
	return b
}

// In moves it along the workflow to s (draft, submitted or published)
// with the history, as the status methods do.
func (b *NeedBuilder) In(s domain.NeedStatus) *NeedBuilder {
	switch s {
	case domain.NeedDraft:
	case domain.NeedSubmitted:
		b.Submitted()
	case domain.NeedPublished:
		b.Published()
	default:
		b.w.tb.Fatalf("storetest: no way to a need %s; use the status methods", s)
	}
	return b
}

// Status sets the status without history (for the policy matrices).
func (b *NeedBuilder) Status(s domain.NeedStatus) *NeedBuilder {
	b.x.Status = s
	return b
}

// Build returns the record without writing it.
func (b *NeedBuilder) Build() *domain.Need { return b.x }

// Insert writes the need and its history.
func (b *NeedBuilder) Insert(tb testing.TB) *domain.Need {
	tb.Helper()
	x := b.x
	b.steps.insertWithHistory(x.OwnerOrgID, &x.CreatedBy, []string{"publish", "return"}, func(ctx context.Context, tx *store.Q) (int64, error) {
		err := tx.InsertNeed(ctx, x)
		return x.ID, err
	})
	return x
}
