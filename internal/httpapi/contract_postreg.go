package httpapi

import (
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// Post-registration actions: 变更登记, 注销登记, 撤销, 异议
// (service/contract_postreg.go).

// ChangeRequestBody is the body of POST /api/v1/contracts/{id}/change-request.
type ChangeRequestBody struct {
	Version    int64            `json:"version"`
	Change     domain.RegChange `json:"change"`
	Reason     string           `json:"reason"`
	Attachment string           `json:"attachment"`
}

// DecisionBody is the body of POST /api/v1/contracts/{id}/change-decision
// and /cancel-decision: approve or refuse the pending request.
type DecisionBody struct {
	Version       int64  `json:"version"`
	Decision      string `json:"decision"` // approve | refuse
	TechIncomeFen *int64 `json:"tech_income_fen,omitempty"`
	Note          string `json:"note"`
}

// CancelRequestBody is the body of POST /api/v1/contracts/{id}/cancel-request.
type CancelRequestBody struct {
	Version int64  `json:"version"`
	Ground  string `json:"ground"`
	Reason  string `json:"reason"`
}

// RevokeBody is the body of POST /api/v1/contracts/{id}/revoke.
type RevokeBody struct {
	Version int64  `json:"version"`
	Ground  string `json:"ground"`
	Note    string `json:"note"`
}

// ObjectionBody is the body of POST /api/v1/contracts/{id}/objection.
type ObjectionBody struct {
	Version int64  `json:"version"`
	Reason  string `json:"reason"`
}

// ObjectionDecisionBody is the body of POST /api/v1/contracts/{id}/objection-decision.
type ObjectionDecisionBody struct {
	Version      int64  `json:"version"`
	Outcome      string `json:"outcome"` // upheld | dismissed
	Note         string `json:"note"`
	RevokeGround string `json:"revoke_ground"`
}

// PostRegistration is the answer of GET /api/v1/contracts/{id}/registration:
// the superseded versions, the requests and the objections.
type PostRegistration = service.PostRegistration

func (b ChangeRequestBody) version() int64     { return b.Version }
func (b DecisionBody) version() int64          { return b.Version }
func (b CancelRequestBody) version() int64     { return b.Version }
func (b RevokeBody) version() int64            { return b.Version }
func (b ObjectionBody) version() int64         { return b.Version }
func (b ObjectionDecisionBody) version() int64 { return b.Version }

// approves reads a decision; anything but approve or refuse names the field.
func (b DecisionBody) approves() (bool, error) {
	switch b.Decision {
	case "approve":
		return true, nil
	case "refuse":
		return false, nil
	}
	return false, domain.FieldErrorf("decision", "请选择批准（approve）或不予批准（refuse）")
}

func (a *API) requestChange(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b ChangeRequestBody) (*domain.Contract, error) {
		return a.Svc.Contracts.RequestChange(r.Context(), ActorFrom(r), id, b.Version,
			service.ChangeRequest{Change: b.Change, Reason: b.Reason, Attachment: b.Attachment})
	})
}

func (a *API) decideChange(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b DecisionBody) (*domain.Contract, error) {
		ok, err := b.approves()
		if err != nil {
			return nil, err
		}
		return a.Svc.Contracts.DecideChange(r.Context(), ActorFrom(r), id, b.Version, ok, b.TechIncomeFen, b.Note)
	})
}

func (a *API) requestCancel(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b CancelRequestBody) (*domain.Contract, error) {
		return a.Svc.Contracts.RequestCancel(r.Context(), ActorFrom(r), id, b.Version, b.Ground, b.Reason)
	})
}

func (a *API) decideCancel(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b DecisionBody) (*domain.Contract, error) {
		ok, err := b.approves()
		if err != nil {
			return nil, err
		}
		if b.TechIncomeFen != nil {
			return nil, domain.FieldErrorf("tech_income_fen", "注销登记不核定技术性收入")
		}
		return a.Svc.Contracts.DecideCancel(r.Context(), ActorFrom(r), id, b.Version, ok, b.Note)
	})
}

func (a *API) revokeContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b RevokeBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Revoke(r.Context(), ActorFrom(r), id, b.Version, b.Ground, b.Note)
	})
}

func (a *API) objectContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b ObjectionBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Object(r.Context(), ActorFrom(r), id, b.Version, b.Reason)
	})
}

func (a *API) decideObjection(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b ObjectionDecisionBody) (*domain.Contract, error) {
		return a.Svc.Contracts.DecideObjection(r.Context(), ActorFrom(r), id, b.Version,
			service.ObjectionDecision{Outcome: b.Outcome, Note: b.Note, RevokeGround: b.RevokeGround})
	})
}

func (a *API) contractRegistration(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, err := a.Svc.Contracts.PostRegistration(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, pr)
}
