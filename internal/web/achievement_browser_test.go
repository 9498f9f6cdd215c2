package web_test

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/chromedp/chromedp"
)

// testAchievement is the achievement module's main path in the browser: a
// university's officer files an achievement through the form (a bad TRL
// evidence refused at its field first), submits it; the bureau files
// (备案) it; the officer publishes it; the public finds it in the
// catalogue by a keyword and opens it.
func testAchievement(p *page) {
	const title = "浏览器测试 稀土永磁电机高效冷却技术"
	p.login("neu")
	p.open("/achievements", "#achievement-filters")
	p.do(chromedp.Click(css("#new-achievement")), waitVisible(css("#achievement-form")))
	p.do(chromedp.SendKeys(css("#title"), title),
		chromedp.SendKeys(css("#keywords"), "稀土永磁，电机冷却、热管理"),
		chromedp.SendKeys(css("#abstract"), "针对高功率密度稀土永磁电机的散热瓶颈，提出定子油冷与转子风冷结合的冷却结构，温升降低18℃。"),
		chromedp.SendKeys(css("#team"), "张伟 教授\n刘洋 讲师"),
		chromedp.SetValue(css("#trl"), "5"), chromedp.SetValue(css("#stage"), "small"),
		chromedp.Click(css(`input[name=transfer_modes][value=license]`)),
		chromedp.SendKeys(css(`input[name=ip_number_0]`), "ZL202310000123.4"), chromedp.SetValue(css(`select[name=ip_type_0]`), "invention"),
		chromedp.Click(css("#save-achievement")), waitVisible(css("#form-error")))
	// TRL 5 without evidence: the form comes back with the message at the field and the typed values kept.
	p.wantText(".field.has-error", "依据")
	if got := run(p, chromedp.Value(css("#title"))); got != title {
		p.t.Fatalf("the form lost the title: %q", got)
	}
	p.do(chromedp.SendKeys(css("#trl_evidence"), "样机在台架上完成连续200小时试验"),
		chromedp.Click(css("#save-achievement")), waitVisible(css("#submit-achievement")))
	p.wantText("#achievement-title", title)
	m := regexp.MustCompile(`/achievements/(\d+)`).FindStringSubmatch(p.location())
	if m == nil {
		p.t.Fatalf("not on the achievement's page: %s", p.location())
	}
	path := "/achievements/" + m[1]
	p.do(chromedp.Click(css("#submit-achievement")), chromedp.WaitNotPresent(css("#submit-achievement")), waitVisible(css("#flash")))
	p.wantText("#flash", "已提交备案")
	p.logout()

	p.login("bureau")
	p.open(path, "#file-achievement")
	p.do(chromedp.Click(css("#file-achievement")), chromedp.WaitNotPresent(css("#file-achievement")), waitVisible(css("#flash")))
	p.wantText(".sub", "已备案")
	p.logout()

	p.login("neu")
	p.open(path, "#publish-achievement")
	p.do(chromedp.Click(css("#publish-achievement")), chromedp.WaitNotPresent(css("#publish-achievement")), waitVisible(css("#flash")))
	p.wantText("#flash", "已发布到公开成果库")
	p.wantText("#history", "发布成果") // the unit reads the history
	p.logout()

	p.open("/achievements?q="+url.QueryEscape("永磁 冷却"), "#achievement-filters")
	if got := p.text("#achievements-table"); !strings.Contains(got, title) {
		p.t.Fatalf("the public catalogue does not list the published achievement: %q", got)
	}
	p.do(chromedp.Click(css(`#achievements-table a[href="`+path+`"]`)), waitVisible(css("#achievement-title")))
	p.wantText("#trl", "TRL 5")
	if run(p, chromedp.Evaluate[bool](`document.getElementById("history") !== null`)) {
		p.t.Fatal("the public sees the achievement's history (it names the staff)")
	}
}
