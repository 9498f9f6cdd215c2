package service_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"kechuang/internal/contractio"
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
			Accepted().Insert(t)
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

// TestDeleteDraft: the owner deletes its own draft, and only a draft, at
// the version it read; the deletion is audited and leaves a last step in
// the history; registration numbers stay gap-free, since a draft never
// holds one (walkthrough #7).
func TestDeleteDraft(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		reg1 := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		reg1, err := w.svc.Contracts.Register(ctx, w.registrar, reg1.ID, reg1.Version, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		d, err := w.svc.Contracts.Create(ctx, w.univ, w.input(w.city.Univ, w.city.Ent, 500_000_00))
		if err != nil {
			t.Fatal(err)
		}
		if d, err = w.svc.Contracts.UploadDocument(ctx, w.univ, d.ID, "c.pdf", pdf); err != nil {
			t.Fatal(err)
		}
		audits := w.auditCount(t, d.ID)
		wantCode(t, w.svc.Contracts.Delete(ctx, w.registrar, d.ID, d.Version), domain.ENOTFOUND, "") // another's draft is invisible
		wantCode(t, w.svc.Contracts.Delete(ctx, w.ent, d.ID, d.Version), domain.ENOTFOUND, "")
		wantCode(t, w.svc.Contracts.Delete(ctx, w.univ, d.ID, d.Version-1), domain.ECONFLICT, "")
		wantCode(t, w.svc.Contracts.Delete(ctx, w.univ, reg1.ID, reg1.Version), domain.EFORBIDDEN, "") // only drafts
		if err := w.svc.Contracts.Delete(ctx, w.univ, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Contracts.Get(ctx, w.univ, d.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("the deleted draft is still there: %v", err)
		}
		if n := w.auditCount(t, d.ID); n != audits+1 {
			t.Fatalf("audit rows %d → %d, want one more", audits, n)
		}
		evs, err := w.st.Events(ctx, "contract", d.ID)
		if err != nil || len(evs) == 0 || evs[len(evs)-1].Action != "delete" {
			t.Fatalf("history %v %v", evs, err)
		}
		reg2 := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 2_000_000_00))
		if reg2, err = w.svc.Contracts.Register(ctx, w.registrar, reg2.ID, reg2.Version, 0, ""); err != nil {
			t.Fatal(err)
		}
		if reg2.RegSerial != reg1.RegSerial+1 {
			t.Fatalf("serials %d then %d after deleting a draft", reg1.RegSerial, reg2.RegSerial)
		}
	})
}

