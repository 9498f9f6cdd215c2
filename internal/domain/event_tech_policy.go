package domain

// TechEventPolicy is the event module's rules of access, written once: the
// service enforces them, the pages ask them, the store turns ListScope
// into SQL (agreement tested for every role × status × relation).
type TechEventPolicy struct{}

// TechEvents is the event module's policy.
var TechEvents TechEventPolicy

// CanOrganise reports whether a may organise events: the bureau, a
// technology-transfer agency, a university's or institute's office, a
// park or pilot base (each its own organisation's), and the administrator.
func (TechEventPolicy) CanOrganise(a *Actor) bool {
	return a.Is(RoleBureau, RoleAgency, RoleTTO, RolePilotBase, RoleAdmin)
}

// ListScope is what a may list; the public (nil) sees published events.
func (TechEventPolicy) ListScope(a *Actor) TechEventScope {
	switch {
	case a == nil:
		return TechEventScope{}
	case a.Is(RoleAdmin):
		return TechEventScope{All: true, OrgID: a.OrgID}
	}
	return TechEventScope{OrgID: a.OrgID}
}

// Public reports whether the event is on the public pages: everything but
// a draft.
func (x *TechEvent) Public() bool { return x.Status != TechEventDraft }

// CanSee reports whether a may read x: every event but a draft is public;
// a draft is its organiser's (and the administrator's).
func (TechEventPolicy) CanSee(a *Actor, x *TechEvent) bool {
	if x.Public() {
		return true
	}
	return a != nil && (a.OrgID != 0 && a.OrgID == x.OrganiserOrgID || a.Is(RoleAdmin))
}

// mayManage: the organiser's staff who may organise, the bureau (which
// oversees every event of the city) and the administrator.
func (p TechEventPolicy) mayManage(a *Actor, x *TechEvent) bool {
	if a.Is(RoleAdmin) {
		return true
	}
	if a.Is(RoleBureau) && x.Status != TechEventDraft {
		return true
	}
	return p.CanOrganise(a) && a.OrgID != 0 && a.OrgID == x.OrganiserOrgID
}

// CanManage reports whether a may manage x (its programme, its records,
// the list of registrations).
func (p TechEventPolicy) CanManage(a *Actor, x *TechEvent) bool { return a != nil && p.mayManage(a, x) }

// CanRegister reports whether a's organisation may register for x: a user
// of an enterprise (or a university, an agency, a park) that is not its
// organiser. The status, date and places are the service's.
func (TechEventPolicy) CanRegister(a *Actor, x *TechEvent) bool {
	return a != nil && a.OrgID != 0 && a.OrgID != x.OrganiserOrgID &&
		a.Is(RoleEnterprise, RoleTTO, RoleAgency, RolePilotBase)
}

// CanSeeRegistrations reports whether a may read x's list of registrations
// (and service records, which name enterprises): its managers.
func (p TechEventPolicy) CanSeeRegistrations(a *Actor, x *TechEvent) bool { return p.CanManage(a, x) }

// CanSeeHistory reports whether a may read x's history (the staff's user
// names): its managers.
func (p TechEventPolicy) CanSeeHistory(a *Actor, x *TechEvent) bool { return p.CanManage(a, x) }

// CanRecordIntention reports whether a may record an intention of
// enterpriseOrg at x: a manager, or the enterprise itself.
func (p TechEventPolicy) CanRecordIntention(a *Actor, x *TechEvent, enterpriseOrg int64) bool {
	return p.CanManage(a, x) || a != nil && a.Is(RoleEnterprise) && a.OrgID != 0 && a.OrgID == enterpriseOrg
}

// CanSeeIntention reports whether a may read the intention y signed at
// x: its two parties, the organiser and the bureau.
func (p TechEventPolicy) CanSeeIntention(a *Actor, x *TechEvent, y *Intention) bool {
	if a == nil {
		return false
	}
	if a.Is(RoleAdmin, RoleBureau) || p.CanManage(a, x) {
		return true
	}
	return a.OrgID != 0 && (a.OrgID == y.EnterpriseOrgID || a.OrgID == y.OwnerOrgID)
}

