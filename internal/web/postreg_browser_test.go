package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// registeredForBrowser files, submits and registers a contract of 东北大学
// (neu) through the service, for the post-registration scenario.
func registeredForBrowser(t *testing.T, svc *service.Service, title string) *domain.Contract {
	t.Helper()
	ctx := context.Background()
	neu, reg := service.ActorOf(user(t, svc, "neu")), service.ActorOf(user(t, svc, "registrar"))
	ent := user(t, svc, "enterprise")
	c, err := svc.Contracts.Create(ctx, neu, &domain.Contract{
		Title: title, Seller: domain.Party{OrgID: neu.OrgID}, Buyer: domain.Party{OrgID: ent.OrgID},
		SignedOn: "2026-10-10", TermStart: "2026-10-10", TermEnd: "2027-10-09", Category: "development", SubType: "entrusted_dev",
		Form: "written", SealsMatch: true, Field: "materials", TurnoverFen: 60_000_000})
	if err == nil {
		c, err = svc.Contracts.UploadDocument(ctx, neu, c.ID, "合同.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	}
	if err == nil {
		c, err = svc.Contracts.Submit(ctx, neu, c.ID, c.Version)
	}
	if err == nil {
		c, err = svc.Contracts.Accept(ctx, reg, c.ID, c.Version)
	}
	if err == nil {
		c, err = svc.Contracts.Register(ctx, reg, c.ID, c.Version, 50_000_000, "")
	}
	if err != nil {
		t.Fatalf("register %s: %v", title, err)
	}
	return c
}

// testPostRegistration: the applicant files a change that the registrar
// approves (a new version, the old one kept), a cancellation that the
// registrar approves (verification then says 已注销), the registrar
// revokes another registration (the applicant sees the ground), and the
// applicant's objection is decided — each step in the history, each
// reason required with the message at its field, each form confirmed,
// and the page usable at 390 px.
func testPostRegistration(p *page, svc *service.Service) {
	t := p.t
	a := registeredForBrowser(t, svc, "浏览器测试：变更后注销的技术开发合同")
	b := registeredForBrowser(t, svc, "浏览器测试：被撤销的技术开发合同")
	c := registeredForBrowser(t, svc, "浏览器测试：提出异议的技术开发合同")
	path := func(x *domain.Contract) string { return fmt.Sprintf("/contracts/%d", x.ID) }

	// The applicant asks for a change; the reason is required.
	p.login("neu")
	p.open(path(a), "#change-request-form")
	p.confirmAll()
	p.do(chromedp.Clear(css("#ch-turnover")), chromedp.SendKeys(css("#ch-turnover"), "720000.00"),
		chromedp.SetValue(css("#ch-term-end"), "2028-04-30"), chromedp.Click(css("#submit-change-request")),
		waitVisible(css("#change-request-form .field-error")))
	p.wantText("#ch-reason + .field-error", "变更理由") // on a new page: confirm() is the browser's again
	if v := run(p, chromedp.Value(css("#ch-turnover"))); v != "720000.00" {
		t.Fatalf("the typed amount was not kept: %q", v)
	}
	// Answering "no" to the confirmation sends nothing.
	p.do(void(chromedp.Evaluate[bool](`(() => { window.confirm = () => false; return true; })()`)),
		chromedp.SendKeys(css("#ch-reason"), "双方签订补充协议，增加验收内容"), chromedp.Click(css("#submit-change-request")))
	if run(p, chromedp.Evaluate[bool](`!!document.getElementById('pending-request')`)) {
		t.Fatal("the change was filed although the confirmation was declined")
	}
	p.confirmAll()
	p.do(chromedp.Click(css("#submit-change-request")), waitVisible(css("#pending-request")))
	p.wantText("#flash", "变更登记申请已提交")
	p.wantText("#amount-turnover", "600,000.00元") // unchanged until approved
	p.logout()

	// The registrar approves it: version 2, the first kept.
	p.login("registrar")
	p.open(path(a), "#change-decision-form")
	p.wantText("#proposed-changes", "720,000.00元")
	p.confirmAll()
	p.do(chromedp.Click(css("#decide-change")), waitVisible(css("#change-no")))
	p.wantText("#flash", "已办理变更登记申请")
	p.wantText("#change-no", "v2")
	p.wantText("#amount-turnover", "720,000.00元")
	p.wantText(`#reg-versions tr[data-version="1"]`, "600,000.00元")
	p.wantText(`#history li[data-action="change_approve"]`, "批准变更登记")
	p.wantText(`#history li[data-action="change_approve"] .tl-changes`, "合同成交额")

	// The registrar revokes another registration; a ground is required.
	p.open(path(b), "#revoke-form")
	p.confirmAll()
	p.do(chromedp.Click(css("#revoke-contract")), waitVisible(css("#revoke-form .field-error")))
	p.wantText("#revoke-form .field-error", "撤销登记的理由")
	p.setValue("#revoke-ground", "duplicate")
	p.confirmAll() // the refusal rendered a new page
	p.do(chromedp.SendKeys(css("#revoke-note"), "已在浑南区登记点登记"), chromedp.Click(css("#revoke-contract")),
		waitVisible(css("#revoked-notice")))
	p.wantText(".page-head .badge", "已撤销")
	p.logout()

	// The applicant sees the ground, asks to cancel the changed one, and
	// objects to the third registration.
	p.login("neu")
	p.open(path(b), "#revoked-notice")
	p.wantText("#revoked-notice", "同一合同重复登记")
	p.open(path(a), "#cancel-request-form")
	p.confirmAll()
	p.setValue("#cancel-ground", "terminated")
	p.do(chromedp.Click(css("#submit-cancel-request")), waitVisible(css("#cancel-request-form .field-error")))
	p.wantText("#cancel-reason + .field-error", "注销说明")
	p.confirmAll()
	p.do(chromedp.SendKeys(css("#cancel-reason"), "双方协议解除合同"), chromedp.Click(css("#submit-cancel-request")),
		waitVisible(css("#pending-request")))
	p.open(path(c), "#objection-form")
	p.confirmAll()
	p.do(chromedp.SendKeys(css("#objection-reason"), "核定的技术性收入低于合同约定的技术服务费"), chromedp.Click(css("#submit-objection")),
		waitVisible(css("#open-objection")))
	p.wantText("#flash", "异议已提交")
	// At 390 px the page with its forms fits the phone's width.
	p.do(chromedp.EmulateViewport(390, 844))
	p.open(path(c), "#open-objection")
	if w := run(p, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 392 {
		wide := run(p, chromedp.Evaluate[[]string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392)
			.slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`))
		t.Errorf("the contract page is %d px wide at 390 px: %v", w, wide)
	}
	p.do(chromedp.EmulateViewport(1400, 1000))
	p.logout()

	// The registrar approves the cancellation and dismisses the objection.
	p.login("registrar")
	p.open(path(a), "#cancel-decision-form")
	p.confirmAll()
	p.do(chromedp.Click(css("#decide-cancel")), waitVisible(css("#cancelled-notice")))
	p.wantText(".page-head .badge", "已注销")
	p.open(path(c), "#objection-decision-form")
	p.confirmAll()
	p.setValue("#objection-outcome", "dismissed")
	p.do(chromedp.Click(css("#decide-objection")), waitVisible(css("#objection-decision-form .field-error")))
	p.wantText("#objection-note + .field-error", "处理意见")
	p.confirmAll()
	p.do(chromedp.SendKeys(css("#objection-note"), "核定数额符合规则，异议不成立"), chromedp.Click(css("#decide-objection")),
		waitVisible(css(`#objections tr[data-status="dismissed"]`)))
	p.wantText(`#history li[data-action="objection_decide"]`, "异议不成立")
	p.logout()

	// Anyone verifies the certificates.
	for _, x := range []struct {
		c      *domain.Contract
		status string
	}{{a, "cancelled"}, {b, "revoked"}, {c, "valid"}} {
		p.open("/certificates?reg_no="+x.c.RegNo, "#verify-result")
		if got := run(p, chromedp.AttributeValue(css("#verify-status"), "data-status")); got.Value != x.status {
			t.Errorf("%s verifies as %q, want %q", x.c.RegNo, got.Value, x.status)
		}
	}
	p.wantText("#verify-status", "有效")
}
