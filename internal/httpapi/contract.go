package httpapi

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "合同不存在")
	}
	return id, nil
}

// contractListRequest parses the page and the filters of a contract list.
func contractListRequest(r *http.Request) (httpx.Page, domain.ContractFilter, error) {
	p, err := httpx.PageOf(r)
	if err != nil {
		return p, domain.ContractFilter{}, err
	}
	f, err := httpx.ContractFilterOf(r.URL.Query())
	f.Offset, f.Limit = p.Offset(), p.PerPage
	return p, f, err
}

func (a *API) listContracts(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	p, f, err := contractListRequest(r)
	if err != nil {
		return err
	}
	cs, total, err := a.Svc.Contracts.List(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	totals, err := a.Svc.Contracts.ListTotals(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, ContractList{httpx.NewList(p, cs, total), totals})
}

func (a *API) registryQueue(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	p, f, err := contractListRequest(r)
	if err != nil {
		return err
	}
	cs, total, err := a.Svc.Contracts.Queue(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	now := a.Svc.Now()
	items := make([]QueueItem, 0, len(cs))
	for _, c := range cs {
		items = append(items, QueueItem{c, c.DaysLeft(now), c.Overdue(now)})
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, items, total))
}

func (a *API) createContract(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var in domain.Contract
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	c, err := a.Svc.Contracts.Create(r.Context(), ActorFrom(r), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/contracts/%d", c.ID))
	return httpx.JSON(w, http.StatusCreated, c)
}

// getContract leaves the login check to the service, which answers the
// public as it answers an unknown id's visitor.
func (a *API) getContract(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := a.Svc.Contracts.Get(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, c)
}

func (a *API) updateContract(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in domain.Contract
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version，以免覆盖他人的修改")
	}
	c, err := a.Svc.Contracts.Update(r.Context(), ActorFrom(r), id, in.Version, &in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, c)
}

func (a *API) contractEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	evs, err := a.Svc.Contracts.Events(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(evs))
}

// action is the shape of every workflow step: logged in, a contract id, a
// body of type B carrying the version read, then the step itself.
func action[B versioned](w http.ResponseWriter, r *http.Request, do func(id int64, b B) (*domain.Contract, error)) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var b B
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	if b.version() == 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version")
	}
	c, err := do(id, b)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, c)
}

func (a *API) submitContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b SubmitBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Submit(r.Context(), ActorFrom(r), id, b.Version)
	})
}

func (a *API) withdrawContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b WithdrawBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Withdraw(r.Context(), ActorFrom(r), id, b.Version)
	})
}

// deleteContract deletes a draft of the caller's organisation, at the
// version read (?version=).
func (a *API) deleteContract(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version <= 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version")
	}
	if err := a.Svc.Contracts.Delete(r.Context(), ActorFrom(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) acceptContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b SubmitBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Accept(r.Context(), ActorFrom(r), id, b.Version)
	})
}

func (a *API) rejectContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b RejectBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Reject(r.Context(), ActorFrom(r), id, b.Version, b.Ground, b.Note)
	})
}

func (a *API) assignReviewers(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b ReviewersBody) (*domain.Contract, error) {
		return a.Svc.Contracts.AssignReviewers(r.Context(), ActorFrom(r), id, b.Version, b.UserIDs)
	})
}

func (a *API) opine(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b OpinionBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Opine(r.Context(), ActorFrom(r), id, b.Version, b.Opinion, b.Comment)
	})
}

func (a *API) returnContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b ReturnBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Return(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
	})
}

func (a *API) refuseContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b RefuseBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Refuse(r.Context(), ActorFrom(r), id, b.Version, b.Ground, b.Note)
	})
}

func (a *API) registerContract(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b RegisterBody) (*domain.Contract, error) {
		if b.TechIncomeFen == nil {
			return nil, domain.FieldErrorf("tech_income_fen", "请核定技术性收入（tech_income_fen，单位：分）")
		}
		return a.Svc.Contracts.Register(r.Context(), ActorFrom(r), id, b.Version, *b.TechIncomeFen, b.Note)
	})
}

// uploadDocument takes the PDF as the raw body (Content-Type
// application/pdf) or as the "document" part of a multipart form.
func (a *API) uploadDocument(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, content, err := httpx.ReadUpload(w, r, "document", service.MaxDocumentBytes)
	if err != nil {
		return err
	}
	c, err := a.Svc.Contracts.UploadDocument(r.Context(), ActorFrom(r), id, name, content)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, c)
}

func (a *API) downloadDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, b, err := a.Svc.Contracts.Document(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": d.Name}))
	w.Header().Set("X-Content-SHA256", d.SHA256)
	w.Write(b)
	return nil
}