// IntentionScope is what intentions a may list.
func (TechEventPolicy) IntentionScope(a *Actor) IntentionScope {
	if a.Is(RoleAdmin, RoleBureau) {
		return IntentionScope{All: true, OrgID: a.OrgID}
	}
	return IntentionScope{OrgID: a.OrgID}
}

// CanList reports whether a may list beyond the public pages (the
// organiser's drafts, its registrations).
func (TechEventPolicy) CanList(a *Actor) bool { return a != nil }

// CanImport reports whether a may import events (drafts organised by its
// own organisation; the administrator for the one it names).
func (p TechEventPolicy) CanImport(a *Actor) bool { return p.CanOrganise(a) }

// CanExport reports whether a may export the events it can list.
func (TechEventPolicy) CanExport(a *Actor) bool { return a != nil }

// HasOwn reports whether a's organisation takes part in events as an
// organiser, a registrant or a party to intentions (its "my events" page).
func (TechEventPolicy) HasOwn(a *Actor) bool {
	return a.Is(RoleEnterprise, RoleTTO, RoleAgency, RolePilotBase, RoleBureau, RoleAdmin)
}

// CanEdit reports whether a may change x now.
func (TechEventPolicy) CanEdit(a *Actor, x *TechEvent) bool { return TechEventFlow.Can("update", a, x) }

// TechEventFlow is the event workflow table. The outcome's records
// (pitches, intentions, service records) and registrations are use cases
// of their own, audited with the event.
var TechEventFlow = &Flow[TechEventStatus, *TechEvent]{
	Status: func(x *TechEvent) TechEventStatus { return x.Status },
	Label:  TechEventStatus.Label,
	Transitions: []Transition[TechEventStatus, *TechEvent]{
		{Action: "update", From: []TechEventStatus{TechEventDraft, TechEventPublished}, Allowed: TechEvents.mayManage, Denied: "修改该活动", StateForbidden: true},
		{Action: "publish", From: []TechEventStatus{TechEventDraft}, To: []TechEventStatus{TechEventPublished}, Allowed: TechEvents.mayManage, Denied: "发布该活动"},
		{Action: "hold", From: []TechEventStatus{TechEventPublished}, To: []TechEventStatus{TechEventHeld}, Allowed: TechEvents.mayManage, Denied: "记录该活动已举办"},
		{Action: "close", From: []TechEventStatus{TechEventHeld}, To: []TechEventStatus{TechEventClosed}, Allowed: TechEvents.mayManage, Denied: "结束该活动"},
		{Action: "cancel", From: []TechEventStatus{TechEventDraft, TechEventPublished}, To: []TechEventStatus{TechEventCancelled}, Allowed: TechEvents.mayManage, Denied: "取消该活动"},
	},
}

var techEventAudit = AuditVocabulary{Module: "event",
	Entities: []Label{{"event", "路演/对接活动"}, {"event_import", "活动导入"}},
	Actions: map[string]string{
		"event.create": "创建活动", "event.update": "修改活动", "event.publish": "发布活动",
		"event.hold": "记录活动已举办", "event.close": "结束活动", "event.cancel": "取消活动",
		"event.register": "报名参加活动", "event.pitch": "添加路演成果",
		"event.intention": "登记合作意向", "event.service": "登记服务企业",
		"event.import": "批量导入活动",
	},
	Values: map[string]func(string) string{"status": func(c string) string { return TechEventStatus(c).Label() }}}

// NoticeEvent is the event module's notice: a registration confirmed, an
// event cancelled, an intention recorded.
const NoticeEvent NoticeKind = "event"

var techEventNoticeKinds = []NoticeKindDef{{NoticeEvent, "路演/对接活动", "活动“%s”：%s"}}
