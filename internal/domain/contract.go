package domain

import (
	"errors"
	"fmt"
	"math"
	"time"
	"unicode/utf8"
)

// ContractStatus is a contract's place in the registrar's workflow
// (ContractFlow is the table): draft → submitted (申请) → accepted (受理,
// the clock starts) | rejected (不予受理); accepted → (returned (补正) →
// accepted, the clock restarting)* → registered | refused (不予登记).
type ContractStatus string

const (
	ContractDraft      ContractStatus = "draft"
	ContractSubmitted  ContractStatus = "submitted"
	ContractAccepted   ContractStatus = "accepted"
	ContractRejected   ContractStatus = "rejected"
	ContractReturned   ContractStatus = "returned"
	ContractRegistered ContractStatus = "registered"
	ContractRefused    ContractStatus = "refused"
)

// ContractStatuses lists the statuses with their Chinese names, in
// workflow order.
var ContractStatuses = NewEnum[ContractStatus](
	Item[ContractStatus]{ContractDraft, "草稿"}, Item[ContractStatus]{ContractSubmitted, "待受理"},
	Item[ContractStatus]{ContractAccepted, "已受理"}, Item[ContractStatus]{ContractReturned, "退回补正"},
	Item[ContractStatus]{ContractRegistered, "已登记"}, Item[ContractStatus]{ContractRefused, "不予登记"},
	Item[ContractStatus]{ContractRejected, "不予受理"},
	Item[ContractStatus]{ContractCancelled, "已注销"}, Item[ContractStatus]{ContractRevoked, "已撤销"},
)

// Label returns the Chinese name of the status.
func (s ContractStatus) Label() string { return ContractStatuses.Label(s) }

// PrototypeLimit is the reasonable quantity of prototypes or test rigs whose
// direct cost stays inside 技术交易额 (规则 第七章: 一般限于1–2套).
const PrototypeLimit = 2

// CostKinds are the cost-item kinds (非技术性费用 and the technology carriers).
var CostKinds = NewEnum[string](
	Item[string]{"equipment", "设备"}, Item[string]{"instrument", "仪器"}, Item[string]{"parts", "零部件"},
	Item[string]{"materials", "原材料"}, Item[string]{"prototype", "样品样机、试验装置（技术载体）"},
	Item[string]{"other", "其他非技术性费用"},
)

// CostKindLabel returns the label of a cost kind.
func CostKindLabel(code string) string { return CostKinds.Label(code) }

// Party is a seller or buyer: an organisation in the system (OrgID > 0) or
// an external party described by name, credit code and region.
type Party struct {
	OrgID      int64     `json:"org_id,omitempty"`
	Name       string    `json:"name"`
	USCC       string    `json:"uscc"`
	RegionCode string    `json:"region_code"`
	Type       PartyType `json:"type"`
}

// CostItem is one itemised non-technical cost of a contract.
type CostItem struct {
	Kind         string `json:"kind"`
	Description  string `json:"description"`
	UnitPriceFen int64  `json:"unit_price_fen"`
	Quantity     int64  `json:"quantity"`
}

// AmountFen is the item's total.
func (i CostItem) AmountFen() int64 { return i.UnitPriceFen * i.Quantity }

// DeductedFen is the part of the item deducted from 成交额: everything for
// equipment and materials; for prototypes only the units beyond the
// reasonable quantity.
func (i CostItem) DeductedFen() int64 {
	if i.Kind == "prototype" {
		if i.Quantity <= PrototypeLimit {
			return 0
		}
		return i.UnitPriceFen * (i.Quantity - PrototypeLimit)
	}
	return i.AmountFen()
}

