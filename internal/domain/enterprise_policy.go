package domain

// EnterprisePolicy is the enterprise registry's rules of access, written
// once: the bureau and the administrator see and edit every firm and its
// filings and qualifications; an enterprise user sees and edits its own
// firm (the registry row whose org_id is its organisation) and files its
// facts; everyone else sees nothing (no field of the registry is public:
// the public figures are the statistics computed from it).
type EnterprisePolicy struct{}

// Enterprises is the registry's policy.
var Enterprises EnterprisePolicy

func (EnterprisePolicy) staff(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }

func (EnterprisePolicy) own(a *Actor, x *Enterprise) bool {
	return a != nil && a.Is(RoleEnterprise) && a.OrgID != 0 && x.OrgID == a.OrgID
}

// CanList reports whether a may list the registry (the bureau).
func (p EnterprisePolicy) CanList(a *Actor) bool { return p.staff(a) }

// CanSeeMine reports whether a has a firm page of its own to look for
// (我的企业): an enterprise user.
func (EnterprisePolicy) CanSeeMine(a *Actor) bool { return a.Is(RoleEnterprise) && a.OrgID != 0 }

// ListScope is what a may list.
func (p EnterprisePolicy) ListScope(a *Actor) EnterpriseScope {
	switch {
	case p.staff(a):
		return EnterpriseScope{All: true}
	case p.CanSeeMine(a):
		return EnterpriseScope{OrgID: a.OrgID}
	}
	return EnterpriseScope{None: true}
}

// CanSee reports whether a may read x, its filings and qualifications.
func (p EnterprisePolicy) CanSee(a *Actor, x *Enterprise) bool { return p.staff(a) || p.own(a, x) }

// CanCreate reports whether a may add firms to the registry.
func (p EnterprisePolicy) CanCreate(a *Actor) bool { return p.staff(a) }

// CanEdit reports whether a may change x's profile. The firm may not
// change its credit code or its link to its organisation (the service
// keeps them).
func (p EnterprisePolicy) CanEdit(a *Actor, x *Enterprise) bool { return p.staff(a) || p.own(a, x) }

// CanEditKeys reports whether a may change x's credit code and account
// link.
func (p EnterprisePolicy) CanEditKeys(a *Actor, _ *Enterprise) bool { return p.staff(a) }

// CanFile reports whether a may file (or correct) x's yearly facts.
func (p EnterprisePolicy) CanFile(a *Actor, x *Enterprise) bool { return p.staff(a) || p.own(a, x) }

// CanQualify reports whether a may record or revoke x's qualifications
// (the bureau: a certificate is the authority's word, not the firm's).
func (p EnterprisePolicy) CanQualify(a *Actor, _ *Enterprise) bool { return p.staff(a) }

// CanImport reports whether a may import the registry or the yearly facts.
func (p EnterprisePolicy) CanImport(a *Actor) bool { return p.staff(a) }

// CanExport reports whether a may export the firms it can list.
func (p EnterprisePolicy) CanExport(a *Actor) bool { return p.staff(a) }

var enterpriseAudit = AuditVocabulary{Module: "enterprise",
	Entities: []Label{{"enterprise", "企业"}, {"enterprise_filing", "企业年度数据"},
		{"enterprise_qualification", "企业资质"}, {"enterprise_import", "企业库导入"},
		{"enterprise_facts_import", "企业年度数据导入"}},
	Actions: map[string]string{
		"enterprise.create": "登记企业", "enterprise.update": "修改企业信息", "enterprise.import": "批量导入企业",
		"enterprise.file": "填报企业年度数据", "enterprise.refile": "更正企业年度数据", "enterprise_facts.import": "批量导入企业年度数据",
		"enterprise.qualify": "登记企业资质", "enterprise.revoke": "撤销企业资质",
	},
	Fields: map[string]string{
		"uscc": "统一社会信用代码", "district": "所在区县", "chain": "产业链", "registered_on": "成立日期",
		"org_id": "关联机构", "org_name": "关联机构", "year": "年度", "facts": "企业数据", "kind": "资质类型", "number": "证书编号",
		"issued_on": "发证日期", "expires_on": "有效期至", "revoked_on": "撤销日期", "revoke_reason": "撤销理由",
		"filed_by": "填报人", "filed_at": "填报时间", "enterprise_id": "企业",
	},
	Values: map[string]func(string) string{"kind": func(c string) string { return EnterpriseQualKind(c).Label() }}}

// EnterpriseStatus is a registry firm's standing. The registry has no
// workflow of its own: a firm is on the register (在册) from its entry,
// and the table below lists the actions on it for the history, the audit
// and the pages' buttons (Flow.Actions).
type EnterpriseStatus string

// EnterpriseRegistered is the one status: on the register.
const EnterpriseRegistered EnterpriseStatus = "registered"

// EnterpriseStatuses names the status.
var EnterpriseStatuses = NewEnum[EnterpriseStatus](Item[EnterpriseStatus]{EnterpriseRegistered, "在册"})

// Label returns the Chinese name of the status.
func (s EnterpriseStatus) Label() string { return EnterpriseStatuses.Label(s) }

// Status is a firm's standing (always on the register).
func (x *Enterprise) Status() EnterpriseStatus { return EnterpriseRegistered }

var onRegister = []EnterpriseStatus{EnterpriseRegistered}

// EnterpriseFlow is the registry's table of actions.
var EnterpriseFlow = &Flow[EnterpriseStatus, *Enterprise]{
	Status: (*Enterprise).Status,
	Label:  EnterpriseStatus.Label,
	Transitions: []Transition[EnterpriseStatus, *Enterprise]{
		{Action: "update", From: onRegister, Allowed: Enterprises.CanEdit, Denied: "修改该企业的信息"},
		{Action: "file", From: onRegister, Allowed: Enterprises.CanFile, Denied: "填报该企业的年度数据"},
		{Action: "refile", From: onRegister, Allowed: Enterprises.CanFile, Denied: "更正该企业的年度数据"},
		{Action: "qualify", From: onRegister, Allowed: Enterprises.CanQualify, Denied: "登记该企业的资质"},
		{Action: "revoke", From: onRegister, Allowed: Enterprises.CanQualify, Denied: "撤销该企业的资质"},
	},
}

// enterpriseNoticeKinds are the registry's notices: the firm hears when
// the bureau records or revokes its qualifications or corrects its facts.
var enterpriseNoticeKinds = []NoticeKindDef{{NoticeEnterprise, "企业库", "企业“%s”：%s"}}

// NoticeEnterprise is a notice of the registry.
const NoticeEnterprise NoticeKind = "enterprise"
