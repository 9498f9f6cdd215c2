package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// testMatch is the matching module's main path in the browser: the
// enterprise opens its need's 匹配推荐 from the need's page, declines the
// first achievement with a reason (it drops below where it was), accepts
// the one now first, and the intention appears on that achievement's
// timeline.
func testMatch(p *page, svc *service.Service) {
	t, ctx := p.t, context.Background()
	ent, bureau := service.ActorOf(user(t, svc, "enterprise")), service.ActorOf(user(t, svc, "bureau"))
	// A need written from two published achievements of the demo catalogue.
	ys, _, err := svc.Achievements.List(ctx, ent, domain.AchievementFilter{Status: domain.AchievementPublished, PerPage: 2})
	if err != nil || len(ys) < 2 {
		t.Fatalf("published achievements: %d %v", len(ys), err)
	}
	n, err := svc.Needs.Create(ctx, ent, &domain.Need{Title: "浏览器测试 匹配：" + ys[0].Title, Problem: ys[0].Abstract + ys[1].Abstract,
		Indicators: []domain.NeedIndicator{{Indicator: "性能指标", Target: "≥90", Unit: "%"}}, Deadline: "2099-12-31",
		Keywords: append(append([]string{}, ys[0].Keywords...), ys[1].Keywords...)[:min(10, len(ys[0].Keywords)+len(ys[1].Keywords))],
		Modes:    []string{"develop"}, ContactName: "周工", ContactPhone: "024-88886666"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err = svc.Needs.Submit(ctx, ent, n.ID, n.Version); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.Needs.Publish(ctx, bureau, n.ID, n.Version, ""); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/needs/%d", n.ID)
	// The indexes are built before the page asks (serve builds them at
	// start): a step's timeout bounds a page, not the catalogue's build.
	built, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	if err := svc.Match.Ready(built); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Match.ForNeed(ctx, ent, n.ID); err != nil {
		t.Fatal(err)
	}

	p.login("enterprise")
	p.open(path, "#need-matches")
	p.do(chromedp.Click(css("#need-matches")), waitVisible(css("#group-achievement")))
	p.wantText("#group-achievement .match-reasons", "") // reasons are shown
	first := run(p, chromedp.Evaluate[string](`document.querySelector("#group-achievement .match-item").id`))
	if !strings.HasPrefix(first, "achievement-") {
		t.Fatalf("no first achievement: %q", first)
	}
	if run(p, chromedp.Evaluate[int](`document.querySelectorAll("#group-achievement .match-item").length`)) < 2 {
		t.Fatal("fewer than two matched achievements")
	}
	p.do(chromedp.Click(css("#decline-open-"+first)), waitVisible(css("#reason-"+first)),
		chromedp.SetValue(css("#reason-"+first), "too_early"), chromedp.SendKeys(css("#note-"+first), "仍在实验室阶段"),
	)
	p.clickAndLoad("#decline-"+first, "#flash")
	p.wantText("#flash", "该推荐在之后的排序中降权")
	// It drops: lower in the list, or out of the ten shown.
	rank := run(p, chromedp.Evaluate[string](`(() => { const e = document.getElementById("`+first+`"); return e ? e.dataset.rank : "out"; })()`))
	if rank != "out" {
		if r, _ := strconv.Atoi(rank); r <= 0 {
			t.Fatalf("the declined achievement did not drop (rank %q)", rank)
		}
		p.wantText("#"+first+" .match-state", "太早期")
	}
	second := run(p, chromedp.Evaluate[string](`document.querySelector("#group-achievement .match-item").id`))
	if second == first {
		t.Fatal("the declined achievement is still first")
	}
	p.clickAndLoad("#accept-"+second, "#flash")
	p.wantText("#flash", "形成合作意向")
	p.wantText("#"+second+" .match-state", "已接受")
	id := strings.TrimPrefix(second, "achievement-")
	p.open("/achievements/"+id+"/timeline", "#timeline")
	p.wantText("#timeline", "经匹配推荐与企业形成合作意向")
	p.logout()

	p.login("bureau")
	p.open("/matches/report", "#report-title")
	p.wantText("#reason-too_early", "1")
	p.logout()
}