// Document is the uploaded contract text (PDF).
type Document struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Contract is a technology contract filed for 认定登记.
type Contract struct {
	ID         int64  `json:"id"`
	RegistryID int64  `json:"registry_id"`
	Title      string `json:"title"`
	ContractNo string `json:"contract_no"` // the parties' own number, optional

	Seller     Party  `json:"seller"`
	Buyer      Party  `json:"buyer"`
	BrokerID   int64  `json:"broker_org_id,omitempty"`
	BrokerName string `json:"broker_name,omitempty"`

	SignedOn  string `json:"signed_on"`
	TermStart string `json:"term_start"`
	TermEnd   string `json:"term_end"`
	Category  string `json:"category"`
	SubType   string `json:"sub_type"`
	Form      string `json:"form"` // written | oral
	// SealsMatch records the declaration (and the registrar's check) that the
	// seals are complete and match the written names.
	SealsMatch bool   `json:"seals_match"`
	Field      string `json:"tech_field"`
	ChainCode  string `json:"chain_code"`
	// Links name what the contract came from (contract_link.go): the
	// achievement, need, challenge, event or intention. One contract
	// carries them, lists do not.
	Links []ContractLink `json:"links,omitempty"`

	TurnoverFen        int64      `json:"turnover_fen"`
	CostItems          []CostItem `json:"cost_items"`
	TechTransactionFen int64      `json:"tech_transaction_fen"`
	TechIncomeFen      int64      `json:"tech_income_fen"`
	Flags              []string   `json:"flags"`

	Status        ContractStatus `json:"status"`
	RegNo         string         `json:"reg_no,omitempty"`
	RegYear       int            `json:"reg_year,omitempty"`
	RegSerial     int64          `json:"reg_serial,omitempty"`
	RegisteredOn  string         `json:"registered_on,omitempty"`
	RefusalGround string         `json:"refusal_ground,omitempty"`
	RefusalNote   string         `json:"refusal_note,omitempty"`
	AcceptedOn    string         `json:"accepted_on,omitempty"` // latest 受理 date (or arrival of corrected materials): starts the clock
	// Regime is the rules the filing is handled under (Regimes), chosen on
	// its first 受理; DueOn the last day of its time limit; ExpertReview
	// whether it goes to expert review (large or disputed, 2026 regime).
	Regime       string `json:"regime,omitempty"`
	DueOn        string `json:"due_on,omitempty"`
	ExpertReview bool   `json:"expert_review"`
	// Disputed is the applicant's or registrar's mark that the parties
	// dispute the contract (2026 regime: 30 working days, expert review).
	Disputed bool `json:"disputed"`
	// IntakeGround and IntakeNote are the grounds of 不予受理.
	IntakeGround string `json:"intake_ground,omitempty"`
	IntakeNote   string `json:"intake_note,omitempty"`
	// Corrections are the 补正 cycles, oldest first; Reviews the expert
	// reviewers assigned (one contract carries them, lists do not).
	Corrections []Correction `json:"corrections"`
	Reviews     []Review     `json:"expert_reviews"`

	Document *Document `json:"document,omitempty"`

	// After registration (contract_postreg.go): the registration's version
	// (1 the original, +1 each approved 变更) and its 变更 date; for a
	// cancelled or revoked one, the date, ground and note; the pending
	// change or cancellation request and the open objection, if any.
	RegVersion int         `json:"registration_version,omitempty"`
	ChangedOn  string      `json:"changed_on,omitempty"`
	EndedOn    string      `json:"ended_on,omitempty"`
	EndGround  string      `json:"end_ground,omitempty"`
	EndNote    string      `json:"end_note,omitempty"`
	Pending    *RegRequest `json:"pending_request,omitempty"`
	Objection  *Objection  `json:"open_objection,omitempty"`

	OwnerOrgID int64     `json:"owner_org_id"` // the organisation that filed it
	CreatedBy  int64     `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

// Flag values set by Compute: matters the registrar checks, shown to the
// filer as warnings (never refusals).
const (
	FlagPrototypeOverQuantity = "prototype_over_quantity"
	// FlagTermBeforeSigning: the performance (履行) starts before the
	// signing date. Legal (work may start on a letter of intent) but often
	// a typing error, so it is warned, not refused (walkthrough #2).
	FlagTermBeforeSigning = "term_before_signing"
)

// FlagLabel explains a flag to the registrar.
func FlagLabel(f string) string { return FlagText(f).String() }

// FlagText is FlagLabel before formatting, for other languages.
func FlagText(f string) Text {
	switch f {
	case FlagPrototypeOverQuantity:
		return Msg("样品样机/试验装置超过合理数量（%d套），超出部分已计入非技术性费用，请核定", PrototypeLimit)
	case FlagTermBeforeSigning:
		return Msg("履行期限的起始日期早于签订日期，请核实日期是否填写有误")
	}
	return Msg("%s", f)
}

// Compute derives 技术交易额 and the registrar's flags from the cost items.
// It reports an error if the deductions exceed 成交额.
func (c *Contract) Compute() error {
	var deducted int64
	c.Flags = c.Flags[:0:0]
	for i, it := range c.CostItems {
		if it.Quantity <= 0 || it.UnitPriceFen < 0 {
			return FieldErrorf(fmt.Sprintf("cost_items[%d]", i), "第%d项非技术性费用的单价不能为负，数量须大于0", i+1)
		}
		if it.UnitPriceFen > 0 && it.Quantity > math.MaxInt64/it.UnitPriceFen {
			return FieldErrorf(fmt.Sprintf("cost_items[%d]", i), "第%d项非技术性费用金额过大", i+1)
		}
		if it.Kind == "prototype" && it.Quantity > PrototypeLimit {
			c.Flags = append(c.Flags, FlagPrototypeOverQuantity)
		}
		d := it.DeductedFen()
		if deducted > math.MaxInt64-d {
			return FieldErrorf("cost_items", "非技术性费用合计过大")
		}
		deducted += d
	}
	if deducted > c.TurnoverFen {
		return FieldErrorf("cost_items", "非技术性费用合计（%s）超过合同成交额（%s）", FormatYuan(deducted), FormatYuan(c.TurnoverFen))
	}
	c.TechTransactionFen = c.TurnoverFen - deducted
	if c.StartsBeforeSigning() {
		c.Flags = append(c.Flags, FlagTermBeforeSigning)
	}
	return nil
}

// StartsBeforeSigning reports whether the performance term starts before
// the signing date (both well-formed): warned, never refused.
func (c *Contract) StartsBeforeSigning() bool {
	_, e1 := ParseDate(c.TermStart)
	_, e2 := ParseDate(c.SignedOn)
	return e1 == nil && e2 == nil && c.TermStart < c.SignedOn
}

// CheckTechIncome bounds the registrar's 核定 figure of c (the
// 核定技术性收入 under the 2000 regime, the 核定技术交易额 under the 2026
// regime; ApprovedLabelOf): not negative and never above the declared
// 技术交易额, since the non-technical costs deducted from the 成交额 are by
// definition not technical (walkthrough #3; the 技术交易额 is itself at
// most the 成交额). c must be computed.
func CheckTechIncome(c *Contract, incomeFen int64) error {
	if incomeFen < 0 || incomeFen > c.TechTransactionFen {
		if g, ok := RegimeByCode(c.Regime); ok && g.Approved == ApprovedTransaction {
			return FieldErrorf("tech_income_fen", "核定技术交易额不能为负，也不能超过申报的技术交易额（%s）", FormatYuan(c.TechTransactionFen))
		}
		return FieldErrorf("tech_income_fen", "核定技术性收入不能为负，也不能超过技术交易额（%s）", FormatYuan(c.TechTransactionFen))
	}
	return nil
}

// MaxTurnoverFen bounds a single contract (1万亿元) so sums never overflow.
const MaxTurnoverFen = 100_000_000_000_000

// Validate checks everything a filer must supply. It does not check status.
// The categories are those of the filing's regime once it has one (its
// first 受理), else those of its signing date.
func (c *Contract) Validate() error {
	g, _ := RegimeByCode(c.Regime)
	return c.ValidateUnder(g)
}

// ValidateUnder is Validate with the categories of the regime g (the one
// the filing is or would be handled under today; nil: by the signing date
// alone).
func (c *Contract) ValidateUnder(g *Regime) error {
	var v Validator
	v.Check(c.Title != "" && utf8.RuneCountInString(c.Title) <= 200, "title", "合同名称必填，且不超过200字")
	v.Check(utf8.RuneCountInString(c.ContractNo) <= 64, "contract_no", "合同编号不超过64字")
	checkParty(&v, "seller", "卖方", &c.Seller)
	checkParty(&v, "buyer", "买方", &c.Buyer)
	if c.Seller.USCC != "" && c.Seller.USCC == c.Buyer.USCC {
		v.Add("buyer.uscc", "买方与卖方不能是同一主体")
	}
	signed, errSigned := ParseDate(c.SignedOn)
	v.Check(errSigned == nil, "signed_on", "签订日期应为 YYYY-MM-DD 格式的有效日期")
	start, errStart := ParseDate(c.TermStart)
	end, errEnd := ParseDate(c.TermEnd)
	v.Check(errStart == nil, "term_start", "合同起始日期应为 YYYY-MM-DD 格式的有效日期")
	v.Check(errEnd == nil, "term_end", "合同终止日期应为 YYYY-MM-DD 格式的有效日期")
	if errStart == nil && errEnd == nil && end.Before(start) {
		v.Add("term_end", "合同终止日期不能早于起始日期")
	}
	if errSigned == nil && errEnd == nil && end.Before(signed) {
		v.Add("term_end", "合同终止日期不能早于签订日期")
	}
	if errSigned == nil {
		var e *Error
		if err := CheckCategoryUnder(g, c.SignedOn, c.Category, c.SubType); errors.As(err, &e) {
			v.Add(e.Field, "%s", e.Text)
		}
	}
	v.Check(c.Form == "written" || c.Form == "oral", "form", "合同形式应为书面（written）或口头（oral）")
	v.Check(TechFields.Valid(c.Field), "tech_field", "技术领域无效")
	v.Check(c.TurnoverFen > 0 && c.TurnoverFen <= MaxTurnoverFen, "turnover_fen", "合同成交额须大于0且不超过1万亿元")
	for i, it := range c.CostItems {
		f := fmt.Sprintf("cost_items[%d]", i)
		v.Check(CostKinds.Valid(it.Kind), f+".kind", "第%d项非技术性费用类别无效", i+1)
		v.Check(it.Quantity > 0, f+".quantity", "第%d项非技术性费用数量须大于0", i+1)
		v.Check(it.UnitPriceFen >= 0, f+".unit_price_fen", "第%d项非技术性费用单价不能为负", i+1)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := c.Compute(); err != nil {
		return err
	}
	return CheckTechIncome(c, c.TechIncomeFen)
}

func checkParty(v *Validator, field, role string, p *Party) {
	label := Msg(role) // 卖方 or 买方, translated with the message
	v.Check(p.Name != "" && utf8.RuneCountInString(p.Name) <= 100, field+".name", "%s名称必填，且不超过100字", label)
	if err := ValidateUSCC(p.USCC); err != nil {
		v.Add(field+".uscc", "%s%s", label, ErrorText(err))
	}
	v.Check(ValidRegionCode(p.RegionCode), field+".region_code", "%s所在地行政区划代码应为6位数字", label)
	v.Check(p.Type.Valid(), field+".type", "%s主体类型无效", label)
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// Correction is one 补正 cycle: requested on a date with a reason, and the
// day the corrected materials arrived ("" while open), from which the
// clock restarts.
type Correction struct {
	Seq           int    `json:"seq"`
	RequestedOn   string `json:"requested_on"`
	Reason        string `json:"reason"`
	ResubmittedOn string `json:"resubmitted_on,omitempty"`
}

// DaysLeft returns the days left on the clock at the instant now, counted in
// China's calendar days (negative when overdue).
func (c *Contract) DaysLeft(now time.Time) int {
	due, err := ParseDate(c.DueOn)
	if err != nil {
		return 0
	}
	return int(due.Sub(ChinaMidnight(now)).Hours() / 24)
}

// Overdue reports whether an accepted contract has passed its time limit.
func (c *Contract) Overdue(today time.Time) bool {
	return c.Status == ContractAccepted && c.DueOn != "" && c.DaysLeft(today) < 0
}

// RegNoFor formats a registration number: year, the registry's six-digit
// region code, and the serial zero-padded to six digits.
func RegNoFor(year int, registryRegion string, serial int64) string {
	return fmt.Sprintf("%04d%s%06d", year, registryRegion, serial)
}
