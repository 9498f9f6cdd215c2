package service_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// acceptOn files a contract of turnover fen and the registrar accepts it on
// day (YYYY-MM-DD).
func (w *world) acceptOn(t *testing.T, day string, fen int64, edit func(*domain.Contract)) *domain.Contract {
	t.Helper()
	ctx := context.Background()
	w.city.SetDay(day)
	in := w.input(w.city.Univ, w.city.Ent, fen)
	if edit != nil {
		edit(in)
	}
	c, err := w.svc.Contracts.Create(ctx, w.univ, in)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if c, err = w.svc.Contracts.UploadDocument(ctx, w.univ, c.ID, "合同.pdf", pdf); err != nil {
		t.Fatal(err)
	}
	if c, err = w.svc.Contracts.Submit(ctx, w.univ, c.ID, c.Version); err != nil {
		t.Fatal(err)
	}
	if c, err = w.svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestClockByRegime: a filing accepted before the cut-over is timed in
// calendar days (30, across the 2026 Spring Festival with its make-up
// Saturdays), one accepted after in working days (15 after 2026-09-25 is
// 2026-10-22, across 中秋 and 国庆 with Saturday 10-10 worked), a large
// or disputed one 30 working days with expert review; the threshold and
// the cut-over are settings; overdue is past the stored due date.
func TestClockByRegime(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		old := w.acceptOn(t, "2026-02-10", 100_000_00, nil)
		if old.Regime != domain.Regime2000 || old.DueOn != "2026-03-12" || old.ExpertReview {
			t.Fatalf("before the cut-over: regime %s due %s expert %v", old.Regime, old.DueOn, old.ExpertReview)
		}
		small := w.acceptOn(t, "2026-09-25", 100_000_00, nil)
		if small.Regime != domain.Regime2026 || small.DueOn != "2026-10-22" || small.ExpertReview {
			t.Fatalf("after the cut-over: regime %s due %s expert %v", small.Regime, small.DueOn, small.ExpertReview)
		}
		large := w.acceptOn(t, "2026-09-25", 6_000_000_00, nil) // 技术交易额 540万元
		if !large.ExpertReview || large.DueOn != "2026-11-12" || large.TechTransactionFen < domain.DefaultExpertThresholdFen {
			t.Fatalf("large: expert %v due %s (技术交易额 %d)", large.ExpertReview, large.DueOn, large.TechTransactionFen)
		}
		disputed := w.acceptOn(t, "2026-09-25", 100_000_00, func(c *domain.Contract) { c.Disputed = true })
		if !disputed.ExpertReview || disputed.DueOn != "2026-11-12" {
			t.Fatalf("disputed: expert %v due %s", disputed.ExpertReview, disputed.DueOn)
		}

		// The settings: only the admin; the threshold compared exactly.
		_, err := w.svc.Contracts.SetRegime(ctx, w.registrar, domain.RegimeRules{Cutover: "2026-10-01", ExpertThresholdFen: 1})
		wantCode(t, err, domain.EFORBIDDEN, "")
		admin := w.city.Actor("admin")
		_, err = w.svc.Contracts.SetRegime(ctx, admin, domain.RegimeRules{Cutover: "2026-13-01", ExpertThresholdFen: 1})
		wantCode(t, err, domain.EINVALID, "cutover")
		if _, err := w.svc.Contracts.SetRegime(ctx, admin, domain.RegimeRules{Cutover: "2026-10-01", ExpertThresholdFen: small.TechTransactionFen}); err != nil {
			t.Fatal(err)
		}
		moved := w.acceptOn(t, "2026-09-28", 100_000_00, nil)
		atThreshold := w.acceptOn(t, "2026-10-08", 100_000_00, nil)
		if moved.Regime != domain.Regime2000 || moved.DueOn != "2026-10-28" {
			t.Fatalf("the cut-over setting: regime %s due %s", moved.Regime, moved.DueOn)
		}
		if atThreshold.Regime != domain.Regime2026 || !atThreshold.ExpertReview {
			t.Fatalf("at the threshold: regime %s expert %v", atThreshold.Regime, atThreshold.ExpertReview)
		}
		// Filings already accepted keep their regime and clock.
		if got, _ := w.svc.Contracts.Get(ctx, w.registrar, small.ID); got.Regime != domain.Regime2026 || got.DueOn != "2026-10-22" {
			t.Fatalf("a setting changed an accepted filing: %s %s", got.Regime, got.DueOn)
		}

		w.city.SetDay("2026-10-23")
		over, _, err := w.svc.Contracts.List(ctx, w.registrar, domain.ContractFilter{Overdue: true})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[int64]bool{}
		for _, c := range over {
			ids[c.ID] = true
		}
		if !ids[old.ID] || !ids[small.ID] || ids[large.ID] || ids[disputed.ID] || ids[moved.ID] || ids[atThreshold.ID] || len(ids) != 2 {
			t.Fatalf("overdue on 2026-10-23: %v", ids)
		}
	})
}

