package web

import (
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// accountPage is the data of /account: who the user is, a new API token
// (its secret shown once, right after creating it) and the password form.
type accountPage struct {
	Base      string // this site's address, for the curl example
	TokenName string
	Secret    string // the new token's secret; never stored in clear
	Form      string // the form an error belongs to: "token" or "password"
	Errors    map[string]string
}

// siteBase is the address the user reached the site at.
func siteBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (w *Web) renderAccount(rw http.ResponseWriter, r *http.Request, status int, ap accountPage) {
	ap.Base = siteBase(r)
	if ap.Errors == nil {
		ap.Errors = map[string]string{}
	}
	w.render(rw, r, status, "account", w.newView(r, "我的账户", "account", ap))
}

func (w *Web) account(rw http.ResponseWriter, r *http.Request) {
	if w.requireUser(rw, r) == nil {
		return
	}
	w.renderAccount(rw, r, http.StatusOK, accountPage{})
}

// accountToken creates an API token and shows its secret this once.
func (w *Web) accountToken(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, 64<<10)
	ap := accountPage{TokenName: r.PostFormValue("name")}
	secret, _, err := w.Svc.CreateAPIToken(r.Context(), service.ActorOf(u), ap.TokenName)
	if err != nil {
		w.accountFailed(rw, r, ap, "token", err)
		return
	}
	ap.Secret = secret
	w.renderAccount(rw, r, http.StatusOK, ap)
}

// accountPassword changes the user's own password after checking the
// current one.
func (w *Web) accountPassword(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, 64<<10)
	current, next, again := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password2")
	ap := accountPage{}
	stored, err := w.Svc.Store.FindUserByID(r.Context(), u.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var v domain.Validator
	v.Check(current != "", "current_password", "请填写当前密码")
	v.Check(current == "" || service.CheckPassword(stored.PasswordHash, current), "current_password", "当前密码不正确")
	v.Check(service.ValidatePassword(next) == nil, "new_password", "新密码至少8位")
	v.Check(next == again, "new_password2", "两次输入的新密码不一致")
	v.Check(next == "" || next != current, "new_password", "新密码不能与当前密码相同")
	if err := v.Err(); err != nil {
		w.accountFailed(rw, r, ap, "password", err)
		return
	}
	if err := w.Svc.SetPassword(r.Context(), service.ActorOf(u), u.ID, next); err != nil {
		w.accountFailed(rw, r, ap, "password", err)
		return
	}
	http.Redirect(rw, r, "/account?ok=password", http.StatusSeeOther)
}

// accountFailed shows a form's validation errors next to its fields.
func (w *Web) accountFailed(rw http.ResponseWriter, r *http.Request, ap accountPage, form string, err error) {
	code := domain.ErrorCode(err)
	if code != domain.EINVALID {
		w.fail(rw, r, err)
		return
	}
	ap.Form, ap.Errors = form, fieldErrors(err)
	w.renderAccount(rw, r, http.StatusUnprocessableEntity, ap)
}

// fieldErrors maps a validation error's fields to their first message
// (the service names the new password "password").
func fieldErrors(err error) map[string]string {
	out := map[string]string{}
	var e *domain.Error
	if !asDomain(err, &e) {
		return out
	}
	fields := e.Fields
	if len(fields) == 0 {
		fields = []domain.FieldError{{Field: e.Field, Message: e.Message}}
	}
	for _, fe := range fields {
		if fe.Field == "password" {
			fe.Field = "new_password"
		}
		if _, seen := out[fe.Field]; !seen {
			out[fe.Field] = fe.Message
		}
	}
	return out
}
