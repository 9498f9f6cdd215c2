package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
)

// eventPageRows are the event module's rows of the page authorisation
// matrix: the list and a published event are public; organising is the
// bureau's, an agency's, a university's and a park's; recording what
// happened the organiser's (and the bureau's); registering an
// enterprise's (or another organisation's) that is not the organiser.
func eventPageRows() []pageRow {
	onEvent := func(method, suffix string, build func(w *storetest.World) *storetest.TechEventBuilder,
		form func(t *testing.T, fx *pageFixture, x *domain.TechEvent) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := build(fx.w).Insert(t)
			rq := pageRequest{Method: method, Path: fmt.Sprintf("/events/%d%s", x.ID, suffix)}
			if form != nil {
				rq.Form = form(t, fx, x)
			}
			return rq
		}
	}
	draft := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent() }
	published := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent().Published() }
	today := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent().On(w.Today()).Published() }
	held := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent().Held() }
	heldWithEnt := func(w *storetest.World) *storetest.TechEventBuilder { return w.TechEvent().Held().Registered(w.Ent) }
	step := func(comment string) func(*testing.T, *pageFixture, *domain.TechEvent) url.Values {
		return func(_ *testing.T, _ *pageFixture, x *domain.TechEvent) url.Values {
			return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "comment": {comment}}
		}
	}
	managers := []string{"admin", "bureau", "agency"}
	organisers := []string{"admin", "bureau", "agency", "tto", "other_tto", "pilot_base"}
	return []pageRow{
		{Pattern: "GET /events", Public: true},
		{Pattern: "GET /events/mine", Allow: signedIn},
		{Pattern: "GET /events/new", Allow: organisers},
		{Pattern: "POST /events/new", Allow: organisers, Want: pageDone, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "POST", Path: "/events/new", Form: eventForm()}
		}},
		{Pattern: "GET /events/{id}", Public: true, Prepare: onEvent("GET", "", held, nil)},
		{Pattern: "GET /events/{id}/edit", Allow: managers, Prepare: onEvent("GET", "/edit", published, nil)},
		{Pattern: "POST /events/{id}/edit", Allow: managers, Want: pageRedirect, Prepare: onEvent("POST", "/edit", published,
			func(_ *testing.T, _ *pageFixture, x *domain.TechEvent) url.Values {
				f := eventForm()
				f.Set("version", strconv.FormatInt(x.Version, 10))
				return f
			})},
		{Pattern: "POST /events/{id}/publish", Allow: []string{"admin", "agency"}, Want: pageRedirect, Prepare: onEvent("POST", "/publish", draft, step(""))},
		{Pattern: "POST /events/{id}/hold", Allow: managers, Want: pageRedirect, Prepare: onEvent("POST", "/hold", today, step("30家企业参会"))},
		{Pattern: "POST /events/{id}/close", Allow: managers, Want: pageRedirect, Prepare: onEvent("POST", "/close", held, step(""))},
		{Pattern: "POST /events/{id}/cancel", Allow: managers, Want: pageRedirect, Prepare: onEvent("POST", "/cancel", published, step("场地调整"))},
		{Pattern: "POST /events/{id}/register", Allow: []string{"enterprise", "tto", "other_tto", "pilot_base"}, Want: pageRedirect,
			Prepare: onEvent("POST", "/register", published, func(*testing.T, *pageFixture, *domain.TechEvent) url.Values {
				return url.Values{"contact": {"张工"}, "phone": {"024-12345678"}}
			})},
		{Pattern: "POST /events/{id}/pitches", Allow: managers, Want: pageRedirect,
			Prepare: onEvent("POST", "/pitches", published, func(t *testing.T, fx *pageFixture, _ *domain.TechEvent) url.Values {
				return url.Values{"achievement_id": {strconv.FormatInt(fx.w.Achievement().Published().Insert(t).ID, 10)}}
			})},
		{Pattern: "POST /events/{id}/intentions", Allow: []string{"admin", "bureau", "agency", "enterprise"}, Want: pageRedirect,
			Prepare: onEvent("POST", "/intentions", heldWithEnt, func(t *testing.T, fx *pageFixture, x *domain.TechEvent) url.Values {
				ach := fx.w.Achievement().Published().Insert(t)
				return url.Values{"achievement_id": {strconv.FormatInt(ach.ID, 10)}, "enterprise_org_id": {strconv.FormatInt(fx.w.Ent.ID, 10)},
					"signed_on": {x.Date}, "mode": {"license"}}
			})},
		{Pattern: "POST /events/{id}/services", Allow: managers, Want: pageRedirect,
			Prepare: onEvent("POST", "/services", held, func(_ *testing.T, fx *pageFixture, _ *domain.TechEvent) url.Values {
				return url.Values{"org_id": {strconv.FormatInt(fx.w.Ent.ID, 10)}, "kind": {"matching"}}
			})},
	}
}

// eventForm is a valid event as the form posts it.
func eventForm() url.Values {
	return url.Values{"title": {"智能制造科技成果路演"}, "kind": {"roadshow"}, "date": {"2099-06-01"}, "place": {"沈阳市浑南区科技服务中心"},
		"capacity": {"30"}, "description": {"高校院所成果集中路演。"}}
}