// TestCalendarLoad: the bureau loads a year's arrangement as data; a year
// loaded replaces the library's for that year and the due dates of running
// clocks are recomputed; a bad file is refused naming the line, nothing
// written.
func TestCalendarLoad(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		small := w.acceptOn(t, "2026-09-25", 100_000_00, nil)
		bureau := w.city.Actor("bureau")
		_, err := w.svc.Contracts.LoadCalendar(ctx, w.univ, strings.NewReader("2026-10-21 holiday 测试\n"))
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = w.svc.Contracts.LoadCalendar(ctx, bureau, strings.NewReader("2026-10-21 holiday\n2026-10-22 workday\n"))
		wantCode(t, err, domain.EINVALID, "file")
		if !strings.Contains(domain.ErrorText(err).String(), "第2行") {
			t.Fatalf("the error names no line: %v", err)
		}
		if got, _ := w.svc.Contracts.Get(ctx, w.registrar, small.ID); got.DueOn != "2026-10-22" {
			t.Fatalf("a refused file changed a due date: %s", got.DueOn)
		}
		// A (fictitious) arrangement for 2026: only 国庆 1–7 off, 10-10 worked,
		// and 10-21 off; the library's 中秋 (9-25…27) no longer counts.
		file := "# test arrangement\n2026-10-01 休 国庆节\n2026-10-02 休\n2026-10-05 休\n2026-10-06 休\n2026-10-07 休\n2026-10-10 班\n2026-10-21 holiday 测试\n"
		out, err := w.svc.Contracts.LoadCalendar(ctx, bureau, strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Years) != 1 || out.Years[0] != 2026 || out.Days != 7 || out.Recomputed < 1 {
			t.Fatalf("load: %+v", out)
		}
		got, _ := w.svc.Contracts.Get(ctx, w.registrar, small.ID)
		if got.DueOn != "2026-10-23" { // 9-28…30, 10-8, 9, 10, 12…16, 19, 20, 22, 23
			t.Fatalf("recomputed due %s, want 2026-10-23", got.DueOn)
		}
		info, err := w.svc.Contracts.Regime(ctx, w.univ)
		if err != nil || len(info.Loaded) != 1 || info.Loaded[0] != 2026 || info.Current != domain.Regime2026 {
			t.Fatalf("regime info %+v, %v", info, err)
		}
		if _, n, err := w.st.FindAudit(ctx, domain.AuditFilter{Entity: "calendar", EntityID: "2026"}); err != nil || n != 1 {
			t.Fatalf("audit rows %d, %v", n, err)
		}
	})
}

