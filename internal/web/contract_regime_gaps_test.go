package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// testRegimeGaps (run inside TestPages, on its demo city, today under the
// 2026 regime) checks the registrar's pages for the remaining regime
// rules: no 登记 or 不予登记 during an open expert review (no buttons, a
// notice, a POST refused with 409 and nothing written); the registrar's
// figure named and bounded by the regime (核定技术交易额 under 2026, stated on
// the certificate; 核定技术性收入 under 2000); a category the regime at 受理
// does not have refused at 受理, naming the field.
func testRegimeGaps(t *testing.T, srv *httptest.Server, svc *service.Service) {
	ctx := context.Background()
	neu := service.ActorOf(user(t, svc, "neu"))
	registrar := service.ActorOf(user(t, svc, "registrar"))
	admin := service.ActorOf(user(t, svc, "admin"))
	file := func(title, signed, cat, sub string, fen int64, accept bool) *domain.Contract {
		t.Helper()
		c, err := svc.Contracts.Create(ctx, neu, &domain.Contract{Title: title, Seller: domain.Party{OrgID: neu.OrgID},
			Buyer:    domain.Party{Name: "大连港湾装备有限公司", USCC: domain.MakeUSCC("91210200000000077"), RegionCode: "210200", Type: domain.PartyEnterprise},
			SignedOn: signed, TermStart: signed, TermEnd: "2027-10-31", Category: cat, SubType: sub,
			Form: "written", SealsMatch: true, Field: "energy", TurnoverFen: fen})
		if err == nil {
			c, err = svc.Contracts.UploadDocument(ctx, neu, c.ID, "c.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		}
		if err == nil {
			c, err = svc.Contracts.Submit(ctx, neu, c.ID, c.Version)
		}
		if err == nil && accept {
			c, err = svc.Contracts.Accept(ctx, registrar, c.ID, c.Version)
		}
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	path := func(c *domain.Contract, suffix string) string {
		return "/contracts/" + strconv.FormatInt(c.ID, 10) + suffix
	}
	ver := func(c *domain.Contract, kv ...string) url.Values {
		f := url.Values{"version": {strconv.FormatInt(c.Version, 10)}}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	reg := newClient(t, srv.URL)
	reg.login("registrar")
	want := func(name, method, p string, form url.Values, status int, in []string, out []string) {
		t.Helper()
		reg.t = t
		st, loc, body := reg.do(method, p, form)
		if st != status {
			t.Fatalf("%s: %s %s: status %d, want %d (%s)", name, method, p, st, status, loc)
		}
		if st/100 == 3 {
			body = loc
		}
		for _, s := range in {
			if !strings.Contains(body, s) {
				t.Errorf("%s: %q not in the answer", name, s)
			}
		}
		for _, s := range out {
			if strings.Contains(body, s) {
				t.Errorf("%s: %q in the answer", name, s)
			}
		}
	}

	// The form's categories follow the regime: the 合同法 set for a 2020
	// contract under the 2000 regime, the five under the 2026 regime (and
	// by default, today's regime).
	want("CategoriesUnder2000", "GET", "/contracts/form/categories?signed_on=2020-06-01&cat_regime=2000", nil, 200,
		[]string{"专利实施许可属于技术转让", `value="2000"`}, []string{`<option value="license"`})
	want("CategoriesUnder2026", "GET", "/contracts/form/categories?signed_on=2020-06-01&cat_regime=2026", nil, 200,
		[]string{`<option value="license"`, "也属于“技术许可”"}, nil)
	want("CategoriesToday", "GET", "/contracts/form/categories?signed_on=2020-06-01", nil, 200, []string{`<option value="license"`, `value="2026"`}, nil)

	// The rules page says what the registrar fixes under each regime.
	adm := newClient(t, srv.URL)
	adm.login("admin")
	if st, _, body := adm.do("GET", "/admin/regime", nil); st != 200 || !strings.Contains(body, `data-approved="tech_income">核定技术性收入`) ||
		!strings.Contains(body, `data-approved="tech_transaction">核定技术交易额`) {
		t.Errorf("the rules page does not say what the registrar fixes: %d", st)
	}

	// Expert review open: no decision buttons, a notice; a refusal posted
	// anyway is a 409 that writes nothing.
	large := file("海上风电机组状态监测技术开发", "2026-11-01", "development", "entrusted_dev", 600_000_000, true)
	if !large.ExpertReview {
		t.Fatal("a 600万元 contract is not under expert review")
	}
	want("ReviewOpenPage", "GET", path(large, ""), nil, 200,
		[]string{`id="review-open"`, `id="return-form"`}, []string{`id="refuse-form"`, `id="register-form"`})
	want("RefuseDuringReview", "POST", path(large, "/refuse"), ver(large, "ground", "unclear_subject"), 409, []string{"专家评审"}, nil)
	want("RegisterDuringReview", "POST", path(large, "/register"), ver(large, "tech_income_yuan", "1.00"), 409, []string{"专家评审"}, nil)
	if got, _ := svc.Contracts.Get(ctx, registrar, large.ID); got.Status != domain.ContractAccepted || got.Version != large.Version {
		t.Fatalf("a decision during the review wrote: %s v%d", got.Status, got.Version)
	}

	// 2026 regime: the registrar fixes the 技术交易额; the certificate states it.
	small := file("储热系统运行优化技术服务", "2026-11-01", "service", "service", 30_000_000, true)
	want("ApprovedTransactionForm", "GET", path(small, ""), nil, 200,
		[]string{"核定技术交易额（元）", `id="register-form"`, `id="refuse-form"`}, []string{"核定技术性收入（元）", `id="review-open"`})
	want("ApprovedAboveDeclared", "POST", path(small, "/register"), ver(small, "tech_income_yuan", "300000.01"), 422,
		[]string{"核定技术交易额不能为负，也不能超过申报的技术交易额"}, nil)
	want("RegisterApproved", "POST", path(small, "/register"), ver(small, "tech_income_yuan", "250000.00"), 303, []string{"?ok=registered"}, nil)
	want("CertificateStatesApproved", "GET", path(small, "/certificate"), nil, 200,
		[]string{`id="cert-tech">250,000.00元`, `id="cert-turnover">300,000.00元`}, []string{`id="cert-income"`})

	// A licence signed in 2020, filed under the 2026 regime (five
	// categories); the cut-over moved past today: refused at 受理 under the
	// 2000 regime, naming the category.
	lic := file("电池管理系统专利实施许可", "2020-06-01", "license", "patent_license", 20_000_000, false)
	if _, err := svc.Contracts.SetRegime(ctx, admin, domain.RegimeRules{Cutover: "2099-01-01", ExpertThresholdFen: domain.DefaultExpertThresholdFen}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, err := svc.Contracts.SetRegime(ctx, admin, domain.DefaultRegimeRules()); err != nil {
			t.Fatal(err)
		}
	}()
	want("CategoryRefusedAtAcceptance", "POST", path(lic, "/accept"), ver(lic), 422, []string{"技术许可合同自2021年1月1日起单列", "退回补正"}, nil)

	// 2000 regime: the registrar fixes the 技术性收入.
	old := file("余热回收装置调试技术服务", "2026-11-01", "service", "service", 30_000_000, true)
	if old.Regime != domain.Regime2000 {
		t.Fatalf("regime %s after the cut-over moved", old.Regime)
	}
	want("ApprovedIncomeForm", "GET", path(old, ""), nil, 200, []string{"核定技术性收入（元）"}, []string{"核定技术交易额（元）"})
}
