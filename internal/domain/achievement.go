package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// AchievementStatus is an achievement's (科技成果) place in its workflow
// (AchievementFlow is the table): draft → submitted (备案申请) → filed (备案,
// checked by the bureau) | returned (退回修改) → submitted …; filed →
// published (in the public catalogue) ⇄ filed (unpublished); published →
// transferred (converted exclusively: no longer available); any filed
// status → withdrawn by its unit.
type AchievementStatus string

const (
	AchievementDraft       AchievementStatus = "draft"
	AchievementSubmitted   AchievementStatus = "submitted"
	AchievementReturned    AchievementStatus = "returned"
	AchievementFiled       AchievementStatus = "filed"
	AchievementPublished   AchievementStatus = "published"
	AchievementTransferred AchievementStatus = "transferred"
	AchievementWithdrawn   AchievementStatus = "withdrawn"
)

// AchievementStatuses lists the statuses with their Chinese names, in
// workflow order.
var AchievementStatuses = NewEnum[AchievementStatus](
	Item[AchievementStatus]{AchievementDraft, "草稿"}, Item[AchievementStatus]{AchievementSubmitted, "待备案审核"},
	Item[AchievementStatus]{AchievementReturned, "退回修改"}, Item[AchievementStatus]{AchievementFiled, "已备案"},
	Item[AchievementStatus]{AchievementPublished, "已发布"}, Item[AchievementStatus]{AchievementTransferred, "已转化"},
	Item[AchievementStatus]{AchievementWithdrawn, "已撤回"},
)

// Label returns the Chinese name of the status.
func (s AchievementStatus) Label() string { return AchievementStatuses.Label(s) }

// MaturityStages are the four stages of an achievement's maturity beside
// its TRL (DESIGN.md §2: 实验室/小试/中试/产业化). A firm wanting 中试 looks for
// pilot-stage achievements and later.
var MaturityStages = NewEnum[string](
	Item[string]{"lab", "实验室"}, Item[string]{"small", "小试"}, Item[string]{"pilot", "中试"}, Item[string]{"industrial", "产业化"},
)

// MaturityRank orders the stages (lab 1 … industrial 4; 0 unknown).
func MaturityRank(stage string) int {
	for i, c := range MaturityStages.Codes() {
		if c == stage {
			return i + 1
		}
	}
	return 0
}

// TRLLevels are the nine technology readiness levels in their generic
// Chinese wording (rules §2.2: the NASA/GAO equivalents; the GB/T 22900
// wording could not be retrieved, tagged [S]).
var TRLLevels = [10]string{"",
	"基本原理被发现和阐述", "形成技术概念或应用方案", "应用分析与实验室研究，关键功能实验室验证",
	"实验室原理样机或组件在实验室验证", "完整实验室样机在相关环境中验证", "模拟环境下的系统演示",
	"真实环境下的系统演示", "定型试验", "运行与评估",
}

// IPTypes are the kinds of intellectual property an achievement carries
// (rules §3: what may be granted under 赋权, plus the patent kinds).
var IPTypes = NewEnum[string](
	Item[string]{"invention", "发明专利"}, Item[string]{"utility", "实用新型专利"}, Item[string]{"design", "外观设计专利"},
	Item[string]{"software", "计算机软件著作权"}, Item[string]{"ic_layout", "集成电路布图设计专有权"},
	Item[string]{"plant_variety", "植物新品种权"}, Item[string]{"biomed", "生物医药新品种"},
	Item[string]{"know_how", "技术秘密"}, Item[string]{"other", "其他"},
)

// TransferModes are the ways an achievement may be converted.
var TransferModes = NewEnum[string](
	Item[string]{"transfer", "转让"}, Item[string]{"license", "许可"}, Item[string]{"equity", "作价入股"}, Item[string]{"co_develop", "合作开发"},
)

// FundingSources say where an achievement's money came from (赋权 applies
// to results formed with fiscal funds or commissioned by others).
var FundingSources = NewEnum[string](
	Item[string]{"fiscal", "财政资金"}, Item[string]{"commissioned", "企业等委托"}, Item[string]{"own", "自有资金"}, Item[string]{"other", "其他"},
)