// TestMigrationGivesOldFilingsARegime: filings of the old flow (submitted
// meant accepted) become accepted, keep their acceptance date, get the
// regime by it and a due date — the 2026 regime's in working days, filled
// in by Service.Migrate after the SQL; a returned filing gets its open
// correction cycle.
func TestMigrationGivesOldFilingsARegime(t *testing.T) {
	t.Parallel()
	for _, ns := range storetest.OpenFresh(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			st := ns.Store
			all, err := st.Pending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			before := ""
			for i, v := range all {
				if strings.HasSuffix(v, "_regime") {
					before = all[i-1]
				}
			}
			if _, err := st.MigrateTo(ctx, before); err != nil {
				t.Fatal(err)
			}
			url := st.URL()
			storetest.Exec(t, url, `INSERT INTO orgs (id, kind, name, region_code, created_at) VALUES (1, 'registry', '登记处', '210100', '2026-01-01T00:00:00Z')`)
			row := `INSERT INTO contracts (id, registry_id, title, seller_name, seller_uscc, seller_region, seller_type, seller_local,
				buyer_name, buyer_uscc, buyer_region, buyer_type, buyer_local, signed_on, term_start, term_end, category, sub_type, form,
				seals_match, tech_field, turnover_fen, tech_transaction_fen, status, accepted_on, owner_org_id, created_at, updated_at)
				VALUES ($1, 1, $2, '卖方', 'x', '210100', 'enterprise', TRUE, '买方', 'y', '210100', 'enterprise', TRUE, '2025-01-01', '2025-01-01',
				'2027-01-01', 'development', 'entrusted_dev', 'written', TRUE, 'manufacturing', 100, 100, $3, $4, 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`
			storetest.Exec(t, url, row, 1, "旧办法在办", "submitted", "2026-02-10")
			storetest.Exec(t, url, row, 2, "新办法在办", "submitted", "2026-09-25")
			storetest.Exec(t, url, row, 3, "退回补正", "returned", "2026-09-01")
			storetest.Exec(t, url, row, 4, "草稿", "draft", "")
			storetest.Exec(t, url, `INSERT INTO entity_events (entity, entity_id, at, actor_id, actor_name, action, from_status, to_status, comment)
				VALUES ('contract', 3, '2026-09-05T02:00:00Z', 0, 'registrar', 'return', 'submitted', 'returned', '请补充附件')`)
			svc := service.New(st, testutil.Log())
			if _, err := svc.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			for _, want := range []struct {
				id             int64
				status, regime string
				due            string
			}{{1, "accepted", "2000", "2026-03-12"}, {2, "accepted", "2026", "2026-10-22"}, {3, "returned", "2026", ""}, {4, "draft", "", ""}} {
				c, err := st.FindContractByID(ctx, want.id)
				if err != nil {
					t.Fatal(err)
				}
				if string(c.Status) != want.status || c.Regime != want.regime || (want.due != "" && c.DueOn != want.due) {
					t.Errorf("contract %d: %s regime %q due %q, want %+v", want.id, c.Status, c.Regime, c.DueOn, want)
				}
			}
			c, _ := st.FindContractByID(ctx, 3)
			if len(c.Corrections) != 1 || c.Corrections[0].RequestedOn != "2026-09-05" || c.Corrections[0].Reason != "请补充附件" {
				t.Errorf("returned filing's cycle: %+v", c.Corrections)
			}
		})
	}
}

