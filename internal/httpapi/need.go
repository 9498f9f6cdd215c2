package httpapi

import (
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// The need module's API (技术需求): the public board, posting by
// enterprises, the bureau's check before publication, closing with an
// outcome.

// NeedList is a page of needs.
type NeedList = httpx.List[*domain.Need]

// NeedStepBody is the body of every need workflow step: the version read,
// a comment (the reason, where the step needs one: return, withdraw; the
// note when closing) and, when closing, the outcome.
type NeedStepBody struct {
	Version int64  `json:"version"`
	Comment string `json:"comment"`
	Outcome string `json:"outcome,omitempty"`
}

// needNotFound is the module's answer for a missing or hidden need.
const needNotFound = "需求不存在"

func (b NeedStepBody) stepVersion() int64 { return b.Version }

// listNeeds is public: the public and roles without a wider scope get the
// published board; the enterprise also its own needs, the bureau
// everything submitted.
func (a *API) listNeeds(w http.ResponseWriter, r *http.Request) error {
	return listOf(w, r, httpx.NeedFilterOf, func(f *domain.NeedFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage }, a.Svc.Needs.List)
}

func (a *API) createNeed(w http.ResponseWriter, r *http.Request) error {
	return createOf(w, r, "/api/v1/needs", a.Svc.Needs.Create, func(x *domain.Need) int64 { return x.ID })
}

// getNeed is public for published needs (without the contact); anything
// else the caller may not see is "not found".
func (a *API) getNeed(w http.ResponseWriter, r *http.Request) error {
	return getOf(w, r, needNotFound, a.Svc.Needs.Get)
}

func (a *API) updateNeed(w http.ResponseWriter, r *http.Request) error {
	return updateOf(w, r, needNotFound, func(x *domain.Need) int64 { return x.Version }, a.Svc.Needs.Update)
}

func (a *API) deleteNeed(w http.ResponseWriter, r *http.Request) error {
	return deleteOf(w, r, needNotFound, a.Svc.Needs.Delete)
}

// needEvents is the history: not the public's.
func (a *API) needEvents(w http.ResponseWriter, r *http.Request) error {
	return eventsOf(w, r, needNotFound, a.Svc.Needs.Events)
}

// needStep adapts one workflow step: logged in, an id, the body with the
// version read.
func (a *API) needStep(do func(r *http.Request, id int64, b NeedStepBody) (*domain.Need, error)) func(http.ResponseWriter, *http.Request) error {
	return workflowStep(needNotFound, do)
}

func (a *API) submitNeed(r *http.Request, id int64, b NeedStepBody) (*domain.Need, error) {
	return a.Svc.Needs.Submit(r.Context(), ActorFrom(r), id, b.Version)
}

func (a *API) publishNeed(r *http.Request, id int64, b NeedStepBody) (*domain.Need, error) {
	return a.Svc.Needs.Publish(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

func (a *API) returnNeed(r *http.Request, id int64, b NeedStepBody) (*domain.Need, error) {
	return a.Svc.Needs.Return(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

func (a *API) closeNeed(r *http.Request, id int64, b NeedStepBody) (*domain.Need, error) {
	return a.Svc.Needs.Close(r.Context(), ActorFrom(r), id, b.Version, b.Outcome, b.Comment)
}

func (a *API) withdrawNeed(r *http.Request, id int64, b NeedStepBody) (*domain.Need, error) {
	return a.Svc.Needs.Withdraw(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}
