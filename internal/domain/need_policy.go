package domain

// NeedPolicy is the need module's rules of access, written once: the
// service enforces them, the pages ask them, the store turns ListScope
// into SQL (agreement tested for every role × status × relation).
type NeedPolicy struct{}

// Needs is the need module's policy.
var Needs NeedPolicy

// CanPost reports whether a may post needs: an enterprise (its own
// organisation's), and the administrator.
func (NeedPolicy) CanPost(a *Actor) bool { return a.Is(RoleEnterprise, RoleAdmin) }

// ListScope is what a may list; the public (nil) sees the board.
func (NeedPolicy) ListScope(a *Actor) NeedScope {
	switch {
	case a == nil:
		return NeedScope{PublishedOnly: true}
	case a.Is(RoleAdmin, RoleBureau):
		return NeedScope{All: true, OrgID: a.OrgID}
	}
	return NeedScope{OrgID: a.OrgID, PublishedOnly: true}
}

// Public reports whether the need is on the public board: published, or
// closed after it was published (a need withdrawn before publication is
// not).
func (x *Need) Public() bool {
	return x.Status == NeedPublished || x.Status == NeedClosed && x.PublishedOn != ""
}

// CanSee reports whether a may read x: the board is public; the
// enterprise sees its own in every status; the bureau everything
// submitted. Drafts are the enterprise's alone.
func (NeedPolicy) CanSee(a *Actor, x *Need) bool {
	if x.Public() {
		return true
	}
	if a == nil {
		return false
	}
	if a.OrgID != 0 && x.OwnerOrgID == a.OrgID {
		return true
	}
	return x.Status != NeedDraft && a.Is(RoleAdmin, RoleBureau)
}

// CanSeeContact reports whether a may read the contact person: anyone
// logged in who may see the need (the public sees no contact).
// CanSeeHistory reports whether a may read x's history (with the staff's
// user names): its enterprise, the bureau and the administrator, never the
// public, even for a published need.
func (NeedPolicy) CanSeeHistory(a *Actor, x *Need) bool {
	return a != nil && (a.OrgID != 0 && x.OwnerOrgID == a.OrgID || a.Is(RoleAdmin, RoleBureau))
}

func (p NeedPolicy) CanSeeContact(a *Actor, x *Need) bool { return a != nil && p.CanSee(a, x) }

// CanSeePhone reports whether a may read the contact phone: the bureau
// and the owner (matched parties later).
func (p NeedPolicy) CanSeePhone(a *Actor, x *Need) bool {
	return a != nil && (a.OrgID != 0 && x.OwnerOrgID == a.OrgID || a.Is(RoleAdmin, RoleBureau) && p.CanSee(a, x))
}

// mayEdit: a poster of the owning enterprise.
func (p NeedPolicy) mayEdit(a *Actor, x *Need) bool {
	return p.CanPost(a) && a.OrgID != 0 && x.OwnerOrgID == a.OrgID
}

// mayReview: the bureau checks that a need is genuine (真实性审核).
func (NeedPolicy) mayReview(a *Actor, _ *Need) bool { return a.Is(RoleBureau, RoleAdmin) }

// mayClose: the owner, or the bureau (e.g. a need long past its deadline).
func (p NeedPolicy) mayClose(a *Actor, x *Need) bool { return p.mayEdit(a, x) || p.mayReview(a, x) }

// CanEdit reports whether a may change x now.
func (NeedPolicy) CanEdit(a *Actor, x *Need) bool { return NeedFlow.Can("update", a, x) }

// CanReview reports whether a may publish or return x now.
func (NeedPolicy) CanReview(a *Actor, x *Need) bool { return NeedFlow.Can("publish", a, x) }

// CanList reports whether a may list needs beyond the public board.
func (NeedPolicy) CanList(a *Actor) bool { return a != nil }

// CanImport reports whether a may import needs (its own enterprise's;
// the administrator for any).
func (p NeedPolicy) CanImport(a *Actor) bool { return p.CanPost(a) }

// CanExport reports whether a may export the needs it can list.
func (NeedPolicy) CanExport(a *Actor) bool { return a != nil }

// NeedFlow is the need workflow table.
var NeedFlow = &Flow[NeedStatus, *Need]{
	Status: func(x *Need) NeedStatus { return x.Status },
	Label:  NeedStatus.Label,
	Transitions: []Transition[NeedStatus, *Need]{
		{Action: "update", From: []NeedStatus{NeedDraft, NeedReturned}, Allowed: Needs.mayEdit, Denied: "修改该需求", StateForbidden: true},
		{Action: "submit", From: []NeedStatus{NeedDraft, NeedReturned}, To: []NeedStatus{NeedSubmitted},
			Allowed: Needs.mayEdit, Denied: "提交该需求", StateForbidden: true},
		{Action: "delete", From: []NeedStatus{NeedDraft}, Allowed: Needs.mayEdit, Denied: "删除该草稿", StateForbidden: true},
		{Action: "publish", From: []NeedStatus{NeedSubmitted}, To: []NeedStatus{NeedPublished}, Allowed: Needs.mayReview, Denied: "审核该需求"},
		{Action: "return", From: []NeedStatus{NeedSubmitted}, To: []NeedStatus{NeedReturned}, Allowed: Needs.mayReview, Denied: "审核该需求"},
		{Action: "close", From: []NeedStatus{NeedPublished}, To: []NeedStatus{NeedClosed}, Allowed: Needs.mayClose, Denied: "关闭该需求"},
		{Action: "withdraw", From: []NeedStatus{NeedSubmitted, NeedPublished}, To: []NeedStatus{NeedClosed},
			Allowed: Needs.mayEdit, Denied: "撤回该需求"},
	},
}

var needAudit = AuditVocabulary{Module: "need",
	Entities: []Label{{"need", "技术需求"}, {"need_import", "需求导入"}},
	Actions: map[string]string{
		"need.import": "批量导入需求",
		"need.create": "创建需求草稿", "need.update": "修改需求", "need.submit": "提交需求审核",
		"need.delete": "删除需求草稿", "need.publish": "审核发布需求", "need.return": "退回需求修改",
		"need.close": "关闭需求", "need.withdraw": "撤回需求",
	},
	Fields: map[string]string{
		"title": "需求名称", "problem": "需解决的问题", "indicators": "目标指标", "budget_min_fen": "预算下限", "budget_max_fen": "预算上限",
		"deadline": "截止日期", "keywords": "关键词", "stage": "期望成熟阶段", "cooperation_modes": "合作方式", "contact_name": "联系人",
		"contact_phone": "联系电话", "owner_org_id": "发布企业", "owner_name": "发布企业", "outcome": "结果", "outcome_note": "结果说明",
		"published_on": "发布日期", "closed_on": "关闭日期", "return_reason": "退回理由",
	},
	Values: map[string]func(string) string{"status": func(c string) string { return NeedStatus(c).Label() }}}
