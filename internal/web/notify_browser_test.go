package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"kechuang/internal/demo"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestNotifyBrowser: in Chromium, the applicant whose filings the
// registrar accepted and returned sees the bell's count (on a phone too),
// opens a notice and lands on its contract with the count one lower,
// marks the rest read, and reads the notices in English.
func TestNotifyBrowser(t *testing.T) {
	bctx := browser(t)
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			w := storetest.New(t, ns.Store, storetest.WithPassword(demo.Password))
			w.SetDay("2026-12-01")
			srv, svc := server(t, w.St)
			ctx := context.Background()
			reg := w.Actor("registrar")
			first := w.Contract().Title("浏览器通知测试：视觉定位技术开发").Submitted().Insert(t)
			if _, err := svc.Contracts.Accept(ctx, reg, first.ID, first.Version); err != nil {
				t.Fatal(err)
			}
			second := w.Contract().Title("浏览器通知测试：工艺优化技术服务").Submitted().Insert(t)
			if _, err := svc.Contracts.Return(ctx, reg, second.ID, second.Version, "请补充技术服务内容"); err != nil {
				t.Fatal(err)
			}
			list, err := svc.Notify.List(ctx, w.Actor("tto"), 1, 20)
			if err != nil || list.Unread != 2 {
				t.Fatalf("the applicant has %+v (%v), want 2 unread", list, err)
			}
			newest := list.Items[0] // the return of the second contract

			tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
			defer cancel()
			if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
				t.Fatal(err)
			}
			p := &page{t: t, ctx: tab, base: srv.URL}
			p.screenshotOnFailure()
			p.login("tto")
			p.wantText("#bell-count", "2")

			// On a phone the bell stays in the header.
			p.do(chromedp.EmulateViewport(390, 844))
			p.open("/contracts", "#bell")
			if !run(p, chromedp.Evaluate[bool](`(() => { const r = document.getElementById('bell').getBoundingClientRect(); return r.width > 0 && r.right <= window.innerWidth; })()`)) {
				t.Fatal("the bell is not visible on a 390 px screen")
			}
			p.do(chromedp.EmulateViewport(1400, 1000))

			// The bell opens the list; a notice opens its contract and is read.
			p.do(chromedp.Click(css("#bell")), waitVisible(css("#notifications")))
			p.wantText("#notifications", "浏览器通知测试：工艺优化技术服务")
			p.wantText("#notifications", "被退回补正")
			p.do(chromedp.Click(css(fmt.Sprintf("#notice-%d", newest.ID))), waitVisible(css("#contract-title")))
			if loc := p.location(); !strings.HasSuffix(loc, fmt.Sprintf("/contracts/%d", second.ID)) {
				t.Fatalf("opening the notice went to %s, want the contract /contracts/%d", loc, second.ID)
			}
			p.wantText("#contract-title", "浏览器通知测试：工艺优化技术服务")
			p.wantText("#bell-count", "1")

			// Mark all read: the count goes.
			p.open("/notifications", "#notifications")
			if got := run(p, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('li[data-id="%d"]').dataset.read`, newest.ID))); got != "true" {
				t.Fatalf("the opened notice reads data-read=%q", got)
			}
			p.do(chromedp.Click(css("#notifications-read-all")), waitVisible(css("#flash")))
			if n := run(p, chromedp.Evaluate[int](`document.querySelectorAll('#bell-count').length`)); n != 0 {
				t.Fatal("the bell still counts after marking all read")
			}

			// In English.
			p.open("/notifications?lang=en", "#notifications")
			p.wantText("#notifications", "was returned for correction")
			p.wantText("#notifications", "was accepted")
			if got := p.text("h1"); got != "Notifications" {
				t.Fatalf("English title %q", got)
			}
		})
	}
}