// EmpowermentKinds are the two 赋权 forms (rules §3.1).
var EmpowermentKinds = NewEnum[string](
	Item[string]{"ownership", "赋予所有权（按份共有）"}, Item[string]{"long_term_use", "赋予长期使用权"},
)

// TeamMember is one completer of an achievement.
type TeamMember struct {
	Name   string `json:"name"`
	Title  string `json:"title,omitempty"`  // 职称
	Leader bool   `json:"leader,omitempty"` // 负责人
}

// IPRight is one patent, copyright or other right of an achievement.
type IPRight struct {
	Type   string `json:"type"`   // IPTypes
	Number string `json:"number"` // 专利号/登记号; empty for 技术秘密
	Title  string `json:"title,omitempty"`
}

// Empowerment is a 赋权 grant of a 职务科技成果 to its completers: a share of
// the ownership (the unit's and the team's shares in per-mille, summing to
// exactly 1000) or a long-term use right of at least MinUseYears. The
// agreement follows a 公示 that ends on or before the agreement date.
type Empowerment struct {
	Kind          string `json:"kind"`                    // EmpowermentKinds
	TeamPermille  int    `json:"team_permille,omitempty"` // ownership: the team's share, ‰
	UnitPermille  int    `json:"unit_permille,omitempty"` // ownership: the unit's share, ‰
	UseFrom       string `json:"use_from,omitempty"`      // long_term_use: YYYY-MM-DD
	UseTo         string `json:"use_to,omitempty"`        // long_term_use: YYYY-MM-DD
	Exclusive     bool   `json:"exclusive,omitempty"`     // long_term_use
	AgreementOn   string `json:"agreement_on"`            // 赋权协议签订日期
	PublicityFrom string `json:"publicity_from"`          // 公示开始
	PublicityTo   string `json:"publicity_to"`            // 公示结束
}

// AchievementRules are the configurable parts of the achievement rules:
// the shortest long-term use right (rules §3: 不低于10年, [V]) and the
// smallest team share an institution admits (not fixed nationally: local
// examples 70 %–90 %, [S]; 0 means no minimum).
type AchievementRules struct {
	MinUseYears     int `json:"min_use_years" yaml:"min_use_years"`
	MinTeamPermille int `json:"min_team_permille" yaml:"min_team_permille"`
}

// DefaultAchievementRules are the national rules with no local minimum.
func DefaultAchievementRules() AchievementRules { return AchievementRules{MinUseYears: 10} }

