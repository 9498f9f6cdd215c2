package web_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// testRecordImport is the record import's main path in the browser: a
// university's officer opens the import page from the achievement list,
// uploads a file with a bad row (nothing stored, the row named), then the
// same file skipping bad rows (the good row filed as a draft), and finds
// the draft in the list; the list offers the export of its filters.
func testRecordImport(p *page, svc *service.Service) {
	t := p.t
	const title = "浏览器导入测试 镁合金轮毂轻量化成形"
	var tpl bytes.Buffer
	if err := svc.Achievements.Template(context.Background(), sheetio.CSV, &tpl); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(tpl.String()), "\r\n")
	good := strings.Replace(lines[1], "高性能镁合金板材异步轧制技术", title, 1)
	bad := strings.Replace(good, "王明|教授|负责人", "王明|教授", 1)
	file := filepath.Join(t.TempDir(), "成果导入.csv")
	if err := os.WriteFile(file, []byte(lines[0]+"\r\n"+good+"\r\n"+bad+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		neu := service.ActorOf(user(t, svc, "neu")) // drafts are their unit's alone
		_, n, err := svc.Achievements.List(context.Background(), neu, domain.AchievementFilter{Query: "镁合金轮毂轻量化"})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	p.login("neu")
	p.open("/achievements?chain_code=x", "#achievement-filters")
	if href := run(p, chromedp.AttributeValue(css("#achievements-export-xlsx"), "href")); !strings.Contains(href.Value, "/api/v1/achievements/export?") ||
		!strings.Contains(href.Value, "format=xlsx") || !strings.Contains(href.Value, "chain_code=x") {
		t.Fatalf("the export button is %q", href.Value)
	}
	p.do(chromedp.Click(css("#achievements-import")), waitVisible(css("#import-form")))
	p.wantText("#import-columns", "完成人")
	p.do(chromedp.SetUploadFiles(css("#import-file"), []string{file}), chromedp.Click(css("#import-submit")),
		waitVisible(css("#import-failed")))
	p.wantText("#import-failed", "未导入任何数据")
	p.wantText(`#import-errors tr[data-row="3"]`, "负责人")
	if n := count(); n != 0 {
		t.Fatalf("%d achievements stored from a file with a bad row", n)
	}
	p.do(chromedp.SetUploadFiles(css("#import-file"), []string{file}), chromedp.Click(css("#skip-bad")),
		chromedp.Click(css("#import-submit")), waitVisible(css("#import-partial")))
	p.wantText("#count-imported", "1")
	if n := count(); n != 1 {
		t.Fatalf("%d achievements stored skipping the bad row, want 1", n)
	}
	p.do(chromedp.Click(css("#import-view")), waitVisible(css("#achievement-filters")))
	p.wantText("#achievements-table", title)
	p.logout()
}

// testEventImport is the event import's path in the browser: the
// agency's officer opens the import page from the event list, uploads a
// file with a bad row (nothing stored, the row and column named), then the
// same file skipping bad rows and publishing on import, and finds the
// event open for registration in the list.
func testEventImport(p *page, svc *service.Service) {
	t := p.t
	const title = "浏览器导入测试 机器人产需对接会"
	var tpl bytes.Buffer
	if err := svc.Events.Template(context.Background(), sheetio.CSV, &tpl); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(tpl.String()), "\r\n")
	good := strings.Replace(lines[1], "智能制造科技成果路演", title, 1)
	bad := strings.Replace(good, ",30,", ",0,", 1)
	file := filepath.Join(t.TempDir(), "活动导入.csv")
	if err := os.WriteFile(file, []byte(lines[0]+"\r\n"+good+"\r\n"+bad+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	count := func(s domain.TechEventStatus) int {
		xs, _, err := svc.Events.List(context.Background(), service.ActorOf(user(t, svc, "agency")), domain.TechEventFilter{Status: s, PerPage: 200}, false)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range xs {
			if x.Title == title {
				n++
			}
		}
		return n
	}
	p.login("agency")
	p.open("/events?kind=matchmaking", "#event-filters")
	if href := run(p, chromedp.AttributeValue(css("#events-export-csv"), "href")); !strings.Contains(href.Value, "/api/v1/events/export?") ||
		!strings.Contains(href.Value, "format=csv") || !strings.Contains(href.Value, "kind=matchmaking") {
		t.Fatalf("the export button is %q", href.Value)
	}
	p.do(chromedp.Click(css("#events-import")), waitVisible(css("#import-form")))
	p.wantText("#import-columns", "报名名额")
	p.wantText("#import-form", "导入后直接发布")
	p.do(chromedp.SetUploadFiles(css("#import-file"), []string{file}), chromedp.Click(css("#import-submit")),
		waitVisible(css("#import-failed")))
	p.wantText(`#import-errors tr[data-row="3"]`, "报名名额")
	if n := count(""); n != 0 {
		t.Fatalf("%d events stored from a file with a bad row", n)
	}
	p.do(chromedp.SetUploadFiles(css("#import-file"), []string{file}), chromedp.Click(css("#skip-bad")), chromedp.Click(css("#import-submit-records")),
		chromedp.Click(css("#import-submit")), waitVisible(css("#import-partial")))
	p.wantText("#count-imported", "1")
	if n := count(domain.TechEventPublished); n != 1 {
		t.Fatalf("%d events published skipping the bad row, want 1", n)
	}
	p.do(chromedp.Click(css("#import-view")), waitVisible(css("#event-filters")))
	p.wantText("#events-table", title)
	p.logout()
}