// TestExpertReview: a large contract under the 2026 regime cannot be
// registered before its review is complete; reviewers are experts of no
// party's organisation; an expert sees what it is assigned and nothing
// else, and records its opinion once assigned.
func TestExpertReview(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		large := w.acceptOn(t, "2026-09-25", 6_000_000_00, nil)
		small := w.acceptOn(t, "2026-09-25", 100_000_00, nil)
		if !large.ExpertReview || small.ExpertReview {
			t.Fatal("expert review flags")
		}
		expert := w.expert
		_, err := w.svc.Contracts.Get(ctx, expert, large.ID)
		wantCode(t, err, domain.ENOTFOUND, "") // not assigned yet
		_, err = w.svc.Contracts.Register(ctx, w.registrar, large.ID, large.Version, 1, "")
		wantCode(t, err, domain.ECONFLICT, "")
		_, err = w.svc.Contracts.AssignReviewers(ctx, w.registrar, small.ID, small.Version, []int64{expert.UserID})
		wantCode(t, err, domain.EFORBIDDEN, "") // no review for a small contract
		_, err = w.svc.Contracts.AssignReviewers(ctx, w.registrar, large.ID, large.Version, []int64{w.univ.UserID})
		wantCode(t, err, domain.EINVALID, "user_ids") // not an expert
		_, err = w.svc.Contracts.AssignReviewers(ctx, w.univ, large.ID, large.Version, []int64{expert.UserID})
		wantCode(t, err, domain.EFORBIDDEN, "")

		// An expert of the seller's organisation must stand aside.
		conflicted := w.city.AddUser(t, "univ_expert", domain.RoleExpert, w.city.Univ)
		_, err = w.svc.Contracts.AssignReviewers(ctx, w.registrar, large.ID, large.Version, []int64{conflicted.ID})
		wantCode(t, err, domain.EINVALID, "user_ids")
		cands, err := w.svc.Contracts.ExpertCandidates(ctx, w.registrar, large)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range cands {
			if u.ID == conflicted.ID || u.Role != domain.RoleExpert {
				t.Fatalf("candidate %s of a party or not an expert", u.Username)
			}
		}
		if len(cands) == 0 {
			t.Fatal("no candidates")
		}

		c, err := w.svc.Contracts.AssignReviewers(ctx, w.registrar, large.ID, large.Version, []int64{expert.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Reviews) != 1 || c.Reviews[0].UserID != expert.UserID || c.Reviews[0].AssignedOn != "2026-09-25" {
			t.Fatalf("reviews %+v", c.Reviews)
		}
		_, err = w.svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, 1, "")
		wantCode(t, err, domain.ECONFLICT, "") // opinion missing
		// Nor refused (不予登记) while the review is open; nothing written.
		_, err = w.svc.Contracts.Refuse(ctx, w.registrar, c.ID, c.Version, "other", "评审未完成")
		wantCode(t, err, domain.ECONFLICT, "")
		if got, _ := w.svc.Contracts.Get(ctx, w.registrar, c.ID); got.Status != domain.ContractAccepted || got.Version != c.Version {
			t.Fatalf("refusal during the review wrote: %s v%d", got.Status, got.Version)
		}

		// The expert now sees this contract, and only it.
		if _, err := w.svc.Contracts.Get(ctx, expert, c.ID); err != nil {
			t.Fatalf("assigned expert: %v", err)
		}
		_, err = w.svc.Contracts.Get(ctx, expert, small.ID)
		wantCode(t, err, domain.ENOTFOUND, "")
		list, total, err := w.svc.Contracts.List(ctx, expert, domain.ContractFilter{})
		if err != nil || total != 1 || list[0].ID != c.ID {
			t.Fatalf("expert's list: %d, %v", total, err)
		}
		_, err = w.svc.Contracts.Opine(ctx, expert, c.ID, c.Version, "disagree", "")
		wantCode(t, err, domain.EINVALID, "comment")
		_, err = w.svc.Contracts.Opine(ctx, w.registrar, c.ID, c.Version, "agree", "")
		wantCode(t, err, domain.EFORBIDDEN, "")
		if c, err = w.svc.Contracts.Opine(ctx, expert, c.ID, c.Version, "agree", "技术交易额核定合理"); err != nil {
			t.Fatal(err)
		}
		if r := c.Reviews[0]; r.Opinion != "agree" || r.OpinedOn != "2026-09-25" {
			t.Fatalf("opinion %+v", r)
		}
		if c, err = w.svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, c.TechTransactionFen, ""); err != nil || c.Status != domain.ContractRegistered {
			t.Fatalf("register after review: %v", err)
		}
		_, err = w.svc.Contracts.Opine(ctx, expert, c.ID, c.Version, "comment", "晚了")
		wantCode(t, err, domain.ECONFLICT, "")

		// Refusal before any reviewer is assigned is refused too; after
		// the review it is the registrar's to make.
		other := w.acceptOn(t, "2026-09-25", 6_000_000_00, nil)
		_, err = w.svc.Contracts.Refuse(ctx, w.registrar, other.ID, other.Version, "other", "评审未完成")
		wantCode(t, err, domain.ECONFLICT, "")
		if other, err = w.svc.Contracts.AssignReviewers(ctx, w.registrar, other.ID, other.Version, []int64{expert.UserID}); err != nil {
			t.Fatal(err)
		}
		if other, err = w.svc.Contracts.Opine(ctx, expert, other.ID, other.Version, "disagree", "技术标的不明确"); err != nil {
			t.Fatal(err)
		}
		if other, err = w.svc.Contracts.Refuse(ctx, w.registrar, other.ID, other.Version, "unclear_subject", ""); err != nil || other.Status != domain.ContractRefused {
			t.Fatalf("refusal after the review: %v", err)
		}
	})
}

