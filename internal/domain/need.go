package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// NeedStatus is a technology need's (技术需求) place in its workflow
// (NeedFlow is the table): draft → submitted (待审核) → published (the
// bureau checked that it is genuine) | returned (退回修改) → submitted …;
// published → closed with an outcome; the owner may withdraw a submitted
// or published need (closed, outcome 未解决-撤回).
//
// Expiry is computed, not swept: a published need whose deadline has
// passed (by the injected clock, in China time) is shown as expired
// (NeedExpired) and leaves the open list, but stays published until its
// owner or the bureau closes it with an outcome (过期 among them).
type NeedStatus string

const (
	NeedDraft     NeedStatus = "draft"
	NeedSubmitted NeedStatus = "submitted"
	NeedReturned  NeedStatus = "returned"
	NeedPublished NeedStatus = "published"
	NeedClosed    NeedStatus = "closed"
)

// NeedStatuses lists the statuses with their Chinese names, in workflow
// order.
var NeedStatuses = NewEnum[NeedStatus](
	Item[NeedStatus]{NeedDraft, "草稿"}, Item[NeedStatus]{NeedSubmitted, "待审核"},
	Item[NeedStatus]{NeedReturned, "退回修改"}, Item[NeedStatus]{NeedPublished, "已发布"},
	Item[NeedStatus]{NeedClosed, "已关闭"},
)

// Label returns the Chinese name of the status.
func (s NeedStatus) Label() string { return NeedStatuses.Label(s) }

// NeedExpiredLabel is how a published need past its deadline is shown.
const NeedExpiredLabel = "已过期"

// NeedOutcomes are how a need ends.
var NeedOutcomes = NewEnum[string](
	Item[string]{"contract", "已解决-签订技术合同"}, Item[string]{"other", "已解决-其他方式"},
	Item[string]{"withdrawn", "未解决-撤回"}, Item[string]{"expired", "过期"},
)

// NeedModes are the ways an enterprise wants to cooperate on a need.
var NeedModes = NewEnum[string](
	Item[string]{"develop", "技术开发"}, Item[string]{"transfer", "技术转让"}, Item[string]{"license", "技术许可"},
	Item[string]{"consult", "技术咨询"}, Item[string]{"service", "技术服务"}, Item[string]{"platform", "共建平台"},
)

// NeedIndicator is one target indicator of a need (指标: 目标值 单位).
type NeedIndicator struct {
	Indicator string `json:"indicator"`
	Target    string `json:"target"`
	Unit      string `json:"unit,omitempty"`
}

