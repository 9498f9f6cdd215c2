package httpapi

import (
	"net/http"

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

const techEventNotFound = "活动不存在"

func (b TechEventStepBody) stepVersion() int64 { return b.Version }

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
	return createOf(w, r, "/api/v1/events", a.Svc.Events.Create, func(x *domain.TechEvent) int64 { return x.ID })
}

func (a *API) getTechEvent(w http.ResponseWriter, r *http.Request) error {
	return getOf(w, r, techEventNotFound, a.Svc.Events.Get)
}

func (a *API) updateTechEvent(w http.ResponseWriter, r *http.Request) error {
	return updateOf(w, r, techEventNotFound, func(x *domain.TechEvent) int64 { return x.Version }, a.Svc.Events.Update)
}

// techEventHistory is the event's history (its managers').
func (a *API) techEventHistory(w http.ResponseWriter, r *http.Request) error {
	return eventsOf(w, r, techEventNotFound, a.Svc.Events.Events)
}

// techEventStep adapts one of the organiser's steps.
func (a *API) techEventStep(do func(r *http.Request, id int64, b TechEventStepBody) (*domain.TechEvent, error)) func(http.ResponseWriter, *http.Request) error {
	return workflowStep(techEventNotFound, do)
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

// techEventPost adapts a use case adding a record to the event (a
// registration, a pitch, an intention, a service record): 201.
func techEventPost[B, T any](do func(r *http.Request, id int64, b *B) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return bodyStep(techEventNotFound, http.StatusCreated, do)
}

// techEventGet adapts a list of the event's records (login: signed in
// only).
func techEventGet[T any](login bool, do func(r *http.Request, id int64) ([]T, error)) func(http.ResponseWriter, *http.Request) error {
	return itemsOf(techEventNotFound, login, do)
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

// myEventRegistrations is a page of the caller's organisation's
// registrations.
func (a *API) myEventRegistrations(w http.ResponseWriter, r *http.Request) error {
	return minePageOf(w, r, a.Svc.Events.MyRegistrations)
}

// myIntentions is a page of the intentions the caller's organisation is
// party to (or organised).
func (a *API) myIntentions(w http.ResponseWriter, r *http.Request) error {
	return minePageOf(w, r, a.Svc.Events.MyIntentions)
}
