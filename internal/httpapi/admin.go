package httpapi

import (
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// The administration module's API: organisations and users, over the
// HTTP kernel (handlers return their error; httpx writes the problem).

// OrgCreateRequest is the body of POST /api/v1/orgs.
type OrgCreateRequest struct {
	Kind       domain.OrgKind `json:"kind"`
	Name       string         `json:"name"`
	USCC       string         `json:"uscc"`
	RegionCode string         `json:"region_code"`
}

// OrgPatchRequest is the body of PATCH /api/v1/orgs/{id}: the version the
// caller saw, and either fields to change or the new disabled state.
type OrgPatchRequest struct {
	Version  int64 `json:"version"`
	Disabled *bool `json:"disabled,omitempty"`
	domain.OrgUpdate
}

// UserCreateRequest is the body of POST /api/v1/users.
type UserCreateRequest struct {
	Username string      `json:"username"`
	Name     string      `json:"name"`
	Role     domain.Role `json:"role"`
	OrgID    int64       `json:"org_id"`
	Password string      `json:"password"`
	Email    string      `json:"email,omitempty"`
}

// UserPatchRequest is the body of PATCH /api/v1/users/{id}.
type UserPatchRequest struct {
	Version int64 `json:"version"`
	domain.UserUpdate
}

// UserActionRequest is the optional body of POST /api/v1/users/{id}/disable
// and /enable: the version the caller saw (0 or absent: any).
type UserActionRequest struct {
	Version int64 `json:"version"`
}

// PasswordResetRequest is the optional body of POST
// /api/v1/users/{id}/reset-password; without a password one is generated.
type PasswordResetRequest struct {
	Password string `json:"password"`
}

// UserList is a page of users.
type UserList = httpx.List[*domain.User]

// PasswordReset answers a reset: the new password, shown only here.
type PasswordReset struct {
	Password  string       `json:"password"`
	Generated bool         `json:"generated"`
	User      *domain.User `json:"user"`
}

func (a *API) listOrgs(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f := httpx.OrgFilterOf(r.URL.Query())
	f.Offset, f.Limit = p.Offset(), p.PerPage
	orgs, total, err := a.Svc.Admin.Orgs(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, orgs, total))
}

func (a *API) createOrg(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageOrgs); err != nil {
		return err
	}
	var b OrgCreateRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	o := &domain.Org{Kind: b.Kind, Name: b.Name, USCC: b.USCC, RegionCode: b.RegionCode}
	if err := a.Svc.Admin.CreateOrg(r.Context(), ActorFrom(r), o); err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusCreated, o)
}

// patchOrg changes an organisation's fields, or disables or enables it
// (not both in one request: they are separate audited actions).
func (a *API) patchOrg(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageOrgs); err != nil {
		return err
	}
	id, err := entityID(r, "机构不存在")
	if err != nil {
		return err
	}
	var b OrgPatchRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	up := b.OrgUpdate
	fields := up.Kind != nil || up.Name != nil || up.USCC != nil || up.RegionCode != nil
	var o *domain.Org
	switch {
	case b.Disabled != nil && fields:
		return domain.FieldErrorf("disabled", "停用或启用机构时不能同时修改其他字段")
	case b.Disabled != nil && *b.Disabled:
		o, err = a.Svc.Admin.DisableOrg(r.Context(), ActorFrom(r), id, b.Version)
	case b.Disabled != nil:
		o, err = a.Svc.Admin.EnableOrg(r.Context(), ActorFrom(r), id, b.Version)
	default:
		o, err = a.Svc.Admin.UpdateOrg(r.Context(), ActorFrom(r), id, b.Version, up)
	}
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, o)
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageUsers); err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f, err := httpx.UserFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	f.Offset, f.Limit = p.Offset(), p.PerPage
	users, total, err := a.Svc.Admin.Users(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, users, total))
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageUsers); err != nil {
		return err
	}
	var b UserCreateRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	u := &domain.User{Username: b.Username, DisplayName: b.Name, Role: b.Role, OrgID: b.OrgID, Email: b.Email}
	if err := a.Svc.Admin.CreateUser(r.Context(), ActorFrom(r), u, b.Password); err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusCreated, u)
}

func (a *API) patchUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageUsers); err != nil {
		return err
	}
	id, err := entityID(r, "用户不存在")
	if err != nil {
		return err
	}
	var b UserPatchRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	u, err := a.Svc.Admin.UpdateUser(r.Context(), ActorFrom(r), id, b.Version, b.UserUpdate)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, u)
}

// userAction runs disable or enable on a user, with an optional version.
func (a *API) userAction(do func(a *API, r *http.Request, id, version int64) (*domain.User, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := httpx.Allowed(r, domain.AdminRules.CanManageUsers); err != nil {
			return err
		}
		id, err := entityID(r, "用户不存在")
		if err != nil {
			return err
		}
		var b UserActionRequest
		if err := optionalBody(w, r, &b); err != nil {
			return err
		}
		u, err := do(a, r, id, b.Version)
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, u)
	}
}

func disableUser(a *API, r *http.Request, id, version int64) (*domain.User, error) {
	return a.Svc.Admin.DisableUser(r.Context(), ActorFrom(r), id, version)
}

func enableUser(a *API, r *http.Request, id, version int64) (*domain.User, error) {
	return a.Svc.Admin.EnableUser(r.Context(), ActorFrom(r), id, version)
}

func unlockUser(a *API, r *http.Request, id, _ int64) (*domain.User, error) {
	return a.Svc.Admin.Unlock(r.Context(), ActorFrom(r), id)
}

func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageUsers); err != nil {
		return err
	}
	id, err := entityID(r, "用户不存在")
	if err != nil {
		return err
	}
	var b PasswordResetRequest
	if err := optionalBody(w, r, &b); err != nil {
		return err
	}
	pw, u, err := a.Svc.Admin.ResetPassword(r.Context(), ActorFrom(r), id, b.Password)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return httpx.JSON(w, http.StatusOK, PasswordReset{Password: pw, Generated: b.Password == "", User: u})
}

// optionalBody decodes a JSON body when one was sent.
func optionalBody(w http.ResponseWriter, r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return httpx.DecodeBody(w, r, v)
}
