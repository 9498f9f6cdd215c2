package web_test

import (
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
)

// testEvent is the event module's main path in the browser: the agency
// creates a roadshow for today (a capacity of 0 refused at its field
// first) and publishes it; the enterprise registers; the agency puts a
// published achievement on the programme, records an intention with the
// enterprise and the enterprise as served, and records the event as held;
// the event shows held with its counts, the public reads it without the
// registrations, and the enterprise finds its registration and intention
// on its own page.
func testEvent(p *page) {
	const title = "浏览器测试 机器人产业链成果路演"
	today := domain.DateOf(time.Now())
	p.login("agency")
	p.open("/events", "#event-filters")
	p.do(chromedp.Click(css("#new-event")), waitVisible(css("#event-form")))
	p.do(chromedp.SendKeys(css("#title"), title), chromedp.SetValue(css("#kind"), "roadshow"),
		chromedp.SetValue(css("#date"), today), chromedp.SendKeys(css("#place"), "沈阳市技术转移服务中心路演厅"),
		chromedp.SetValue(css("#capacity"), "0"), chromedp.SendKeys(css("#description"), "机器人领域高校成果集中路演。"),
		chromedp.Click(css("#save-event")), waitVisible(css("#form-error")))
	p.wantText(".field.has-error", "报名名额")
	p.do(chromedp.SetValue(css("#capacity"), "40"), chromedp.Click(css("#save-event")), waitVisible(css("#publish-event")))
	p.wantText("#event-title", title)
	m := regexp.MustCompile(`/events/(\d+)`).FindStringSubmatch(p.location())
	if m == nil {
		p.t.Fatalf("not on the event's page: %s", p.location())
	}
	path := "/events/" + m[1]
	p.do(chromedp.Click(css("#publish-event")), chromedp.WaitNotPresent(css("#publish-event")), waitVisible(css("#flash")))
	p.wantText("#flash", "开始接受报名")
	p.logout()

	p.login("enterprise")
	p.open(path, "#register-form")
	p.do(chromedp.SendKeys(css("#reg-contact"), "周工"), chromedp.SendKeys(css("#reg-phone"), "024-88886666"),
		chromedp.Click(css("#register-event")), waitVisible(css("#registered")))
	p.wantText("#flash", "报名成功")
	p.logout()

	p.login("agency")
	p.open(path+"?pitch_q=合金", "#pitch-results")
	p.do(chromedp.Click(css("#pitch-results button[data-pitch]")), waitVisible(css("#pitches")))
	p.wantText("#flash", "已加入路演名单")
	p.wantText("#registrations", demo.OrgEnterprise)
	pick := func(sel, text string) chromedp.Action[chromedp.Void] {
		return void(chromedp.Evaluate[bool](`(() => { const s = document.querySelector(` + "`" + sel + "`" + `);
			for (const o of s.options) if (o.value && o.text.includes(` + "`" + text + "`" + `)) { s.value = o.value; return true; }
			return false; })()`))
	}
	p.do(pick("#int-ach", ""), pick("#int-ent", demo.OrgEnterprise), chromedp.SetValue(css("#int-mode"), "license"),
		chromedp.Click(css("#record-intention")), waitVisible(css("#intentions")))
	p.wantText("#flash", "合作意向已登记")
	p.wantText("#intentions", demo.OrgEnterprise)
	p.do(pick("#svc-org", demo.OrgEnterprise), chromedp.SetValue(css("#svc-kind"), "consulting"),
		chromedp.Click(css("#record-service")), waitVisible(css("#services")))
	p.wantText("#services", demo.OrgEnterprise)
	// Served twice: refused at the form.
	p.do(pick("#svc-org", demo.OrgEnterprise), chromedp.Click(css("#record-service")), waitVisible(css("#service-form .field-error")))
	p.wantText("#service-form .field-error", "已登记")
	p.do(chromedp.SendKeys(css("#hold-comment"), "1项成果路演，1家企业参会"), chromedp.Click(css("#hold-event")),
		chromedp.WaitNotPresent(css("#hold-event")), waitVisible(css("#flash")))
	p.wantText(".page-head .badge", "已举办")
	for sel, want := range map[string]string{"registered": "1", "pitches": "1", "intentions": "1", "services": "1"} {
		if got := p.text(`#event-counts [data-count="` + sel + `"]`); !strings.HasPrefix(got, want) {
			p.t.Errorf("%s: %q, want %s", sel, got, want)
		}
	}
	p.wantText("#history", "记录活动已举办")
	p.logout()

	p.open(path, "#event-counts")
	if run(p, chromedp.Evaluate[bool](`document.getElementById("registrations") !== null || document.getElementById("history") !== null`)) {
		p.t.Fatal("the public sees the registrations or the history")
	}
	if body := p.text("main"); strings.Contains(body, "88886666") {
		p.t.Fatalf("the public sees a registrant's phone: %q", body)
	}

	p.login("enterprise")
	p.open("/events/mine", "#my-registrations")
	p.wantText("#my-registrations", title)
	p.do(chromedp.Click(css("#tab-intentions")), waitVisible(css("#my-intentions")))
	p.wantText("#my-intentions", title)
	p.logout()
}
