package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// testChallenge is the challenge module's main path in the browser: an
// enterprise builds a 榜单 through the form (a government share above the
// budget refused at its field first) and submits it; the bureau confirms
// and publishes it; 东北大学 answers it; the bureau closes the answers and
// opens the answer's review; the evaluation engine's case is driven to its
// published result through the service (its pages are not on main); the
// bureau selects the answer; the enterprise records the agreement and the
// milestones (payments above the agreed amount refused), starts the
// project and completes a milestone; the bureau accepts it with the key
// technologies; the public finds it on the board without the project.
func testChallenge(p *page, svc *service.Service, st *store.Store) {
	t := p.t
	ctx := context.Background()
	const title = "浏览器测试 机器人关节高精度谐波减速器国产化"
	p.login("enterprise")
	p.open("/challenges", "#challenge-filters")
	p.do(chromedp.Click(css("#new-challenge")), waitVisible(css("#challenge-form")))
	p.do(chromedp.SendKeys(css("#title"), title),
		chromedp.SetValue(css("#chain_code"), "robot"),
		chromedp.SendKeys(css("#problem"), "机器人关节用谐波减速器长期依赖进口，传动精度与寿命不足，需攻克柔轮材料与齿形设计的关键技术。"),
		chromedp.SendKeys(css("#eligibility"), "高校、科研院所或企业，具有精密传动研究基础。"),
		chromedp.SendKeys(css(`input[name=indicator_0]`), "传动精度"), chromedp.SendKeys(css(`input[name=target_0]`), "≤1"),
		chromedp.SendKeys(css(`input[name=unit_0]`), "弧分"), chromedp.SendKeys(css(`input[name=method_0]`), "第三方检测"),
		chromedp.SetValue(css("#deadline"), "2099-12-31"),
		chromedp.SendKeys(css("#budget_yuan"), "3000000"), chromedp.SendKeys(css("#gov_share_yuan"), "3500000"),
		chromedp.Click(css("#save-challenge")), waitVisible(css("#form-error")))
	p.wantText(".field.has-error", "政府出资不能超过榜额")
	p.do(chromedp.SetValue(css("#gov_share_yuan"), "1000000"),
		chromedp.Click(css("#save-challenge")), waitVisible(css("#submit-challenge")))
	p.wantText("#challenge-title", title)
	m := regexp.MustCompile(`/challenges/(\d+)`).FindStringSubmatch(p.location())
	if m == nil {
		t.Fatalf("not on the challenge's page: %s", p.location())
	}
	path := "/challenges/" + m[1]
	p.do(chromedp.Click(css("#submit-challenge")), chromedp.WaitNotPresent(css("#submit-challenge")), waitVisible(css("#flash")))
	p.wantText("#flash", "等待科技局定榜")
	p.logout()

	p.login("bureau")
	p.open(path, "#confirm-challenge")
	p.do(chromedp.Click(css("#confirm-challenge")), waitVisible(css("#publish-challenge")))
	p.do(chromedp.Click(css("#publish-challenge")), chromedp.WaitNotPresent(css("#publish-challenge")), waitVisible(css("#flash")))
	p.wantText("#flash", "已发榜")
	p.logout()

	p.login("neu")
	p.open(path, "#answer-form")
	p.do(chromedp.SendKeys(css("#team"), "负责人：李教授；成员：王博士、赵工程师"),
		chromedp.SendKeys(css("#approach"), "采用新型柔轮材料与双圆弧齿形设计，结合精密滚齿与热处理工艺，提升传动精度与寿命。"),
		chromedp.SendKeys(css("#answer-milestones"), "第6个月样机；第12个月台架寿命试验。"),
		chromedp.SendKeys(css("#price_yuan"), "2800000"),
		chromedp.Click(css("#submit-answer")), waitVisible(css("#flash")))
	p.wantText("#flash", "揭榜方案已提交")
	p.wantText("#answers", "李教授")
	p.logout()

	p.login("bureau")
	p.open(path, "#close_answers-challenge")
	// the evaluate button is on the page before the answers close (clicking it then is refused): wait for the close step
	// to finish before pressing it
	p.do(chromedp.Click(css("#close_answers-challenge")), chromedp.WaitNotPresent(css("#close_answers-challenge")),
		waitVisible(css(`#answers button[id^="evaluate-"]`)))
	p.do(chromedp.Click(css(`#answers button[id^="evaluate-"]`)), chromedp.WaitNotPresent(css(`#answers button[id^="evaluate-"]`)),
		waitVisible(css("#flash")))
	p.wantText("#flash", "已为该方案开启评审")
	aid := run(p, chromedp.Evaluate[string](`document.querySelector("#answers .answer").dataset.id`))
	var answerID int64
	fmt.Sscan(aid, &answerID)
	bureau := service.ActorOf(user(t, svc, "bureau"))
	an, err := svc.Challenges.GetAnswer(ctx, bureau, answerID)
	if err != nil || an.EvaluationID == 0 {
		t.Fatalf("the answer's case: %+v %v", an, err)
	}
	finishEvaluation(p, svc, st, bureau, an.EvaluationID)
	p.open(path, fmt.Sprintf("#select-%d", answerID))
	p.do(void(chromedp.Evaluate[bool](`window.confirm = () => true; true`)),
		chromedp.Click(css(fmt.Sprintf("#select-%d", answerID))), waitVisible(css("#flash")))
	p.wantText("#flash", "已确定揭榜方")
	p.wantText("#winner", "东北大学")
	p.logout()

	p.login("enterprise")
	p.open(path, "#contract-form")
	p.do(chromedp.SendKeys(css("#agreed_yuan"), "2500000"), chromedp.Click(css("#contract-challenge")), waitVisible(css("#milestone-form")))
	due := time.Now().AddDate(0, 6, 0).Format(time.DateOnly)
	p.do(chromedp.SendKeys(css("#ms-title"), "样机研制"), chromedp.SetValue(css("#ms-due"), due), chromedp.SendKeys(css("#ms-payment"), "3000000"),
		chromedp.Click(css("#add-milestone")), waitVisible(css("#milestone-form .ferr, #milestone-form .field-error, #milestone-form [role=alert]")))
	if got := p.text("#milestone-form"); !strings.Contains(got, "不能超过协议金额") {
		t.Fatalf("payments above the agreed amount: %q", got)
	}
	p.do(chromedp.SetValue(css("#ms-payment"), "2500000"), chromedp.Click(css("#add-milestone")), waitVisible(css("#milestones")))
	p.do(chromedp.Click(css("#start-challenge")), waitVisible(css("#complete-1")))
	p.do(chromedp.Click(css("#complete-1")), chromedp.WaitNotPresent(css("#complete-1")), waitVisible(css("#flash")))
	p.wantText("#flash", "里程碑已确认完成")
	p.logout()

	p.login("bureau")
	p.open(path, "#accept-form")
	p.do(chromedp.Click(css("#passed-yes")), chromedp.SendKeys(css("#accept-report"), "各项技术指标均达到榜单要求。"),
		chromedp.SendKeys(css("#key_tech_solved"), "3"), chromedp.SendKeys(css("#key_tech_intl"), "1"),
		chromedp.Click(css("#accept-challenge")), waitVisible(css("#result")))
	p.wantText("#result", "解决关键技术 3 项，其中达到国际水平 1 项")
	p.wantText("#history", "项目验收")
	p.logout()

	p.open("/challenges?status=accepted&q="+url.QueryEscape("谐波减速器"), "#challenge-filters")
	if got := p.text("#challenges-table"); !strings.Contains(got, title) {
		t.Fatalf("the public board does not list the accepted challenge: %q", got)
	}
	p.do(chromedp.Click(css(`#challenges-table a[href="`+path+`"]`)), waitVisible(css("#challenge-title")))
	p.wantText("#result", "解决关键技术 3 项")
	if run(p, chromedp.Evaluate[bool](`document.getElementById("history") !== null || document.getElementById("project") !== null || document.getElementById("answers") !== null`)) {
		t.Fatal("the public sees the history, the project or the answers")
	}
}

