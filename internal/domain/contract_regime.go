package domain

import (
	"errors"
	"time"
)

// A regime is the set of rules a filing is handled under: the 2000 办法
// with the 2001 规则, or the 2026 办法 (shared/rules/registry-2026-
// evaluation-empowerment.md §1). Time limits, refusal and intake grounds,
// categories and certificate contents are data in the Regimes table below,
// not constants spread in code. Where the 2026 办法's final text was not
// read, the table follows the December 2024 征求意见稿 and says so
// (Assumed). Which regime applies is chosen by the filing's first 受理
// date against a cut-over that is an administration setting (RegimeRules):
// the transition rule is not known ([A]).

// Regime codes.
const (
	Regime2000 = "2000" // 2000 办法 + 2001 规则
	Regime2026 = "2026" // 2026 办法 (draft of 2024-12 where the final text is unknown)
)

// DefaultRegimeCutover is the default first 受理 date of the 2026 regime:
// the effective date one third-party note gives ([S], weak); configurable.
const DefaultRegimeCutover = "2026-03-01"

// DefaultExpertThresholdFen is the default 技术交易额 from which a contract
// is large and goes to expert review: 500万元 (draft art 14, "一般不低于").
const DefaultExpertThresholdFen int64 = 500_000_000

// Regime is one row of the rules table.
type Regime struct {
	Code  string `json:"code"`
	Label string `json:"label"` // e.g. 2000年办法（2001年规则）
	Basis string `json:"basis"` // what the row rests on
	// LimitDays is the time limit from 受理 to a decision; ExpertLimitDays
	// the limit when the contract goes to expert review (0: no such rule).
	LimitDays       int `json:"limit_days"`
	ExpertLimitDays int `json:"expert_limit_days"`
	// WorkingDays counts the limit in working days (the calendar), else in
	// calendar days.
	WorkingDays bool `json:"working_days"`
	// RefusalGrounds are the codes of 不予登记 (RefusalGrounds labels them);
	// IntakeGrounds those of 不予受理 (IntakeGrounds).
	RefusalGrounds []string `json:"refusal_grounds"`
	IntakeGrounds  []string `json:"intake_grounds"`
	// CertificateAmounts are the amounts the registration certificate
	// states, as Contract JSON fields.
	CertificateAmounts []string `json:"certificate_amounts"`
	// ExpertReview: large or disputed contracts go to expert review.
	ExpertReview bool `json:"expert_review"`
	// Approved is the figure the registrar fixes (核定) on registration,
	// kept in the contract's tech_income_fen: under the 2000 regime the
	// 技术性收入 (art 14), under the 2026 regime the 技术交易额 itself
	// (draft art 3), which the certificate, exports and statistics then
	// state as the registered 技术交易额. ApprovedLabel names it.
	Approved      string `json:"approved"` // ApprovedIncome | ApprovedTransaction
	ApprovedLabel string `json:"approved_label"`
	// Categories returns the categories of a contract signed on a date:
	// under the 2000 regime by signing date (the 民法典's five from 2021),
	// under the 2026 regime the five always.
	Categories func(signedOn string) []Category `json:"-"`
	// Assumed lists the rows of this regime that rest on a draft or an
	// assumption, shown beside the rules in the UI.
	Assumed []string `json:"assumed"`
	// RequiredMaterials are the attachment types a filing must carry to be
	// submitted and accepted: the contract text under both (2000 办法: the
	// complete written text; 2026 draft art 12: the complete contract text,
	// electronic contracts included). Other materials are optional.
	RequiredMaterials []AttachmentKind `json:"required_materials"`
}

