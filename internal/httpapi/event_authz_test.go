package httpapi_test

import (
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/store/storetest"
)

// eventSchemaTypes pairs the event module's schemas with their Go types.
var eventSchemaTypes = map[string][]any{
	"TechEvent": {domain.TechEvent{}}, "TechEventList": {httpapi.TechEventList{}}, "TechEventStepBody": {httpapi.TechEventStepBody{}},
	"EventRegistration": {domain.EventRegistration{}}, "EventRegistrationList": {httpapi.EventRegistrationList{}},
	"EventPitch": {domain.EventPitch{}}, "EventPitchList": {httpapi.EventPitchList{}}, "EventPitchBody": {httpapi.EventPitchBody{}},
	"Intention": {domain.Intention{}}, "IntentionList": {httpapi.IntentionList{}}, "IntentionPage": {httpapi.IntentionPage{}},
	"EventRegistrationPage": {httpapi.EventRegistrationPage{}},
	"ServiceRecord":         {domain.ServiceRecord{}}, "ServiceRecordList": {httpapi.ServiceRecordList{}},
	"TechEventHistoryItem": {domain.Event{}}, "TechEventHistory": {httpapi.EventList{}},
}

// techEventInput is a valid event as an organiser's user sends it.
func techEventInput() map[string]any {
	return map[string]any{"kind": "roadshow", "title": "智能制造科技成果路演", "date": "2099-06-01", "place": "沈阳市浑南区科技服务中心",
		"capacity": 30, "description": "高校院所成果集中路演。"}
}

// onTechEvent builds a request about a fresh event of the agency, made by
// build (from the world's builder).
func onTechEvent(method, suffix string, build func(w *storetest.World) *storetest.TechEventBuilder,
	body func(t *testing.T, fx *fixture, x *domain.TechEvent) map[string]any) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, _ string) request {
		x := build(fx.W).Insert(t)
		rq := request{Method: method, Path: fmt.Sprintf("/api/v1/events/%d%s", x.ID, suffix)}
		if body != nil {
			rq.JSON = body(t, fx, x)
		}
		return rq
	}
}

func eventAuthzRows() []authzRow {
	draft := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent() }
	published := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent().Published() }
	today := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent().On(w.Today()).Published() }
	held := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent().Held() }
	heldWithEnt := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent().Held().Registered(w.Ent) }
	step := func(comment string) func(t *testing.T, fx *fixture, x *domain.TechEvent) map[string]any {
		return func(_ *testing.T, _ *fixture, x *domain.TechEvent) map[string]any {
			return map[string]any{"version": x.Version, "comment": comment}
		}
	}
	managers := []string{"admin", "bureau", "agency"}
	return []authzRow{
		{Pattern: "GET /api/v1/events", Public: true},
		{Pattern: "POST /api/v1/events", Allow: []string{"bureau", "agency", "tto", "pilot_base"}, Either: []string{"admin"},
			Prepare: func(t *testing.T, fx *fixture, _ string) request {
				return request{Method: "POST", Path: "/api/v1/events", JSON: techEventInput()}
			}},
		{Pattern: "GET /api/v1/events/{id}", Public: true, Prepare: onTechEvent("GET", "", published, nil)},
		{Pattern: "PUT /api/v1/events/{id}", Allow: managers, Prepare: onTechEvent("PUT", "", published,
			func(t *testing.T, fx *fixture, x *domain.TechEvent) map[string]any {
				in := techEventInput()
				in["version"] = x.Version
				return in
			})},
		{Pattern: "GET /api/v1/events/{id}/history", Allow: managers, Prepare: onTechEvent("GET", "/history", published, nil)},
		// A draft is its organiser's (and the administrator's) alone.
		{Pattern: "POST /api/v1/events/{id}/publish", Allow: []string{"admin", "agency"}, Prepare: onTechEvent("POST", "/publish", draft, step(""))},
		{Pattern: "POST /api/v1/events/{id}/hold", Allow: managers, Prepare: onTechEvent("POST", "/hold", today, step("30家企业参会"))},
		{Pattern: "POST /api/v1/events/{id}/close", Allow: managers, Prepare: onTechEvent("POST", "/close", held, step(""))},
		{Pattern: "POST /api/v1/events/{id}/cancel", Allow: managers, Prepare: onTechEvent("POST", "/cancel", published, step("场地调整"))},
		{Pattern: "GET /api/v1/events/{id}/registrations", Allow: managers, Prepare: onTechEvent("GET", "/registrations", published, nil)},
		{Pattern: "POST /api/v1/events/{id}/registrations", Allow: []string{"enterprise", "tto", "pilot_base"},
			Prepare: onTechEvent("POST", "/registrations", published, func(t *testing.T, fx *fixture, x *domain.TechEvent) map[string]any {
				return map[string]any{"contact": "张工", "phone": "024-12345678"}
			})},
		{Pattern: "GET /api/v1/events/{id}/pitches", Public: true, Prepare: onTechEvent("GET", "/pitches", published, nil)},
		{Pattern: "POST /api/v1/events/{id}/pitches", Allow: managers,
			Prepare: onTechEvent("POST", "/pitches", published, func(t *testing.T, fx *fixture, x *domain.TechEvent) map[string]any {
				return map[string]any{"achievement_id": fx.W.Achievement().Published().Insert(t).ID}
			})},
		{Pattern: "GET /api/v1/events/{id}/intentions", Public: true, Prepare: onTechEvent("GET", "/intentions", held, nil)},
		{Pattern: "POST /api/v1/events/{id}/intentions", Allow: []string{"admin", "bureau", "agency", "enterprise"},
			Prepare: onTechEvent("POST", "/intentions", heldWithEnt, func(t *testing.T, fx *fixture, x *domain.TechEvent) map[string]any {
				ach := fx.W.Achievement().Published().Insert(t)
				return map[string]any{"achievement_id": ach.ID, "enterprise_org_id": fx.Orgs["enterprise"].ID, "signed_on": x.Date, "mode": "license"}
			})},
		{Pattern: "GET /api/v1/events/{id}/services", Allow: managers, Prepare: onTechEvent("GET", "/services", held, nil)},
		{Pattern: "POST /api/v1/events/{id}/services", Allow: managers,
			Prepare: onTechEvent("POST", "/services", held, func(t *testing.T, fx *fixture, x *domain.TechEvent) map[string]any {
				return map[string]any{"org_id": fx.Orgs["enterprise"].ID, "kind": "matching"}
			})},
		{Pattern: "GET /api/v1/me/event-registrations", Allow: loggedIn},
		{Pattern: "GET /api/v1/me/intentions", Allow: loggedIn},
	}
}
