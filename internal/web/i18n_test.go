package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestPagesInEnglish: ?lang=en renders a page in English and remembers the
// choice in a cookie; the switch goes back to Chinese; Accept-Language
// alone works too; forms answer in the reader's language.
func TestPagesInEnglish(t *testing.T) {
	for _, ns := range demoStores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			srv, svc := server(t, ns.Store)
			seed(t, svc)
			c := newClient(t, srv.URL)
			st, _, body := c.do("GET", "/stats?lang=en", nil)
			if st != http.StatusOK || !strings.Contains(body, `<html lang="en">`) {
				t.Fatalf("/stats?lang=en: %d, no <html lang=\"en\">", st)
			}
			for _, want := range []string{"Technology transaction value (技术交易额)", "Contract value (合同成交额)", "Local conversion rate",
				`href="/stats?lang=zh-CN"`, "Shenyang Sci-Tech Innovation Platform"} {
				if !strings.Contains(body, want) {
					t.Errorf("English /stats lacks %q", want)
				}
			}
			if !amountEN.MatchString(body) {
				t.Error("English /stats shows no amount in CNY millions or billions")
			}
			if strings.Contains(body, "亿元</div>") || strings.Contains(body, "统计公开") {
				t.Error("English /stats still shows Chinese labels or amounts")
			}
			u, _ := url.Parse(srv.URL)
			if !hasCookie(c, u, "kc_lang", "en") {
				t.Fatal("?lang=en set no kc_lang cookie")
			}

			// the cookie carries the language to the next page, and the form
			c.login("neu")
			_, _, body = c.do("GET", "/contracts", nil)
			for _, want := range []string{`<html lang="en">`, "<h1>Technology contracts</h1>", "CNY ", "Seller → buyer"} {
				if !strings.Contains(body, want) {
					t.Errorf("English /contracts lacks %q", want)
				}
			}
			st, _, body = c.do("POST", "/contracts/new", url.Values{"title": {""}, "turnover_yuan": {"abc"}, "seller_mode": {"org"}}, "Origin", srv.URL)
			if st != http.StatusUnprocessableEntity || !strings.Contains(body, "Contract value is an amount in yuan") || !strings.Contains(body, "Contract title is required") {
				t.Errorf("English form errors: %d", st)
			}

			// back to Chinese through the switch's link
			_, _, body = c.do("GET", "/contracts?lang=zh-CN", nil)
			if !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "<h1>技术合同</h1>") || !hasCookie(c, u, "kc_lang", "zh-CN") {
				t.Error("?lang=zh-CN did not switch back")
			}

			// a fresh visitor whose browser asks for English
			anon := newClient(t, srv.URL)
			_, _, body = anon.do("GET", "/login", nil, "Accept-Language", "en-US,en;q=0.9")
			if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Sign in") {
				t.Error("Accept-Language en did not give an English login page")
			}
			_, _, body = anon.do("GET", "/login", nil)
			if !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "使用机构账号登录") {
				t.Error("the default is not zh-CN")
			}
		})
	}
}

var amountEN = regexp.MustCompile(`<div class="kpi-value">CNY [0-9,]+\.[0-9]{2} (bn|m)</div>`)

func hasCookie(c *client, u *url.URL, name, value string) bool {
	for _, k := range c.c.Jar.Cookies(u) {
		if k.Name == name && k.Value == value {
			return true
		}
	}
	return false
}
