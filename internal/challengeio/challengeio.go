// Package challengeio is the challenge module's file codec: 揭榜挂帅榜单 as
// rows of an xlsx or CSV file (Chinese column headers, any column order),
// converted to domain values with every problem named by row and column,
// and back. It is a column table over sheetio.Codec; the import use case
// (service/challenge_io.go) stores the rows in one transaction.
//
// Cell syntax (sheetio): 技术指标 "指标|目标值|单位|考核方式" items separated
// by "；" ("功率密度|≥45|kW/L|第三方检测；最高效率|≥99|%"); amounts in 元
// with at most two decimals. What a row cannot hold stays out of the file:
// the answers (揭榜方案), the agreement and its milestones are the
// challenge's own pages' (the export says who was selected and when).
package challengeio

import (
	"io"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// Sheet is the challenge sheet of the xlsx files.
const Sheet = "揭榜挂帅榜单"

// MaxAPIRows limits a file uploaded through the API or the pages.
const MaxAPIRows = 5_000

// RowError is one problem of an import.
type RowError = sheetio.RowError

// Lookup is what converting rows needs from the database.
type Lookup struct {
	Chains     []domain.Chain // every chain of the city (a cell may give its code or name)
	ChainCodes []string       // the chains offered for new records (Validate)
	Today      string         // YYYY-MM-DD, China time: the earliest deadline
	Rules      domain.ChallengeRules
}

// Column headers the service and the tests name.
const (
	ColTitle      = "榜单名称"
	ColIndicators = "技术指标"
	ColBudget     = "榜额（元）"
	ColGovShare   = "政府出资（元）"
	ColDeadline   = "揭榜截止日期"
	ColChain      = "产业链"
	ColNeed       = "来源需求编号"
)

type col = sheetio.Column[domain.Challenge]

const exportOnly = "导出时填写，导入时忽略"

// Codec is the challenge sheet for the city l describes.
func Codec(l *Lookup) *sheetio.Codec[domain.Challenge] {
	title, setTitle := sheetio.TextField(func(x *domain.Challenge) *string { return &x.Title })
	problem, setProblem := sheetio.TextField(func(x *domain.Challenge) *string { return &x.Problem })
	elig, setElig := sheetio.TextField(func(x *domain.Challenge) *string { return &x.Eligibility })
	budget, setBudget := sheetio.YuanField(func(x *domain.Challenge) *int64 { return &x.BudgetFen })
	gov, setGov := sheetio.YuanField(func(x *domain.Challenge) *int64 { return &x.GovShareFen })
	deadline, setDeadline := sheetio.DateField(func(x *domain.Challenge) *string { return &x.Deadline })
	chain, setChain := sheetio.ChainField(l.Chains, func(x *domain.Challenge) *string { return &x.ChainCode })
	return &sheetio.Codec[domain.Challenge]{Sheet: Sheet, New: func() *domain.Challenge { return &domain.Challenge{} }, Columns: []col{
		{Header: "ID", Note: "导出时填写，导入时忽略（导入只新建榜单）", Kind: sheetio.Int, Width: 8,
			Get: func(x *domain.Challenge) string { return strconv.FormatInt(x.ID, 10) }},
		{Header: ColTitle, Required: true, Note: "必填，不超过200字。一行一个榜单；揭榜方案、揭榜协议与项目里程碑不在文件中，在榜单页面办理", Example: "新能源汽车电驱系统高功率密度碳化硅控制器攻关", Width: 30,
			Fields: []string{"title"}, Get: title, Set: setTitle},
		{Header: "攻关问题", Required: true, Note: "必填，20至5000字：需要攻克的关键核心技术问题", Width: 50, Fields: []string{"problem"},
			Example: "电驱系统控制器功率密度不足，碳化硅功率模块依赖进口，需攻克高功率密度控制器的设计与封装关键技术。", Get: problem, Set: setProblem},
		{Header: ColIndicators, Required: true, Note: "1至20项，以“；”分隔，每项写作“指标|目标值|单位|考核方式”（单位、考核方式可空）",
			Example: "功率密度|≥45|kW/L|第三方检测；最高效率|≥99|%", Width: 40, Fields: []string{"indicators"},
			Get: func(x *domain.Challenge) string { return indicatorCell(x.Indicators) }, Set: setIndicators},
		{Header: "揭榜方资格条件", Required: true, Note: "必填，不超过2000字", Width: 40, Fields: []string{"eligibility"},
			Example: "在本市注册的高校、科研院所或企业，具有相关研究基础。", Get: elig, Set: setElig},
		{Header: ColBudget, Required: true, Note: "必填，元，最多两位小数，大于0且不超过100亿元", Example: "3000000.00", Kind: sheetio.Yuan, Width: 14,
			Fields: []string{"budget_fen"}, Get: budget, Set: setBudget},
		{Header: ColGovShare, Note: "选填，元，不超过榜额" + govRule(l.Rules), Example: "1000000.00", Kind: sheetio.Yuan, Width: 14,
			Fields: []string{"gov_share_fen"}, Get: gov, Set: setGov},
		{Header: ColDeadline, Required: true, Note: "必填，YYYY-MM-DD，不早于导入当天", Example: sheetio.NextYearEnd(l.Today), Kind: sheetio.Date, Width: 12,
			Fields: []string{"deadline"}, Get: deadline, Set: setDeadline},
		{Header: ColChain, Required: true, Note: "必填，本市重点产业链的名称或代码", Example: sheetio.FirstChain(l.Chains), Width: 18,
			Fields: []string{"chain_code"}, Get: chain, Set: setChain},
		{Header: ColNeed, Note: "选填，由技术需求建榜时填写该需求的编号（须为本单位的需求）", Width: 10, Kind: sheetio.Int, Fields: []string{"need_id"},
			Get: func(x *domain.Challenge) string {
				if x.NeedID == 0 {
					return ""
				}
				return strconv.FormatInt(x.NeedID, 10)
			},
			Set: func(x *domain.Challenge, v string, _ bool) error {
				n, err := sheetio.ParseInt(v, 0, 1<<31-1)
				x.NeedID = int64(n)
				return err
			}},
		{Header: "发榜单位", Note: "导出时填写，导入时忽略（导入的榜单属于导入时选定的单位）", Width: 24, Get: func(x *domain.Challenge) string { return x.OwnerName }},
		{Header: "发榜方", Note: exportOnly, Width: 10, Get: func(x *domain.Challenge) string {
			if x.Publisher == "" {
				return ""
			}
			return domain.ChallengePublishers.Label(x.Publisher)
		}},
		{Header: "状态", Note: exportOnly, Width: 12, Get: func(x *domain.Challenge) string { return x.Status.Label() }},
		{Header: "定榜日期", Note: exportOnly, Kind: sheetio.Date, Width: 12, Get: func(x *domain.Challenge) string { return x.ConfirmedOn }},
		{Header: "发榜日期", Note: exportOnly, Kind: sheetio.Date, Width: 12, Get: func(x *domain.Challenge) string { return x.PublishedOn }},
		{Header: "截止揭榜日期", Note: exportOnly, Kind: sheetio.Date, Width: 12, Get: func(x *domain.Challenge) string { return x.ClosedOn }},
		{Header: "揭榜方", Note: exportOnly, Width: 24, Get: func(x *domain.Challenge) string { return x.WinnerName }},
		{Header: "确定揭榜方日期", Note: exportOnly, Kind: sheetio.Date, Width: 12, Get: func(x *domain.Challenge) string { return x.SelectedOn }},
		{Header: "解决关键技术数", Note: exportOnly + "（验收时登记）", Kind: sheetio.Int, Width: 10, Get: func(x *domain.Challenge) string { return strconv.Itoa(x.KeyTechSolved) }},
		{Header: "达到国际水平的关键技术数", Note: exportOnly + "（验收时登记）", Kind: sheetio.Int, Width: 10, Get: func(x *domain.Challenge) string { return strconv.Itoa(x.KeyTechIntl) }},
	}}
}

// govRule is the government share's rules as the note says them.
func govRule(r domain.ChallengeRules) string {
	s := ""
	if r.MaxGovPermille < 1000 {
		s += "的" + sheetio.PercentCell(int(r.MaxGovPermille), false) + "%"
	}
	if r.GovCapFen > 0 {
		s += "，且不超过" + domain.FormatMoney(r.GovCapFen, "") + "（每个揭榜挂帅项目的上限）"
	}
	return s + "；空为0"
}

func indicatorCell(in []domain.ChallengeIndicator) string {
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = sheetio.JoinParts(x.Indicator, x.Target, x.Unit, x.Method)
	}
	return sheetio.JoinList(out)
}