// TestWithdraw: the applicant withdraws its submitted filing back to a
// draft before the registrar acts; not after, and nobody else does.
func TestWithdraw(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		// Once accepted (受理) a filing is the registry's: no withdrawal.
		acc := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		_, err := w.svc.Contracts.Withdraw(ctx, w.univ, acc.ID, acc.Version)
		wantCode(t, err, domain.ECONFLICT, "")
		c := w.filed(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		_, err = w.svc.Contracts.Withdraw(ctx, w.registrar, c.ID, c.Version)
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = w.svc.Contracts.Withdraw(ctx, w.ent, c.ID, c.Version) // the buyer sees it, may not withdraw it
		wantCode(t, err, domain.EFORBIDDEN, "")
		if c, err = w.svc.Contracts.Withdraw(ctx, w.univ, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ContractDraft || c.AcceptedOn != "" {
			t.Fatalf("withdrawn: %s accepted %q", c.Status, c.AcceptedOn)
		}
		if _, err := w.svc.Contracts.Get(ctx, w.registrar, c.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatal("the registry still sees a withdrawn filing")
		}
		if c, err = w.svc.Contracts.Submit(ctx, w.univ, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Contracts.Return(ctx, w.registrar, c.ID, c.Version, "请补充"); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.Contracts.Withdraw(ctx, w.univ, c.ID, c.Version) // the registrar acted
		wantCode(t, err, domain.ECONFLICT, "")
	})
}

// importRows is a CSV of registered rows of the world's registry with the
// given serials of 2022 (no 合同编号, so never duplicates).
func importRows(t *testing.T, w *world, tag string, serials ...int64) []byte {
	t.Helper()
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	h := contractio.Headers()
	cw.Write(h)
	for _, n := range serials {
		row := map[string]string{"合同名称": fmt.Sprintf("补录合同%s-%d", tag, n), "卖方名称": "沈阳导入测试科技有限公司", "卖方统一社会信用代码": domain.MakeUSCC("91210102MA0TEXT11"),
			"卖方行政区划代码": "210102", "卖方主体类型": "企业法人", "买方名称": "沈阳导入测试装备有限公司",
			"买方统一社会信用代码": domain.MakeUSCC("91210106MA0TEXT12"), "买方行政区划代码": "210106", "买方主体类型": "企业法人",
			"签订日期": "2022-03-01", "起始日期": "2022-03-01", "终止日期": "2022-12-31", "合同类别": "技术开发", "子类": "委托开发",
			"合同形式": "书面", "印章一致": "是", "技术领域": "先进制造", "合同成交额（元）": "250,000.00",
			"状态": "已登记", "登记号": domain.RegNoFor(2022, w.city.Registry.RegionCode, n), "登记日期": "2022-03-10"}
		line := make([]string, len(h))
		for i, c := range h {
			line[i] = row[c]
		}
		cw.Write(line)
	}
	cw.Flush()
	return b.Bytes()
}

// TestImportKeepsSequenceGapFree: an import of this year's registrations
// must continue the registry's sequence exactly (walkthrough #8): a gap or
// an overlap is a bad row; and imports racing live registrations never
// leave a gap or a duplicate — an import that lost the race is refused
// whole, under the sequence's lock (on PostgreSQL too).
func TestImportKeepsSequenceGapFree(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		const registrars, each, imports = 4, 8, 6
		ids := submittedBulk(t, w, registrars*each)
		opt := contractio.Options{Format: contractio.CSV, FileName: "seq.csv"}
		rep, err := w.svc.Contracts.Import(ctx, w.registrar, bytes.NewReader(importRows(t, w, "a", 1, 3)), opt)
		if err == nil || len(rep.Errors) != 1 || rep.Errors[0].Row != 3 || !strings.Contains(rep.Errors[0].Message, "不接续") {
			t.Fatalf("serials 1, 3 on an empty year: %v %+v", err, rep)
		}
		if _, err := w.svc.Contracts.Import(ctx, w.registrar, bytes.NewReader(importRows(t, w, "b", 2, 1)), opt); err != nil {
			t.Fatalf("serials 2, 1 (in any order) on an empty year: %v", err)
		}

		var wg sync.WaitGroup
		errs := make(chan error, registrars*each+imports)
		for r := range registrars {
			a := &domain.Actor{UserID: int64(200 + r), Username: "registrar", Role: domain.RoleRegistrar, OrgID: w.city.Registry.ID}
			wg.Go(func() {
				for _, id := range ids[r*each : (r+1)*each] {
					if _, err := w.svc.Contracts.Register(ctx, a, id, 1, 0, ""); err != nil {
						errs <- err
					}
				}
			})
		}
		var imported atomic.Int64
		wg.Go(func() {
			for i := range imports {
				cur, err := w.st.RegSerial(ctx, w.city.Registry.ID, 2022)
				if err != nil {
					errs <- err
					return
				}
				rep, err := w.svc.Contracts.Import(ctx, w.registrar, bytes.NewReader(importRows(t, w, fmt.Sprint("c", i), cur+1, cur+2, cur+3)), opt)
				switch {
				case err == nil:
					imported.Add(int64(rep.Imported))
				case domain.ErrorCode(err) == domain.EINVALID || domain.ErrorCode(err) == domain.ECONFLICT:
					// lost the race: refused, nothing stored
				default:
					errs <- err
				}
			}
		})
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("unexpected error: %v", err)
		}
		checkRegistered(t, w, 2+registrars*each+int(imported.Load()))
		t.Logf("%d rows imported beside %d registrations", imported.Load(), registrars*each)
	})
}

// TestEditDiffInHistory: the registrar's correction of a returned filing's
// 成交额 shows in the contract's history as the fields it changed, old →
// new, marked as the registrar's (walkthrough #11).
func TestEditDiffInHistory(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		c := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_500_000_00))
		c, err := w.svc.Contracts.Return(ctx, w.registrar, c.ID, c.Version, "请核对金额")
		if err != nil {
			t.Fatal(err)
		}
		in := *c
		in.TurnoverFen = 1_600_000_00
		if _, err = w.svc.Contracts.Update(ctx, w.registrar, c.ID, c.Version, &in); err != nil {
			t.Fatal(err)
		}
		evs, err := w.svc.Contracts.Events(ctx, w.univ, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		want := []domain.Change{
			{Field: "turnover_fen", Label: "合同成交额", Old: "1,500,000.00元", New: "1,600,000.00元"},
			{Field: "tech_transaction_fen", Label: "技术交易额", Old: "1,350,000.00元", New: "1,450,000.00元"},
		}
		if last.Action != "update" || !slices.Equal(last.Changes, want) || last.Comment == "" {
			t.Fatalf("last step %+v", last)
		}
	})
}
