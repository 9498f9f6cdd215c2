package web

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// The notifications module's pages: the bell's list (/notifications),
// opening a notice (marks it read and goes to what it is about), marking
// read, the user's notification e-mail on the account page, and the
// administrator's view of the mail outbox.

func notifyModule() Module {
	return Module{
		Name:  "notify",
		Pages: []string{"notify/list", "notify/mail"},
		Funcs: notifyFuncs,
		Routes: func(w *Web, mux *http.ServeMux) {
			mux.HandleFunc("GET /notifications", w.notifications)
			mux.HandleFunc("POST /notifications/read-all", w.notificationsReadAll)
			mux.HandleFunc("POST /notifications/{id}/open", w.notificationOpen)
			mux.HandleFunc("POST /notifications/{id}/read", w.notificationRead)
			mux.HandleFunc("POST /account/contact", w.accountContact)
			mux.HandleFunc("GET /admin/mail", w.adminMail)
		},
		// The notices' entry is the header's bell, on every page and phone.
		Nav: []NavItem{
			{ID: "nav-mail", Label: "通知邮件", Path: "/admin/mail", Active: "mail", Show: domain.AdminRules.CanManageUsers,
				Icon: `<rect x="3" y="5" width="14" height="10" rx="1.5" stroke="currentColor" stroke-width="1.7" fill="none"/><path d="M3.5 5.5 10 11l6.5-5.5" stroke="currentColor" stroke-width="1.7" fill="none"/>`},
		},
		Flash: map[string]string{
			"notifications_read": "已将全部通知标为已读。",
			"contact":            "通知邮箱已保存。",
		},
	}
}

// notifyFuncs: a notice's sentence and kind label in the reader's language.
func notifyFuncs(l i18n.Lang) template.FuncMap {
	return template.FuncMap{
		"notify_text":   func(n *domain.Notification) string { return i18n.Notice(l, n) },
		"notify_kind":   func(k domain.NoticeKind) string { return i18n.T(l, domain.NoticeKinds.Label(k)) },
		"notify_status": func(s domain.MailStatus) string { return i18n.T(l, domain.MailStatuses.Label(s)) },
		"notify_count": func(m map[domain.MailStatus]int, s string) int {
			return m[domain.MailStatus(s)]
		},
		"notify_urgent": func(k domain.NoticeKind) bool { return k == domain.NoticeOverdue || k == domain.NoticeDueSoon },
	}
}

// notificationsPage is the data of /notifications.
type notificationsPage struct {
	Items  []*domain.Notification
	Unread int
	Pager  pager
}

func (w *Web) notifications(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	page, err := w.Svc.Notify.List(r.Context(), service.ActorOf(u), p.Page, p.PerPage)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := notificationsPage{Items: page.Items, Unread: page.Unread, Pager: newPager(p, page.Total, r.URL.Query())}
	w.render(rw, r, http.StatusOK, "notify/list", w.newView(r, "通知", "notifications", d))
}

func noticeID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "通知不存在")
	}
	return id, nil
}

// notificationOpen marks a notice read and goes to the page it is about.
func (w *Web) notificationOpen(rw http.ResponseWriter, r *http.Request) {
	n := w.readNotice(rw, r)
	if n == nil {
		return
	}
	to := safeNext(n.Link)
	if to == "" {
		to = "/notifications"
	}
	http.Redirect(rw, r, to, http.StatusSeeOther)
}

// notificationRead marks a notice read and stays on the list.
func (w *Web) notificationRead(rw http.ResponseWriter, r *http.Request) {
	if w.readNotice(rw, r) == nil {
		return
	}
	back := "/notifications"
	if p := r.PostFormValue("page"); p != "" {
		if n, err := strconv.Atoi(p); err == nil && n > 1 {
			back += "?page=" + strconv.Itoa(n)
		}
	}
	http.Redirect(rw, r, back, http.StatusSeeOther)
}

func (w *Web) readNotice(rw http.ResponseWriter, r *http.Request) *domain.Notification {
	u := w.requireUser(rw, r)
	if u == nil {
		return nil
	}
	if err := parseForm(rw, r, 4<<10); err != nil {
		w.fail(rw, r, err)
		return nil
	}
	id, err := noticeID(r)
	if err == nil {
		var n *domain.Notification
		if n, err = w.Svc.Notify.Read(r.Context(), service.ActorOf(u), id); err == nil {
			return n
		}
	}
	w.fail(rw, r, err)
	return nil
}

func (w *Web) notificationsReadAll(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if _, err := w.Svc.Notify.ReadAll(r.Context(), service.ActorOf(u)); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/notifications?ok=notifications_read", http.StatusSeeOther)
}

// accountContact saves the user's notification e-mail and its language
// (the account page's card).
func (w *Web) accountContact(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 16<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	email, lang := r.PostFormValue("email"), r.PostFormValue("lang")
	if _, err := w.Svc.Notify.SetContact(r.Context(), service.ActorOf(u), email, lang); err != nil {
		ap := accountPage{Email: email, Lang: lang}
		w.accountFailed(rw, r, ap, "contact", err)
		return
	}
	http.Redirect(rw, r, "/account?ok=contact#contact-card", http.StatusSeeOther)
}

// mailPage is the data of /admin/mail.
type mailPage struct {
	*service.Outbox
	Now time.Time
}

func (w *Web) adminMail(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	ob, err := w.Svc.Notify.Outbox(r.Context(), service.ActorOf(u), 100)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "notify/mail", w.newView(r, "通知邮件", "mail", mailPage{Outbox: ob, Now: w.Svc.Now()}))
}
