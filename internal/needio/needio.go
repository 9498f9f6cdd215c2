// Package needio is the need module's file codec: 技术需求 as rows of an
// xlsx or CSV file (Chinese column headers, any column order), converted
// to domain values with every problem named by row and column, and back.
// It is a column table over sheetio.Codec; the import use case
// (service/need_io.go) stores the rows in one transaction.
//
// Cell syntax (sheetio): 目标指标 "指标|目标值|单位" items separated by "；"
// ("抗拉强度|≥300|MPa；延伸率|≥15|%"); 合作方式 and 关键词 "；"-separated;
// budgets in 元 with at most two decimals (both blank or 0: 面议).
package needio

import (
	"io"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// Sheet is the need sheet of the xlsx files.
const Sheet = "技术需求"

// MaxAPIRows limits a file uploaded through the API or the pages.
const MaxAPIRows = 5_000

// RowError is one problem of an import.
type RowError = sheetio.RowError

// Lookup is what converting rows needs from the database.
type Lookup struct {
	Chains     []domain.Chain // every chain of the city (a cell may give its code or name)
	ChainCodes []string       // the chains offered for new records (Validate)
	Today      string         // YYYY-MM-DD, China time: the earliest deadline
}

func (l *Lookup) chainName(code string) string {
	for _, c := range l.Chains {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// Column headers the service and the tests name.
const (
	ColTitle      = "需求名称"
	ColIndicators = "目标指标"
	ColDeadline   = "截止日期"
	ColBudgetMax  = "最高预算（元）"
	ColPhone      = "联系电话"
)

type col = sheetio.Column[domain.Need]

func invalid(format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, format, args...)
}

func text(get func(x *domain.Need) *string) (func(x *domain.Need) string, func(x *domain.Need, v string, _ bool) error) {
	return func(x *domain.Need) string { return *get(x) }, func(x *domain.Need, v string, _ bool) error { *get(x) = v; return nil }
}

// Codec is the need sheet for the city l describes.
func Codec(l *Lookup) *sheetio.Codec[domain.Need] {
	title, setTitle := text(func(x *domain.Need) *string { return &x.Title })
	problem, setProblem := text(func(x *domain.Need) *string { return &x.Problem })
	contact, setContact := text(func(x *domain.Need) *string { return &x.ContactName })
	phone, setPhone := text(func(x *domain.Need) *string { return &x.ContactPhone })
	return &sheetio.Codec[domain.Need]{Sheet: Sheet, New: func() *domain.Need { return &domain.Need{} }, Columns: []col{
		{Header: "ID", Note: "导出时填写，导入时忽略（导入只新建需求）", Kind: sheetio.Int, Width: 8,
			Get: func(x *domain.Need) string { return strconv.FormatInt(x.ID, 10) }},
		{Header: ColTitle, Required: true, Note: "必填，不超过200字", Example: "镁合金轮毂轻量化成形工艺", Width: 30, Fields: []string{"title"}, Get: title, Set: setTitle},
		{Header: "问题描述", Required: true, Note: "必填，20至5000字：企业自身难以解决的技术问题", Width: 50, Fields: []string{"problem"},
			Example: "现有铝合金轮毂重量偏高，希望采用镁合金替代并解决成形过程中的开裂与耐腐蚀问题，实现批量生产。", Get: problem, Set: setProblem},
		{Header: ColIndicators, Required: true, Note: "1至20项，以“；”分隔，每项写作“指标|目标值|单位”（单位可空）",
			Example: "抗拉强度|≥300|MPa；减重比例|≥20|%", Width: 36, Fields: []string{"indicators"},
			Get: func(x *domain.Need) string { return indicatorCell(x.Indicators) }, Set: setIndicators},
		{Header: "最低预算（元）", Note: "选填，元，最多两位小数；最低与最高均为空或0表示面议", Example: "500000.00", Kind: sheetio.Yuan, Width: 14,
			Fields: []string{"budget_min_fen"},
			Get:    func(x *domain.Need) string { return sheetio.YuanCell(x.BudgetMinFen, false) },
			Set: func(x *domain.Need, v string, xlsx bool) (err error) {
				x.BudgetMinFen, err = sheetio.ParseYuan(v, xlsx)
				return err
			}},
		{Header: ColBudgetMax, Note: "选填，元，不低于最低预算", Example: "2000000.00", Kind: sheetio.Yuan, Width: 14, Fields: []string{"budget_max_fen"},
			Get: func(x *domain.Need) string { return sheetio.YuanCell(x.BudgetMaxFen, false) },
			Set: func(x *domain.Need, v string, xlsx bool) (err error) {
				x.BudgetMaxFen, err = sheetio.ParseYuan(v, xlsx)
				return err
			}},
		{Header: ColDeadline, Required: true, Note: "必填，YYYY-MM-DD，不早于导入当天", Example: exampleDeadline(l), Kind: sheetio.Date, Width: 12,
			Fields: []string{"deadline"},
			Get:    func(x *domain.Need) string { return x.Deadline },
			Set: func(x *domain.Need, v string, xlsx bool) (err error) {
				if v == "" {
					return invalid("截止日期必填")
				}
				x.Deadline, err = sheetio.ParseDate(v, xlsx)
				return err
			}},
		{Header: "产业链", Note: "选填，本市重点产业链的名称或代码", Example: exampleChain(l), Width: 18, Fields: []string{"chain_code"},
			Get: func(x *domain.Need) string { return l.chainName(x.ChainCode) },
			Set: func(x *domain.Need, v string, _ bool) error {
				for _, c := range l.Chains {
					if v == c.Code || v == c.Name {
						x.ChainCode = c.Code
						return nil
					}
				}
				if v != "" {
					return invalid("产业链“%s”不存在", v)
				}
				return nil
			}},
		{Header: "关键词", Note: "选填，不超过10个，以“；”分隔", Example: "镁合金；轮毂；轻量化", Width: 24, Fields: []string{"keywords"},
			Get: func(x *domain.Need) string { return sheetio.JoinList(x.Keywords) },
			Set: func(x *domain.Need, v string, _ bool) error { x.Keywords = sheetio.SplitList(v); return nil }},
		{Header: "期望成熟阶段", Note: "选填：" + sheetio.Labels(domain.MaturityStages) + "（空为不限）", Example: "中试", Width: 12, Fields: []string{"stage"},
			Get: func(x *domain.Need) string { return domain.MaturityStages.Label(x.Stage) },
			Set: func(x *domain.Need, v string, _ bool) error {
				c, ok := sheetio.Code(domain.MaturityStages, v)
				if !ok {
					return invalid("期望成熟阶段“%s”无效，应为%s", v, sheetio.Labels(domain.MaturityStages))
				}
				x.Stage = c
				return nil
			}},
		{Header: "合作方式", Required: true, Note: "必填，一种或多种，以“；”分隔：" + sheetio.Labels(domain.NeedModes), Example: "技术开发；技术转让", Width: 20,
			Fields: []string{"cooperation_modes"},
			Get:    func(x *domain.Need) string { return labelList(domain.NeedModes, x.Modes) },
			Set: func(x *domain.Need, v string, _ bool) (err error) {
				x.Modes, err = codeList(domain.NeedModes, v)
				return err
			}},
		{Header: "联系人", Required: true, Note: "必填，不超过50字（不向公众公开）", Example: "张伟", Width: 10, Fields: []string{"contact_name"}, Get: contact, Set: setContact},
		{Header: ColPhone, Required: true, Note: "必填，7至20位数字，可含“-”“+”和空格（仅科技局和本企业可见）", Example: "024-23456789", Width: 16,
			Fields: []string{"contact_phone"}, Get: phone, Set: setPhone},
		{Header: "发布单位", Note: "导出时填写，导入时忽略（导入的需求属于导入时选定的企业）", Width: 24, Get: func(x *domain.Need) string { return x.OwnerName }},
		{Header: "状态", Note: "导出时填写，导入时忽略", Width: 10, Get: func(x *domain.Need) string { return x.StatusLabel() }},
		{Header: "发布日期", Note: "导出时填写，导入时忽略", Kind: sheetio.Date, Width: 12, Get: func(x *domain.Need) string { return x.PublishedOn }},
		{Header: "关闭日期", Note: "导出时填写，导入时忽略", Kind: sheetio.Date, Width: 12, Get: func(x *domain.Need) string { return x.ClosedOn }},
		{Header: "结果", Note: "导出时填写，导入时忽略", Width: 16, Get: func(x *domain.Need) string {
			if x.Outcome == "" {
				return ""
			}
			return domain.NeedOutcomes.Label(x.Outcome)
		}},
	}}
}

func exampleChain(l *Lookup) string {
	if len(l.Chains) > 0 {
		return l.Chains[0].Name
	}
	return ""
}

// exampleDeadline is a deadline valid on the day of the template: the
// end of the year after today's.
func exampleDeadline(l *Lookup) string {
	y, err := strconv.Atoi(l.Today[:min(4, len(l.Today))])
	if err != nil {
		return "2030-12-31"
	}
	return strconv.Itoa(y+1) + "-12-31"
}

func labelList(e *domain.Enum[string], codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = e.Label(c)
	}
	return sheetio.JoinList(out)
}

// codeList reads a list of an enum's labels or codes (also "、"-separated).
func codeList(e *domain.Enum[string], v string) ([]string, error) {
	out := []string{}
	for _, it := range sheetio.SplitList(strings.ReplaceAll(v, "、", sheetio.ListSep)) {
		c, ok := sheetio.Code(e, it)
		if !ok {
			return out, invalid("“%s”无效，应为%s", it, sheetio.Labels(e))
		}
		out = append(out, c)
	}
	return out, nil
}

func indicatorCell(in []domain.NeedIndicator) string {
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = sheetio.JoinParts(x.Indicator, x.Target, x.Unit)
	}
	return sheetio.JoinList(out)
}

