package evaluate

import (
	"strings"
	"time"
	"unicode/utf8"

	"kechuang/internal/domain"
)

// Window is a 公示 window: its first and last days (YYYY-MM-DD, China),
// both inclusive. Objections are accepted from the first moment of From
// to the last moment of Until in China time (23:59:59.999… CST); the
// window has closed when China's date is after Until.
type Window struct {
	From  string `json:"from"`
	Until string `json:"until"`
}

// OpenWindow opens a window of days calendar days at the instant now, the
// day it opens counting as the first (a 7-day 公示 opened on Monday runs to
// Sunday). days must be at least 1; a set with 0 days has no window.
func OpenWindow(now time.Time, days int) Window {
	d := now.In(domain.ChinaTZ)
	return Window{From: domain.DateOf(d), Until: d.AddDate(0, 0, days-1).Format(time.DateOnly)}
}

// Open reports whether now is inside the window.
func (w Window) Open(now time.Time) bool {
	d := domain.DateOf(now)
	return w.From != "" && d >= w.From && d <= w.Until
}

// Closed reports whether the window is over at now.
func (w Window) Closed(now time.Time) bool { return w.Until != "" && domain.DateOf(now) > w.Until }

// ObjectionStatus is where an objection stands.
type ObjectionStatus string

const (
	ObjectionOpen      ObjectionStatus = "open"
	ObjectionUpheld    ObjectionStatus = "upheld"    // the case goes back to the experts
	ObjectionDismissed ObjectionStatus = "dismissed" // the result stands
	// ObjectionSuperseded: another objection was upheld and the case is
	// scored again; this one is answered by the new round.
	ObjectionSuperseded ObjectionStatus = "superseded"
)

// ObjectionStatuses lists the statuses with their Chinese names.
var ObjectionStatuses = domain.NewEnum[ObjectionStatus](
	domain.Item[ObjectionStatus]{Code: ObjectionOpen, Label: "待处理"},
	domain.Item[ObjectionStatus]{Code: ObjectionUpheld, Label: "异议成立"},
	domain.Item[ObjectionStatus]{Code: ObjectionDismissed, Label: "异议不成立"},
	domain.Item[ObjectionStatus]{Code: ObjectionSuperseded, Label: "随重新评审处理"},
)

// Objection is a written, real-name objection to a result in 公示.
type Objection struct {
	ID int64
	// By is the objector's user id; ByName the real name they sign with.
	By      int64
	ByName  string
	Text    string
	FiledAt time.Time
	Status  ObjectionStatus
	// Reply is the handling's answer to the objector; HandledAt its time.
	Reply     string
	HandledAt time.Time
}

// MaxObjection bounds an objection's and a reply's text, in characters.
const MaxObjection = 5000

// Accept checks an objection filed at now: signed with a real name, with
// a text, and inside the window (an objection before the window opens or
// after it closed is refused). It returns the objection as filed.
func (w Window) Accept(now time.Time, o Objection) (Objection, error) {
	var v domain.Validator
	o.ByName, o.Text = strings.TrimSpace(o.ByName), strings.TrimSpace(o.Text)
	v.Check(o.By != 0 && o.ByName != "", "by_name", "异议须以真实姓名提出（不受理匿名异议）")
	v.Check(o.Text != "", "text", "请写明异议的事实和理由")
	v.Check(utf8.RuneCountInString(o.Text) <= MaxObjection, "text", "异议至多 %d 字", MaxObjection)
	switch {
	case w.From == "":
		v.Add("window", "该评价结果没有公示期，不受理异议")
	case w.Closed(now):
		v.Add("window", "公示期已于 %s 结束，逾期异议不予受理", w.Until)
	case !w.Open(now):
		v.Add("window", "公示期自 %s 开始，尚不能提出异议", w.From)
	}
	if err := v.Err(); err != nil {
		return Objection{}, err
	}
	o.FiledAt, o.Status, o.Reply, o.HandledAt = now, ObjectionOpen, "", time.Time{}
	return o, nil
}
