package web

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// eventListPage is the public list of events (the organiser also sees its
// drafts).
type eventListPage struct {
	listState
	chainLabels
	Rows         []*domain.TechEvent
	Chains       []domain.Chain
	Years        []int
	Statuses     []domain.TechEventStatus
	CanOrganise  bool
	UpcomingOnly bool
}

// eventYears are the years the filter offers: from the first demo year to
// next year.
func (w *Web) eventYears() []int {
	var out []int
	for y := w.Svc.Now().Year() + 1; y >= 2021; y-- {
		out = append(out, y)
	}
	return out
}

func (w *Web) eventList(rw http.ResponseWriter, r *http.Request) {
	a := service.ActorOf(httpx.UserFrom(r.Context()))
	lp := &eventListPage{listState: listState{Q: r.URL.Query()}, Years: w.eventYears(), Statuses: domain.TechEventStatuses.Codes(),
		CanOrganise: domain.TechEvents.CanOrganise(a)}
	lp.Chains, lp.chainName = w.chainNames(r)
	parse := func(q url.Values) (f domain.TechEventFilter, err error) {
		f, lp.UpcomingOnly, err = httpx.TechEventFilterOf(q)
		return f, err
	}
	list := func(ctx context.Context, a *domain.Actor, f domain.TechEventFilter) ([]*domain.TechEvent, int, error) {
		return w.Svc.Events.List(ctx, a, f, lp.UpcomingOnly)
	}
	rows, status, ok := listRows(w, rw, r, a, &lp.listState, parse,
		func(f *domain.TechEventFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage }, list)
	if !ok {
		return
	}
	lp.Rows = rows
	w.render(rw, r, status, "event/list", w.newView(r, "路演与对接活动", "events", lp))
}

// eventDetailPage is one event's page: what the public reads, and for its
// organiser the forms that record what happened.
type eventDetailPage struct {
	actionForm
	chainLabels
	X             *domain.TechEvent
	Events        []*domain.Event
	Actions       map[string]bool
	Manage        bool // the viewer manages the event
	Pitches       []*domain.EventPitch
	Intentions    []*domain.Intention
	Registrations []*domain.EventRegistration
	Services      []*domain.ServiceRecord
	// The viewer's registration.
	CanRegister, Registered, RegistrationOpen bool
	// Recording: intentions and service records may be recorded now.
	Recording, CanIntend bool
	OwnOrgID             int64 // the viewer's organisation (an enterprise records its own intentions)
	EnterpriseIntends    bool  // the viewer is an enterprise that may record its own intention
	PitchQ               string
	PitchResults         []*domain.Achievement
	Today                string
}

// Val is what the failed form typed for key ("" otherwise).
func (d *eventDetailPage) Val(form, key string) string {
	if d.Form != form || d.Typed == nil {
		return ""
	}
	return d.Typed.Get(key)
}

