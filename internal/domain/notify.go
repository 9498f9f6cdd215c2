package domain

import (
	"net/mail"
	"strings"
	"time"
)

// NoticeKind is what a notification says happened.
type NoticeKind string

// NoticeKindDef is one kind of notice: its code, its label (the notices
// page's filter) and its sentence (a zh-CN message id: the first verb is
// the entity's title, the second the notice's detail).
type NoticeKindDef struct {
	Kind  NoticeKind
	Label string
	Text  string
}

// noticeModules is the registry of the modules' notice kinds, each list
// in its module's file. Registration line: one per module.
func noticeModules() [][]NoticeKindDef {
	return [][]NoticeKindDef{
		contractNoticeKinds,
		achievementNoticeKinds,
		evaluationNoticeKinds,
		challengeNoticeKinds,
		techEventNoticeKinds,
		matchNoticeKinds,
		enterpriseNoticeKinds,
	}
}

// NoticeKinds lists the kinds with their labels, in the registry's order.
var NoticeKinds = func() *Enum[NoticeKind] {
	var items []Item[NoticeKind]
	for _, m := range noticeModules() {
		for _, k := range m {
			items = append(items, Item[NoticeKind]{k.Kind, k.Label})
		}
	}
	return NewEnum(items...)
}()

// noticeTexts are the sentences of each kind.
var noticeTexts = func() map[NoticeKind]string {
	out := map[NoticeKind]string{}
	for _, m := range noticeModules() {
		for _, k := range m {
			out[k.Kind] = k.Text
		}
	}
	return out
}()

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
