package domain

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// ChallengeStatus is a 揭榜挂帅 challenge's (榜单) place in its workflow
// (ChallengeFlow is the table), following the Liaoning stages
// 建榜 → 定榜 → 发榜 → 揭榜 (rules file §1, row 1.10):
//
//	draft (建榜) → submitted (待定榜) → confirmed (定榜) | returned → submitted …
//	confirmed → published (发榜: the public board, answers accepted until the deadline)
//	published → closed (揭榜: answers closed, by the bureau or at the deadline) → selected
//	selected → contracted (agreement) → in_project → accepted (验收通过) | failed
//	contracted, in_project → exited (退出, with a reason)
//	draft … confirmed → withdrawn (撤榜, before publication only)
//
// A published challenge past its answer deadline takes no more answers
// (computed from the injected clock, no sweep) until the bureau closes it.
type ChallengeStatus string

const (
	ChallengeDraft      ChallengeStatus = "draft"
	ChallengeSubmitted  ChallengeStatus = "submitted"
	ChallengeReturned   ChallengeStatus = "returned"
	ChallengeConfirmed  ChallengeStatus = "confirmed"
	ChallengePublished  ChallengeStatus = "published"
	ChallengeClosed     ChallengeStatus = "closed"
	ChallengeSelected   ChallengeStatus = "selected"
	ChallengeContracted ChallengeStatus = "contracted"
	ChallengeInProject  ChallengeStatus = "in_project"
	ChallengeAccepted   ChallengeStatus = "accepted"
	ChallengeFailed     ChallengeStatus = "failed"
	ChallengeExited     ChallengeStatus = "exited"
	ChallengeWithdrawn  ChallengeStatus = "withdrawn"
)

// ChallengeStatuses lists the statuses with their Chinese names, in
// workflow order.
var ChallengeStatuses = NewEnum[ChallengeStatus](
	Item[ChallengeStatus]{ChallengeDraft, "建榜（草稿）"}, Item[ChallengeStatus]{ChallengeSubmitted, "待定榜"},
	Item[ChallengeStatus]{ChallengeReturned, "退回修改"}, Item[ChallengeStatus]{ChallengeConfirmed, "已定榜"},
	Item[ChallengeStatus]{ChallengePublished, "已发榜"}, Item[ChallengeStatus]{ChallengeClosed, "揭榜评审中"},
	Item[ChallengeStatus]{ChallengeSelected, "已确定揭榜方"}, Item[ChallengeStatus]{ChallengeContracted, "已签订协议"},
	Item[ChallengeStatus]{ChallengeInProject, "攻关实施中"}, Item[ChallengeStatus]{ChallengeAccepted, "验收通过"},
	Item[ChallengeStatus]{ChallengeFailed, "攻关失败"}, Item[ChallengeStatus]{ChallengeExited, "已退出"},
	Item[ChallengeStatus]{ChallengeWithdrawn, "已撤榜"},
)

// Label returns the Chinese name of the status.
func (s ChallengeStatus) Label() string { return ChallengeStatuses.Label(s) }

// ChallengePublicStatuses are the statuses of the public board: published
// and every later one.
var ChallengePublicStatuses = []ChallengeStatus{ChallengePublished, ChallengeClosed, ChallengeSelected,
	ChallengeContracted, ChallengeInProject, ChallengeAccepted, ChallengeFailed, ChallengeExited}

// ChallengePublishers are who publishes a 榜单 (发榜方).
var ChallengePublishers = NewEnum[string](
	Item[string]{"enterprise", "企业发榜"}, Item[string]{"bureau", "科技局发榜"},
)

// ChallengeIndicator is one technical indicator of a challenge (指标:
// 目标值 单位, and how it is tested).
type ChallengeIndicator struct {
	Indicator string `json:"indicator"`
	Target    string `json:"target"`
	Unit      string `json:"unit,omitempty"`
	Method    string `json:"method,omitempty"` // 考核方式
}

