package service_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
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

// TestDuplicateFiling: the same 合同编号 between the same seller and buyer
// is refused on filing and on editing, naming contract_no and the existing
// filing when the filer may see it; a refused filing may be filed anew; a
// filing without a number is never a duplicate (walkthrough #7).
func TestDuplicateFiling(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		in := func(no string) *domain.Contract {
			c := w.input(w.city.Univ, w.city.Ent, 1_000_000_00)
			c.ContractNo = no
			return c
		}
		first, err := w.svc.Contracts.Create(ctx, w.univ, in("DUP-1"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.Contracts.Create(ctx, w.univ, in("DUP-1"))
		wantCode(t, err, domain.EINVALID, "contract_no")
		if !strings.Contains(err.Error(), strconv.FormatInt(first.ID, 10)) {
			t.Fatalf("the refusal does not name the existing filing %d: %v", first.ID, err)
		}
		if dup, err := w.svc.Contracts.Duplicate(ctx, w.univ, 0, in("DUP-1")); err != nil || dup == nil || dup.ID != first.ID {
			t.Fatalf("Duplicate: %v %v", dup, err)
		}
		// The same number with another buyer is another contract.
		other := in("DUP-1")
		other.Buyer = domain.Party{OrgID: w.city.Ent2.ID}
		second, err := w.svc.Contracts.Create(ctx, w.univ, other)
		if err != nil {
			t.Fatalf("another buyer: %v", err)
		}
		// Editing the second into the first's parties is refused too.
		_, err = w.svc.Contracts.Update(ctx, w.univ, second.ID, second.Version, in("DUP-1"))
		wantCode(t, err, domain.EINVALID, "contract_no")
		// Without a number nothing is a duplicate.
		for range 2 {
			if _, err := w.svc.Contracts.Create(ctx, w.univ, in("")); err != nil {
				t.Fatal(err)
			}
		}
		// The registrar filing for the seller sees the first is the
		// university's draft: refused without naming it.
		_, err = w.svc.Contracts.Create(ctx, w.registrar, in("DUP-1"))
		wantCode(t, err, domain.EINVALID, "contract_no")
		if strings.Contains(err.Error(), first.Title) {
			t.Fatalf("the refusal reveals another organisation's draft: %v", err)
		}
		// A refused filing may be filed anew.
		refused := w.city.Contract(func(c *domain.Contract) { c.ContractNo = "DUP-2" }).Refused("not_technology").Insert(t)
		if _, err := w.svc.Contracts.Create(ctx, w.univ, in(refused.ContractNo)); err != nil {
			t.Fatalf("refiling a refused contract: %v", err)
		}
	})
}