// TestCategoryCheckedAtAcceptance (regime gap 1): the category of a filing
// must be one of the regime chosen at 受理. A patent licence signed in 2020
// and filed as 技术转让 while the 2000 regime was in force is refused at
// 受理 under the 2026 regime (sub_type, telling the registrar to return it);
// returned at intake, the applicant re-categorises it as 技术许可 and it is
// accepted. The other way: filed as 技术许可 under the 2026 regime, and the
// cut-over moved so that 受理 falls under the 2000 regime, it is refused
// (category) until filed as 技术转让.
func TestCategoryCheckedAtAcceptance(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		legacy := func(cat string) func(*domain.Contract) {
			return func(c *domain.Contract) {
				c.SignedOn, c.TermStart, c.TermEnd, c.Category, c.SubType = "2020-06-01", "2020-06-01", "2027-05-31", cat, "patent_license"
			}
		}
		w.city.SetDay("2026-02-20") // the 2000 regime: 技术转让 for a 2020 licence
		in := w.input(w.city.Univ, w.city.Ent, 100_000_00)
		legacy("transfer")(in)
		c := w.filed(t, w.univ, in)
		w.city.SetDay("2026-03-02") // 受理 under the 2026 regime
		_, err := w.svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version)
		wantCode(t, err, domain.EINVALID, "sub_type")
		if !strings.Contains(err.Error(), "退回补正") || !strings.Contains(err.Error(), "技术许可") {
			t.Fatalf("the message does not tell the registrar what to do: %v", err)
		}
		if got, _ := w.svc.Contracts.Get(ctx, w.registrar, c.ID); got.Status != domain.ContractSubmitted || got.Regime != "" || got.AcceptedOn != "" {
			t.Fatalf("a refused 受理 wrote: %s %q %q", got.Status, got.Regime, got.AcceptedOn)
		}
		if c, err = w.svc.Contracts.Return(ctx, w.registrar, c.ID, c.Version, "按2026年办法，专利实施许可请改为技术许可类"); err != nil {
			t.Fatal(err)
		}
		fix := *c
		legacy("license")(&fix)
		if c, err = w.svc.Contracts.Update(ctx, w.univ, c.ID, c.Version, &fix); err != nil {
			t.Fatalf("re-categorising under the 2026 regime: %v", err)
		}
		if c, err = w.svc.Contracts.Submit(ctx, w.univ, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version); err != nil || c.Regime != domain.Regime2026 {
			t.Fatalf("the re-categorised filing: %v", err)
		}

		// The other way round: filed as 技术许可 under the 2026 regime,
		// accepted after the cut-over was moved past today.
		in = w.input(w.city.Univ, w.city.Ent, 100_000_00)
		legacy("license")(in)
		lic := w.filed(t, w.univ, in)
		if _, err := w.svc.Contracts.SetRegime(ctx, w.city.Actor("admin"), domain.RegimeRules{Cutover: "2027-01-01", ExpertThresholdFen: domain.DefaultExpertThresholdFen}); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.Contracts.Accept(ctx, w.registrar, lic.ID, lic.Version)
		wantCode(t, err, domain.EINVALID, "category")
		// Under the 2000 regime the same licence is a 技术转让: filed so, accepted.
		in = w.input(w.city.Univ, w.city.Ent, 100_000_00)
		legacy("transfer")(in)
		tr := w.filed(t, w.univ, in)
		if tr, err = w.svc.Contracts.Accept(ctx, w.registrar, tr.ID, tr.Version); err != nil || tr.Regime != domain.Regime2000 {
			t.Fatalf("a 2020 licence as 技术转让 under the 2000 regime: %v", err)
		}
	})
}

