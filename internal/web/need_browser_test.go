package web_test

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/chromedp/chromedp"
)

// testNeed is the need module's main path in the browser: an enterprise
// posts a need through the form (a maximum budget below the minimum
// refused at its field first), submits it; the bureau checks and
// publishes it, seeing the phone; the public finds it on the open board
// by a keyword and opens it without any contact shown.
func testNeed(p *page) {
	const title = "浏览器测试 医用导管激光焊接质量在线监测"
	p.login("enterprise")
	p.open("/needs", "#need-filters")
	p.do(chromedp.Click(css("#new-need")), waitVisible(css("#need-form")))
	p.do(chromedp.SendKeys(css("#title"), title),
		chromedp.SendKeys(css("#keywords"), "激光焊接，在线监测"),
		chromedp.SendKeys(css("#problem"), "医用导管激光焊接依赖离线抽检，虚焊无法及时发现，希望实现焊缝质量的在线监测与自动剔除。"),
		chromedp.SendKeys(css(`input[name=indicator_0]`), "虚焊检出率"), chromedp.SendKeys(css(`input[name=target_0]`), "≥99.5"),
		chromedp.SendKeys(css(`input[name=unit_0]`), "%"),
		chromedp.Click(css(`input[name=cooperation_modes][value=develop]`)),
		chromedp.SetValue(css("#deadline"), "2099-12-31"),
		chromedp.SendKeys(css("#budget_min_yuan"), "800000"), chromedp.SendKeys(css("#budget_max_yuan"), "300000"),
		chromedp.SendKeys(css("#contact_name"), "周工"), chromedp.SendKeys(css("#contact_phone"), "024-88886666"),
		chromedp.Click(css("#save-need")), waitVisible(css("#form-error")))
	p.wantText(".field.has-error", "最高预算不能低于最低预算")
	if got := run(p, chromedp.Value(css("#title"))); got != title {
		p.t.Fatalf("the form lost the title: %q", got)
	}
	p.do(chromedp.SetValue(css("#budget_max_yuan"), "1500000"),
		chromedp.Click(css("#save-need")), waitVisible(css("#submit-need")))
	p.wantText("#need-title", title)
	m := regexp.MustCompile(`/needs/(\d+)`).FindStringSubmatch(p.location())
	if m == nil {
		p.t.Fatalf("not on the need's page: %s", p.location())
	}
	path := "/needs/" + m[1]
	p.do(chromedp.Click(css("#submit-need")), chromedp.WaitNotPresent(css("#submit-need")), waitVisible(css("#flash")))
	p.wantText("#flash", "等待科技局核实")
	p.logout()

	p.login("bureau")
	p.open(path, "#publish-need")
	p.wantText("#contact-phone", "024-88886666")
	p.do(chromedp.Click(css("#publish-need")), chromedp.WaitNotPresent(css("#publish-need")), waitVisible(css("#flash")))
	p.wantText("#flash", "已发布到公开需求库")
	p.wantText("#history", "审核发布需求") // the bureau reads the history
	p.logout()

	p.open("/needs?state=open&q="+url.QueryEscape("激光焊接 监测"), "#need-filters")
	if got := p.text("#needs-table"); !strings.Contains(got, title) {
		p.t.Fatalf("the public board does not list the published need: %q", got)
	}
	p.do(chromedp.Click(css(`#needs-table a[href="`+path+`"]`)), waitVisible(css("#need-title")))
	p.wantText("#budget", "80")
	if run(p, chromedp.Evaluate[bool](`document.getElementById("history") !== null`)) {
		p.t.Fatal("the public sees the need's history (it names the staff)")
	}
	p.wantText("#contact", "登录后可查看联系人")
	if body := p.text("main"); strings.Contains(body, "周工") || strings.Contains(body, "88886666") {
		p.t.Fatalf("the public sees the contact: %q", body)
	}
}