// Regimes is the rules table, oldest first.
var Regimes = []Regime{
	{
		Code: Regime2000, Label: "2000年办法（2001年规则）", Basis: "《技术合同认定登记管理办法》（国科发政字〔2000〕063号）及《技术合同认定规则》（国科发政字〔2001〕253号）",
		LimitDays: 30, WorkingDays: false,
		RefusalGrounds: []string{"invalid", "not_technology", "unclear_terms", "approval_missing", "name_mismatch",
			"unreasonable_restriction", "documents_missing", "seals_mismatch", "other"},
		IntakeGrounds:      []string{"oral", "materials_missing", "wrong_registry", "other"},
		CertificateAmounts: []string{"tech_income_fen"},
		Approved:           ApprovedIncome, ApprovedLabel: "核定技术性收入",
		Categories:        CategoriesAt,
		RequiredMaterials: []AttachmentKind{AttachContractText},
		Assumed:           []string{"“30日”未写明是否为工作日，按自然日计算（假定）"},
	},
	{
		Code: Regime2026, Label: "2026年办法", Basis: "《技术合同认定登记管理办法》（工业和信息化部，2026-01-23印发）；正式文本未核实处依2024年12月征求意见稿",
		LimitDays: 15, ExpertLimitDays: 30, WorkingDays: true, ExpertReview: true,
		RefusalGrounds: []string{"unclear_parties", "unclear_subject", "unclear_price", "monopoly_infringing",
			"documents_missing", "seals_mismatch", "other"},
		IntakeGrounds:      []string{"oral", "materials_missing", "not_in_force", "wrong_registry", "other"},
		CertificateAmounts: []string{"turnover_fen", "tech_transaction_fen"},
		Approved:           ApprovedTransaction, ApprovedLabel: "核定技术交易额",
		Categories:        func(string) []Category { return categories2021 },
		RequiredMaterials: []AttachmentKind{AttachContractText},
		Assumed: []string{
			"办理时限（受理后15个工作日，大额或有争议合同30个工作日）依征求意见稿第十四条，正式文本未核实",
			"补正后以补正材料提交之日为受理日、重新计时，依征求意见稿第十四条",
			"不予登记的六项理由依第三方整理的规则第三十九条，发文机关未核实",
			"新办法自受理日起适用（按受理日与生效日比较），过渡规则未见正式文本",
			"登记机构核定技术交易额（不高于申报的技术交易额），登记证明、导出和统计采用核定数，依征求意见稿第三条、第十五条",
		},
	},
}

// What the registrar fixes on registration (Regime.Approved).
const (
	ApprovedIncome      = "tech_income"      // 核定技术性收入, beside the declared 技术交易额
	ApprovedTransaction = "tech_transaction" // 核定技术交易额, replacing the declared one once registered
)

// RegimesApprovingTransaction lists the codes of the regimes whose
// registrar fixes the 技术交易额 (the statistics' SQL selects them).
func RegimesApprovingTransaction() []string {
	var out []string
	for _, g := range Regimes {
		if g.Approved == ApprovedTransaction {
			out = append(out, g.Code)
		}
	}
	return out
}

// RegisteredTechFen is the 技术交易额 a contract counts with: the
// registrar's 核定技术交易额 (kept in TechIncomeFen) once registered under a
// regime whose registrar fixes it, else the declared one (成交额 less the
// non-technical costs).
func (c *Contract) RegisteredTechFen() int64 {
	if c.RegisteredOn != "" {
		if g, ok := RegimeByCode(c.Regime); ok && g.Approved == ApprovedTransaction {
			return c.TechIncomeFen
		}
	}
	return c.TechTransactionFen
}

// ApprovedLabelOf names the registrar's figure of c: its regime's, or for a
// filing not yet accepted the 2000 regime's (imports and old records).
func ApprovedLabelOf(c *Contract) string {
	if g, ok := RegimeByCode(c.Regime); ok {
		return g.ApprovedLabel
	}
	return "核定技术性收入"
}

// RegimeByCode returns the regime of a code.
func RegimeByCode(code string) (*Regime, bool) {
	for i := range Regimes {
		if Regimes[i].Code == code {
			return &Regimes[i], true
		}
	}
	return nil, false
}

// RegimeRules are the administration's settings that pick and time a
// regime. Both are assumptions until the official text is confirmed.
type RegimeRules struct {
	Cutover            string `json:"cutover"`              // first 受理 date of the 2026 regime
	ExpertThresholdFen int64  `json:"expert_threshold_fen"` // 技术交易额 from which a contract is large
}

// DefaultRegimeRules are the rules of a fresh installation.
func DefaultRegimeRules() RegimeRules {
	return RegimeRules{Cutover: DefaultRegimeCutover, ExpertThresholdFen: DefaultExpertThresholdFen}
}

// Validate checks the settings, naming the field.
func (r RegimeRules) Validate() error {
	var v Validator
	d, err := ParseDate(r.Cutover)
	v.Check(err == nil && d.Year() >= 2000 && d.Year() <= 2099, "cutover", "新办法适用日期应为 2000–2099 年间 YYYY-MM-DD 格式的日期")
	v.Check(r.ExpertThresholdFen > 0 && r.ExpertThresholdFen <= MaxTurnoverFen, "expert_threshold_fen", "专家评审的技术交易额标准须大于0且不超过1万亿元")
	return v.Err()
}

