package domain

import (
	"net/mail"
	"strings"
	"time"
)

// NoticeKind is what a notification says happened.
type NoticeKind string

// The kinds of notification. The applicant (the filing's creator and the
// filers of its organisation) hears of the registrar's steps; the
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

	NoticeAchievement NoticeKind = "achievement" // a step the bureau took on a unit's achievement (备案, 退回, 发布, 撤下)

	NoticeEvaluation NoticeKind = "evaluation" // an evaluation step (assignment, scoring, 公示, objection, result)
	NoticeChallenge  NoticeKind = "challenge"  // a step on a 揭榜挂帅 challenge or answer (定榜, 发榜, 方案, 揭榜结果, 验收…)
	NoticeEvent      NoticeKind = "event"      // an event: registration confirmed, cancelled, an intention recorded
)

// NoticeKinds lists the kinds with their labels.
var NoticeKinds = NewEnum[NoticeKind](
	Item[NoticeKind]{NoticeAccepted, "已受理"}, Item[NoticeKind]{NoticeRejected, "不予受理"},
	Item[NoticeKind]{NoticeReturned, "退回补正"}, Item[NoticeKind]{NoticeRegistered, "已登记"},
	Item[NoticeKind]{NoticeRefused, "不予登记"}, Item[NoticeKind]{NoticeChanged, "登记员修改了填报内容"},
	Item[NoticeKind]{NoticeStatus, "状态已变更"}, Item[NoticeKind]{NoticeDueSoon, "即将到期"},
	Item[NoticeKind]{NoticeOverdue, "已超期"}, Item[NoticeKind]{NoticeAchievement, "成果办理"},
	Item[NoticeKind]{NoticeEvaluation, "评价办理"},
	Item[NoticeKind]{NoticeChallenge, "揭榜挂帅"},
	Item[NoticeKind]{NoticeEvent, "路演/对接活动"},
)

// noticeTexts are the sentences of each kind (zh-CN message ids): the
// first verb is the entity's title, the second the notice's detail.
var noticeTexts = map[NoticeKind]string{
	NoticeAccepted:   "合同“%s”已受理",
	NoticeRejected:   "合同“%s”不予受理",
	NoticeReturned:   "合同“%s”被退回补正",
	NoticeRegistered: "合同“%s”已认定登记",
	NoticeRefused:    "合同“%s”不予登记",
	NoticeChanged:    "登记员修改了合同“%s”的填报内容：%s",
	NoticeStatus:     "合同“%s”的状态已变更：%s",
	NoticeDueSoon:    "合同“%s”的办理时限将于%s届满",
	NoticeOverdue:    "合同“%s”已超过办理时限（%s届满）",

	NoticeAchievement: "成果“%s”：%s",

	NoticeEvaluation: "评价“%s”：%s",
	NoticeChallenge:  "榜单“%s”：%s",
	NoticeEvent:      "活动“%s”：%s",
}

// AchievementNoticeRecipient reports whether u hears of a step another
// organisation (the bureau) took on x: the enabled filers of its unit,
// never the one who took it.
func AchievementNoticeRecipient(u *User, x *Achievement, actorID int64) bool {
	if u == nil || u.Disabled || u.ID == actorID || u.OrgID != x.OwnerOrgID {
		return false
	}
	return Achievements.CanFile(&Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: u.OrgID})
}

// NoticeText is the sentence of a kind as a message id with its
// arguments: the pages and the mail translate it.
func NoticeText(k NoticeKind) (msgid string, withDetail bool) {
	s, ok := noticeTexts[k]
	if !ok {
		s = noticeTexts[NoticeStatus]
	}
	return s, strings.Count(s, "%s") > 1
}

// NoticeTexts lists every sentence, for the catalogue's completeness test.
func NoticeTexts() []string {
	out := []string{}
	for _, k := range NoticeKinds.Codes() {
		out = append(out, noticeTexts[k])
	}
	return out
}

// Notification is one notice to one user about one entity. Its text is
// rendered from Kind, Title and Detail in the reader's language.
type Notification struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Kind      NoticeKind `json:"kind"`
	Entity    string     `json:"entity"`
	EntityID  int64      `json:"entity_id"`
	Link      string     `json:"link"`
	Title     string     `json:"title"`
	Detail    string     `json:"detail"`
	Dedup     string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    time.Time  `json:"read_at,omitzero"`
}

// Read reports whether the notice has been read.
func (n *Notification) Read() bool { return !n.ReadAt.IsZero() }

// DetailSep joins the items of a detail (the changed fields' labels).
const DetailSep = "、"

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

// MaxEmail is the longest e-mail address accepted (RFC 5321).
const MaxEmail = 254

// CleanEmail checks an e-mail address ("" for none) and returns it
// trimmed: a bare address (no display name), at most MaxEmail bytes.
func CleanEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > MaxEmail {
		return "", FieldErrorf("email", "电子邮箱过长（不超过%d个字符）", MaxEmail)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", FieldErrorf("email", "电子邮箱格式不正确（例如 name@example.cn）")
	}
	return s, nil
}

// MailStatus is where a queued mail stands.
type MailStatus string

// The mail statuses.
const (
	MailQueued MailStatus = "queued"
	MailSent   MailStatus = "sent"
	MailFailed MailStatus = "failed"
)

// MailStatuses lists the statuses with their labels.
var MailStatuses = NewEnum[MailStatus](
	Item[MailStatus]{MailQueued, "待发送"}, Item[MailStatus]{MailSent, "已发送"}, Item[MailStatus]{MailFailed, "发送失败"},
)

// Mail is one message of the outbox: a notice mailed to its recipient, in
// the recipient's language.
type Mail struct {
	ID             int64      `json:"id"`
	NotificationID int64      `json:"notification_id"`
	UserID         int64      `json:"user_id"`
	To             string     `json:"to"`
	Subject        string     `json:"subject"`
	Body           string     `json:"body"`
	Status         MailStatus `json:"status"`
	Attempts       int        `json:"attempts"`
	NextAt         time.Time  `json:"next_at"`
	LastError      string     `json:"last_error,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	SentAt         time.Time  `json:"sent_at,omitzero"`
}
