package domain

import (
	"time"
	"unicode/utf8"
)

// TechEventStatus is an event's (路演/对接会) place in its workflow
// (TechEventFlow is the table): draft → published (registration open) →
// held (it took place: the organiser records what happened — pitches,
// intentions, service records) → closed (the record is complete); a draft
// or a published event may be cancelled (its registrants are told).
type TechEventStatus string

const (
	TechEventDraft     TechEventStatus = "draft"
	TechEventPublished TechEventStatus = "published"
	TechEventHeld      TechEventStatus = "held"
	TechEventClosed    TechEventStatus = "closed"
	TechEventCancelled TechEventStatus = "cancelled"
)

// TechEventStatuses lists the statuses with their Chinese names, in
// workflow order.
var TechEventStatuses = NewEnum[TechEventStatus](
	Item[TechEventStatus]{TechEventDraft, "草稿"}, Item[TechEventStatus]{TechEventPublished, "报名中"},
	Item[TechEventStatus]{TechEventHeld, "已举办"}, Item[TechEventStatus]{TechEventClosed, "已结束"},
	Item[TechEventStatus]{TechEventCancelled, "已取消"},
)

// Label returns the Chinese name of the status.
func (s TechEventStatus) Label() string { return TechEventStatuses.Label(s) }

// TechEventKinds are the kinds of event.
var TechEventKinds = NewEnum[string](
	Item[string]{"roadshow", "路演"}, Item[string]{"matchmaking", "对接会"}, Item[string]{"other", "其他"},
)

// ServiceKinds are the services an enterprise receives at an event (the
// city counts one record per enterprise and event as 服务企业家次).
var ServiceKinds = NewEnum[string](
	Item[string]{"matching", "对接"}, Item[string]{"consulting", "咨询"}, Item[string]{"training", "培训"},
	Item[string]{"policy", "政策宣讲"}, Item[string]{"finance", "投融资服务"}, Item[string]{"other", "其他服务"},
)

// TechEvent is a roadshow or a matchmaking meeting (路演/对接会) organised by
// the bureau, a technology-transfer agency, a university or a park: the
// enterprises that register, the achievements pitched, the intentions
// signed and the enterprises served.
type TechEvent struct {
	ID             int64           `json:"id"`
	Kind           string          `json:"kind"` // TechEventKinds
	Title          string          `json:"title"`
	Date           string          `json:"date"` // YYYY-MM-DD
	Place          string          `json:"place"`
	ChainCode      string          `json:"chain_code"` // "" every chain
	Capacity       int             `json:"capacity"`   // enterprises that may register
	Description    string          `json:"description"`
	OrganiserOrgID int64           `json:"organiser_org_id"`
	OrganiserName  string          `json:"organiser_name,omitempty"`
	Status         TechEventStatus `json:"status"`
	Summary        string          `json:"summary,omitempty"`       // what happened (recorded when held)
	CancelReason   string          `json:"cancel_reason,omitempty"` // why it was cancelled
	Registered     int             `json:"registered"`              // registrations (counted on read)
	Pitches        int             `json:"pitches"`                 // achievements pitched (counted on read)
	Intentions     int             `json:"intentions"`              // intentions signed (counted on read)
	Services       int             `json:"services"`                // service records (counted on read)
	Version        int64           `json:"version"`
	CreatedBy      int64           `json:"created_by"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
}

// MaxEventCapacity bounds an event's capacity.
const MaxEventCapacity = 5000

// Validate checks an event's fields, naming each bad one. chains is the
// city's chain codes (nil skips the check).
func (x *TechEvent) Validate(chains []string) error {
	var v Validator
	v.Check(TechEventKinds.Valid(x.Kind), "kind", "活动类型应为路演、对接会或其他")
	v.Check(x.Title != "" && utf8.RuneCountInString(x.Title) <= 200, "title", "活动名称必填，且不超过200字")
	if _, err := ParseDate(x.Date); err != nil {
		v.Add("date", "活动日期应为 YYYY-MM-DD 格式的有效日期")
	}
	v.Check(x.Place != "" && utf8.RuneCountInString(x.Place) <= 200, "place", "活动地点必填，且不超过200字")
	if chains != nil {
		v.Check(x.ChainCode == "" || contains(chains, x.ChainCode), "chain_code", "产业链“%s”不是本市的重点产业链", x.ChainCode)
	}
	v.Check(x.Capacity >= 1 && x.Capacity <= MaxEventCapacity, "capacity", "报名名额须为1至%d家", MaxEventCapacity)
	v.Check(utf8.RuneCountInString(x.Description) <= 5000, "description", "活动介绍不超过5000字")
	return v.Err()
}

// KindLabel is the kind's Chinese name.
func (x *TechEvent) KindLabel() string { return TechEventKinds.Label(x.Kind) }

// Full reports whether every place is taken.
func (x *TechEvent) Full() bool { return x.Registered >= x.Capacity }

// RegistrationOpen reports whether enterprises may register on today:
// published, not yet past its date, places left.
func (x *TechEvent) RegistrationOpen(today string) bool {
	return x.Status == TechEventPublished && x.Date >= today && !x.Full()
}

// Recording reports whether the outcome (intentions, service records) may
// be recorded on today: published and on or after its date, or held.
func (x *TechEvent) Recording(today string) bool {
	return x.Status == TechEventHeld || x.Status == TechEventPublished && x.Date <= today
}

// EventRegistration is one organisation's registration for an event.
type EventRegistration struct {
	ID        int64     `json:"id"`
	EventID   int64     `json:"event_id"`
	OrgID     int64     `json:"org_id"`
	OrgName   string    `json:"org_name,omitempty"`
	Contact   string    `json:"contact"` // who comes
	Phone     string    `json:"phone,omitempty"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	// The event, for the registrant's own list.
	EventTitle string `json:"event_title,omitempty"`
	EventDate  string `json:"event_date,omitempty"`
}

