package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"kechuang/internal/domain"
)

// The notifications module's rows of the page authorisation matrix: the
// list and marking all read are everyone's own; a notice is opened or
// marked read by its recipient alone (the others get the 404 page); the
// outbox is the administrator's.

// tellTTO stores a notice about the shared contract for the university's
// officer (tto).
func (fx *pageFixture) tellTTO(t *testing.T) *domain.Notification {
	t.Helper()
	return fx.w.Notice(t, fx.users["tto"], fx.shared, domain.NoticeAccepted)
}

func notifyPageRows() []pageRow {
	onNotice := func(action string) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			n := fx.tellTTO(t)
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/notifications/%d/%s", n.ID, action), Form: url.Values{}}
		}
	}
	return []pageRow{
		{Pattern: "GET /notifications", Allow: signedIn},
		{Pattern: "POST /notifications/read-all", Allow: signedIn, Want: pageRedirect, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "POST", Path: "/notifications/read-all", Form: url.Values{}}
		}},
		{Pattern: "POST /notifications/{id}/open", Allow: []string{"tto"}, Want: pageRedirect, Prepare: onNotice("open")},
		{Pattern: "POST /notifications/{id}/read", Allow: []string{"tto"}, Want: pageRedirect, Prepare: onNotice("read")},
		{Pattern: "POST /account/contact", Allow: signedIn, Want: pageRedirect, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "POST", Path: "/account/contact", Form: url.Values{"email": {"matrix@example.cn"}, "lang": {"en"}}}
		}},
		{Pattern: "GET /admin/mail", Allow: userManagers},
	}
}
