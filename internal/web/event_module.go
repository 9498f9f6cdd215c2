package web

import (
	"html/template"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// eventModule is the event pages (路演/对接会): the public list and detail,
// organisers' forms and their record of what happened (the programme,
// intentions, service records), enterprises' registration and their own
// registrations and intentions. Who sees what is domain.TechEvents.
func eventModule() Module {
	return Module{
		Name:     "event",
		Pages:    []string{"event/list", "event/detail", "event/form", "event/mine"},
		Partials: []string{"event/partials"},
		Routes:   eventRoutes,
		Nav: []NavItem{
			{ID: "nav-events", Label: "路演对接", Path: "/events", Active: "events",
				Icon: `<path d="M3.5 5.5h13v10h-13zM3.5 8.5h13M7 3.5v3M13 3.5v3M6.5 11.5h2M11 11.5h2.5" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`},
			{ID: "nav-my-events", Label: "我的活动", Path: "/events/mine", Active: "events-mine", Show: domain.TechEvents.HasOwn,
				Icon: `<path d="M4 4.5h12v11H4zM7 8.5l2 2 4-4M7 13h6" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`},
		},
		Funcs: eventFuncs,
		Flash: map[string]string{
			"event_created": "活动草稿已保存，确认无误后请发布。", "event_updated": "活动已保存。",
			"event_published": "活动已发布，开始接受报名。", "event_held": "已记录活动举办，可继续登记意向与服务企业。",
			"event_closed": "活动已结束。", "event_cancelled": "活动已取消，已报名的单位会收到通知。",
			"event_registered": "报名成功。", "event_pitched": "成果已加入路演名单。",
			"event_intention": "合作意向已登记，双方会收到通知。", "event_service": "服务企业记录已登记。",
		},
	}
}

func eventRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /events", w.eventList)
	mux.HandleFunc("GET /events/mine", w.eventMine)
	mux.HandleFunc("GET /events/new", w.eventNew)
	mux.HandleFunc("POST /events/new", w.eventCreate)
	mux.HandleFunc("GET /events/{id}", w.eventDetail)
	mux.HandleFunc("GET /events/{id}/edit", w.eventEdit)
	mux.HandleFunc("POST /events/{id}/edit", w.eventUpdate)
	mux.HandleFunc("POST /events/{id}/publish", w.eventStep("publish"))
	mux.HandleFunc("POST /events/{id}/hold", w.eventStep("hold"))
	mux.HandleFunc("POST /events/{id}/close", w.eventStep("close"))
	mux.HandleFunc("POST /events/{id}/cancel", w.eventStep("cancel"))
	mux.HandleFunc("POST /events/{id}/register", w.eventRecord("register"))
	mux.HandleFunc("POST /events/{id}/pitches", w.eventRecord("pitch"))
	mux.HandleFunc("POST /events/{id}/intentions", w.eventRecord("intention"))
	mux.HandleFunc("POST /events/{id}/services", w.eventRecord("service"))
}

// eventStatusClass colours a status badge.
func eventStatusClass(s domain.TechEventStatus) string {
	switch s {
	case domain.TechEventPublished:
		return "badge-green"
	case domain.TechEventHeld:
		return "badge-blue"
	case domain.TechEventCancelled:
		return "badge-amber"
	}
	return "badge-gray"
}

func eventFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"event_status":      func(s domain.TechEventStatus) string { return tr(s.Label()) },
		"event_statusClass": eventStatusClass,
		"event_kind":        func(c string) string { return tr(domain.TechEventKinds.Label(c)) },
		"event_kinds":       func() []domain.Item[string] { return domain.TechEventKinds.All() },
		"event_mode":        func(c string) string { return tr(domain.TransferModes.Label(c)) },
		"event_modes":       func() []domain.Item[string] { return domain.TransferModes.All() },
		"event_service":     func(c string) string { return tr(domain.ServiceKinds.Label(c)) },
		"event_services":    func() []domain.Item[string] { return domain.ServiceKinds.All() },
		"event_left":        func(x *domain.TechEvent) int { return max(0, x.Capacity-x.Registered) },
	}
}
