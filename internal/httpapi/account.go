package httpapi

import (
	"net/http"
	"strconv"

	"kechuang/internal/domain"
)

// The caller's own account: API tokens (list and revoke; creation is in
// session.go) and the password change.

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	ts, err := a.Svc.Auth.ListTokens(r.Context(), ActorFrom(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ts})
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, a.Log, domain.Errorf(domain.ENOTFOUND, "API令牌不存在"))
		return
	}
	if err := a.Svc.Auth.RevokeToken(r.Context(), ActorFrom(r), id); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type passwordBody struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	var b passwordBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	err := a.Svc.Auth.ChangeOwnPassword(r.Context(), ActorFrom(r), b.CurrentPassword, b.NewPassword, a.ClientAddr(r), CurrentSession(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// CurrentSession returns the session token the request was authenticated
// by, or "" when it came with an API token (or none): a password change
// keeps this session and ends the user's others.
func CurrentSession(r *http.Request) string {
	if r.Header.Get("Authorization") != "" {
		return ""
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}