func (w *Web) eventDetail(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	u := httpx.UserFrom(r.Context())
	x, err := w.Svc.Events.Get(r.Context(), service.ActorOf(u), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	dp := &eventDetailPage{actionForm: actionForm{Errors: map[string]string{}}, PitchQ: strings.TrimSpace(r.URL.Query().Get("pitch_q"))}
	w.renderEvent(rw, r, u, x, http.StatusOK, dp)
}

// eventButtons are the organiser's steps (hold only from the event's
// date: the page says when).
var eventButtons = []stepButton{
	{Action: "publish", Button: "发布，开放报名", Class: "btn-primary"},
	{Action: "hold", Label: "举办情况（可选）", Button: "记录已举办", Class: "btn-primary"},
	{Action: "close", Button: "结束活动", Confirm: "结束后不能再登记意向和服务记录。确定结束吗？"},
	{Action: "cancel", Label: "取消理由", Button: "取消活动", Class: "btn-danger", Required: true, Confirm: "取消后已报名的单位会收到通知。确定取消吗？"},
}

func (w *Web) renderEvent(rw http.ResponseWriter, r *http.Request, u *domain.User, x *domain.TechEvent, status int, dp *eventDetailPage) {
	ctx := r.Context()
	a := service.ActorOf(u)
	svc := w.Svc.Events
	today := domain.DateOf(w.Svc.Now())
	var err error
	dp.X, dp.Today, dp.Actions = x, today, domain.TechEventFlow.Actions(a, x)
	dp.Manage = domain.TechEvents.CanManage(a, x)
	_, dp.chainName = w.chainNames(r)
	if dp.Pitches, err = svc.Pitches(ctx, a, x.ID); err == nil {
		dp.Intentions, err = svc.Intentions(ctx, a, x.ID)
	}
	if err == nil && domain.TechEvents.CanSeeHistory(a, x) {
		dp.Events, err = svc.Events(ctx, a, x.ID)
	}
	if err == nil && dp.Manage {
		if dp.Registrations, err = svc.Registrations(ctx, a, x.ID); err == nil {
			dp.Services, err = svc.Services(ctx, a, x.ID)
		}
	}
	if err == nil && domain.TechEvents.CanRegister(a, x) {
		dp.Registered, err = svc.IsRegistered(ctx, a, x.ID)
		dp.RegistrationOpen = x.RegistrationOpen(today)
		dp.CanRegister = !dp.Registered && dp.RegistrationOpen
	}
	if err == nil && dp.Manage && dp.PitchQ != "" && x.Status != domain.TechEventClosed && x.Status != domain.TechEventCancelled {
		dp.PitchResults, _, err = w.Svc.Achievements.List(ctx, a, domain.AchievementFilter{Status: domain.AchievementPublished, Query: dp.PitchQ, PerPage: 8})
		if domain.ErrorCode(err) == domain.EINVALID {
			dp.Form, dp.Error, err = "pitch", i18n.Message(i18n.FromContext(ctx), err), nil
		}
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	dp.Recording = x.Recording(today)
	if a != nil {
		dp.OwnOrgID = a.OrgID
		dp.EnterpriseIntends = !dp.Manage && domain.TechEvents.CanRecordIntention(a, x, a.OrgID) && dp.Registered
	}
	dp.CanIntend = dp.Recording && len(dp.Pitches) > 0 && (dp.Manage || dp.EnterpriseIntends)
	allowed := dp.Actions
	if allowed["hold"] && !dp.Recording {
		allowed = maps.Clone(allowed)
		delete(allowed, "hold")
	}
	dp.Forms = dp.stepForms("/events", "event", x.ID, x.Version, eventButtons, allowed)
	w.render(rw, r, status, "event/detail", w.newView(r, x.Title, "events", dp))
}

// eventSteps are the organiser's steps posted from their forms.
var eventSteps = []stepDef[*service.TechEvents]{
	{"publish", "event_published", func(s *service.TechEvents, ctx context.Context, a *domain.Actor, id, v int64, _ actionForm) error {
		return errOnly(s.Publish(ctx, a, id, v))
	}},
	{"hold", "event_held", func(s *service.TechEvents, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		return errOnly(s.Hold(ctx, a, id, v, f.Comment))
	}},
	{"close", "event_closed", func(s *service.TechEvents, ctx context.Context, a *domain.Actor, id, v int64, _ actionForm) error {
		return errOnly(s.Close(ctx, a, id, v))
	}},
	{"cancel", "event_cancelled", func(s *service.TechEvents, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		return errOnly(s.Cancel(ctx, a, id, v, f.Comment))
	}},
}

// eventStep runs one workflow step from its form.
func (w *Web) eventStep(action string) http.HandlerFunc {
	return stepHandler(w, "/events", w.Svc.Events, eventSteps, action, w.eventFailed)
}

// eventFormInt reads an optional positive id from a form ("" is 0).
func eventFormInt(form url.Values, key string) (int64, error) {
	s := strings.TrimSpace(form.Get(key))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.FieldErrorf(key, "请选择有效的选项")
	}
	return n, nil
}

// eventRecord adds a registration, a pitch, an intention or a service
// record from its form.
func (w *Web) eventRecord(kind string) http.HandlerFunc {
	okCode := map[string]string{"register": "event_registered", "pitch": "event_pitched", "intention": "event_intention", "service": "event_service"}[kind]
	return func(rw http.ResponseWriter, r *http.Request) {
		u := w.requireUser(rw, r)
		if u == nil {
			return
		}
		if err := parseForm(rw, r, 64<<10); err != nil {
			w.fail(rw, r, err)
			return
		}
		id, ok := w.pageID(rw, r)
		if !ok {
			return
		}
		err := eventDo(w.Svc.Events, r, service.ActorOf(u), id, kind, r.PostForm)
		if err == nil {
			http.Redirect(rw, r, fmt.Sprintf("/events/%d?ok=%s", id, okCode), http.StatusSeeOther)
			return
		}
		w.eventFailed(rw, r, u, id, actionForm{Form: kind, Typed: r.PostForm, Errors: map[string]string{}}, err)
	}
}

// eventDo runs one record's use case from the posted form.
func eventDo(s *service.TechEvents, r *http.Request, a *domain.Actor, id int64, kind string, form url.Values) error {
	ctx := r.Context()
	switch kind {
	case "register":
		_, err := s.Register(ctx, a, id, &domain.EventRegistration{Contact: form.Get("contact"), Phone: form.Get("phone")})
		return err
	case "pitch":
		ach, err := eventFormInt(form, "achievement_id")
		if err == nil {
			_, err = s.AddPitch(ctx, a, id, ach)
		}
		return err
	case "intention":
		ach, err := eventFormInt(form, "achievement_id")
		var ent int64
		if err == nil {
			ent, err = eventFormInt(form, "enterprise_org_id")
		}
		if err == nil {
			_, err = s.RecordIntention(ctx, a, id, &domain.Intention{AchievementID: ach, EnterpriseOrgID: ent,
				SignedOn: strings.TrimSpace(form.Get("signed_on")), Mode: form.Get("mode"), Note: form.Get("note")})
		}
		return err
	case "service":
		org, err := eventFormInt(form, "org_id")
		if err == nil {
			_, err = s.RecordService(ctx, a, id, &domain.ServiceRecord{OrgID: org, Kind: form.Get("kind"), Note: form.Get("note")})
		}
		return err
	}
	return domain.Errorf(domain.EINTERNAL, "未定义的操作“%s”", kind)
}

// eventFailed shows the event again with the error at the form that
// caused it (a conflict too: a full event, a second registration).
func (w *Web) eventFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, af actionForm, err error) {
	form := af.Form
	w.stepFailed(rw, r, &af, err, func(status int) {
		x, err := w.Svc.Events.Get(r.Context(), service.ActorOf(u), id)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		af.Form = form
		w.renderEvent(rw, r, u, x, status, &eventDetailPage{actionForm: af})
	})
}