// Validate checks a registration's fields.
func (x *EventRegistration) Validate() error {
	var v Validator
	v.Check(x.Contact != "" && utf8.RuneCountInString(x.Contact) <= 50, "contact", "参会人必填，且不超过50字")
	v.Check(x.Phone == "" || validPhone(x.Phone), "phone", "联系电话应为7至20位数字，可含“-”“+”和空格")
	return v.Err()
}

// EventPitch is an achievement on an event's programme (路演成果).
type EventPitch struct {
	EventID          int64     `json:"event_id"`
	AchievementID    int64     `json:"achievement_id"`
	AchievementTitle string    `json:"achievement_title,omitempty"`
	OwnerOrgID       int64     `json:"owner_org_id"`
	OwnerName        string    `json:"owner_name,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
}

// Intention is an intention (意向) signed at an event between an
// enterprise and an achievement's owner.
type Intention struct {
	ID               int64     `json:"id"`
	EventID          int64     `json:"event_id"`
	AchievementID    int64     `json:"achievement_id"`
	EnterpriseOrgID  int64     `json:"enterprise_org_id"`
	OwnerOrgID       int64     `json:"owner_org_id"` // the achievement's unit (set from the achievement)
	SignedOn         string    `json:"signed_on"`    // YYYY-MM-DD
	Mode             string    `json:"mode"`         // TransferModes
	Note             string    `json:"note,omitempty"`
	RecordedBy       int64     `json:"recorded_by"`
	CreatedAt        time.Time `json:"created_at"`
	AchievementTitle string    `json:"achievement_title,omitempty"`
	EnterpriseName   string    `json:"enterprise_name,omitempty"`
	OwnerName        string    `json:"owner_name,omitempty"`
	EventTitle       string    `json:"event_title,omitempty"`
}

// Validate checks an intention's fields; ev is its event, today the day
// it is recorded.
func (x *Intention) Validate(ev *TechEvent, today string) error {
	var v Validator
	v.Check(x.AchievementID > 0, "achievement_id", "请选择意向涉及的成果")
	v.Check(x.EnterpriseOrgID > 0, "enterprise_org_id", "请选择签订意向的企业")
	if _, err := ParseDate(x.SignedOn); err != nil {
		v.Add("signed_on", "签订日期应为 YYYY-MM-DD 格式的有效日期")
	} else {
		v.Check(x.SignedOn >= ev.Date, "signed_on", "签订日期不能早于活动日期（%s）", ev.Date)
		v.Check(today == "" || x.SignedOn <= today, "signed_on", "签订日期不能晚于今天（%s）", today)
	}
	v.Check(TransferModes.Valid(x.Mode), "mode", "意向方式应为转让、许可、作价入股或合作开发")
	v.Check(utf8.RuneCountInString(x.Note) <= 500, "note", "备注不超过500字")
	return v.Err()
}

// ModeLabel is the intended mode's Chinese name.
func (x *Intention) ModeLabel() string { return TransferModes.Label(x.Mode) }

// ServiceRecord is one enterprise served at one event (服务企业家次).
type ServiceRecord struct {
	ID         int64     `json:"id"`
	EventID    int64     `json:"event_id"`
	OrgID      int64     `json:"org_id"`
	OrgName    string    `json:"org_name,omitempty"`
	Kind       string    `json:"kind"` // ServiceKinds
	Note       string    `json:"note,omitempty"`
	RecordedBy int64     `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks a service record's fields.
func (x *ServiceRecord) Validate() error {
	var v Validator
	v.Check(x.OrgID > 0, "org_id", "请选择服务的企业")
	v.Check(ServiceKinds.Valid(x.Kind), "kind", "服务类型无效")
	v.Check(utf8.RuneCountInString(x.Note) <= 500, "note", "备注不超过500字")
	return v.Err()
}

// KindLabel is the service kind's Chinese name.
func (x *ServiceRecord) KindLabel() string { return ServiceKinds.Label(x.Kind) }

// TechEventFilter selects events for a list.
type TechEventFilter struct {
	Status      TechEventStatus
	Kind        string
	ChainCode   string
	Year        int
	OrganiserID int64
	Upcoming    string // set to today by the service when "upcoming" is asked: date ≥ it
	Page        int
	PerPage     int
}

// Validate checks a filter's values.
func (f TechEventFilter) Validate() error {
	var v Validator
	v.Check(f.Status == "" || TechEventStatuses.Valid(f.Status), "status", "状态无效")
	v.Check(f.Kind == "" || TechEventKinds.Valid(f.Kind), "kind", "活动类型无效")
	v.Check(f.Year == 0 || f.Year >= 2000 && f.Year <= 2100, "year", "年份应在2000至2100之间")
	return v.Err()
}

// TechEventScope is what an actor may list: every event (the
// administrator), its own organisation's and the public ones, or the
// public ones.
type TechEventScope struct {
	All   bool  // every event, drafts included
	OrgID int64 // the organiser's own events in every status
}

// IntentionScope is what intentions an actor may list.
type IntentionScope struct {
	All   bool  // the bureau and the administrator
	OrgID int64 // as enterprise, achievement owner or organiser
}
