package service_test

import (
	"context"
	"slices"
	"testing"

	"kechuang/internal/domain"
)

// TestContractDates: a signing date after today or before 1980 is refused
// on filing, editing, submitting and registering, naming signed_on; a
// performance term starting before the signing date is accepted with a
// warning flag (walkthrough #2).
func TestContractDates(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		today := w.city.Today() // 2022-03-15
		for _, signed := range []string{"2022-03-16", "2030-01-01", "1979-12-31", "1900-01-01"} {
			in := w.input(w.city.Univ, w.city.Ent, 1_000_000_00)
			in.SignedOn, in.TermStart, in.TermEnd = signed, signed, "2031-01-01"
			_, err := w.svc.Contracts.Create(ctx, w.univ, in)
			wantCode(t, err, domain.EINVALID, "signed_on")
		}
		in := w.input(w.city.Univ, w.city.Ent, 1_000_000_00)
		in.SignedOn, in.TermStart = today, "2022-01-01"
		c, err := w.svc.Contracts.Create(ctx, w.univ, in)
		if err != nil {
			t.Fatalf("a term starting before signing is a warning, not a refusal: %v", err)
		}
		if !slices.Contains(c.Flags, domain.FlagTermBeforeSigning) {
			t.Fatalf("flags %v lack %s", c.Flags, domain.FlagTermBeforeSigning)
		}
		in.SignedOn = "2022-03-16"
		_, err = w.svc.Contracts.Update(ctx, w.univ, c.ID, c.Version, in)
		wantCode(t, err, domain.EINVALID, "signed_on")
		in.SignedOn, in.TermStart = today, today
		if c, err = w.svc.Contracts.Update(ctx, w.univ, c.ID, c.Version, in); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(c.Flags, domain.FlagTermBeforeSigning) {
			t.Fatalf("the warning stays after the dates are corrected: %v", c.Flags)
		}

		// A filing that reached the registry with a date after today (an
		// older record, a clock moved back) is not registered.
		future := w.city.Contract(func(c *domain.Contract) {
			c.SignedOn, c.TermStart, c.TermEnd = "2022-06-01", "2022-06-01", "2023-06-01"
		}).
			Submitted().Insert(t)
		_, err = w.svc.Contracts.Register(ctx, w.registrar, future.ID, future.Version, 0, "")
		wantCode(t, err, domain.EINVALID, "signed_on")
	})
}

// TestTechIncomeBound: 核定技术性收入 never above the 技术交易额 (walkthrough
// #3), on registering and in a record (the import's path through Validate).
func TestTechIncomeBound(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		c := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 4_500_000_00)) // 成交额 450万, 设备 45万
		if c.TechTransactionFen != 4_050_000_00 {
			t.Fatalf("技术交易额 %d", c.TechTransactionFen)
		}
		_, err := w.svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, 4_400_000_00, "")
		wantCode(t, err, domain.EINVALID, "tech_income_fen")
		if c, err = w.svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, c.TechTransactionFen, ""); err != nil {
			t.Fatal(err)
		}
		rec := *c
		rec.TechIncomeFen = rec.TechTransactionFen + 1
		if err := rec.Validate(); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("a record with 技术性收入 above 技术交易额 validated: %v", err)
		}
	})
}
