package httpapi

import (
	"errors"
	"net/http"

	"kechuang/internal/domain"
)

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	p, err := a.Svc.Readiness(r.Context())
	var unknown *domain.UnknownMigrationsError
	switch {
	case errors.As(err, &unknown):
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "database newer than this program", "unknown": unknown.Versions})
		return
	case err != nil:
		a.Log.Warn("readyz: database unreachable", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		return
	case len(p) > 0:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "pending migrations", "pending": p})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

type loginBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var b loginBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	token, u, err := a.Svc.Auth.Login(r.Context(), b.Username, b.Password, a.ClientAddr(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	a.SetSessionCookie(w, token)
	writeJSON(w, http.StatusOK, u)
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		a.Svc.Auth.Logout(r.Context(), c.Value)
	}
	a.ClearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	u := UserFrom(r.Context())
	if u == nil {
		writeError(w, r, a.Log, domain.Errorf(domain.EUNAUTHORIZED, "请先登录"))
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	var b struct {
		Name string `json:"name"`
	}
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	secret, t, err := a.Svc.Auth.CreateToken(r.Context(), ActorFrom(r), b.Name)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": secret, "api_token": t})
}

func (a *API) regions(w http.ResponseWriter, r *http.Request) {
	rs, err := a.Svc.Meta.Regions(r.Context())
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": rs})
}

func (a *API) chains(w http.ResponseWriter, r *http.Request) {
	cs, err := a.Svc.Meta.Chains(r.Context())
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": cs})
}

func (a *API) contractCategories(w http.ResponseWriter, r *http.Request) {
	on := r.URL.Query().Get("signed_on")
	if on != "" {
		if _, err := domain.ParseDate(on); err != nil {
			writeError(w, r, a.Log, domain.FieldErrorf("signed_on", "签订日期应为 YYYY-MM-DD"))
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"signed_on": on, "items": domain.CategoriesAt(on)})
}

func (a *API) techFields(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"items": domain.TechFields.All()})
}

func (a *API) refusalGrounds(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"items": domain.RefusalGrounds.All()})
}

func (a *API) listOrgs(w http.ResponseWriter, r *http.Request) {
	p, err := PageOf(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	orgs, total, err := a.Svc.Meta.Orgs(r.Context(), ActorFrom(r), domain.OrgFilter{Kind: domain.OrgKind(r.URL.Query().Get("kind")),
		Query: r.URL.Query().Get("q"), Offset: p.Offset(), Limit: p.PerPage})
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, p.List(orgs, total))
}

func (a *API) createOrg(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	var o domain.Org
	if err := decodeBody(w, r, &o); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if err := a.Svc.Admin.CreateOrg(r.Context(), ActorFrom(r), &o); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusCreated, o)
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request) {
	if err := allowed(r, domain.AuditRules.CanRead); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	p, err := PageOf(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	q := r.URL.Query()
	rows, total, err := a.Svc.Audit.Find(r.Context(), ActorFrom(r), domain.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Offset: p.Offset(), Limit: p.PerPage})
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, p.List(rows, total))
}

func (a *API) verifyAudit(w http.ResponseWriter, r *http.Request) {
	rep, err := a.Svc.Audit.Verify(r.Context(), ActorFrom(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// allowed checks a module policy's rule before a handler parses its
// input, so a refused caller learns nothing from validation errors; the
// service checks the same rule again.
func allowed(r *http.Request, rule func(*domain.Actor) bool) error {
	a := ActorFrom(r)
	if a == nil {
		return domain.Errorf(domain.EUNAUTHORIZED, "请先登录")
	}
	if !rule(a) {
		return domain.Errorf(domain.EFORBIDDEN, "无权访问")
	}
	return nil
}
