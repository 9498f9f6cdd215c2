package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

func (a *API) healthz(w http.ResponseWriter, r *http.Request) error {
	return httpx.JSON(w, http.StatusOK, Health{Status: "ok"})
}

func (a *API) readyz(w http.ResponseWriter, r *http.Request) error {
	p, err := a.Svc.Readiness(r.Context())
	var unknown *domain.UnknownMigrationsError
	switch {
	case errors.As(err, &unknown):
		return httpx.JSON(w, http.StatusServiceUnavailable, Health{Status: "database newer than this program", Unknown: unknown.Versions})
	case domain.ErrorCode(err) == domain.EUNAVAILABLE:
		a.Log.Warn("readyz: the last write failed: storage full")
		return httpx.JSON(w, http.StatusServiceUnavailable, Health{Status: "storage full"})
	case err != nil:
		a.Log.Warn("readyz: database unreachable", "err", err)
		return httpx.JSON(w, http.StatusServiceUnavailable, Health{Status: "database unreachable"})
	case len(p) > 0:
		return httpx.JSON(w, http.StatusServiceUnavailable, Health{Status: "pending migrations", Pending: p})
	}
	return httpx.JSON(w, http.StatusOK, Health{Status: "ready"})
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var b LoginRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	token, u, err := a.Svc.Auth.Login(r.Context(), b.Username, b.Password, a.Kernel.ClientAddr(r))
	if err != nil {
		return err
	}
	a.Kernel.SetSessionCookie(w, token)
	return httpx.JSON(w, http.StatusOK, u)
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(httpx.SessionCookie); err == nil {
		a.Svc.Auth.Logout(r.Context(), c.Value)
	}
	a.Kernel.ClearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	u := httpx.UserFrom(r.Context())
	if u == nil {
		return domain.Errorf(domain.EUNAUTHORIZED, "请先登录")
	}
	return httpx.JSON(w, http.StatusOK, u)
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var b TokenRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	secret, t, err := a.Svc.Auth.IssueToken(r.Context(), ActorFrom(r), domain.TokenSpec{Name: b.Name, Scope: b.Scope, Days: b.ExpiresInDays})
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusCreated, TokenCreated{Token: secret, APIToken: t})
}

// regions answers the national table of administrative divisions: with no
// parameter the city and its districts and counties (the pickers' quick
// list); parent_code=X X's children (000000: the provinces); q= a search
// by name or code prefix. Public, and bounded (at most
// domain.MaxRegionResults rows) so an anonymous client cannot make it costly.
func (a *API) regions(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	f := domain.RegionFilter{Query: qs.Get("q")}
	if qs.Has("parent_code") {
		f.Parent, f.ParentSet = qs.Get("parent_code"), true
		if f.Parent == domain.CountryCode {
			f.Parent = ""
		}
	}
	if !f.ParentSet && strings.TrimSpace(f.Query) == "" {
		rs, err := a.Svc.Meta.CityRegions(r.Context())
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, httpx.NewItems(rs))
	}
	rs, err := a.Svc.Meta.FindRegions(r.Context(), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(rs))
}

func (a *API) chains(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.Svc.Meta.Chains(r.Context())
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(cs))
}

func (a *API) contractCategories(w http.ResponseWriter, r *http.Request) error {
	on := r.URL.Query().Get("signed_on")
	if on != "" {
		if _, err := domain.ParseDate(on); err != nil {
			return domain.FieldErrorf("signed_on", "签订日期应为 YYYY-MM-DD")
		}
	}
	return httpx.JSON(w, http.StatusOK, CategoryList{SignedOn: on, Items: domain.CategoriesAt(on)})
}

func (a *API) techFields(w http.ResponseWriter, r *http.Request) error {
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(domain.TechFields.All()))
}

func (a *API) refusalGrounds(w http.ResponseWriter, r *http.Request) error {
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(domain.RefusalGrounds.All()))
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AuditRules.CanRead); err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rows, total, err := a.Svc.Audit.Find(r.Context(), ActorFrom(r), domain.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Offset: p.Offset(), Limit: p.PerPage})
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, rows, total))
}

func (a *API) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	rep, err := a.Svc.Audit.Verify(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, rep)
}
