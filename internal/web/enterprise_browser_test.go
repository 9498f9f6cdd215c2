package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// testEnterpriseFiling is the registry's main path in the browser: the
// demo's enterprise user opens 我的企业 (its firm is in the registry: made
// here unless the demo has it), opens this year's facts, types them with
// money in 万元; a staff count above the employees is refused at its
// field with everything typed kept; corrected, the facts are stored and
// the total assets are exactly the 万元 typed, in fen; the bureau sees the
// year filed on the firm's profile.
func testEnterpriseFiling(p *page, svc *service.Service, st *store.Store) {
	t := p.t
	ctx := context.Background()
	u, err := st.FindUserByUsername(ctx, "enterprise")
	if err != nil {
		t.Fatal(err)
	}
	a := service.ActorOf(u)
	x, err := svc.Enterprises.Mine(ctx, a)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		o, err := st.FindOrgByID(ctx, u.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		x, err = svc.Enterprises.Create(ctx, domain.SystemActor(), service.EnterpriseInput{USCC: o.USCC, Name: o.Name, OrgID: o.ID,
			District: o.RegionCode, RegisteredOn: "2010-03-01"})
		if err != nil {
			t.Fatalf("registering the demo's enterprise: %v", err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	year := domain.ChinaYear(svc.Now())
	p.login("enterprise")
	p.open("/enterprises/mine", "#enterprise-name")
	p.wantText("#enterprise-uscc", x.USCC)
	p.do(chromedp.Click(css(fmt.Sprintf("#file-%d", year))), waitVisible(css("#filing-form")))
	field := func(path string) string { return fmt.Sprintf(`[name="f.%s"]`, path) }
	// the demo files every year of its firms: a year already filed is
	// corrected (its accounting years kept), a new one typed from nothing
	firstYear, action := fmt.Sprint(year-1), "填报企业年度数据"
	if got := run(p, chromedp.Value(css(field("years[0].year")))); got != "" {
		firstYear, action = got, "更正企业年度数据"
	}
	p.do(chromedp.SetValue(css("#unit"), "wan"),
		chromedp.SetValue(css(field("assessed_on")), fmt.Sprintf("%d-05-20", year)),
		chromedp.SetValue(css(field("employees")), "80"),
		chromedp.SetValue(css(field("tech_staff")), "95"),
		chromedp.SetValue(css(field("total_assets_fen")), "1234.5678"),
		chromedp.SetValue(css(field("flags.resident_enterprise")), "yes"),
		chromedp.SetValue(css(field("years[0].year")), firstYear),
		chromedp.SetValue(css(field("years[0].rd_expense_fen")), "150.25"),
		chromedp.Click(css("#save-filing")), waitVisible(css("#form-error")))
	p.wantText(`[data-path="tech_staff"] .field-error`, "大于职工总数")
	if got := run(p, chromedp.Value(css(field("total_assets_fen")))); got != "1234.5678" {
		t.Fatalf("the form lost the total assets: %q", got)
	}
	p.do(chromedp.SetValue(css(field("tech_staff")), "20"),
		chromedp.Click(css("#save-filing")), waitVisible(css("#flash")))
	p.wantText("#flash", "年度数据已保存")
	p.wantText(fmt.Sprintf(`#years-table tr[data-year="%d"]`, year), "已填报")
	f, err := svc.Enterprises.Filing(ctx, a, x.ID, year)
	if err != nil {
		t.Fatal(err)
	}
	var facts map[string]any
	dec := json.NewDecoder(strings.NewReader(string(f.Facts)))
	dec.UseNumber()
	if err := dec.Decode(&facts); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(facts["total_assets_fen"]); got != "1234567800" { // 1234.5678万元 = 12,345,678元
		t.Errorf("total assets stored as %s fen: %s", got, f.Facts)
	}
	if !strings.Contains(string(f.Facts), `"rd_expense_fen":150250000`) || f.FiledBy != u.ID {
		t.Errorf("facts %s filed by %d", f.Facts, f.FiledBy)
	}
	p.logout()

	p.login("bureau")
	p.open(fmt.Sprintf("/enterprises/%d", x.ID), "#profile")
	p.wantText("#history", action)
	p.logout()
}
