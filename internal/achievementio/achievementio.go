// Package achievementio is the achievement module's file codec: 科技成果 as
// rows of an xlsx or CSV file (Chinese column headers, any column order),
// converted to domain values with every problem named by row and column,
// and back. It is a column table over sheetio.Codec; what it must know of
// the city comes in a Lookup, and the import use case
// (service/achievement_io.go) stores the rows in one transaction.
//
// Cell syntax (sheetio): lists are "；"-separated, an item's parts
// "|"-separated — 完成人 "王明|教授|负责人；李华|副教授", 知识产权
// "发明专利|ZL202110000001.X|一种镁合金板材的轧制方法"; enumerated cells take
// the Chinese name or the code; 意向价格 is 元 with at most two decimals
// (blank or 0: 面议); shares are per cent with at most one decimal.
package achievementio

import (
	"io"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// Sheet is the achievement sheet of the xlsx files.
const Sheet = "科技成果"

// MaxAPIRows limits a file uploaded through the API or the pages.
const MaxAPIRows = 5_000

// RowError is one problem of an import.
type RowError = sheetio.RowError

// Lookup is what converting rows needs from the database.
type Lookup struct {
	Chains     []domain.Chain // every chain of the city (a cell may give its code or name)
	ChainCodes []string       // the chains offered for new records (Validate)
	Rules      domain.AchievementRules
}

func (l *Lookup) chainName(code string) string {
	for _, c := range l.Chains {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

func (l *Lookup) chainCode(v string) (string, bool) {
	if v == "" {
		return "", true
	}
	for _, c := range l.Chains {
		if v == c.Code || v == c.Name {
			return c.Code, true
		}
	}
	return "", false
}

// Column headers the service and the tests name.
const (
	ColTitle    = "成果名称"
	ColTeam     = "完成人"
	ColChain    = "产业链"
	ColEmpKind  = "赋权方式"
	ColAsking   = "意向价格（元）"
	ColKeywords = "关键词"
)

type col = sheetio.Column[domain.Achievement]

func invalid(format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, format, args...)
}

// emp returns x's 赋权, creating it when a 赋权 cell is filled.
func emp(x *domain.Achievement, v string) *domain.Empowerment {
	if x.Empowerment == nil && v != "" {
		x.Empowerment = &domain.Empowerment{}
	}
	return x.Empowerment
}

func empGet(f func(e *domain.Empowerment) string) func(x *domain.Achievement) string {
	return func(x *domain.Achievement) string {
		if x.Empowerment == nil {
			return ""
		}
		return f(x.Empowerment)
	}
}

func empDate(header, field, note, example string, p func(e *domain.Empowerment) *string) col {
	return col{Header: header, Note: note, Example: example, Kind: sheetio.Date, Width: 14, Fields: []string{"empowerment." + field},
		Get: empGet(func(e *domain.Empowerment) string { return *p(e) }),
		Set: func(x *domain.Achievement, v string, xlsx bool) error {
			d, err := sheetio.ParseDate(v, xlsx)
			if e := emp(x, d); e != nil {
				*p(e) = d
			}
			return err
		}}
}

// Codec is the achievement sheet for the city l describes.
func Codec(l *Lookup) *sheetio.Codec[domain.Achievement] {
	return &sheetio.Codec[domain.Achievement]{Sheet: Sheet, New: func() *domain.Achievement { return &domain.Achievement{} }, Columns: []col{
		{Header: "ID", Note: "导出时填写，导入时忽略（导入只新建成果）", Kind: sheetio.Int, Width: 8,
			Get: func(x *domain.Achievement) string { return strconv.FormatInt(x.ID, 10) }},
		{Header: ColTitle, Required: true, Note: "必填，不超过200字", Example: "高性能镁合金板材异步轧制技术", Width: 30, Fields: []string{"title"},
			Get: func(x *domain.Achievement) string { return x.Title },
			Set: func(x *domain.Achievement, v string, _ bool) error { x.Title = v; return nil }},
		{Header: "成果简介", Required: true, Note: "必填，20至5000字", Width: 50, Fields: []string{"abstract"},
			Example: "本成果提出一种镁合金板材异步轧制工艺，通过控制轧制速比与温度，在中试线上实现了板材强度与成形性能的同步提升。",
			Get:     func(x *domain.Achievement) string { return x.Abstract },
			Set:     func(x *domain.Achievement, v string, _ bool) error { x.Abstract = v; return nil }},
		{Header: ColKeywords, Required: true, Note: "1至10个，以“；”分隔", Example: "镁合金；异步轧制；板材", Width: 24, Fields: []string{"keywords"},
			Get: func(x *domain.Achievement) string { return sheetio.JoinList(x.Keywords) },
			Set: func(x *domain.Achievement, v string, _ bool) error { x.Keywords = sheetio.SplitList(v); return nil }},
		{Header: ColTeam, Required: true, Note: "1至50人，以“；”分隔，每人写作“姓名|职称|负责人”（职称可空；须有且只有一位负责人）",
			Example: "王明|教授|负责人；李华|副教授", Width: 30, Fields: []string{"team"},
			Get: func(x *domain.Achievement) string { return teamCell(x.Team) }, Set: setTeam},
		{Header: "学科", Note: "选填，不超过50字，如 材料科学与工程", Example: "材料科学与工程", Width: 16, Fields: []string{"discipline"},
			Get: func(x *domain.Achievement) string { return x.Discipline },
			Set: func(x *domain.Achievement, v string, _ bool) error { x.Discipline = v; return nil }},
		{Header: ColChain, Note: "选填，本市重点产业链的名称或代码", Example: exampleChain(l), Width: 18, Fields: []string{"chain_code"},
			Get: func(x *domain.Achievement) string { return l.chainName(x.ChainCode) },
			Set: func(x *domain.Achievement, v string, _ bool) error {
				code, ok := l.chainCode(v)
				if !ok {
					return invalid("产业链“%s”不存在", v)
				}
				x.ChainCode = code
				return nil
			}},
		{Header: "技术成熟度（TRL）", Required: true, Note: "必填，1至9级", Example: "6", Kind: sheetio.Int, Width: 10, Fields: []string{"trl"},
			Get: func(x *domain.Achievement) string { return strconv.Itoa(x.TRL) },
			Set: func(x *domain.Achievement, v string, _ bool) (err error) {
				x.TRL, err = sheetio.ParseInt(v, 1, 9)
				return err
			}},
		{Header: "成熟度依据", Note: "TRL 4级及以上必填：样机、试验或应用证明，不超过2000字", Example: "中试线连续运行三个月", Width: 30, Fields: []string{"trl_evidence"},
			Get: func(x *domain.Achievement) string { return x.TRLEvidence },
			Set: func(x *domain.Achievement, v string, _ bool) error { x.TRLEvidence = v; return nil }},
		{Header: "成熟阶段", Required: true, Note: "必填：" + sheetio.Labels(domain.MaturityStages), Example: "中试", Width: 10, Fields: []string{"stage"},
			Get: func(x *domain.Achievement) string { return domain.MaturityStages.Label(x.Stage) },
			Set: enumSet(domain.MaturityStages, "成熟阶段", func(x *domain.Achievement, c string) { x.Stage = c })},
		{Header: "知识产权", Note: "选填，以“；”分隔，每项写作“类型|专利号或登记号|名称”；类型为" + sheetio.Labels(domain.IPTypes) + "（技术秘密可不填号码）",
			Example: "发明专利|ZL202110000001.X|一种镁合金板材的轧制方法", Width: 40, Fields: []string{"ip"},
			Get: func(x *domain.Achievement) string { return ipCell(x.IP) }, Set: setIP},
		{Header: "经费来源", Required: true, Note: "必填：" + sheetio.Labels(domain.FundingSources), Example: "财政资金", Width: 12, Fields: []string{"funding"},
			Get: func(x *domain.Achievement) string { return domain.FundingSources.Label(x.Funding) },
			Set: enumSet(domain.FundingSources, "经费来源", func(x *domain.Achievement, c string) { x.Funding = c })},
		{Header: "涉及国家安全等重大利益", Note: "是或否（空为否）；为“是”的成果不得赋权，也不得发布", Example: "否", Width: 10, Fields: []string{"security_exclusion"},
			Get: func(x *domain.Achievement) string { return sheetio.YesNoCell(x.Excluded) },
			Set: func(x *domain.Achievement, v string, _ bool) (err error) {
				x.Excluded, err = sheetio.ParseYesNo(v)
				return err
			}},
		{Header: ColEmpKind, Note: "未赋权的留空；赋权的填" + sheetio.Labels(domain.EmpowermentKinds) + "，并填写以下赋权各列", Example: "赋予所有权（按份共有）",
			Width: 18, Fields: []string{"empowerment", "empowerment.kind"},
			Get: empGet(func(e *domain.Empowerment) string { return domain.EmpowermentKinds.Label(e.Kind) }),
			Set: func(x *domain.Achievement, v string, _ bool) error {
				c, ok := sheetio.Code(domain.EmpowermentKinds, v)
				if e := emp(x, v); e != nil {
					e.Kind = c
				}
				if !ok {
					return invalid("“%s”无效，应为%s", v, sheetio.Labels(domain.EmpowermentKinds))
				}
				return nil
			}},
		{Header: "团队份额（%）", Note: "赋予所有权时必填：完成人团队的份额，百分比，最多一位小数；与单位份额之和为100", Example: "70", Width: 10,
			Fields: []string{"empowerment.team_permille"},
			Get:    empGet(func(e *domain.Empowerment) string { return sheetio.PercentCell(e.TeamPermille, e.Kind != "ownership") }),
			Set: func(x *domain.Achievement, v string, _ bool) error {
				p, err := sheetio.ParsePercent(v)
				if e := emp(x, v); e != nil {
					e.TeamPermille = p
				}
				return err
			}},
		{Header: "单位份额（%）", Note: "赋予所有权时必填：单位保留的份额，百分比", Example: "30", Width: 10, Fields: []string{"empowerment.unit_permille"},
			Get: empGet(func(e *domain.Empowerment) string { return sheetio.PercentCell(e.UnitPermille, e.Kind != "ownership") }),
			Set: func(x *domain.Achievement, v string, _ bool) error {
				p, err := sheetio.ParsePercent(v)
				if e := emp(x, v); e != nil {
					e.UnitPermille = p
				}
				return err
			}},
		empDate("长期使用权起始日期", "use_from", "赋予长期使用权时必填，YYYY-MM-DD", "", func(e *domain.Empowerment) *string { return &e.UseFrom }),
		empDate("长期使用权终止日期", "use_to", "赋予长期使用权时必填，不少于本市规定的年限（默认10年）", "", func(e *domain.Empowerment) *string { return &e.UseTo }),
		{Header: "独占使用", Note: "赋予长期使用权时：是或否", Width: 8, Fields: []string{"empowerment.exclusive"},
			Get: empGet(func(e *domain.Empowerment) string {
				if e.Kind != "long_term_use" {
					return ""
				}
				return sheetio.YesNoCell(e.Exclusive)
			}),
			Set: func(x *domain.Achievement, v string, _ bool) error {
				b, err := sheetio.ParseYesNo(v)
				if e := emp(x, v); e != nil {
					e.Exclusive = b
				}
				return err
			}},
		empDate("公示开始日期", "publicity_from", "赋权时必填，YYYY-MM-DD", "2021-05-06", func(e *domain.Empowerment) *string { return &e.PublicityFrom }),
		empDate("公示结束日期", "publicity_to", "赋权时必填，不早于公示开始日期", "2021-05-20", func(e *domain.Empowerment) *string { return &e.PublicityTo }),
		empDate("赋权协议签订日期", "agreement_on", "赋权时必填，须在公示结束之后", "2021-06-01", func(e *domain.Empowerment) *string { return &e.AgreementOn }),
		{Header: "转化方式", Required: true, Note: "必填，一种或多种，以“；”分隔：" + sheetio.Labels(domain.TransferModes), Example: "许可；作价入股", Width: 18,
			Fields: []string{"transfer_modes"},
			Get:    func(x *domain.Achievement) string { return labelList(domain.TransferModes, x.Modes) },
			Set: func(x *domain.Achievement, v string, _ bool) (err error) {
				x.Modes, err = codeList(domain.TransferModes, v)
				return err
			}},
		{Header: ColAsking, Note: "选填，元，最多两位小数；空或0表示面议", Example: "500000.00", Kind: sheetio.Yuan, Width: 14, Fields: []string{"asking_price_fen"},
			Get: func(x *domain.Achievement) string { return sheetio.YuanCell(x.AskingFen, false) },
			Set: func(x *domain.Achievement, v string, xlsx bool) (err error) {
				x.AskingFen, err = sheetio.ParseYuan(v, xlsx)
				return err
			}},
		{Header: "所属单位", Note: "导出时填写，导入时忽略（导入的成果属于导入时选定的单位）", Width: 24,
			Get: func(x *domain.Achievement) string { return x.OwnerName }},
		{Header: "状态", Note: "导出时填写，导入时忽略", Width: 10,
			Get: func(x *domain.Achievement) string { return x.Status.Label() }},
		{Header: "备案日期", Note: "导出时填写，导入时忽略", Kind: sheetio.Date, Width: 12,
			Get: func(x *domain.Achievement) string { return x.FiledOn }},
		{Header: "发布日期", Note: "导出时填写，导入时忽略", Kind: sheetio.Date, Width: 12,
			Get: func(x *domain.Achievement) string { return x.PublishedOn }},
	}}
}

func exampleChain(l *Lookup) string {
	if len(l.Chains) > 0 {
		return l.Chains[0].Name
	}
	return ""
}

func enumSet(e *domain.Enum[string], what string, set func(x *domain.Achievement, code string)) func(x *domain.Achievement, v string, _ bool) error {
	return func(x *domain.Achievement, v string, _ bool) error {
		c, ok := sheetio.Code(e, v)
		if !ok {
			return invalid("%s“%s”无效，应为%s", what, v, sheetio.Labels(e))
		}
		set(x, c)
		return nil
	}
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
	for _, it := range sheetio.SplitList(strings.ReplaceAll(v, "、", ListSep)) {
		c, ok := sheetio.Code(e, it)
		if !ok {
			return out, invalid("“%s”无效，应为%s", it, sheetio.Labels(e))
		}
		out = append(out, c)
	}
	return out, nil
}

// ListSep is the list separator of the cells.
const ListSep = sheetio.ListSep

func teamCell(team []domain.TeamMember) string {
	out := make([]string, len(team))
	for i, m := range team {
		lead := ""
		if m.Leader {
			lead = "负责人"
		}
		out[i] = sheetio.JoinParts(m.Name, m.Title, lead)
	}
	return sheetio.JoinList(out)
}

func setTeam(x *domain.Achievement, v string, _ bool) error {
	x.Team = []domain.TeamMember{}
	for i, it := range sheetio.SplitList(v) {
		p, ok := sheetio.SplitParts(it, 3)
		if !ok {
			return invalid("第%d位完成人“%s”应写作“姓名|职称|负责人”", i+1, it)
		}
		m := domain.TeamMember{Name: p[0], Title: p[1]}
		switch p[2] {
		case "":
		case "负责人", "是":
			m.Leader = true
		default:
			return invalid("第%d位完成人的第三项应为“负责人”或留空，而不是“%s”", i+1, p[2])
		}
		x.Team = append(x.Team, m)
	}
	return nil
}

func ipCell(ip []domain.IPRight) string {
	out := make([]string, len(ip))
	for i, r := range ip {
		out[i] = sheetio.JoinParts(domain.IPTypes.Label(r.Type), r.Number, r.Title)
	}
	return sheetio.JoinList(out)
}

func setIP(x *domain.Achievement, v string, _ bool) error {
	x.IP = []domain.IPRight{}
	for i, it := range sheetio.SplitList(v) {
		p, ok := sheetio.SplitParts(it, 3)
		if !ok {
			return invalid("第%d项知识产权“%s”应写作“类型|专利号或登记号|名称”", i+1, it)
		}
		t, ok := sheetio.Code(domain.IPTypes, p[0])
		if !ok || t == "" {
			return invalid("第%d项知识产权的类型“%s”无效，应为%s", i+1, p[0], sheetio.Labels(domain.IPTypes))
		}
		x.IP = append(x.IP, domain.IPRight{Type: t, Number: strings.ToUpper(p[1]), Title: p[2]})
	}
	return nil
}

// Decode reads an achievement file, handing each data row to fn converted
// and validated (domain.Achievement.Validate with the city's chains and
// rules), with its problems. File problems come back as row errors; err
// is only an error of fn or of reading.
func Decode(r io.Reader, format sheetio.Format, l *Lookup, maxRows int, fn func(row int, x *domain.Achievement, errs []RowError) error) ([]RowError, error) {
	c := Codec(l)
	return c.Decode(r, format, maxRows, func(row int, x *domain.Achievement, errs []RowError) error {
		if x.Empowerment != nil && x.Empowerment.Kind == "" && !hasField(errs, ColEmpKind) {
			errs = append(errs, RowError{Row: row, Field: ColEmpKind, Message: "填写了赋权信息，请同时填写赋权方式"})
		}
		// The record's own rules too, for the columns whose cells read well:
		// every problem of the row at once.
		if err := x.Validate(l.ChainCodes, l.Rules); err != nil {
			errs = sheetio.MergeRowErrors(errs, c.RowErrors(row, err))
		}
		return fn(row, x, errs)
	})
}

func hasField(errs []RowError, field string) bool {
	for _, e := range errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Table is the achievements as a sheet (the export).
func Table(xs []*domain.Achievement, l *Lookup) *sheetio.Table { return Codec(l).Table(xs) }

// Template writes the import template: the header row and an example row
// and, in xlsx, a 说明 sheet documenting every column.
func Template(format sheetio.Format, l *Lookup, w io.Writer) error {
	c := Codec(l)
	return sheetio.WriteTemplate(format, c.Template(), c.Notes(), w)
}

// Columns lists the importable columns (the import page's notes).
func Columns(l *Lookup) []sheetio.ColumnNote { return sheetio.NotesOf(Codec(l)) }