// TestCertificateVerification: anyone verifies a certificate by its 登记号
// and learns the public fields with the amounts its regime's certificate
// shows; an unknown or malformed number is not found; a client walking
// numbers is slowed down.
func TestCertificateVerification(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		old := w.acceptOn(t, "2026-02-10", 100_000_00, nil)
		old, err := w.svc.Contracts.Register(ctx, w.registrar, old.ID, old.Version, 80_000_00, "")
		if err != nil {
			t.Fatal(err)
		}
		neu := w.acceptOn(t, "2026-09-25", 100_000_00, nil)
		if neu, err = w.svc.Contracts.Register(ctx, w.registrar, neu.ID, neu.Version, 80_000_00, ""); err != nil {
			t.Fatal(err)
		}
		client := "192.0.2.1 " + t.Name()
		c, err := w.svc.Contracts.Certificate(ctx, client, old.RegNo)
		if err != nil || c.TechIncomeFen == nil || *c.TechIncomeFen != 80_000_00 || c.TurnoverFen != nil || c.TechTransactionFen != nil || c.SellerName != old.Seller.Name || c.Registry == "" {
			t.Fatalf("2000 certificate %+v, %v", c, err)
		}
		c, err = w.svc.Contracts.Certificate(ctx, client, neu.RegNo)
		if err != nil || c.TechIncomeFen != nil || c.TurnoverFen == nil || *c.TurnoverFen != neu.TurnoverFen || *c.TechTransactionFen != 80_000_00 { // the registrar's 核定技术交易额
			t.Fatalf("2026 certificate %+v, %v", c, err)
		}
		for _, bad := range []string{"2026210100999999", "abc", "", "2026210100000001\u202e"} {
			_, err := w.svc.Contracts.Certificate(ctx, client, bad)
			wantCode(t, err, domain.ENOTFOUND, "")
		}
		limited := false
		for i := 0; i < 40 && !limited; i++ {
			_, err := w.svc.Contracts.Certificate(ctx, "198.51.100.7 "+t.Name(), "2026210100999999")
			limited = domain.ErrorCode(err) == domain.ERATELIMIT
		}
		if !limited {
			t.Fatal("40 look-ups in a row were never limited")
		}
	})
}