func setIndicators(x *domain.Challenge, v string, _ bool) error {
	x.Indicators = []domain.ChallengeIndicator{}
	for i, it := range sheetio.SplitList(v) {
		p, ok := sheetio.SplitParts(it, 4)
		if !ok {
			return domain.Errorf(domain.EINVALID, "第%d项指标“%s”应写作“指标|目标值|单位|考核方式”", i+1, it)
		}
		x.Indicators = append(x.Indicators, domain.ChallengeIndicator{Indicator: p[0], Target: p[1], Unit: p[2], Method: p[3]})
	}
	return nil
}

// Decode reads a challenge file, handing each data row to fn converted and
// validated (domain.Challenge.Validate with the city's chains, today and
// the government-share rules), with its problems. File problems come back
// as row errors; err is only an error of fn or of reading.
func Decode(r io.Reader, format sheetio.Format, l *Lookup, maxRows int, fn func(row int, x *domain.Challenge, errs []RowError) error) ([]RowError, error) {
	return Codec(l).DecodeValid(r, format, maxRows, func(x *domain.Challenge) error {
		return x.Validate(l.ChainCodes, l.Today, l.Rules)
	}, fn)
}

// Table is the challenges as a sheet (the export).
func Table(xs []*domain.Challenge, l *Lookup) *sheetio.Table { return Codec(l).Table(xs) }

// Template writes the import template: the header row and an example row
// and, in xlsx, a 说明 sheet documenting every column.
func Template(format sheetio.Format, l *Lookup, w io.Writer) error {
	return Codec(l).WriteTemplateFile(format, w)
}

// Columns lists the importable columns (the import page's notes).
func Columns(l *Lookup) []sheetio.ColumnNote { return sheetio.NotesOf(Codec(l)) }
