package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// The event module's API (路演/对接会): public event pages, organisers'
// workflow, registrations, the programme (pitched achievements),
// intentions (意向) and service records (服务企业家次).

// TechEventList is a page of events.
type TechEventList = httpx.List[*domain.TechEvent]

// EventRegistrationList lists registrations.
type EventRegistrationList = httpx.Items[*domain.EventRegistration]

// EventPitchList is an event's programme.
type EventPitchList = httpx.Items[*domain.EventPitch]

// IntentionList lists intentions.
type IntentionList = httpx.Items[*domain.Intention]

// EventRegistrationPage is a page of the caller's registrations.
type EventRegistrationPage = httpx.List[*domain.EventRegistration]

// IntentionPage is a page of the caller's intentions.
type IntentionPage = httpx.List[*domain.Intention]

// ServiceRecordList lists an event's service records.
type ServiceRecordList = httpx.Items[*domain.ServiceRecord]

// TechEventStepBody is the body of every event workflow step: the version
// read and a comment (what happened, when holding; the reason, when
// cancelling).
type TechEventStepBody struct {
	Version int64  `json:"version"`
	Comment string `json:"comment"`
}

// EventPitchBody names the achievement put on the programme.
type EventPitchBody struct {
	AchievementID int64 `json:"achievement_id"`
}

func techEventID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "活动不存在")
	}
	return id, nil
}

// listTechEvents is public: every event but drafts (the organiser also
// sees its own drafts).
func (a *API) listTechEvents(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f, upcoming, err := httpx.TechEventFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	f.Page, f.PerPage = p.Page, p.PerPage
	xs, total, err := a.Svc.Events.List(r.Context(), ActorFrom(r), f, upcoming)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, xs, total))
}

func (a *API) createTechEvent(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var in domain.TechEvent
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	x, err := a.Svc.Events.Create(r.Context(), ActorFrom(r), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/events/%d", x.ID))
	return httpx.JSON(w, http.StatusCreated, x)
}

func (a *API) getTechEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := techEventID(r)
	if err != nil {
		return err
	}
	x, err := a.Svc.Events.Get(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) updateTechEvent(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := techEventID(r)
	if err != nil {
		return err
	}
	var in domain.TechEvent
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version，以免覆盖他人的修改")
	}
	x, err := a.Svc.Events.Update(r.Context(), ActorFrom(r), id, in.Version, &in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) techEventHistory(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := techEventID(r)
	if err != nil {
		return err
	}
	evs, err := a.Svc.Events.Events(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(evs))
}

// techEventStep adapts one workflow step: logged in, an id, the body with
// the version read.
func (a *API) techEventStep(do func(r *http.Request, id int64, b TechEventStepBody) (*domain.TechEvent, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := httpx.RequireActor(r); err != nil {
			return err
		}
		id, err := techEventID(r)
		if err != nil {
			return err
		}
		var b TechEventStepBody
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

func (a *API) publishTechEvent(r *http.Request, id int64, b TechEventStepBody) (*domain.TechEvent, error) {
	return a.Svc.Events.Publish(r.Context(), ActorFrom(r), id, b.Version)
}

func (a *API) holdTechEvent(r *http.Request, id int64, b TechEventStepBody) (*domain.TechEvent, error) {
	return a.Svc.Events.Hold(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

func (a *API) closeTechEvent(r *http.Request, id int64, b TechEventStepBody) (*domain.TechEvent, error) {
	return a.Svc.Events.Close(r.Context(), ActorFrom(r), id, b.Version)
}

func (a *API) cancelTechEvent(r *http.Request, id int64, b TechEventStepBody) (*domain.TechEvent, error) {
	return a.Svc.Events.Cancel(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

// techEventPost adapts a record added to an event (a registration, a
// pitch, an intention, a service record): logged in, an id, the body, 201.
func techEventPost[B, T any](do func(r *http.Request, id int64, b *B) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := httpx.RequireActor(r); err != nil {
			return err
		}
		id, err := techEventID(r)
		if err != nil {
			return err
		}
		var b B
		if err := httpx.DecodeBody(w, r, &b); err != nil {
			return err
		}
		x, err := do(r, id, &b)
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusCreated, x)
	}
}

// techEventGet adapts a list read from an event; login when needed.
func techEventGet[T any](login bool, do func(r *http.Request, id int64) ([]T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if login {
			if _, err := httpx.RequireActor(r); err != nil {
				return err
			}
		}
		id, err := techEventID(r)
		if err != nil {
			return err
		}
		xs, err := do(r, id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, httpx.NewItems(xs))
	}
}

func (a *API) registerTechEvent(r *http.Request, id int64, b *domain.EventRegistration) (*domain.EventRegistration, error) {
	return a.Svc.Events.Register(r.Context(), ActorFrom(r), id, b)
}

func (a *API) techEventRegistrations(r *http.Request, id int64) ([]*domain.EventRegistration, error) {
	return a.Svc.Events.Registrations(r.Context(), ActorFrom(r), id)
}

func (a *API) addTechEventPitch(r *http.Request, id int64, b *EventPitchBody) (*domain.EventPitch, error) {
	return a.Svc.Events.AddPitch(r.Context(), ActorFrom(r), id, b.AchievementID)
}

func (a *API) techEventPitches(r *http.Request, id int64) ([]*domain.EventPitch, error) {
	return a.Svc.Events.Pitches(r.Context(), ActorFrom(r), id)
}

func (a *API) recordTechEventIntention(r *http.Request, id int64, b *domain.Intention) (*domain.Intention, error) {
	return a.Svc.Events.RecordIntention(r.Context(), ActorFrom(r), id, b)
}

func (a *API) techEventIntentions(r *http.Request, id int64) ([]*domain.Intention, error) {
	return a.Svc.Events.Intentions(r.Context(), ActorFrom(r), id)
}

func (a *API) recordTechEventService(r *http.Request, id int64, b *domain.ServiceRecord) (*domain.ServiceRecord, error) {
	return a.Svc.Events.RecordService(r.Context(), ActorFrom(r), id, b)
}

func (a *API) techEventServices(r *http.Request, id int64) ([]*domain.ServiceRecord, error) {
	return a.Svc.Events.Services(r.Context(), ActorFrom(r), id)
}

// myEventRegistrations lists the caller's organisation's registrations,
// a page at a time.
func (a *API) myEventRegistrations(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	xs, total, err := a.Svc.Events.MyRegistrations(r.Context(), ActorFrom(r), p.Page, p.PerPage)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, xs, total))
}

// myIntentions lists the intentions the caller's organisation is party to
// or organised (the bureau: all), a page at a time.
func (a *API) myIntentions(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	xs, total, err := a.Svc.Events.MyIntentions(r.Context(), ActorFrom(r), p.Page, p.PerPage)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, xs, total))
}