// TestRegistrarFigureByRegime (regime gap 2): under the 2000 regime the
// registrar fixes the 核定技术性收入 beside the declared 技术交易额; under
// the 2026 regime it fixes the 技术交易额 itself (draft art 3), and the
// certificate, the export, the list totals and the statistics (rollup and
// records alike) use that figure. Neither may exceed the declared
// 技术交易额; the message names the regime's figure.
func TestRegistrarFigureByRegime(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		old := w.acceptOn(t, "2026-02-10", 1_000_000_00, nil)
		now := w.acceptOn(t, "2026-09-25", 1_000_000_00, nil)
		if old.Regime != domain.Regime2000 || now.Regime != domain.Regime2026 {
			t.Fatalf("regimes %s %s", old.Regime, now.Regime)
		}
		_, err := w.svc.Contracts.Register(ctx, w.registrar, now.ID, now.Version, now.TechTransactionFen+1, "")
		wantCode(t, err, domain.EINVALID, "tech_income_fen")
		if !strings.Contains(err.Error(), "核定技术交易额") {
			t.Fatalf("the 2026 bound does not name its figure: %v", err)
		}
		_, err = w.svc.Contracts.Register(ctx, w.registrar, old.ID, old.Version, old.TechTransactionFen+1, "")
		wantCode(t, err, domain.EINVALID, "tech_income_fen")
		if !strings.Contains(err.Error(), "核定技术性收入") {
			t.Fatalf("the 2000 bound does not name its figure: %v", err)
		}
		w.city.SetDay("2026-10-09")
		declared := old.TechTransactionFen // the same builder: 成交额 less its costs
		if now.TechTransactionFen != declared || declared <= 800_000_00 {
			t.Fatalf("declared 技术交易额 %d and %d", declared, now.TechTransactionFen)
		}
		if old, err = w.svc.Contracts.Register(ctx, w.registrar, old.ID, old.Version, 700_000_00, ""); err != nil {
			t.Fatal(err)
		}
		if now, err = w.svc.Contracts.Register(ctx, w.registrar, now.ID, now.Version, 800_000_00, ""); err != nil {
			t.Fatal(err)
		}
		if old.RegisteredTechFen() != declared || now.RegisteredTechFen() != 800_000_00 {
			t.Fatalf("registered 技术交易额: 2000 %d, 2026 %d", old.RegisteredTechFen(), now.RegisteredTechFen())
		}

		certOld, err := w.svc.Contracts.Certificate(ctx, "203.0.113.9", old.RegNo)
		if err != nil {
			t.Fatal(err)
		}
		certNow, err := w.svc.Contracts.Certificate(ctx, "203.0.113.9", now.RegNo)
		if err != nil {
			t.Fatal(err)
		}
		if certOld.TechIncomeFen == nil || *certOld.TechIncomeFen != 700_000_00 || certOld.TechTransactionFen != nil {
			t.Fatalf("2000 certificate: %+v", certOld)
		}
		if certNow.TechTransactionFen == nil || *certNow.TechTransactionFen != 800_000_00 || certNow.TechIncomeFen != nil ||
			certNow.TurnoverFen == nil || *certNow.TurnoverFen != 1_000_000_00 {
			t.Fatalf("2026 certificate: %+v", certNow)
		}

		// Statistics: the declared figure (2000) + 800,000.00 (approved, 2026).
		for name, stats := range map[string]func(context.Context, int) (*service.ContractStats, error){
			"rollup": w.svc.Contracts.StatsRollup, "records": w.svc.Contracts.StatsNaive} {
			st, err := stats(ctx, 2026)
			if err != nil {
				t.Fatal(err)
			}
			if st.Count != 2 || st.TurnoverFen != 2_000_000_00 || st.TechTransactionFen != declared+800_000_00 {
				t.Errorf("%s stats: %d contracts, 成交额 %d, 技术交易额 %d", name, st.Count, st.TurnoverFen, st.TechTransactionFen)
			}
		}
		tot, err := w.svc.Contracts.ListTotals(ctx, w.registrar, domain.ContractFilter{Statuses: []domain.ContractStatus{domain.ContractRegistered}})
		if err != nil {
			t.Fatal(err)
		}
		if tot.Count != 2 || tot.TechTransactionFen != declared+800_000_00 {
			t.Errorf("list totals %+v", tot)
		}

		// The export: 技术性收入 for the 2000 row, 核定技术交易额 for the 2026 row.
		var buf bytes.Buffer
		if _, err := w.svc.Contracts.Export(ctx, w.registrar, domain.ContractFilter{Statuses: []domain.ContractStatus{domain.ContractRegistered}}, contractio.CSV, &buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		byReg := map[string][]string{}
		for _, r := range rows[1:] {
			byReg[r[col["登记号"]]] = r
		}
		ro, rn := byReg[old.RegNo], byReg[now.RegNo]
		if ro == nil || rn == nil {
			t.Fatalf("export rows %v", rows)
		}
		if ro[col["技术性收入（元）"]] != "700000.00" || ro[col["核定技术交易额（元）"]] != "" || ro[col["技术交易额（元）"]] != domain.FormatYuanPlain(declared) {
			t.Errorf("2000 row %v", ro)
		}
		if rn[col["技术性收入（元）"]] != "" || rn[col["核定技术交易额（元）"]] != "800000.00" || rn[col["登记办法"]] != "2026年办法" {
			t.Errorf("2026 row %v", rn)
		}
	})
}
