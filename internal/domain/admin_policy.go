package domain

// AdminPolicy is the administration module's rules of access, written
// once: the service enforces them, the pages, the navigation and the API
// ask them which links and buttons to show.
//
//   - Organisations are managed by administrators and bureau staff (the
//     bureau registers the enterprises and institutions it works with);
//     every logged-in user may read the list, as parties are chosen from it.
//   - Users are managed by administrators only.
//   - The city's settings (name, yearly targets) are set by administrators
//     and bureau staff (the targets are the bureau's).
//   - The key industrial chains (add, rename, reorder, hide, delete) are
//     managed by administrators only: every contract and statistic is
//     classified by them.
type AdminPolicy struct{}

// AdminRules is the administration module's policy.
var AdminRules AdminPolicy

// CanListOrgs reports whether a may read the organisation list.
func (AdminPolicy) CanListOrgs(a *Actor) bool { return a != nil }

// CanManageOrgs reports whether a may create, edit, disable, import and
// export organisations.
func (AdminPolicy) CanManageOrgs(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }

// CanManageUsers reports whether a may list, create, edit, disable,
// import and export users, reset their passwords and unlock them.
func (AdminPolicy) CanManageUsers(a *Actor) bool { return a.Is(RoleAdmin) }

// CanEditSettings reports whether a may read and change the city's settings.
func (AdminPolicy) CanEditSettings(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }

// CanManageChains reports whether a may add, rename, reorder, hide, show
// and delete the city's key industrial chains.
func (AdminPolicy) CanManageChains(a *Actor) bool { return a.Is(RoleAdmin) }

func (p AdminPolicy) manageOrg(a *Actor, _ *Org) bool { return p.CanManageOrgs(a) }

func (p AdminPolicy) manageUser(a *Actor, _ *User) bool { return p.CanManageUsers(a) }

// notSelf keeps administrators from locking themselves out: nobody
// disables their own account or takes away their own role.
func (p AdminPolicy) notSelf(a *Actor, u *User) bool { return p.CanManageUsers(a) && u.ID != a.UserID }

// OrgFlow is the organisation's small workflow: 正常 ⇄ 已停用, and edits
// in either state. A disabled organisation keeps its records (contracts
// name it) but gets no new users.
var OrgFlow = &Flow[ActiveStatus, *Org]{
	Status: (*Org).Status,
	Label:  ActiveStatus.Label,
	Transitions: []Transition[ActiveStatus, *Org]{
		{Action: "update", From: []ActiveStatus{StatusActive, StatusDisabled}, Allowed: AdminRules.manageOrg, Denied: "修改机构"},
		{Action: "disable", From: []ActiveStatus{StatusActive}, To: []ActiveStatus{StatusDisabled}, Allowed: AdminRules.manageOrg, Denied: "停用机构"},
		{Action: "enable", From: []ActiveStatus{StatusDisabled}, To: []ActiveStatus{StatusActive}, Allowed: AdminRules.manageOrg, Denied: "启用机构"},
	},
}

// UserFlow is the account's workflow: 正常 ⇄ 已停用, edits, password
// resets and unlocking after too many failed logins in either state.
var UserFlow = &Flow[ActiveStatus, *User]{
	Status: (*User).Status,
	Label:  ActiveStatus.Label,
	Transitions: []Transition[ActiveStatus, *User]{
		{Action: "update", From: []ActiveStatus{StatusActive, StatusDisabled}, Allowed: AdminRules.manageUser, Denied: "修改用户"},
		{Action: "disable", From: []ActiveStatus{StatusActive}, To: []ActiveStatus{StatusDisabled}, Allowed: AdminRules.notSelf, Denied: "停用该用户"},
		{Action: "enable", From: []ActiveStatus{StatusDisabled}, To: []ActiveStatus{StatusActive}, Allowed: AdminRules.manageUser, Denied: "启用用户"},
		{Action: "reset_password", From: []ActiveStatus{StatusActive, StatusDisabled}, Allowed: AdminRules.manageUser, Denied: "重置该用户的密码"},
		{Action: "unlock", From: []ActiveStatus{StatusActive, StatusDisabled}, Allowed: AdminRules.manageUser, Denied: "解锁该用户"},
	},
}

// CanChangeRole reports whether a may change u's role or organisation
// (not their own: an administrator demoting themself would be locked out).
func (p AdminPolicy) CanChangeRole(a *Actor, u *User) bool { return p.notSelf(a, u) }

var adminAudit = AuditVocabulary{Module: "admin",
	Entities: []Label{{"org", "机构"}, {"org_import", "机构导入"}, {"user_import", "用户导入"}, {"settings", "城市设置"}, {"regions", "行政区划表"}, {"chain", "产业链"}},
	Actions: map[string]string{
		"org.create": "创建机构", "org.update": "修改机构", "org.disable": "停用机构", "org.enable": "启用机构", "org.import": "批量导入机构",
		"user.create": "创建用户", "user.update": "修改用户", "user.disable": "停用用户", "user.enable": "启用用户",
		"user.reset_password": "重置密码", "user.unlock": "解除登录锁定", "user.import": "批量导入用户",
		"settings.update": "修改城市设置", "settings.target": "设置年度目标",
		"regions.load": "载入行政区划表",
		"chain.create": "新增产业链", "chain.update": "修改产业链", "chain.hide": "隐藏产业链", "chain.show": "恢复产业链",
		"chain.reorder": "调整产业链顺序", "chain.delete": "删除产业链",
	}}

// CanLoadRegions reports whether a may load a national table of
// administrative divisions (`kechuang regions load`, the administrators).
func (AdminPolicy) CanLoadRegions(a *Actor) bool { return a.Is(RoleAdmin) }