// finishEvaluation drives an answer's case through the engine: a pool of
// four technical experts and a finance expert of organisations of their
// own, the proposed panel, five forms, 公示, and publication after the
// window (the service's clock moved 8 days on).
func finishEvaluation(p *page, svc *service.Service, st *store.Store, bureau *domain.Actor, evalID int64) {
	t := p.t
	ctx := context.Background()
	seq := int(time.Now().UnixNano() % 100000)
	byID := map[int64]evaluate.Expert{}
	err := st.InTx(ctx, func(q *store.Q) error {
		for i := range 5 {
			org := &domain.Org{Kind: domain.OrgInstitute, Name: fmt.Sprintf("揭榜评审专家单位%d", seq+i), RegionCode: storetest.Heping, USCC: storetest.USCC(900000 + seq + i)}
			if err := q.CreateOrg(ctx, org); err != nil {
				return err
			}
			u := &domain.User{Username: fmt.Sprintf("cexpert%d", seq+i), DisplayName: "评审专家", Role: domain.RoleExpert, OrgID: org.ID, PasswordHash: "x"}
			if err := q.CreateUser(ctx, u); err != nil {
				return err
			}
			e := evaluate.Expert{ID: u.ID, Name: u.DisplayName, Org: evaluate.Org{ID: org.ID, Name: org.Name}, Kind: evaluate.Technical, Fields: []string{"robot"}}
			if i == 4 {
				e.Kind = evaluate.Finance
			}
			if err := q.PutExpert(ctx, e); err != nil {
				return err
			}
			byID[u.ID] = e
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ev := svc.Evaluations
	panel, err := ev.Propose(ctx, bureau, evalID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, x := range panel {
		ids = append(ids, x.ID)
	}
	e, _ := ev.Get(ctx, bureau, evalID)
	if e, err = ev.Assign(ctx, bureau, e.ID, e.Version, ids); err != nil {
		t.Fatal(err)
	}
	if e, err = ev.OpenScoring(ctx, bureau, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	set, _ := ev.Set(e)
	rt, _ := set.ResultType(service.ChallengeEvaluationType)
	for _, id := range ids {
		f := evaluate.Form{Scores: map[string]int64{}, Opinion: "同意"}
		for _, it := range rt.Items {
			f.Scores[it.Code] = 880
		}
		if _, err := ev.Score(ctx, &domain.Actor{UserID: id, Role: domain.RoleExpert, OrgID: byID[id].Org.ID}, e.ID, f); err != nil {
			t.Fatal(err)
		}
	}
	e, _ = ev.Get(ctx, bureau, evalID)
	if e, err = ev.Publicise(ctx, bureau, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	later := svc.WithClock(domain.NewManualClock(svc.Now().AddDate(0, 0, 8)))
	if e, err = later.Evaluations.Finalise(ctx, bureau, e.ID, e.Version); err != nil || e.Status != domain.EvaluationFinal {
		t.Fatalf("finalise: %v %+v", err, e)
	}
}