// Need is a technology need (技术需求) posted by an enterprise: the
// problem it cannot solve alone, checked by the bureau before the public
// sees it, and closed with an outcome.
type Need struct {
	ID           int64           `json:"id"`
	Title        string          `json:"title"`
	Problem      string          `json:"problem"`
	Indicators   []NeedIndicator `json:"indicators"`
	BudgetMinFen int64           `json:"budget_min_fen"` // 0 and 0: 面议
	BudgetMaxFen int64           `json:"budget_max_fen"`
	Deadline     string          `json:"deadline"`   // YYYY-MM-DD
	ChainCode    string          `json:"chain_code"` // one of the city's industrial chains
	Keywords     []string        `json:"keywords"`
	Stage        string          `json:"stage,omitempty"` // desired maturity, MaturityStages ("" any)
	Modes        []string        `json:"cooperation_modes"`
	ContactName  string          `json:"contact_name,omitempty"`  // hidden from the public
	ContactPhone string          `json:"contact_phone,omitempty"` // the bureau and the owner only
	OwnerOrgID   int64           `json:"owner_org_id"`
	OwnerName    string          `json:"owner_name,omitempty"`
	Status       NeedStatus      `json:"status"`
	Expired      bool            `json:"expired"` // published and past its deadline (computed)
	Outcome      string          `json:"outcome,omitempty"`
	OutcomeNote  string          `json:"outcome_note,omitempty"`
	PublishedOn  string          `json:"published_on,omitempty"`
	ClosedOn     string          `json:"closed_on,omitempty"`
	ReturnReason string          `json:"return_reason,omitempty"`
	Version      int64           `json:"version"`
	CreatedBy    int64           `json:"created_by"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

// Validate checks a need's fields, naming each bad one. chains is the
// city's chain codes (nil skips the check); today (YYYY-MM-DD, China
// time) is the earliest deadline allowed.
func (x *Need) Validate(chains []string, today string) error {
	var v Validator
	v.Check(x.Title != "" && utf8.RuneCountInString(x.Title) <= 200, "title", "需求名称必填，且不超过200字")
	v.Check(utf8.RuneCountInString(x.Problem) >= 20 && utf8.RuneCountInString(x.Problem) <= 5000, "problem", "问题描述须为20至5000字")
	v.Check(len(x.Indicators) >= 1 && len(x.Indicators) <= 20, "indicators", "目标指标须为1至20项")
	for i, in := range x.Indicators {
		f := fmt.Sprintf("indicators[%d]", i)
		v.Check(in.Indicator != "" && utf8.RuneCountInString(in.Indicator) <= 100, f+".indicator", "第%d项指标名称必填，且不超过100字", i+1)
		v.Check(in.Target != "" && utf8.RuneCountInString(in.Target) <= 50, f+".target", "第%d项指标的目标值必填，且不超过50字", i+1)
		v.Check(utf8.RuneCountInString(in.Unit) <= 20, f+".unit", "第%d项指标的单位不超过20字", i+1)
	}
	v.Check(x.BudgetMinFen >= 0 && x.BudgetMinFen <= MaxAskingFen, "budget_min_fen", "最低预算不能为负，且不超过100亿元")
	v.Check(x.BudgetMaxFen >= 0 && x.BudgetMaxFen <= MaxAskingFen, "budget_max_fen", "最高预算不能为负，且不超过100亿元（最低与最高均为0表示面议）")
	v.Check(x.BudgetMaxFen == 0 && x.BudgetMinFen == 0 || x.BudgetMinFen <= x.BudgetMaxFen, "budget_max_fen", "最高预算不能低于最低预算")
	if _, err := ParseDate(x.Deadline); err != nil {
		v.Add("deadline", "截止日期应为 YYYY-MM-DD 格式的有效日期")
	} else if today != "" {
		v.Check(x.Deadline >= today, "deadline", "截止日期不能早于今天（%s）", today)
	}
	if chains != nil {
		v.Check(x.ChainCode == "" || contains(chains, x.ChainCode), "chain_code", "产业链“%s”不是本市的重点产业链", x.ChainCode)
	}
	v.Check(len(x.Keywords) <= 10, "keywords", "关键词不超过10个")
	for i, k := range x.Keywords {
		v.Check(k != "" && utf8.RuneCountInString(k) <= 30, fmt.Sprintf("keywords[%d]", i), "第%d个关键词不能为空，且不超过30字", i+1)
	}
	v.Check(x.Stage == "" || MaturityStages.Valid(x.Stage), "stage", "期望成熟阶段应为实验室、小试、中试或产业化")
	v.Check(len(x.Modes) >= 1, "cooperation_modes", "至少选择一种合作方式")
	for i, m := range x.Modes {
		v.Check(NeedModes.Valid(m), fmt.Sprintf("cooperation_modes[%d]", i), "第%d种合作方式无效", i+1)
	}
	v.Check(x.ContactName != "" && utf8.RuneCountInString(x.ContactName) <= 50, "contact_name", "联系人必填，且不超过50字")
	v.Check(validPhone(x.ContactPhone), "contact_phone", "联系电话应为7至20位数字，可含“-”“+”和空格")
	return v.Err()
}

// validPhone accepts a phone number of 7–20 digits with "-", "+" and spaces.
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == '+' || r == ' ':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 20 && len(s) <= 30
}

// Negotiable reports whether the budget is 面议.
func (x *Need) Negotiable() bool { return x.BudgetMinFen == 0 && x.BudgetMaxFen == 0 }

// PastDeadline reports whether the deadline is before today (YYYY-MM-DD).
func (x *Need) PastDeadline(today string) bool { return x.Deadline < today }

// Open reports whether the need is published and not past its deadline.
func (x *Need) Open(today string) bool { return x.Status == NeedPublished && !x.PastDeadline(today) }

// StatusLabel is the status as shown: 已过期 for a published need past its
// deadline (x.Expired, computed on read).
func (x *Need) StatusLabel() string {
	if x.Expired {
		return NeedExpiredLabel
	}
	return x.Status.Label()
}

// ModeLabels joins the cooperation modes' names.
func (x *Need) ModeLabels() string {
	var out []string
	for _, m := range x.Modes {
		out = append(out, NeedModes.Label(m))
	}
	return strings.Join(out, "、")
}

// NeedFilter selects needs for a list.
type NeedFilter struct {
	Status    NeedStatus
	State     string // "open" (published, deadline not passed) or "closed" (closed or past the deadline)
	ChainCode string
	Stage     string
	OwnerID   int64
	MinBudget int64  // budget_max_fen ≥ MinBudget (面议 excluded)
	MaxBudget int64  // budget_min_fen ≤ MaxBudget (面议 excluded)
	Query     string // title, keywords, problem and indicators
	Today     string // set by the service: the day "open" is measured on
	Sort      string
	Page      int
	PerPage   int
}

// SearchQuery is the filter's typed query (httpx.CountCap).
func (f NeedFilter) SearchQuery() string { return f.Query }

// NeedScope is what an actor may list: everything submitted (the
// bureau), its own organisation's, or the public board.
type NeedScope struct {
	All           bool  // every non-draft need, and the actor's own drafts
	OrgID         int64 // the actor's organisation (its own needs in every status)
	PublishedOnly bool  // others: the public board
}
