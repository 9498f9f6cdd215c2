package httpapi

import (
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
)

// The notifications module: the caller's own notices, newest first, and
// marking them read. Nobody reads or marks another user's notices (404).

// NotificationItem is a notice with its sentence in the request's language.
type NotificationItem struct {
	*domain.Notification
	Message string `json:"message"`
}

// NotificationList is a page of the caller's notices with the unread count.
type NotificationList struct {
	httpx.List[NotificationItem]
	Unread int `json:"unread"`
}

// NotificationsRead is what marking all notices read did.
type NotificationsRead struct {
	Marked int64 `json:"marked"`
}

func noticeItem(r *http.Request, n *domain.Notification) NotificationItem {
	return NotificationItem{Notification: n, Message: i18n.Notice(i18n.FromContext(r.Context()), n)}
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	page, err := a.Svc.Notify.List(r.Context(), ActorFrom(r), p.Page, p.PerPage)
	if err != nil {
		return err
	}
	items := make([]NotificationItem, len(page.Items))
	for i, n := range page.Items {
		items[i] = noticeItem(r, n)
	}
	return httpx.JSON(w, http.StatusOK, NotificationList{List: httpx.NewList(p, items, page.Total), Unread: page.Unread})
}

func (a *API) readNotification(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "通知不存在")
	}
	n, err := a.Svc.Notify.Read(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, noticeItem(r, n))
}

func (a *API) readAllNotifications(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	k, err := a.Svc.Notify.ReadAll(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, NotificationsRead{Marked: k})
}
