package web_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// TestPhoneLayout (walkthrough 13, issue 8 item 3): at a phone's 390 px
// every page of the page authorisation matrix (pageRows, the admin's
// included) is opened by every caller the matrix lets see it, and fails
// when the document scrolls sideways or a table is wider than its
// container (a list a phone must read as cards, table-cards, or a table
// that fits). The product's 404 page is checked for the public.
func TestPhoneLayout(t *testing.T) {
	bctx := browser(t)
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
			defer cancel()
			// The tab's first action runs on its own context: a step's
			// timeout would close the tab when it ends.
			if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
				t.Fatal(err)
			}
			p := &page{t: t, ctx: tab, base: fx.srv.URL}
			p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
			checked := 0
			for _, caller := range callers {
				p.t = t
				setSession(t, p, fx, caller)
				for _, row := range pageRows() {
					if !phonePage(row) {
						continue
					}
					want := row.want(caller)
					if want != pageOK && (row.Pattern != "/" || caller != "anonymous") {
						continue
					}
					method, path, _ := strings.Cut(row.Pattern, " ")
					rq := pageRequest{Method: method, Path: path}
					if row.Prepare != nil {
						rq = row.Prepare(t, fx, caller)
					}
					if rq.Method != "GET" {
						continue
					}
					checked++
					t.Logf("%s as %s: %s", row.Pattern, caller, rq.Path)
					p.do(chromedp.Navigate(fx.srv.URL+rq.Path), chromedp.WaitReady(css("body")))
					for _, problem := range run(p, chromedp.Evaluate[[]string](phoneLayoutJS)) {
						t.Errorf("%s as %s (%s) at 390 px: %s", row.Pattern, caller, rq.Path, problem)
					}
				}
			}
			if checked < 40 {
				t.Fatalf("only %d page views checked: the matrix's pages were not found", checked)
			}
		})
	}
}

// phonePage: the rows that are pages a person reads (not files, such as
// an attachment's download, fragments or redirects).
func phonePage(row pageRow) bool {
	switch row.Pattern {
	case "GET /static/", "GET /{$}", "GET /audit/export", "GET /contracts/form/categories", "GET /contracts/{id}/attachments/{aid}", "GET /assess/template.xlsx", "/":
		return row.Pattern == "/"
	}
	return strings.HasPrefix(row.Pattern, "GET ") && !strings.Contains(row.Pattern, "/export")
}

// setSession gives the browser a fresh session of the caller (none for the
// public), through document.cookie on one of the server's pages.
func setSession(t *testing.T, p *page, fx *pageFixture, caller string) {
	t.Helper()
	js := fmt.Sprintf(`document.cookie = %q; true`, httpx.SessionCookie+"=; path=/; max-age=0")
	if u := fx.users[caller]; u != nil {
		secret := rand.Text()
		if err := fx.st.CreateSession(context.Background(), service.TokenHash(secret), u.ID, fx.st.Clock().Now().Add(service.SessionTTL)); err != nil {
			t.Fatal(err)
		}
		js = fmt.Sprintf(`document.cookie = %q; true`, httpx.SessionCookie+"="+secret+"; path=/")
	}
	p.do(chromedp.Navigate(fx.srv.URL+"/login"), chromedp.WaitReady(css("body")))
	run(p, chromedp.Evaluate[bool](js))
}

// phoneLayoutJS lists what is wrong with the page's width: the document
// wider than the window, and any table wider than its container.
var phoneLayoutJS = fmt.Sprintf(`(() => {
	const out = [], de = document.documentElement, vw = window.innerWidth;
	if (de.scrollWidth > vw) {
		const wide = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > vw + 1)
			.map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''))
			.slice(0, %d);
		out.push('the document scrolls sideways (' + de.scrollWidth + ' > ' + vw + ' px): ' + wide.join(', '));
	}
	for (const t of document.querySelectorAll('table')) {
		if (!t.offsetParent) continue; // hidden
		const box = t.closest('.table-wrap') || t.parentElement;
		if (t.scrollWidth > box.clientWidth + 1) {
			out.push('table ' + (t.id ? '#' + t.id : '') + '.' + t.className.trim().split(/\s+/).join('.') + ' is ' + t.scrollWidth + ' px wide in a ' + box.clientWidth + ' px container (no card layout)');
		}
	}
	return out;
})()`, 6)
