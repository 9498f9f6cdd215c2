package domain

// The contract module's notices. The applicant (the filing's creator and
// the filers of its organisation) hears of the registrar's steps; the
// registrars of the contract's registry hear of time limits.
const (
	NoticeAccepted   NoticeKind = "accepted"   // 受理
	NoticeRejected   NoticeKind = "rejected"   // 不予受理
	NoticeReturned   NoticeKind = "returned"   // 补正
	NoticeRegistered NoticeKind = "registered" // 认定登记
	NoticeRefused    NoticeKind = "refused"    // 不予登记
	NoticeChanged    NoticeKind = "changed"    // the registrar changed the applicant's figures
	NoticeStatus     NoticeKind = "status"     // any other step (变更, 注销, 撤销, 异议 …)
	NoticeDueSoon    NoticeKind = "due_soon"   // the registrar's time limit ends in a few working days
	NoticeOverdue    NoticeKind = "overdue"    // the registrar's time limit has passed
)

var contractNoticeKinds = []NoticeKindDef{
	{NoticeAccepted, "已受理", "合同“%s”已受理"},
	{NoticeRejected, "不予受理", "合同“%s”不予受理"},
	{NoticeReturned, "退回补正", "合同“%s”被退回补正"},
	{NoticeRegistered, "已登记", "合同“%s”已认定登记"},
	{NoticeRefused, "不予登记", "合同“%s”不予登记"},
	{NoticeChanged, "登记员修改了填报内容", "登记员修改了合同“%s”的填报内容：%s"},
	{NoticeStatus, "状态已变更", "合同“%s”的状态已变更：%s"},
	{NoticeDueSoon, "即将到期", "合同“%s”的办理时限将于%s届满"},
	{NoticeOverdue, "已超期", "合同“%s”已超过办理时限（%s届满）"},
}

// contractNotices maps a contract workflow action to the applicant's
// notice: "" means none (the applicant's own steps, the expert review).
// An action missing from the table (one a later module adds: 变更登记,
// 注销, 撤销, 异议 …) gets the generic NoticeStatus, so new actions notify
// without an edit here. "update" notifies only when the registrar
// changed the figures (ContractNoticeFor).
var contractNotices = map[string]NoticeKind{
	"accept": NoticeAccepted, "reject": NoticeRejected, "return": NoticeReturned,
	"register": NoticeRegistered, "refuse": NoticeRefused, "update": NoticeChanged,
	"create": "", "submit": "", "withdraw": "", "document": "", "delete": "", "assign": "", "opine": "", "link": "",
}

// ContractNoticeFor is the applicant's notice of a contract step taken by
// a, or "" for none. byOwner is whether a belongs to the filing's
// organisation (its own edits notify nobody).
func ContractNoticeFor(action string, byOwner bool, changes []Change) NoticeKind {
	k, known := contractNotices[action]
	if !known {
		return NoticeStatus
	}
	if k == NoticeChanged && (byOwner || len(changes) == 0) {
		return ""
	}
	return k
}

// ContractNoticeRecipient reports whether u hears of a's steps on c as
// the applicant: the filing's creator, and the enabled filers of its
// organisation who may see it; never the actor itself.
func ContractNoticeRecipient(u *User, c *Contract, actorID int64) bool {
	if u == nil || u.Disabled || u.ID == actorID {
		return false
	}
	a := &Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: u.OrgID}
	if u.ID == c.CreatedBy {
		return Contracts.CanSee(a, c)
	}
	return u.OrgID == c.OwnerOrgID && Contracts.CanFile(a) && Contracts.CanSee(a, c)
}

// ContractDeadlineRecipient reports whether u hears of c's time limit:
// the enabled registrars of its registry.
func ContractDeadlineRecipient(u *User, c *Contract) bool {
	return u != nil && !u.Disabled && u.Role == RoleRegistrar && u.OrgID == c.RegistryID
}