// eventFormPage is the organiser's form (new and edit).
type eventFormPage struct {
	formState
	X        *domain.TechEvent
	Capacity string // as typed
	Chains   []domain.Chain
	Today    string
}

func (w *Web) newEventForm(r *http.Request, x *domain.TechEvent) *eventFormPage {
	f := &eventFormPage{X: x, formState: formState{Errors: map[string]string{}}, Today: domain.DateOf(w.Svc.Now())}
	f.Chains, _ = w.chainNames(r)
	if x.Capacity > 0 {
		f.Capacity = strconv.Itoa(x.Capacity)
	}
	return f
}

func (w *Web) eventNew(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if !domain.TechEvents.CanOrganise(service.ActorOf(u)) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "无权组织路演/对接活动"))
		return
	}
	f := w.newEventForm(r, &domain.TechEvent{Kind: "roadshow", Capacity: 50})
	f.Action = "/events/new"
	w.render(rw, r, http.StatusOK, "event/form", w.newView(r, "创建活动", "events", f))
}

func (w *Web) eventEdit(rw http.ResponseWriter, r *http.Request) {
	editPage(w, rw, r, w.eventForm(), w.Svc.Events.Get, domain.TechEventFlow, func(x *domain.TechEvent) int64 { return x.Version }, w.newEventForm)
}

// parseEventForm reads the form into an event; a capacity that is not a
// whole number is a field error.
func parseEventForm(form url.Values) (*domain.TechEvent, *eventFormPage, error) {
	x := &domain.TechEvent{Kind: form.Get("kind"), Title: form.Get("title"), Date: strings.TrimSpace(form.Get("date")),
		Place: form.Get("place"), ChainCode: form.Get("chain_code"), Description: form.Get("description")}
	typed := &eventFormPage{X: x, Capacity: strings.TrimSpace(form.Get("capacity"))}
	if typed.Capacity == "" {
		return x, typed, nil
	}
	n, err := strconv.Atoi(typed.Capacity)
	if err != nil || n < 1 || n > domain.MaxEventCapacity {
		return x, typed, domain.FieldErrorf("capacity", "报名名额须为1至%d家", domain.MaxEventCapacity)
	}
	x.Capacity = n
	return x, typed, nil
}

func (w *Web) eventCreate(rw http.ResponseWriter, r *http.Request) {
	saveForm(w, rw, r, 0, w.eventForm())
}

func (w *Web) eventUpdate(rw http.ResponseWriter, r *http.Request) {
	if id, ok := w.pageID(rw, r); ok {
		saveForm(w, rw, r, id, w.eventForm())
	}
}

// eventForm is the organiser's form for saveForm.
func (w *Web) eventForm() *recordForm[*domain.TechEvent, *eventFormPage] {
	return &recordForm[*domain.TechEvent, *eventFormPage]{
		base: "/events", module: "event", template: "event/form", nav: "events",
		newTitle: "创建活动", editTitle: "修改活动", maxBytes: 64 << 10, parse: parseEventForm,
		again: func(r *http.Request, in *domain.TechEvent, typed *eventFormPage) *eventFormPage {
			f := w.newEventForm(r, in)
			f.Capacity = typed.Capacity
			return f
		},
		create: w.Svc.Events.Create, update: w.Svc.Events.Update,
		id: func(x *domain.TechEvent) int64 { return x.ID },
	}
}

// eventMinePage is the viewer's registrations or intentions (one tab at a
// time, paged).
type eventMinePage struct {
	Tab           string // "registrations" or "intentions"
	Registrations []*domain.EventRegistration
	Intentions    []*domain.Intention
	Pager         pager
	CanOrganise   bool
}

func (w *Web) eventMine(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	a := service.ActorOf(u)
	q := r.URL.Query()
	mp := &eventMinePage{Tab: q.Get("tab"), CanOrganise: domain.TechEvents.CanOrganise(a)}
	if mp.Tab != "intentions" {
		mp.Tab = "registrations"
	}
	p, err := httpx.PageOf(r)
	var total int
	if err == nil && mp.Tab == "registrations" {
		mp.Registrations, total, err = w.Svc.Events.MyRegistrations(r.Context(), a, p.Page, p.PerPage)
	} else if err == nil {
		mp.Intentions, total, err = w.Svc.Events.MyIntentions(r.Context(), a, p.Page, p.PerPage)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	mp.Pager = newPager(p, total, q)
	w.render(rw, r, http.StatusOK, "event/mine", w.newView(r, "我的活动", "events-mine", mp))
}
