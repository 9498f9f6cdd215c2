package web

import (
	"net/http"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
)

type loginPage struct {
	Next     string
	Username string
	Error    string
	Demo     *demoLogins // the demo accounts, only on the demo city
}

// demoLogins are the demo city's accounts and their shared password, listed
// on the login page so that a newcomer need not go back to the terminal.
type demoLogins struct {
	Password string
	Accounts []demo.Login
}

// demoAccounts returns the demo accounts when the database is the demo city
// (setting demo = 1), else nil: a real city's login page names no account.
// The list is the demo package's own (the one the serve banner prints); web
// imports demo for this constant data only.
func (w *Web) demoAccounts(r *http.Request) *demoLogins {
	if v, err := w.Svc.Meta.Setting(r.Context(), demo.SettingDemo); err != nil || v != "1" {
		return nil
	}
	return &demoLogins{Password: demo.Password, Accounts: demo.Logins()}
}

func (w *Web) renderLogin(rw http.ResponseWriter, r *http.Request, status int, p loginPage) {
	p.Demo = w.demoAccounts(r)
	w.render(rw, r, status, "core/login", w.newView(r, "登录", "login", p))
}

func (w *Web) loginPage(rw http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if httpx.UserFrom(r.Context()) != nil && next != "" {
		http.Redirect(rw, r, next, http.StatusSeeOther)
		return
	}
	w.renderLogin(rw, r, http.StatusOK, loginPage{Next: next})
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
		w.renderLogin(rw, r, httpx.StatusOf(err), p)
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
