package httpapi_test

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
)

// The notifications module's rows of the authorisation matrix, its schema
// pairs, and its own tests.

var notifySchemaTypes = map[string][]any{
	"Notification": {httpapi.NotificationItem{}}, "NotificationList": {httpapi.NotificationList{}},
	"NotificationsRead": {httpapi.NotificationsRead{}},
}

// tellTTO stores a notice for the university's officer (tto) about a
// submitted contract.
func (fx *fixture) tellTTO(t *testing.T) *domain.Notification {
	t.Helper()
	c := fx.contract().Submitted().Insert(t)
	return fx.W.Notice(t, fx.Users["tto"], c, domain.NoticeAccepted)
}

func notifyAuthzRows() []authzRow {
	return []authzRow{
		{Pattern: "GET /api/v1/notifications", Allow: loggedIn},
		{Pattern: "POST /api/v1/notifications/read-all", Allow: loggedIn},
		// Only the recipient marks its notice: everyone else gets 404.
		{Pattern: "POST /api/v1/notifications/{id}/read", Allow: []string{"tto"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			n := fx.tellTTO(t)
			return request{Method: "POST", Path: fmt.Sprintf("/api/v1/notifications/%d/read", n.ID)}
		}},
	}
}

// TestNotificationsAPI: the list is the caller's own, newest first, with
// the sentence in the request's language and the unread count; reading
// one and all lowers the count; another user's notice is 404 and stays
// unread.
func TestNotificationsAPI(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			first := fx.tellTTO(t)
			second := fx.tellTTO(t)
			var l httpapi.NotificationList
			fx.sendJSON(t, "tto", request{Method: "GET", Path: "/api/v1/notifications?lang=en"}, 200, &l)
			if l.Total != 2 || l.Unread != 2 || len(l.Items) != 2 || l.Items[0].ID != second.ID {
				t.Fatalf("list %+v", l)
			}
			if want := fmt.Sprintf("Contract “%s” was accepted", second.Title); l.Items[0].Message != want {
				t.Fatalf("message %q, want %q", l.Items[0].Message, want)
			}
			var other httpapi.NotificationList
			fx.sendJSON(t, "enterprise", request{Method: "GET", Path: "/api/v1/notifications"}, 200, &other)
			if other.Total != 0 || other.Items == nil {
				t.Fatalf("another user's list %+v", other)
			}
			wantProblem(t, fx.send(t, "enterprise", request{Method: "POST", Path: fmt.Sprintf("/api/v1/notifications/%d/read", first.ID)}), 404, "")
			wantProblem(t, fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/notifications/abc/read"}), 404, "")
			var n httpapi.NotificationItem
			fx.sendJSON(t, "tto", request{Method: "POST", Path: fmt.Sprintf("/api/v1/notifications/%d/read", first.ID)}, 200, &n)
			if n.ReadAt.IsZero() || n.Link == "" || n.Message == "" {
				t.Fatalf("read %+v", n)
			}
			var all httpapi.NotificationsRead
			fx.sendJSON(t, "tto", request{Method: "POST", Path: "/api/v1/notifications/read-all"}, 200, &all)
			if all.Marked != 1 {
				t.Fatalf("read all marked %d, want 1", all.Marked)
			}
			if u, _ := fx.Svc.Notify.Unread(context.Background(), &domain.Actor{UserID: fx.Users["tto"].ID}); u != 0 {
				t.Fatalf("unread %d", u)
			}
		})
	}
}

// sendJSON performs rq as role, wants status and decodes the body into v.
func (fx *fixture) sendJSON(t *testing.T, role string, rq request, status int, v any) {
	t.Helper()
	res := fx.send(t, role, rq)
	if res.Status != status {
		t.Fatalf("%s %s as %s: status %d, want %d: %s", rq.Method, rq.Path, role, res.Status, status, res.Body)
	}
	res.decode(t, v)
}
