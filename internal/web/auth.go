package web

import (
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
)

type loginPage struct {
	Next     string
	Username string
	Error    string
}

func (w *Web) loginPage(rw http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if httpx.UserFrom(r.Context()) != nil && next != "" {
		http.Redirect(rw, r, next, http.StatusSeeOther)
		return
	}
	w.render(rw, r, http.StatusOK, "core/login", w.newView(r, "登录", "login", loginPage{Next: next}))
}

func (w *Web) login(rw http.ResponseWriter, r *http.Request) {
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	username, next := r.PostForm.Get("username"), safeNext(r.PostForm.Get("next"))
	token, u, err := w.Svc.Auth.Login(r.Context(), username, r.PostForm.Get("password"), w.Kernel.ClientAddr(r))
	if err != nil {
		if domain.ErrorCode(err) == domain.EINTERNAL {
			w.fail(rw, r, err)
			return
		}
		p := loginPage{Next: next, Username: username, Error: i18n.Message(i18n.FromContext(r.Context()), err)}
		httpx.SetRetryAfter(rw, err)
		w.render(rw, r, httpx.StatusOf(err), "core/login", w.newView(r, "登录", "login", p))
		return
	}
	w.Kernel.SetSessionCookie(rw, token)
	if next == "" {
		next = homeOf(u)
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

// homeOf is where a user lands after logging in.
func homeOf(u *domain.User) string {
	switch u.Role {
	case domain.RoleRegistrar:
		return "/registry/queue"
	case domain.RoleBureau, domain.RoleExpert:
		return "/stats"
	}
	return "/contracts"
}

func (w *Web) logout(rw http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(httpx.SessionCookie); err == nil && c.Value != "" {
		if err := w.Svc.Auth.Logout(r.Context(), c.Value); err != nil {
			w.Log.Warn("web: logout", "err", err)
		}
	}
	w.Kernel.ClearSessionCookie(rw)
	http.Redirect(rw, r, "/login", http.StatusSeeOther)
}
