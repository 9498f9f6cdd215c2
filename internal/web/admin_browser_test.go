package web_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// TestAdminBrowser: in Chromium, an administrator creates an organisation
// and a user of it, disables and re-enables the user, resets the password,
// and the user logs in with it — in Chinese and in English.
func TestAdminBrowser(t *testing.T) {
	bctx := browser(t)
	for _, ns := range demoStores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			srv, svc := server(t, ns.Store)
			seed(t, svc)
			for i, lang := range []string{"zh-CN", "en"} {
				t.Run(lang, func(t *testing.T) {
					tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
					defer cancel()
					if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil { // the tab's first action opens it
						t.Fatal(err)
					}
					p := &page{t: t, ctx: tab, base: srv.URL}
					p.screenshotOnFailure()
					adminScenario(p, svc, lang, i)
				})
			}
		})
	}
}

// words are what the scenario reads on the pages, per language.
var adminWords = map[string]struct{ created, disabled, enabled, unlocked, secretCard, chainAdded, chainHidden string }{
	"zh-CN": {"机构已创建", "用户已停用", "用户已启用", "已解除该用户的登录锁定", "密码只显示这一次", "产业链已新增", "产业链已隐藏"},
	"en":    {"Organisation created", "User disabled", "User enabled", "login lock has been lifted", "shown only this once", "Chain added", "Chain hidden"},
}

func (p *page) setValue(sel, value string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.value = %q; return el.value === %q; })()`, sel, value, value)
	if !run(p, chromedp.Evaluate[bool](js)) {
		p.t.Fatalf("%s has no option %q", sel, value)
	}
}

// confirmAll answers every confirm() on the page with yes, as a user
// clicking OK would.
func (p *page) confirmAll() {
	p.t.Helper()
	p.do(void(chromedp.Evaluate[bool](`(() => { window.confirm = () => true; return true; })()`)))
}

func adminScenario(p *page, svc *service.Service, lang string, n int) {
	t, w := p.t, adminWords[lang]
	ctx := context.Background()
	p.open("/login?lang="+lang, "#login-form")
	p.login("admin")
	if got := run(p, chromedp.Evaluate[string](`document.documentElement.lang`)); got != lang {
		t.Fatalf("page language %q, want %q", got, lang)
	}

	// An organisation, through the form.
	orgName := fmt.Sprintf("沈阳浏览器测试科技有限公司%d", n)
	p.open("/admin/orgs/new", "#org-form")
	p.do(chromedp.SendKeys(css("#org-name"), orgName), chromedp.SendKeys(css("#org-uscc"), domain.MakeUSCC(fmt.Sprintf("91210106MA0BRW0%02d", n))))
	p.setValue("#org-kind", "enterprise")
	p.setValue("#org-region", "210106")
	p.do(chromedp.Click(css("#org-submit")), waitVisible(css("#flash")))
	p.wantText("#flash", w.created)
	p.wantText("#orgs-table", orgName)
	orgs, _, err := svc.Admin.Orgs(ctx, domain.SystemActor(), domain.OrgFilter{Query: orgName})
	if err != nil || len(orgs) != 1 {
		t.Fatalf("the organisation was not stored: %v %v", orgs, err)
	}

	// A key industrial chain: added at the end, moved up, then hidden.
	chain := fmt.Sprintf("browser_chain%d", n)
	p.open("/admin/chains", "#chain-new")
	p.do(chromedp.SendKeys(css("#chain-code"), chain), chromedp.SendKeys(css("#chain-name"), "浏览器产业链"+strconv.Itoa(n)),
		chromedp.Click(css("#chain-submit")), waitVisible(css("#flash")))
	p.wantText("#flash", w.chainAdded)
	p.do(chromedp.Click(css("#hide-"+chain)), waitVisible(css(`tr[data-code="`+chain+`"][data-hidden="true"]`)))
	p.wantText("#flash", w.chainHidden)
	if cs, _ := svc.Meta.Chains(ctx); slices.ContainsFunc(cs, func(c domain.Chain) bool { return c.Code == chain }) {
		t.Fatal("a chain hidden in the browser is still offered for filing")
	}

	// A user of it, with a generated password shown once.
	username := fmt.Sprintf("browser%d", n)
	p.open("/admin/users/new", "#user-form")
	p.do(chromedp.SendKeys(css("#user-username"), username), chromedp.SendKeys(css("#user-name"), "浏览器用户"))
	p.setValue("#user-role", "enterprise")
	p.setValue("#user-org", strconv.FormatInt(orgs[0].ID, 10))
	p.do(chromedp.Click(css("#user-submit")), waitVisible(css("#new-password")))
	p.wantText("#password-card", w.secretCard)
	if pw := p.text("#new-password"); len(pw) != 12 {
		t.Fatalf("generated password %q", pw)
	}

	// Disable from the list, then enable again.
	p.open("/admin/users?q="+username, "#users-table")
	p.confirmAll()
	p.do(chromedp.Click(css("#disable-"+username)), waitVisible(css("#flash")))
	p.wantText("#flash", w.disabled)
	if st := run(p, chromedp.Evaluate[string](`document.querySelector('tr[data-username="`+username+`"]').dataset.status`)); st != "disabled" {
		t.Fatalf("row status %q after disabling", st)
	}
	p.do(chromedp.Click(css("#enable-"+username)), waitVisible(css(`tr[data-username="`+username+`"][data-status="active"]`)))
	p.wantText("#flash", w.enabled)

	// Reset the password on the user's page, and unlock.
	u := user(t, svc, username)
	p.open(fmt.Sprintf("/admin/users/%d/edit", u.ID), "#reset-form")
	newPassword := "browser-pass-" + strconv.Itoa(n)
	p.do(chromedp.SendKeys(css("#reset-password"), newPassword), chromedp.SendKeys(css("#reset-password2"), newPassword),
		chromedp.Click(css("#reset-submit")), waitVisible(css("#new-password")))
	if got := p.text("#new-password"); got != newPassword {
		t.Fatalf("reset page shows %q", got)
	}
	p.do(chromedp.Click(css("#back-to-user")), waitVisible(css("#user-unlock")), chromedp.Click(css("#user-unlock")), waitVisible(css("#flash")))
	p.wantText("#flash", w.unlocked)
	p.wantText("#history", map[string]string{"zh-CN": "重置密码", "en": "Reset password"}[lang])

	// The user logs in with the new password.
	p.logout()
	p.do(chromedp.SendKeys(css("#username"), username), chromedp.SendKeys(css("#password"), newPassword),
		chromedp.Click(css("#login-submit")), waitVisible(css("#logout")))
	if name := p.text("#account-link"); !strings.Contains(name, "浏览器用户") {
		t.Fatalf("logged in as %q", name)
	}
	if n := run(p, chromedp.Evaluate[int](`document.querySelectorAll('#nav-admin-users, #nav-admin-orgs').length`)); n != 0 {
		t.Fatal("an enterprise user sees the administration in the navigation")
	}
}
