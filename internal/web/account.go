package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// accountPage is the data of /account: who the user is, their API tokens
// (a new one's secret shown once, right after creating it) and the
// password form.
type accountPage struct {
	Base      string // this site's address, for the curl example
	TokenName string
	Scope     string    // the new token's scope as submitted
	Days      string    // the new token's lifetime in days as submitted ("": until revoked)
	Now       time.Time // to mark expired tokens
	// DayChoices are the lifetimes offered; the service accepts any 1–365.
	DayChoices []string
	Secret     string // the new token's secret; never stored in clear
	Tokens     []*domain.APIToken
	Form       string // the form an error belongs to: "token", "password" or "contact"
	// Email and Lang are the notification e-mail form as submitted ("" on
	// a fresh page: the user's own).
	Email, Lang string
	Errors      map[string]string
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
	tokens, err := w.Svc.Auth.ListTokens(r.Context(), service.ActorOf(httpx.UserFrom(r.Context())))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	ap.Tokens, ap.Now = tokens, w.Svc.Now()
	ap.DayChoices = []string{"7", "30", "90", "180", "365"}
	if ap.Form != "token" && ap.Secret == "" {
		// A new token is read-only for 90 days unless its owner asks for more.
		ap.Scope, ap.Days = string(domain.ScopeRead), "90"
	}
	w.render(rw, r, status, "account/account", w.newView(r, "我的账户", "account", ap))
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
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	ap := accountPage{TokenName: r.PostFormValue("name"), Scope: r.PostFormValue("scope"), Days: r.PostFormValue("expires_in_days")}
	spec, err := tokenSpec(ap)
	var secret string
	if err == nil {
		secret, _, err = w.Svc.Auth.IssueToken(r.Context(), service.ActorOf(u), spec)
	}
	if err != nil {
		w.accountFailed(rw, r, ap, "token", err)
		return
	}
	ap.Secret = secret
	w.renderAccount(rw, r, http.StatusOK, ap)
}

// tokenSpec reads the token form: an empty lifetime is no expiry.
func tokenSpec(ap accountPage) (domain.TokenSpec, error) {
	spec := domain.TokenSpec{Name: ap.TokenName, Scope: domain.TokenScope(ap.Scope)}
	if ap.Days == "" {
		return spec, nil
	}
	days, err := strconv.Atoi(ap.Days)
	if err != nil || days <= 0 {
		return spec, domain.FieldErrorf("expires_in_days", "有效天数应为 1 到 %d 天，不填为长期有效", domain.MaxTokenDays)
	}
	spec.Days = days
	return spec, nil
}

// accountPassword changes the user's own password after checking the
// current one (wrong guesses share the login's rate limit); the user's
// other sessions end, this one stays, and the API tokens are revoked
// unless the "keep tokens" box is ticked.
func (w *Web) accountPassword(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	current, next, again := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password2")
	ap := accountPage{}
	if next != again {
		w.accountFailed(rw, r, ap, "password", domain.FieldErrorf("new_password2", "两次输入的新密码不一致"))
		return
	}
	err := w.Svc.Auth.ChangeOwnPassword(r.Context(), service.ActorOf(u), current, next, w.Kernel.ClientAddr(r), httpx.CurrentSession(r), r.PostFormValue("keep_tokens") != "")
	if domain.ErrorCode(err) == domain.ERATELIMIT {
		ap.Form, ap.Errors = "password", map[string]string{"current_password": i18n.Message(i18n.FromContext(r.Context()), err)}
		httpx.SetRetryAfter(rw, err)
		w.renderAccount(rw, r, http.StatusTooManyRequests, ap)
		return
	} else if err != nil {
		w.accountFailed(rw, r, ap, "password", err)
		return
	}
	http.Redirect(rw, r, "/account?ok=password", http.StatusSeeOther)
}

// accountRevoke revokes one of the user's API tokens.
func (w *Web) accountRevoke(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.fail(rw, r, domain.Errorf(domain.ENOTFOUND, "API令牌不存在"))
		return
	}
	if err := w.Svc.Auth.RevokeToken(r.Context(), service.ActorOf(u), id); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/account?ok=token_revoked#token-card", http.StatusSeeOther)
}

// accountFailed shows a form's validation errors next to its fields.
func (w *Web) accountFailed(rw http.ResponseWriter, r *http.Request, ap accountPage, form string, err error) {
	code := domain.ErrorCode(err)
	if code != domain.EINVALID {
		w.fail(rw, r, err)
		return
	}
	ap.Form, ap.Errors = form, fieldErrors(r.Context(), err)
	w.renderAccount(rw, r, http.StatusUnprocessableEntity, ap)
}

// fieldErrors maps a validation error's fields to their first message
// (the service names the new password "password").
func fieldErrors(ctx context.Context, err error) map[string]string {
	out := map[string]string{}
	var e *domain.Error
	if !asDomain(ctx, err, &e) {
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