// At returns the regime in force on a 受理 date.
func (r RegimeRules) At(acceptedOn string) *Regime {
	code := Regime2000
	if acceptedOn >= r.Cutover {
		code = Regime2026
	}
	g, _ := RegimeByCode(code)
	return g
}

// NeedsExpertReview reports whether a contract handled under g goes to
// expert review: a 技术交易额 at or above the threshold, or a dispute.
func (r RegimeRules) NeedsExpertReview(g *Regime, c *Contract) bool {
	return g.ExpertReview && (c.TechTransactionFen >= r.ExpertThresholdFen || c.Disputed)
}

// WorkCalendar counts working days (internal/workday implements it).
type WorkCalendar interface {
	AddWorkdays(t time.Time, n int) time.Time
}

// Due returns the last day of the time limit of a filing accepted on
// acceptedOn (YYYY-MM-DD), "" when the date is not valid.
func (g *Regime) Due(acceptedOn string, expert bool, cal WorkCalendar) string {
	t, err := ParseDate(acceptedOn)
	if err != nil {
		return ""
	}
	n := g.LimitDays
	if expert && g.ExpertLimitDays > 0 {
		n = g.ExpertLimitDays
	}
	if g.WorkingDays {
		return cal.AddWorkdays(t, n).Format(time.DateOnly)
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// Limit is the time limit in words, e.g. "受理后15个工作日".
func (g *Regime) Limit(expert bool) Text {
	n := g.LimitDays
	if expert && g.ExpertLimitDays > 0 {
		n = g.ExpertLimitDays
	}
	if g.WorkingDays {
		return Msg("受理后%d个工作日", n)
	}
	return Msg("受理后%d日（自然日）", n)
}

// StartClock records the 受理 (or the arrival of corrected materials) on
// day: the regime is chosen on the first 受理 and kept (a 补正 restarts the
// clock, not the rules), expert review decided from the figures, and the
// due date computed.
func (c *Contract) StartClock(day string, r RegimeRules, cal WorkCalendar) {
	c.AcceptedOn = day
	g, ok := RegimeByCode(c.Regime)
	if !ok {
		g = r.At(day)
		c.Regime = g.Code
	}
	c.ExpertReview = r.NeedsExpertReview(g, c)
	c.DueOn = g.Due(day, c.ExpertReview, cal)
}

// RegimeOf returns the regime a filing is handled under, or the one in
// force on today for a filing not yet accepted.
func (r RegimeRules) RegimeOf(c *Contract, today string) *Regime {
	if g, ok := RegimeByCode(c.Regime); ok {
		return g
	}
	return r.At(today)
}

// CheckAcceptance checks at 受理 what the regime decides about the filing
// itself: its category and sub-type must be of the regime's set (a filing
// saved under the other regime, or signed before 2021 and accepted under
// the 2026 办法, may carry a category the regime does not have). The
// message names the field and tells the registrar to return it for 补正
// so that the applicant re-categorises it.
func (g *Regime) CheckAcceptance(c *Contract) error {
	err := CheckCategoryUnder(g, c.SignedOn, c.Category, c.SubType)
	var e *Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	return FieldErrorf(e.Field, "%s。该合同按%s受理，合同分类须符合该办法：请退回补正，由申请人改正合同类别后再受理", e.Text, Msg(g.Label))
}

// ValidRefusal reports whether ground is a 不予登记 ground of g.
func (g *Regime) ValidRefusal(ground string) bool { return contains(g.RefusalGrounds, ground) }

// ValidIntake reports whether ground is a 不予受理 ground of g.
func (g *Regime) ValidIntake(ground string) bool { return contains(g.IntakeGrounds, ground) }

// ShowsOnCertificate reports whether the certificate of g states the amount
// (a Contract JSON field name).
func (g *Regime) ShowsOnCertificate(field string) bool { return contains(g.CertificateAmounts, field) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// IntakeGrounds label the grounds of 不予受理 (refusal at intake, before
// the clock starts).
var IntakeGrounds = NewEnum[string](
	Item[string]{"oral", "以口头形式订立的合同"},
	Item[string]{"materials_missing", "申请材料不齐全（合同文本、附件或证明文件缺失）"},
	Item[string]{"not_in_force", "合同未生效或已超过有效期"},
	Item[string]{"wrong_registry", "不属于本登记机构受理范围"},
	Item[string]{"other", "其他不予受理的情形"},
)

// IntakeLabel returns the label of an intake ground.
func IntakeLabel(code string) string { return IntakeGrounds.Label(code) }
