package storetest

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// AchievementBuilder makes one valid achievement record of the world: by
// default a draft of the university (东北大学) at TRL 6 (中试) with one
// invention patent, offered for licence or equity at 50万元. The status
// methods move it along the workflow the way the service would, and Insert
// writes it with the history rows the workflow leaves behind.
type AchievementBuilder struct {
	w     *World
	x     *domain.Achievement
	steps steps[domain.AchievementStatus]
}

// Achievement starts an achievement; opts edit it before the status
// methods run.
func (w *World) Achievement(opts ...func(*domain.Achievement)) *AchievementBuilder {
	w.achievements++
	b := &AchievementBuilder{w: w, x: &domain.Achievement{
		Title:      "高性能镁合金板材异步轧制技术",
		Abstract:   "本成果提出一种镁合金板材异步轧制工艺，通过控制轧制速比与温度，在中试线上实现了板材强度与成形性能的同步提升。",
		Keywords:   []string{"镁合金", "异步轧制", "板材"},
		Team:       []domain.TeamMember{{Name: "王明", Title: "教授", Leader: true}, {Name: "李华", Title: "副教授"}},
		Discipline: "材料科学与工程", ChainCode: w.City.Chains[0].Code, TRL: 6, TRLEvidence: "中试线连续运行三个月", Stage: "pilot",
		IP:      []domain.IPRight{{Type: "invention", Number: fmt.Sprintf("ZL2021%07d.X", w.achievements), Title: "一种镁合金板材的轧制方法"}},
		Funding: "fiscal", Modes: []string{"license", "equity"}, AskingFen: 500_000_00,
		Status: domain.AchievementDraft, OwnerOrgID: w.Univ.ID,
	}}
	for _, f := range opts {
		f(b.x)
	}
	b.steps = newSteps(w, "achievement", &b.x.Status)
	b.steps.start(domain.AchievementDraft)
	return b
}

// Owner files the achievement as o.
func (b *AchievementBuilder) Owner(o *domain.Org) *AchievementBuilder {
	b.x.OwnerOrgID = o.ID
	return b
}

// Submitted submits it for 备案.
func (b *AchievementBuilder) Submitted() *AchievementBuilder {
	b.steps.step("submit", domain.AchievementSubmitted)
	return b
}

// Filed has the bureau file (备案) it today.
func (b *AchievementBuilder) Filed() *AchievementBuilder {
	if b.x.Status == domain.AchievementDraft {
		b.Submitted()
	}
	b.x.FiledOn = b.w.Today()
	b.steps.step("file", domain.AchievementFiled)
	return b
}

// Published publishes it to the catalogue today.
func (b *AchievementBuilder) Published() *AchievementBuilder {
	if b.x.Status != domain.AchievementFiled {
		b.Filed()
	}
	b.x.PublishedOn = b.w.Today()
	b.steps.step("publish", domain.AchievementPublished)
	return b
}

// In moves it along the workflow to s (draft, submitted, filed or
// published) with the history, as the status methods do.
func (b *AchievementBuilder) In(s domain.AchievementStatus) *AchievementBuilder {
	switch s {
	case domain.AchievementDraft:
	case domain.AchievementSubmitted:
		b.Submitted()
	case domain.AchievementFiled:
		b.Filed()
	case domain.AchievementPublished:
		b.Published()
	default:
		b.w.tb.Fatalf("storetest: no way to an achievement %s; use the status methods", s)
	}
	return b
}

// Status sets the status without history (for the policy matrices).
func (b *AchievementBuilder) Status(s domain.AchievementStatus) *AchievementBuilder {
	b.x.Status = s
	return b
}

// Build returns the record without writing it.
func (b *AchievementBuilder) Build() *domain.Achievement { return b.x }

// Insert writes the achievement and its history.
func (b *AchievementBuilder) Insert(tb testing.TB) *domain.Achievement {
	tb.Helper()
	x := b.x
	b.steps.insertWithHistory(x.OwnerOrgID, &x.CreatedBy, []string{"file", "return"}, func(ctx context.Context, tx *store.Q) (int64, error) {
		err := tx.InsertAchievement(ctx, x)
		return x.ID, err
	})
	return x
}

// PublishedAchievements bulk-inserts n published achievements titled
// "<title> <i>" (a catalogue larger than a page or a cap, in one statement).
func (w *World) PublishedAchievements(t testing.TB, n int, title string) {
	t.Helper()
	bulk := make([]*domain.Achievement, 0, n)
	for i := range n {
		x := w.Achievement().Build()
		x.Title = fmt.Sprintf("%s %d", title, i)
		x.Status, x.PublishedOn = domain.AchievementPublished, "2022-01-10"
		x.CreatedAt, x.UpdatedAt = w.Clock.Now(), w.Clock.Now()
		bulk = append(bulk, x)
	}
	ctx := context.Background()
	if err := w.St.InTx(ctx, func(q *store.Q) error { return q.BulkInsertAchievements(ctx, bulk) }); err != nil {
		t.Fatal(err)
	}
}
