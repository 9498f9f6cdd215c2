package httpapi

import (
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// The caller's own account: API tokens (list and revoke; creation is in
// session.go) and the password change.

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	ts, err := a.Svc.Auth.ListTokens(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(ts))
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "API令牌不存在")
	}
	if err := a.Svc.Auth.RevokeToken(r.Context(), ActorFrom(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var b PasswordChangeRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	err := a.Svc.Auth.ChangeOwnPassword(r.Context(), ActorFrom(r), b.CurrentPassword, b.NewPassword, a.Kernel.ClientAddr(r), httpx.CurrentSession(r), b.KeepTokens)
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
