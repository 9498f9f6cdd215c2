package storetest

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// TechEventBuilder makes one valid event record of the world: by default a
// draft roadshow (路演) of the agency (技术转移机构) on the first chain, 30
// places, dated 10 days from today. The status methods move it along the
// workflow the way the service would, and Insert writes it with the
// history rows the workflow leaves behind.
type TechEventBuilder struct {
	w     *World
	x     *domain.TechEvent
	steps []domain.Event
	regs  []*domain.Org
}

// TechEvent starts an event; opts edit it before the status methods run.
func (w *World) TechEvent(opts ...func(*domain.TechEvent)) *TechEventBuilder {
	b := &TechEventBuilder{w: w, x: &domain.TechEvent{
		Kind: "roadshow", Title: "智能制造科技成果路演", Date: domain.DateOf(w.Clock.Now().AddDate(0, 0, 10)),
		Place: "沈阳市浑南区科技服务中心", ChainCode: w.City.Chains[0].Code, Capacity: 30,
		Description: "高校院所智能制造领域科技成果集中路演，企业现场对接。",
		Status:      domain.TechEventDraft, OrganiserOrgID: w.Agency.ID,
	}}
	for _, f := range opts {
		f(b.x)
	}
	b.step("create", domain.TechEventDraft, domain.TechEventDraft)
	return b
}

func (b *TechEventBuilder) step(action string, from, to domain.TechEventStatus) {
	b.steps = append(b.steps, domain.Event{Entity: "event", At: b.w.Clock.Now(), Action: action, From: string(from), To: string(to)})
	b.x.Status = to
}

// Organiser organises it as o.
func (b *TechEventBuilder) Organiser(o *domain.Org) *TechEventBuilder {
	b.x.OrganiserOrgID = o.ID
	return b
}

// On dates it day (YYYY-MM-DD).
func (b *TechEventBuilder) On(day string) *TechEventBuilder {
	b.x.Date = day
	return b
}

// Capacity sets its places.
func (b *TechEventBuilder) Capacity(n int) *TechEventBuilder {
	b.x.Capacity = n
	return b
}

// Registered has o registered for it (written with the event).
func (b *TechEventBuilder) Registered(o *domain.Org) *TechEventBuilder {
	b.regs = append(b.regs, o)
	return b
}

// Published opens registration.
func (b *TechEventBuilder) Published() *TechEventBuilder {
	b.step("publish", b.x.Status, domain.TechEventPublished)
	return b
}

// Held records that it took place (dated today unless dated earlier).
func (b *TechEventBuilder) Held() *TechEventBuilder {
	if b.x.Status == domain.TechEventDraft {
		b.Published()
	}
	if b.x.Date > b.w.Today() {
		b.x.Date = b.w.Today()
	}
	b.step("hold", b.x.Status, domain.TechEventHeld)
	return b
}

// Cancelled calls it off.
func (b *TechEventBuilder) Cancelled() *TechEventBuilder {
	b.x.CancelReason = "场地原因"
	b.step("cancel", b.x.Status, domain.TechEventCancelled)
	return b
}

// Status sets the status without history (for the policy matrices).
func (b *TechEventBuilder) Status(s domain.TechEventStatus) *TechEventBuilder {
	b.x.Status = s
	return b
}

// Build returns the record without writing it.
func (b *TechEventBuilder) Build() *domain.TechEvent { return b.x }

// Insert writes the event and its history.
func (b *TechEventBuilder) Insert(tb testing.TB) *domain.TechEvent {
	tb.Helper()
	x := b.x
	b.w.inTx(func(ctx context.Context, tx *store.Q) error {
		by := b.w.userOf(x.OrganiserOrgID)
		if x.CreatedBy == 0 && by != nil {
			x.CreatedBy = by.ID
		}
		if err := tx.InsertTechEvent(ctx, x); err != nil {
			return err
		}
		for _, e := range b.steps {
			e.EntityID = x.ID
			if by != nil {
				e.ActorID, e.ActorName = by.ID, by.Username
			}
			if err := tx.AddEvent(ctx, &e); err != nil {
				return err
			}
		}
		for _, o := range b.regs {
			if _, err := tx.AddEventRegistration(ctx, &domain.EventRegistration{EventID: x.ID, OrgID: o.ID, Contact: "张工"}, x.Capacity); err != nil {
				return err
			}
			x.Registered++
		}
		return nil
	})
	return x
}
