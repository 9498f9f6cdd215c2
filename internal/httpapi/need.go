package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

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

func needID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "需求不存在")
	}
	return id, nil
}

// listNeeds is public: the public and roles without a wider scope get the
// published board; the enterprise also its own needs, the bureau
// everything submitted.
func (a *API) listNeeds(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f, err := httpx.NeedFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	f.Page, f.PerPage = p.Page, p.PerPage
	xs, total, err := a.Svc.Needs.List(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, xs, total))
}

func (a *API) createNeed(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var in domain.Need
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	x, err := a.Svc.Needs.Create(r.Context(), ActorFrom(r), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/needs/%d", x.ID))
	return httpx.JSON(w, http.StatusCreated, x)
}

// getNeed is public for published needs (without the contact); anything
// else the caller may not see is "not found".
func (a *API) getNeed(w http.ResponseWriter, r *http.Request) error {
	id, err := needID(r)
	if err != nil {
		return err
	}
	x, err := a.Svc.Needs.Get(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) updateNeed(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := needID(r)
	if err != nil {
		return err
	}
	var in domain.Need
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version，以免覆盖他人的修改")
	}
	x, err := a.Svc.Needs.Update(r.Context(), ActorFrom(r), id, in.Version, &in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) deleteNeed(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := needID(r)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version <= 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version")
	}
	if err := a.Svc.Needs.Delete(r.Context(), ActorFrom(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) needEvents(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil { // the history is not the public's
		return err
	}
	id, err := needID(r)
	if err != nil {
		return err
	}
	evs, err := a.Svc.Needs.Events(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(evs))
}

// needStep adapts one workflow step: logged in, an id, the body with the
// version read.
func (a *API) needStep(do func(r *http.Request, id int64, b NeedStepBody) (*domain.Need, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := httpx.RequireActor(r); err != nil {
			return err
		}
		id, err := needID(r)
		if err != nil {
			return err
		}
		var b NeedStepBody
		if err := httpx.DecodeBody(w, r, &b); err != nil {
			return err
		}
		if b.Version == 0 {
			return domain.FieldErrorf("version", "请提供读取时的版本号 version")
		}
		x, err := do(r, id, b)
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, x)
	}
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
