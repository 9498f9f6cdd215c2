package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// testChain is the chain's main path in the browser: 东北大学 names its
// published achievement as the source of a contract on the contract form;
// once the registrar registers it, the achievement's public timeline shows
// the registration as a local conversion and the funnel counts it.
func testChain(p *page, svc *service.Service) {
	t := p.t
	ctx := context.Background()
	neu, bureau, reg := service.ActorOf(user(t, svc, "neu")), service.ActorOf(user(t, svc, "bureau")), service.ActorOf(user(t, svc, "registrar"))
	ent := user(t, svc, "enterprise")
	x, err := svc.Achievements.Create(ctx, neu, &domain.Achievement{
		Title: "浏览器测试：链条追踪的镁合金轧制技术", Abstract: "本成果提出一种镁合金板材异步轧制工艺，在中试线上实现了板材强度与成形性能的同步提升。",
		Keywords: []string{"镁合金"}, Team: []domain.TeamMember{{Name: "王明", Title: "教授", Leader: true}},
		TRL: 6, TRLEvidence: "中试线连续运行三个月", Stage: "pilot", Funding: "own", Modes: []string{"license"}})
	if err == nil {
		x, err = svc.Achievements.Submit(ctx, neu, x.ID, x.Version)
	}
	if err == nil {
		x, err = svc.Achievements.File(ctx, bureau, x.ID, x.Version, "")
	}
	if err == nil {
		x, err = svc.Achievements.Publish(ctx, neu, x.ID, x.Version)
	}
	if err != nil {
		t.Fatalf("publish the achievement: %v", err)
	}
	c, err := svc.Contracts.Create(ctx, neu, &domain.Contract{
		Title: "浏览器测试：镁合金轧制技术许可合同", Seller: domain.Party{OrgID: neu.OrgID}, Buyer: domain.Party{OrgID: ent.OrgID},
		SignedOn: "2026-10-10", TermStart: "2026-10-10", TermEnd: "2027-10-09", Category: "development", SubType: "entrusted_dev",
		Form: "written", SealsMatch: true, Field: "materials", TurnoverFen: 80_000_000})
	if err != nil {
		t.Fatalf("create the contract: %v", err)
	}
	year := domain.ChinaYear(svc.Now())
	before, err := svc.Chain.Stats(ctx, year, "")
	if err != nil {
		t.Fatal(err)
	}

	// The filer names the achievement on the contract form.
	p.login("neu")
	p.open(fmt.Sprintf("/contracts/%d/edit", c.ID), "#contract-links")
	p.do(chromedp.SetValue(css(`#contract-links select[name=link_kind]`), "achievement"),
		chromedp.SetValue(css(`#contract-links input[name=link_ref]`), "999999999"),
		chromedp.Click(css("#save-contract")), waitVisible(css("#form-error")))
	p.wantText("#contract-links .field-error", "不存在或您无权查看") // an unknown record, refused at its row
	p.do(chromedp.SetValue(css(`#contract-links input[name=link_ref]`), strconv.FormatInt(x.ID, 10)),
		chromedp.Click(css("#save-contract")), waitVisible(css("#flash")))
	p.wantText("#contract-links", x.Title)
	p.logout()

	// Registered (through the service: the registrar's pages have their own test).
	c, err = svc.Contracts.Get(ctx, neu, c.ID)
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
		t.Fatalf("register: %v", err)
	}

	// The public reads the achievement's timeline from its page.
	p.open(fmt.Sprintf("/achievements/%d", x.ID), "#achievement-timeline")
	p.do(chromedp.Click(css("#achievement-timeline")), waitVisible(css("#timeline")))
	step := fmt.Sprintf(`#timeline li[data-step=registered][data-ref="%d"]`, c.ID)
	// Neither the registration number (the key of the public certificate
	// check, which names the parties) nor the contract's title.
	p.wantText(step, "已登记的技术合同")
	if got := p.text(step); strings.Contains(got, c.RegNo) || strings.Contains(got, c.Title) {
		t.Errorf("the public's timeline shows the contract: %q", got)
	}
	p.wantText(step+" .chain-local", "本地转化")
	if run(p, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('%s a') !== null`, step))) {
		t.Error("the public gets a link to the contract itself")
	}
	p.wantText(`#timeline li[data-step=published]`, x.Title)

	// The funnel counts it: the table and the API agree, one more than before.
	p.open(fmt.Sprintf("/stats/chain?year=%d", year), "body[data-funnel=ready]")
	after, err := svc.Chain.Stats(ctx, year, "")
	if err != nil {
		t.Fatal(err)
	}
	if after.LocalConversions != before.LocalConversions+1 || after.ContractsLinked != before.ContractsLinked+1 {
		t.Fatalf("local conversions %d → %d, linked %d → %d", before.LocalConversions, after.LocalConversions, before.ContractsLinked, after.ContractsLinked)
	}
	got := run(p, chromedp.Evaluate[string](`document.querySelector('[data-kpi=local_conversions]').getAttribute('data-value')`))
	if got != strconv.FormatInt(after.LocalConversions, 10) {
		t.Errorf("the funnel page shows %s local conversions, the service %d", got, after.LocalConversions)
	}
	p.wantText(`#table-funnel tr[data-stage=pilot]`, "暂无数据")
	p.do(chromedp.EmulateViewport(390, 844))
	p.open(fmt.Sprintf("/stats/chain?year=%d", year), "#table-funnel")
	if w := run(p, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the funnel page is %d px wide on a phone", w)
	}
	p.do(chromedp.EmulateViewport(1440, 900))
}