// ChallengeRules are the configurable ([A]/[S]) parts of the challenge
// rules, read from settings: the government's share of a 榜额 is at most
// MaxGovPermille ‰ of the budget and at most GovCapFen. Defaults: the
// share's ratio is not read in any rule (row 1.1 open question), so 1000 ‰
// [A]; the cap 300万元 per 揭榜挂帅 project is S29's [S].
type ChallengeRules struct {
	MaxGovPermille int64 `json:"max_gov_permille"`
	GovCapFen      int64 `json:"gov_cap_fen"`
}

// DefaultChallengeRules are the rules with no local setting.
func DefaultChallengeRules() ChallengeRules {
	return ChallengeRules{MaxGovPermille: 1000, GovCapFen: 300_000_000}
}

// Challenge is a 揭榜挂帅 榜单: a key-technology problem an enterprise or
// the bureau publishes for an industrial chain, with the 榜额 and the
// government's share of it, answered by universities, institutes and
// teams; after selection it carries the project.
type Challenge struct {
	ID           int64                `json:"id"`
	Title        string               `json:"title"`
	Problem      string               `json:"problem"`
	Indicators   []ChallengeIndicator `json:"indicators"`
	Eligibility  string               `json:"eligibility"`
	BudgetFen    int64                `json:"budget_fen"`    // 榜额
	GovShareFen  int64                `json:"gov_share_fen"` // the government's share, ≤ budget
	Deadline     string               `json:"deadline"`      // last day of answers, YYYY-MM-DD
	ChainCode    string               `json:"chain_code"`
	NeedID       int64                `json:"need_id,omitempty"` // the need it came from (0: none)
	Publisher    string               `json:"publisher"`         // ChallengePublishers, from the owner's kind
	OwnerOrgID   int64                `json:"owner_org_id"`
	OwnerName    string               `json:"owner_name,omitempty"`
	Status       ChallengeStatus      `json:"status"`
	Open         bool                 `json:"open"` // published and before its deadline (computed)
	ReturnReason string               `json:"return_reason,omitempty"`
	ConfirmedOn  string               `json:"confirmed_on,omitempty"`
	PublishedOn  string               `json:"published_on,omitempty"`
	ClosedOn     string               `json:"closed_on,omitempty"`
	// WinnerAnswerID and WinnerName are the selected answer and its
	// organisation (public once selected).
	WinnerAnswerID int64  `json:"winner_answer_id,omitempty"`
	WinnerName     string `json:"winner_name,omitempty"`
	WinnerOrgID    int64  `json:"winner_org_id,omitempty"`
	SelectedOn     string `json:"selected_on,omitempty"`
	// Project is the agreement and its course (the parties and the bureau
	// only; nil for others and before the agreement).
	Project *ChallengeProject `json:"project,omitempty"`
	// KeyTechSolved and KeyTechIntl are recorded at acceptance (public).
	KeyTechSolved int       `json:"key_tech_solved"`
	KeyTechIntl   int       `json:"key_tech_intl"`
	Version       int64     `json:"version"`
	CreatedBy     int64     `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ChallengeProject is the project after selection: the agreement, its
// milestones, and how it ended.
type ChallengeProject struct {
	AgreementDate string               `json:"agreement_date"`
	AgreedFen     int64                `json:"agreed_fen"`
	AttachmentID  int64                `json:"attachment_id,omitempty"` // the agreement document (optional)
	Milestones    []ChallengeMilestone `json:"milestones"`
	EndedOn       string               `json:"ended_on,omitempty"`
	Report        string               `json:"report,omitempty"` // the acceptance report, or the reason of failure or exit
}

// ChallengeMilestone is one milestone of a project with its payment.
type ChallengeMilestone struct {
	ID          int64  `json:"id"`
	ChallengeID int64  `json:"challenge_id"`
	Seq         int    `json:"seq"`
	Title       string `json:"title"`
	DueOn       string `json:"due_on"`
	PaymentFen  int64  `json:"payment_fen"`
	DoneOn      string `json:"done_on,omitempty"`
	Note        string `json:"note,omitempty"`
}

// Overdue reports whether the milestone is not done and its due date has
// passed.
func (m *ChallengeMilestone) Overdue(today string) bool { return m.DoneOn == "" && m.DueOn < today }

// Validate checks a challenge's fields, naming each bad one: chains is the
// city's chain codes (nil skips), today the earliest deadline ("" skips),
// r the government-share rules.
func (x *Challenge) Validate(chains []string, today string, r ChallengeRules) error {
	var v Validator
	v.Check(x.Title != "" && utf8.RuneCountInString(x.Title) <= 200, "title", "榜单名称必填，且不超过200字")
	v.Check(utf8.RuneCountInString(x.Problem) >= 20 && utf8.RuneCountInString(x.Problem) <= 5000, "problem", "攻关问题描述须为20至5000字")
	v.Check(len(x.Indicators) >= 1 && len(x.Indicators) <= 20, "indicators", "技术指标须为1至20项")
	for i, in := range x.Indicators {
		f := fmt.Sprintf("indicators[%d]", i)
		v.Check(in.Indicator != "" && utf8.RuneCountInString(in.Indicator) <= 100, f+".indicator", "第%d项指标名称必填，且不超过100字", i+1)
		v.Check(in.Target != "" && utf8.RuneCountInString(in.Target) <= 50, f+".target", "第%d项指标的目标值必填，且不超过50字", i+1)
		v.Check(utf8.RuneCountInString(in.Unit) <= 20, f+".unit", "第%d项指标的单位不超过20字", i+1)
		v.Check(utf8.RuneCountInString(in.Method) <= 200, f+".method", "第%d项指标的考核方式不超过200字", i+1)
	}
	v.Check(x.Eligibility != "" && utf8.RuneCountInString(x.Eligibility) <= 2000, "eligibility", "揭榜方资格条件必填，且不超过2000字")
	v.Check(x.BudgetFen > 0 && x.BudgetFen <= MaxAskingFen, "budget_fen", "榜额须大于0，且不超过100亿元")
	switch {
	case x.GovShareFen < 0:
		v.Add("gov_share_fen", "政府出资不能为负")
	case x.GovShareFen > x.BudgetFen:
		v.Add("gov_share_fen", "政府出资不能超过榜额")
	case x.GovShareFen*1000 > x.BudgetFen*r.MaxGovPermille:
		v.Add("gov_share_fen", "政府出资不能超过榜额的%s", permilleText(r.MaxGovPermille))
	case r.GovCapFen > 0 && x.GovShareFen > r.GovCapFen:
		v.Add("gov_share_fen", "政府出资不能超过%s（每个揭榜挂帅项目的上限）", FormatMoney(r.GovCapFen, ""))
	}
	if _, err := ParseDate(x.Deadline); err != nil {
		v.Add("deadline", "揭榜截止日期应为 YYYY-MM-DD 格式的有效日期")
	} else if today != "" {
		v.Check(x.Deadline >= today, "deadline", "揭榜截止日期不能早于今天（%s）", today)
	}
	if chains != nil {
		v.Check(contains(chains, x.ChainCode), "chain_code", "请选择本市的重点产业链")
	} else {
		v.Check(x.ChainCode != "", "chain_code", "请选择本市的重点产业链")
	}
	v.Check(x.NeedID >= 0, "need_id", "来源需求编号无效")
	return v.Err()
}

// permilleText writes 500 as 50%, 333 as 33.3%.
func permilleText(p int64) string {
	if p%10 == 0 {
		return fmt.Sprintf("%d%%", p/10)
	}
	return fmt.Sprintf("%d.%d%%", p/10, p%10)
}

// PastDeadline reports whether the answer deadline is before today.
func (x *Challenge) PastDeadline(today string) bool { return x.Deadline < today }

// AcceptsAnswers reports whether answers may be handed in today.
func (x *Challenge) AcceptsAnswers(today string) bool {
	return x.Status == ChallengePublished && !x.PastDeadline(today)
}

// PaymentsFen sums the project's milestone payments.
func (p *ChallengeProject) PaymentsFen() int64 {
	var n int64
	for _, m := range p.Milestones {
		n += m.PaymentFen
	}
	return n
}

// Validate checks a milestone against its project (payments ≤ the agreed
// amount, compared exactly).
func (m *ChallengeMilestone) Validate(p *ChallengeProject) error {
	var v Validator
	v.Check(m.Title != "" && utf8.RuneCountInString(m.Title) <= 200, "title", "里程碑名称必填，且不超过200字")
	if _, err := ParseDate(m.DueOn); err != nil {
		v.Add("due_on", "里程碑到期日应为 YYYY-MM-DD 格式的有效日期")
	} else if p != nil && m.DueOn < p.AgreementDate {
		v.Add("due_on", "里程碑到期日不能早于协议签订日（%s）", p.AgreementDate)
	}
	v.Check(m.PaymentFen >= 0 && m.PaymentFen <= MaxAskingFen, "payment_fen", "付款金额不能为负，且不超过100亿元")
	if p != nil && m.PaymentFen >= 0 && m.PaymentFen <= MaxAskingFen {
		rest := p.AgreedFen - p.PaymentsFen()
		v.Check(m.PaymentFen <= rest, "payment_fen", "各里程碑付款之和不能超过协议金额（尚可安排%s）", FormatMoney(max(rest, 0), ""))
	}
	v.Check(utf8.RuneCountInString(m.Note) <= 500, "note", "说明不超过500字")
	return v.Err()
}

// ChallengeAgreement is what the agreement step records.
type ChallengeAgreement struct {
	Date         string `json:"agreement_date"`
	AgreedFen    int64  `json:"agreed_fen"`
	AttachmentID int64  `json:"attachment_id,omitempty"`
}

// Validate checks the agreement: a date not before the selection nor after
// today, an amount above 0 and not above the 榜额.
func (g *ChallengeAgreement) Validate(x *Challenge, today string) error {
	var v Validator
	if _, err := ParseDate(g.Date); err != nil {
		v.Add("agreement_date", "协议签订日期应为 YYYY-MM-DD 格式的有效日期")
	} else {
		v.Check(g.Date >= x.SelectedOn, "agreement_date", "协议签订日期不能早于确定揭榜方之日（%s）", x.SelectedOn)
		v.Check(today == "" || g.Date <= today, "agreement_date", "协议签订日期不能晚于今天")
	}
	v.Check(g.AgreedFen > 0 && g.AgreedFen <= x.BudgetFen, "agreed_fen", "协议金额须大于0，且不超过榜额（%s）", FormatMoney(x.BudgetFen, ""))
	// No attachment store of its own yet: an id would name nothing anyone
	// checked (or another record's file), so none is accepted. The signed
	// text goes with the technology contract registered for the
	// agreement, which names this challenge as its source.
	v.Check(g.AttachmentID == 0, "attachment_id", "揭榜挂帅协议暂不接收附件：请在为该协议登记的技术合同中上传协议文本，并在合同中注明来源为本榜单")
	return v.Err()
}

// ChallengeAcceptance is what 验收 records: passed or failed, the report,
// and the key technologies solved (of which at international level).
type ChallengeAcceptance struct {
	Passed        bool   `json:"passed"`
	Report        string `json:"report"`
	KeyTechSolved int    `json:"key_tech_solved"`
	KeyTechIntl   int    `json:"key_tech_intl"`
}

// Validate checks the acceptance's figures.
func (c *ChallengeAcceptance) Validate() error {
	var v Validator
	v.Check(c.Report != "" && utf8.RuneCountInString(c.Report) <= 5000, "report", "验收报告必填，且不超过5000字")
	v.Check(c.KeyTechSolved >= 0 && c.KeyTechSolved <= 1000, "key_tech_solved", "解决关键技术数应为0至1000")
	v.Check(c.KeyTechIntl >= 0, "key_tech_intl", "达到国际水平的关键技术数不能为负")
	v.Check(c.KeyTechIntl <= c.KeyTechSolved, "key_tech_intl", "达到国际水平的关键技术数不能超过解决的关键技术数")
	return v.Err()
}

// ChallengeFilter selects challenges for a list.
type ChallengeFilter struct {
	Status    ChallengeStatus
	ChainCode string
	Year      int // published (发榜) in the year
	OwnerID   int64
	Query     string // title and problem
	Mine      bool   // the actor's own organisation's only
	Sort      string
	Page      int
	PerPage   int
}

// ChallengeScope is what an actor may list.
type ChallengeScope struct {
	All   bool  // the bureau: every non-draft challenge, and its own drafts
	OrgID int64 // the actor's organisation: its own in every status
}

// AnswerStatus is a 揭榜方案's place: submitted → evaluating (评审中) →
// selected | not_selected; withdrawn by the answering org while the
// challenge is open.
type AnswerStatus string

const (
	AnswerSubmitted   AnswerStatus = "submitted"
	AnswerEvaluating  AnswerStatus = "evaluating"
	AnswerSelected    AnswerStatus = "selected"
	AnswerNotSelected AnswerStatus = "not_selected"
	AnswerWithdrawn   AnswerStatus = "withdrawn"
)

// AnswerStatuses lists the answer statuses with their Chinese names.
var AnswerStatuses = NewEnum[AnswerStatus](
	Item[AnswerStatus]{AnswerSubmitted, "已提交"}, Item[AnswerStatus]{AnswerEvaluating, "评审中"},
	Item[AnswerStatus]{AnswerSelected, "揭榜成功"}, Item[AnswerStatus]{AnswerNotSelected, "未入选"},
	Item[AnswerStatus]{AnswerWithdrawn, "已撤回"},
)

// Label returns the Chinese name of the status.
func (s AnswerStatus) Label() string { return AnswerStatuses.Label(s) }

// ChallengeAnswer is a 揭榜方案: one per organisation per challenge,
// private to the answering organisation, the challenge's owner and the
// bureau.
type ChallengeAnswer struct {
	ID          int64        `json:"id"`
	ChallengeID int64        `json:"challenge_id"`
	OrgID       int64        `json:"org_id"`
	OrgName     string       `json:"org_name,omitempty"`
	Team        string       `json:"team"`       // leader and members
	Approach    string       `json:"approach"`   // 技术路线
	Milestones  string       `json:"milestones"` // proposed milestones
	PriceFen    int64        `json:"price_fen"`
	Status      AnswerStatus `json:"status"`
	// EvaluationID is the engine's case (0 before the bureau opens it).
	EvaluationID int64     `json:"evaluation_id,omitempty"`
	DefenceOn    string    `json:"defence_on,omitempty"` // 答辩
	DefenceNotes string    `json:"defence_notes,omitempty"`
	Version      int64     `json:"version"`
	CreatedBy    int64     `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Challenge is the answered challenge (read with the answer: the policy
	// needs its owner).
	ChallengeOwnerID int64  `json:"challenge_owner_id"`
	ChallengeTitle   string `json:"challenge_title,omitempty"`
}

// Validate checks an answer's fields against its challenge's 榜额.
func (x *ChallengeAnswer) Validate(c *Challenge) error {
	var v Validator
	v.Check(utf8.RuneCountInString(x.Team) >= 2 && utf8.RuneCountInString(x.Team) <= 2000, "team", "揭榜团队须为2至2000字（负责人与主要成员）")
	v.Check(utf8.RuneCountInString(x.Approach) >= 20 && utf8.RuneCountInString(x.Approach) <= 10000, "approach", "技术方案须为20至10000字")
	v.Check(x.Milestones != "" && utf8.RuneCountInString(x.Milestones) <= 5000, "milestones", "里程碑计划必填，且不超过5000字")
	v.Check(x.PriceFen > 0 && x.PriceFen <= MaxAskingFen, "price_fen", "报价须大于0，且不超过100亿元")
	if c != nil && x.PriceFen > 0 {
		v.Check(x.PriceFen <= c.BudgetFen, "price_fen", "报价不能超过榜额（%s）", FormatMoney(c.BudgetFen, ""))
	}
	return v.Err()
}

// ChallengeYear is the China year a challenge was published in (0 if not).
func (x *Challenge) PublishedYear() int {
	if len(x.PublishedOn) < 4 {
		return 0
	}
	var y int
	fmt.Sscanf(x.PublishedOn[:4], "%d", &y)
	return y
}
