package httpapi

import (
	"net/http"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// The city's chains and yearly targets under /api/v1/admin/: chains by
// administrators (domain.AdminRules.CanManageChains), targets by whoever
// edits the city's settings (CanEditSettings: administrators and bureau).

// ChainEntryList is every chain with its order, state and use.
type ChainEntryList = httpx.Items[domain.ChainEntry]

// ChainCreateRequest is the body of POST /api/v1/admin/chains.
type ChainCreateRequest = service.ChainInput

// ChainPatchRequest is the body of PATCH /api/v1/admin/chains/{code}.
type ChainPatchRequest = service.ChainUpdate

// ChainOrderRequest is the body of PUT /api/v1/admin/chains/order: every
// chain's code once, in the new order.
type ChainOrderRequest struct {
	Codes []string `json:"codes"`
}

// TargetList is every yearly target.
type TargetList = httpx.Items[domain.YearTarget]

// TargetsRequest is the body of PUT /api/v1/admin/targets: targets to set
// (a value of 0 removes that year's target of the metric).
type TargetsRequest struct {
	Targets []domain.YearTarget `json:"targets"`
}

func (a *API) listChains(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.Svc.Admin.Chains(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(cs))
}

func (a *API) createChain(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageChains); err != nil {
		return err
	}
	var b ChainCreateRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	e, err := a.Svc.Admin.CreateChain(r.Context(), ActorFrom(r), b)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusCreated, e)
}

func chainCode(r *http.Request) string { return strings.TrimSpace(r.PathValue("code")) }

func (a *API) patchChain(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageChains); err != nil {
		return err
	}
	var b ChainPatchRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	e, err := a.Svc.Admin.UpdateChain(r.Context(), ActorFrom(r), chainCode(r), b)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, e)
}

func (a *API) deleteChain(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageChains); err != nil {
		return err
	}
	if err := a.Svc.Admin.DeleteChain(r.Context(), ActorFrom(r), chainCode(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) orderChains(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanManageChains); err != nil {
		return err
	}
	var b ChainOrderRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	cs, err := a.Svc.Admin.ReorderChains(r.Context(), ActorFrom(r), b.Codes)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(cs))
}

func (a *API) listTargets(w http.ResponseWriter, r *http.Request) error {
	s, err := a.Svc.Admin.Settings(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(s.Targets))
}

func (a *API) putTargets(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.Allowed(r, domain.AdminRules.CanEditSettings); err != nil {
		return err
	}
	var b TargetsRequest
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	if len(b.Targets) == 0 {
		return domain.FieldErrorf("targets", "请至少给出一个目标")
	}
	s, err := a.Svc.Admin.UpdateSettings(r.Context(), ActorFrom(r), service.SettingsUpdate{Targets: b.Targets})
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(s.Targets))
}
