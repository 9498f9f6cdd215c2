package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// TestNotifyPages: the account page saves the notification e-mail (a bad
// one is refused next to the field, in both languages, and nothing is
// saved); the list's empty state; opening another user's notice is the
// 404 page and leaves it unread; the administrator's outbox page shows
// the queued mail with its status.
func TestNotifyPages(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			ctx := context.Background()
			tto := newClientAs(t, fx, "tto")

			if _, _, body := tto.do("GET", "/notifications", nil); !strings.Contains(body, `id="notifications-empty"`) || strings.Contains(body, `id="bell-count"`) {
				t.Fatal("a user without notices: want the empty state and no count")
			}
			st, _, body := tto.do("POST", "/account/contact", url.Values{"email": {"tto@@example.cn"}, "lang": {"en"}})
			if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="contact-error"`) || !strings.Contains(body, "电子邮箱格式不正确") ||
				!strings.Contains(body, `value="tto@@example.cn"`) {
				t.Fatalf("a bad address: %d", st)
			}
			if _, _, body := tto.do("POST", "/account/contact?lang=en", url.Values{"email": {"x@"}}); !strings.Contains(body, "The e-mail address is not valid") {
				t.Fatal("the refusal in English")
			}
			if u, err := fx.st.FindUserByID(ctx, fx.users["tto"].ID); err != nil || u.Email != "" {
				t.Fatalf("a refused address was saved: %q", u.Email)
			}
			fx.svc.Notify.EnableMail(service.MailSettings{})
			st, loc, _ := tto.do("POST", "/account/contact", url.Values{"email": {"tto@example.cn"}, "lang": {"en"}})
			if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/account?ok=contact") {
				t.Fatalf("save: %d %s", st, loc)
			}
			if _, _, body := tto.do("GET", "/account", nil); !strings.Contains(body, `value="tto@example.cn"`) || !strings.Contains(body, `<option value="en" selected>`) {
				t.Fatal("the account page does not show the saved address and language")
			}

			// A step notifies, and with mail on queues a mail in English.
			reg := service.ActorOf(fx.users["registrar"])
			if _, err := fx.svc.Contracts.Accept(ctx, reg, fx.shared.ID, fx.shared.Version); err != nil {
				t.Fatal(err)
			}
			_, _, body = tto.do("GET", "/notifications", nil)
			if !strings.Contains(body, `<span class="bell-count" id="bell-count">1</span>`) || !strings.Contains(body, fx.shared.Title) {
				t.Fatal("the list lacks the acceptance or the bell its count")
			}
			list, err := fx.svc.Notify.List(ctx, service.ActorOf(fx.users["tto"]), 1, 10)
			if err != nil || len(list.Items) != 1 {
				t.Fatalf("%+v %v", list, err)
			}
			n := list.Items[0]
			ent := newClientAs(t, fx, "enterprise")
			if st, _, body := ent.do("POST", fmt.Sprintf("/notifications/%d/open", n.ID), url.Values{}); st != http.StatusNotFound || !strings.Contains(body, `id="error-page"`) {
				t.Fatalf("another user opened the notice: %d", st)
			}
			if u, _ := fx.svc.Notify.Unread(ctx, service.ActorOf(fx.users["tto"])); u != 1 {
				t.Fatal("another user's attempt marked the notice read")
			}

			admin := newClientAs(t, fx, "admin")
			_, _, body = admin.do("GET", "/admin/mail", nil)
			if !strings.Contains(body, "tto@example.cn") || !strings.Contains(body, `data-status="queued"`) || !strings.Contains(body, "was accepted") ||
				!strings.Contains(body, `id="mail-queued">1<`) || strings.Contains(body, `id="mail-off"`) {
				t.Fatal("the outbox page lacks the queued mail")
			}
			if _, _, body = admin.do("GET", "/admin/mail?lang=en", nil); !strings.Contains(body, "Notification mail") || !strings.Contains(body, "Queued") {
				t.Fatal("the outbox page in English")
			}
		})
	}
}