func setIndicators(x *domain.Need, v string, _ bool) error {
	x.Indicators = []domain.NeedIndicator{}
	for i, it := range sheetio.SplitList(v) {
		p, ok := sheetio.SplitParts(it, 3)
		if !ok {
			return invalid("第%d项指标“%s”应写作“指标|目标值|单位”", i+1, it)
		}
		x.Indicators = append(x.Indicators, domain.NeedIndicator{Indicator: p[0], Target: p[1], Unit: p[2]})
	}
	return nil
}

// Decode reads a need file, handing each data row to fn converted and
// validated (domain.Need.Validate with the city's chains and today), with
// its problems. File problems come back as row errors; err is only an
// error of fn or of reading.
func Decode(r io.Reader, format sheetio.Format, l *Lookup, maxRows int, fn func(row int, x *domain.Need, errs []RowError) error) ([]RowError, error) {
	c := Codec(l)
	return c.Decode(r, format, maxRows, func(row int, x *domain.Need, errs []RowError) error {
		// The record's own rules too, for the columns whose cells read well:
		// every problem of the row at once.
		if err := x.Validate(l.ChainCodes, l.Today); err != nil {
			errs = sheetio.MergeRowErrors(errs, c.RowErrors(row, err))
		}
		return fn(row, x, errs)
	})
}

// Table is the needs as a sheet (the export).
func Table(xs []*domain.Need, l *Lookup) *sheetio.Table { return Codec(l).Table(xs) }

// Template writes the import template: the header row and an example row
// and, in xlsx, a 说明 sheet documenting every column.
func Template(format sheetio.Format, l *Lookup, w io.Writer) error {
	c := Codec(l)
	return sheetio.WriteTemplate(format, c.Template(), c.Notes(), w)
}

// Columns lists the importable columns (the import page's notes).
func Columns(l *Lookup) []sheetio.ColumnNote { return sheetio.NotesOf(Codec(l)) }
