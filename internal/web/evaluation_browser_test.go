package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestEvaluationBrowser is the evaluation module's main path in the
// browser, on both databases, over the one test world with its clock: the
// university's officer applies for the evaluation of a filed achievement
// from its page; the bureau reads the proposed panel (every rule met, the
// applicant's own expert left out and why) and assigns it, opens scoring;
// each expert scores from their queue (a score outside its range refused
// at its item first); the bureau puts the result on notice; the clock
// moves past the 7-day window and the bureau publishes the result; the
// officer publishes the achievement; the public finds it in the catalogue
// with its evaluation total and grade.
func TestEvaluationBrowser(t *testing.T) {
	bctx := browser(t)
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			w := storetest.New(t, ns.Store, storetest.WithPassword(demo.Password), storetest.WithUsernames(usernames))
			w.SetDay("2026-12-01")
			srv, svc := server(t, w.St)
			ctx := context.Background()
			admin, bureau := service.ActorOf(w.Users["admin"]), service.ActorOf(w.Users["bureau"])
			// The pool: the world's expert and six more who sign in, one per
			// organisation, and one of the applicant's own (never proposed).
			experts := []string{"expert"}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(svc.Evaluations.PutExpert(ctx, bureau, evaluate.Expert{ID: w.Users["expert"].ID, Kind: evaluate.Technical}))
			for i, o := range []*domain.Org{w.Univ2, w.Agency, w.Pilot, w.Ent2, w.Other, w.Registry2, w.Univ} {
				u := &domain.User{Username: fmt.Sprintf("judge%d", i+1), DisplayName: fmt.Sprintf("评审专家%d", i+1), Role: domain.RoleExpert, OrgID: o.ID}
				must(svc.Admin.CreateUser(ctx, admin, u, demo.Password))
				must(svc.Evaluations.PutExpert(ctx, bureau, evaluate.Expert{ID: u.ID, Kind: evaluate.Technical}))
				if o != w.Univ {
					experts = append(experts, u.Username)
				}
			}
			const title = "浏览器测试 高温合金叶片定向凝固工艺"
			x := w.Achievement(func(x *domain.Achievement) { x.Title = title }).Filed().Insert(t)
			path := fmt.Sprintf("/achievements/%d", x.ID)

			tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
			defer cancel()
			if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
				t.Fatal(err)
			}
			p := &page{t: t, ctx: tab, base: srv.URL}
			p.screenshotOnFailure()

			p.login("neu")
			p.open(path, "#evaluation-summary")
			p.do(chromedp.Click(css("#apply-evaluation")), waitVisible(css("#evaluation-title")))
			p.wantText("#flash", "已申请评价")
			m := regexp.MustCompile(`/evaluations/(\d+)`).FindStringSubmatch(p.location())
			if m == nil {
				t.Fatalf("not on the case page: %s", p.location())
			}
			casePath := "/evaluations/" + m[1]
			p.logout()

			p.login("bureau")
			p.open(casePath, "#proposal")
			if got := run(p, chromedp.Evaluate[int](`document.querySelectorAll('#panel-rules li[data-met="false"]').length`)); got != 0 {
				t.Errorf("the proposed panel breaks %d rules: %s", got, p.text("#panel-rules"))
			}
			p.wantText("#excluded", "评审专家7")
			p.wantText("#excluded", "东北大学")
			if got := run(p, chromedp.Evaluate[int](`[...document.querySelectorAll('#excluded [data-expert]')].filter(li => document.querySelector('#pool-table [data-expert="' + li.dataset.expert + '"]')).length`)); got != 0 {
				t.Errorf("%d experts left out for a conflict of interest are offered for the panel", got)
			}
			p.do(chromedp.Click(css("#assign-panel")), waitVisible(css("#flash")))
			p.wantText("#flash", "专家组已组建")
			p.do(chromedp.Click(css("#open_scoring-evaluation")), chromedp.WaitNotPresent(css("#open_scoring-evaluation")), waitVisible(css("#flash")))
			p.wantText("#evaluation-title + .sub", "专家评分中")
			p.logout()

			for i, name := range experts {
				p.login(name)
				p.open("/evaluations/queue", "#queue-table")
				p.do(chromedp.Click(css(".score-link")), waitVisible(css("#score-form")))
				n := run(p, chromedp.Evaluate[int](`(() => { const xs = document.querySelectorAll('#score-form input[name^="score_"]'); xs.forEach((x, i) => x.value = String(70 + i)); return xs.length })()`))
				if n < 5 {
					t.Fatalf("the form has %d items", n)
				}
				if i == 0 { // a score outside its guide range is refused at its item
					p.do(chromedp.SetValue(css(`#score-form input[name^="score_"]`), "120"), chromedp.Click(css("#submit-score")), waitVisible(css("#score-error")))
					p.wantText(".field.has-error", "0–100")
					p.do(chromedp.SetValue(css(`#score-form input[name^="score_"]`), "85.5"))
				}
				p.do(chromedp.SetValue(css("#comment-technical"), "技术路线清晰，中试数据充分"), chromedp.Click(css("#submit-score")), waitVisible(css("#handed-in")))
				p.wantText("#flash", "评分表已保存")
				p.logout()
			}

			p.login("bureau")
			p.open(casePath, "#publicise-evaluation")
			p.do(chromedp.Click(css("#publicise-evaluation")), waitVisible(css("#result")))
			p.wantText("#evaluation-title + .sub", "结果公示中")
			p.logout()
			// the public reads it on the 公示 page; the window closes after 7 days
			p.open("/evaluations/publicity", "#evaluations-table")
			p.wantText("#evaluations-table", title)
			w.Clock.Advance(8 * 24 * time.Hour)
			p.login("bureau")
			p.open(casePath, "#finalise-evaluation")
			p.do(chromedp.Click(css("#finalise-evaluation")), waitVisible(css("#flash")))
			p.wantText("#evaluation-title + .sub", "评价结果已发布")
			total := p.text("#result-total")
			p.logout()

			p.login("neu")
			p.open(path, "#publish-achievement")
			p.do(chromedp.Click(css("#publish-achievement")), waitVisible(css("#flash")))
			p.open(casePath+"/feedback", "#feedback-table")
			p.wantText("#feedback-table", "技术路线清晰") // the comments reach the applicant, without names
			if strings.Contains(p.text("#feedback-table"), "评审专家") {
				t.Error("the feedback names an expert")
			}
			p.logout()

			p.open("/achievements?q="+url.QueryEscape("定向凝固"), "#achievements-table")
			p.do(chromedp.Click(css(`#achievements-table a[href="`+path+`"]`)), waitVisible(css("#evaluation-summary")))
			p.wantText("#evaluation-status", "评价结果已发布")
			p.wantText("#evaluation-total", total)
			if p.text("#evaluation-grade") == "" {
				t.Error("the catalogue shows no grade")
			}
		})
	}
}