// Achievement is a 科技成果 filed (备案) by a university or institute: the
// first link of the city's chain, followed by id through matches, events,
// intentions and contracts.
type Achievement struct {
	ID           int64             `json:"id"`
	Title        string            `json:"title"`
	Abstract     string            `json:"abstract"`
	Keywords     []string          `json:"keywords"`
	OwnerOrgID   int64             `json:"owner_org_id"`
	OwnerName    string            `json:"owner_name,omitempty"`
	Team         []TeamMember      `json:"team"`
	Discipline   string            `json:"discipline"` // 学科, free text (e.g. 材料科学)
	ChainCode    string            `json:"chain_code"` // one of the city's industrial chains
	TRL          int               `json:"trl"`        // 1–9
	TRLEvidence  string            `json:"trl_evidence"`
	Stage        string            `json:"stage"` // MaturityStages
	IP           []IPRight         `json:"ip"`
	Funding      string            `json:"funding"`            // FundingSources
	Excluded     bool              `json:"security_exclusion"` // may not be granted (赋权) nor published
	Empowerment  *Empowerment      `json:"empowerment,omitempty"`
	Modes        []string          `json:"transfer_modes"`
	AskingFen    int64             `json:"asking_price_fen"` // 0: 面议
	Status       AchievementStatus `json:"status"`
	FiledOn      string            `json:"filed_on,omitempty"`
	PublishedOn  string            `json:"published_on,omitempty"`
	ReturnReason string            `json:"return_reason,omitempty"`
	Version      int64             `json:"version"`
	CreatedBy    int64             `json:"created_by"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
}

// MaxAskingFen bounds an asking price (100 亿元).
const MaxAskingFen = 1_000_000_000_000

// Validate checks an achievement's fields, naming each bad one. chains is
// the city's chain codes (nil skips the check); r the configurable rules.
func (x *Achievement) Validate(chains []string, r AchievementRules) error {
	var v Validator
	v.Check(x.Title != "" && utf8.RuneCountInString(x.Title) <= 200, "title", "成果名称必填，且不超过200字")
	v.Check(utf8.RuneCountInString(x.Abstract) >= 20 && utf8.RuneCountInString(x.Abstract) <= 5000, "abstract", "成果简介须为20至5000字")
	v.Check(len(x.Keywords) >= 1 && len(x.Keywords) <= 10, "keywords", "关键词须为1至10个")
	for i, k := range x.Keywords {
		v.Check(k != "" && utf8.RuneCountInString(k) <= 30, fmt.Sprintf("keywords[%d]", i), "第%d个关键词不能为空，且不超过30字", i+1)
	}
	v.Check(len(x.Team) >= 1 && len(x.Team) <= 50, "team", "成果完成人须为1至50人")
	leaders := 0
	for i, m := range x.Team {
		v.Check(m.Name != "" && utf8.RuneCountInString(m.Name) <= 50, fmt.Sprintf("team[%d].name", i), "第%d位完成人姓名必填，且不超过50字", i+1)
		if m.Leader {
			leaders++
		}
	}
	v.Check(len(x.Team) == 0 || leaders == 1, "team", "成果完成人中须有且只有一位负责人")
	v.Check(utf8.RuneCountInString(x.Discipline) <= 50, "discipline", "学科不超过50字")
	if chains != nil {
		v.Check(x.ChainCode == "" || contains(chains, x.ChainCode), "chain_code", "产业链“%s”不是本市的重点产业链", x.ChainCode)
	}
	v.Check(x.TRL >= 1 && x.TRL <= 9, "trl", "技术成熟度（TRL）应为1至9级")
	v.Check(x.TRL < 4 || strings.TrimSpace(x.TRLEvidence) != "", "trl_evidence", "技术成熟度为4级及以上时须说明依据（样机、试验或应用证明）")
	v.Check(utf8.RuneCountInString(x.TRLEvidence) <= 2000, "trl_evidence", "成熟度依据不超过2000字")
	v.Check(MaturityStages.Valid(x.Stage), "stage", "成熟阶段应为实验室、小试、中试或产业化")
	v.Check(len(x.IP) <= 100, "ip", "知识产权不超过100项")
	seen := map[string]bool{}
	for i, ip := range x.IP {
		f := fmt.Sprintf("ip[%d]", i)
		v.Check(IPTypes.Valid(ip.Type), f+".type", "第%d项知识产权类型无效", i+1)
		if ip.Type != "know_how" && ip.Type != "other" {
			v.Check(ip.Number != "" && utf8.RuneCountInString(ip.Number) <= 40, f+".number", "第%d项知识产权须填写专利号或登记号（不超过40字）", i+1)
		}
		if ip.Number != "" {
			v.Check(!seen[ip.Number], f+".number", "第%d项知识产权的号码“%s”重复", i+1, ip.Number)
			seen[ip.Number] = true
		}
	}
	v.Check(FundingSources.Valid(x.Funding), "funding", "经费来源无效")
	v.Check(len(x.Modes) >= 1, "transfer_modes", "至少选择一种转化方式")
	for i, m := range x.Modes {
		v.Check(TransferModes.Valid(m), fmt.Sprintf("transfer_modes[%d]", i), "第%d种转化方式无效", i+1)
	}
	v.Check(x.AskingFen >= 0 && x.AskingFen <= MaxAskingFen, "asking_price_fen", "意向价格不能为负，且不超过100亿元（0 表示面议）")
	if x.Empowerment != nil {
		if x.Excluded {
			v.Add("empowerment", "涉及国家安全等重大利益的成果不得赋权")
		}
		x.Empowerment.check(&v, r)
	}
	return v.Err()
}

func (e *Empowerment) check(v *Validator, r AchievementRules) {
	v.Check(EmpowermentKinds.Valid(e.Kind), "empowerment.kind", "赋权方式应为赋予所有权或赋予长期使用权")
	switch e.Kind {
	case "ownership":
		v.Check(e.TeamPermille > 0 && e.UnitPermille >= 0 && e.TeamPermille+e.UnitPermille == 1000,
			"empowerment.team_permille", "团队与单位的所有权份额之和须为100%%（团队份额须大于0）")
		v.Check(e.TeamPermille >= r.MinTeamPermille, "empowerment.team_permille", "团队份额不得低于本单位规定的%s", Permille(r.MinTeamPermille))
	case "long_term_use":
		from, errFrom := ParseDate(e.UseFrom)
		to, errTo := ParseDate(e.UseTo)
		v.Check(errFrom == nil, "empowerment.use_from", "长期使用权起始日期应为 YYYY-MM-DD 格式的有效日期")
		v.Check(errTo == nil, "empowerment.use_to", "长期使用权终止日期应为 YYYY-MM-DD 格式的有效日期")
		if errFrom == nil && errTo == nil {
			v.Check(!to.Before(from.AddDate(r.MinUseYears, 0, 0)), "empowerment.use_to", "长期使用权不得少于%d年", r.MinUseYears)
		}
	}
	agreed, errA := ParseDate(e.AgreementOn)
	pFrom, errPF := ParseDate(e.PublicityFrom)
	pTo, errPT := ParseDate(e.PublicityTo)
	v.Check(errA == nil, "empowerment.agreement_on", "赋权协议签订日期应为 YYYY-MM-DD 格式的有效日期")
	v.Check(errPF == nil, "empowerment.publicity_from", "公示开始日期应为 YYYY-MM-DD 格式的有效日期")
	v.Check(errPT == nil, "empowerment.publicity_to", "公示结束日期应为 YYYY-MM-DD 格式的有效日期")
	if errPF == nil && errPT == nil {
		v.Check(!pTo.Before(pFrom), "empowerment.publicity_to", "公示结束日期不能早于开始日期")
	}
	if errA == nil && errPT == nil {
		v.Check(!agreed.Before(pTo), "empowerment.agreement_on", "赋权协议须在公示结束之后签订")
	}
}

// Permille renders a per-mille share as a percentage ("70%", "62.5%").
func Permille(p int) string {
	if p%10 == 0 {
		return fmt.Sprintf("%d%%", p/10)
	}
	return fmt.Sprintf("%d.%d%%", p/10, p%10)
}

// Available reports whether the achievement can still be converted
// (published and not transferred exclusively).
func (x *Achievement) Available() bool { return x.Status == AchievementPublished }

// Leader returns the team leader's name.
func (x *Achievement) Leader() string {
	for _, m := range x.Team {
		if m.Leader {
			return m.Name
		}
	}
	return ""
}

// AchievementFilter selects achievements for a list.
type AchievementFilter struct {
	Status    AchievementStatus
	ChainCode string
	OwnerID   int64
	Stage     string
	MinTRL    int
	Query     string // title, keywords and abstract
	Year      int    // published (or filed) in this year
	Sort      string
	Page      int
	PerPage   int
}

// SearchQuery is the filter's typed query (httpx.CountCap: a search's count
// stops sooner than a list's).
func (f AchievementFilter) SearchQuery() string { return f.Query }

// AchievementScope is what an actor may list: everything filed (the
// bureau), its own organisation's, or the public catalogue.
type AchievementScope struct {
	All           bool  // every non-draft achievement, and the actor's own drafts
	OrgID         int64 // the actor's organisation (its own achievements in every status)
	PublishedOnly bool  // others: the public catalogue
}
