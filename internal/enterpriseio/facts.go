package enterpriseio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/sheetio"
)

// FactsRow is one firm's facts as a row of the facts sheet: the credit
// code that names the firm, its name (for the reader; the registry's is
// kept) and the facts by path ("employees", "flags.serious_fraud",
// "years[0].rd_expense_fen"). An empty cell is a fact not given, never 0.
type FactsRow struct {
	USCC  string
	Name  string
	cells map[string]any // int64, bool or string by path
}

// NewFactsRow is a stored filing's facts as a row (the export).
func NewFactsRow(uscc, name string, facts json.RawMessage) (*FactsRow, error) {
	x := &FactsRow{USCC: uscc, Name: name, cells: map[string]any{}}
	dec := json.NewDecoder(bytes.NewReader(facts))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("enterpriseio: facts of %s: %w", uscc, err)
	}
	x.flatten("", m)
	return x, nil
}

func (x *FactsRow) flatten(prefix string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			x.flatten(p, sub)
		}
	case []any:
		for i, sub := range v {
			x.flatten(fmt.Sprintf("%s[%d]", prefix, i), sub)
		}
	case json.Number:
		if n, err := v.Int64(); err == nil {
			x.cells[prefix] = n
		}
	case bool, string:
		x.cells[prefix] = v
	}
}

// JSON is the row's facts as a JSON object (the import; checked by
// Valid). The accounting years are filled from the first on: a year
// after an empty one is a problem of that year's first cell.
func (x *FactsRow) JSON() (json.RawMessage, error) {
	root := map[string]any{}
	var years []map[string]any
	paths := make([]string, 0, len(x.cells))
	for p := range x.cells {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		v := x.cells[p]
		if rest, ok := strings.CutPrefix(p, "years["); ok {
			i, _ := strconv.Atoi(rest[:1])
			for len(years) <= i {
				years = append(years, nil)
			}
			if years[i] == nil {
				years[i] = map[string]any{}
			}
			years[i][rest[3:]] = v
			continue
		}
		cur := root
		parts := strings.Split(p, ".")
		for _, k := range parts[:len(parts)-1] {
			sub, _ := cur[k].(map[string]any)
			if sub == nil {
				sub = map[string]any{}
				cur[k] = sub
			}
			cur = sub
		}
		cur[parts[len(parts)-1]] = v
	}
	for i, y := range years {
		if y == nil {
			return nil, domain.FieldErrorf(fmt.Sprintf("facts.years[%d].year", i), "%s：会计年度应从第1年起依次填写（第%d年为空）",
				enterprisefacts.Label(fmt.Sprintf("years[%d].year", i)), i+1)
		}
	}
	if len(years) > 0 {
		root["years"] = years
	}
	b, err := json.Marshal(root)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Valid checks the row: the credit code, the facts by the rule engine's
// parser, and the assessment date that gives the filing its year.
func (x *FactsRow) Valid() error {
	if err := domain.ValidateUSCC(x.USCC); err != nil {
		return err
	}
	raw, err := x.JSON()
	if err != nil {
		return err
	}
	if _, err := enterprisefacts.Parse(raw); err != nil {
		return err
	}
	if _, ok := x.cells["assessed_on"]; !ok {
		return domain.FieldErrorf("facts.assessed_on", "%s必填（其年份即填报年度）", enterprisefacts.Label("assessed_on"))
	}
	return nil
}

// header is a fact's column header: its name, and the unit of money.
func header(f enterprisefacts.Field, prefix string) string {
	h := prefix + f.Label
	if f.Kind == enterprisefacts.KindMoney {
		h += "（元）"
	}
	return h
}

// note says what a fact's cell holds.
func note(f enterprisefacts.Field) string {
	switch f.Kind {
	case enterprisefacts.KindDate:
		return "YYYY-MM-DD"
	case enterprisefacts.KindMoney:
		return "金额，元，最多两位小数"
	case enterprisefacts.KindBool:
		return "是/否"
	case enterprisefacts.KindEnum:
		var ls []string
		for _, c := range f.Choices {
			ls = append(ls, c.Label)
		}
		return strings.Join(ls, "、")
	case enterprisefacts.KindScore:
		return "专家评分，0至100的整数"
	}
	return "不小于0的整数"
}

// factColumn is the column of the fact at path.
func factColumn(f enterprisefacts.Field, path, head, example string) sheetio.Column[FactsRow] {
	kind := sheetio.Text
	switch f.Kind {
	case enterprisefacts.KindMoney:
		kind = sheetio.Yuan
	case enterprisefacts.KindDate:
		kind = sheetio.Date
	case enterprisefacts.KindInt, enterprisefacts.KindScore:
		kind = sheetio.Int
	}
	n := "选填，" + note(f) + "；空为未提供（不按0计）"
	if path == "assessed_on" {
		n = "必填，YYYY-MM-DD：其年份即填报年度，同一企业同一年度再次导入即更正"
	}
	return sheetio.Column[FactsRow]{Header: head, Required: path == "assessed_on", Note: n, Example: example, Kind: kind, Width: 14,
		Fields: []string{"facts." + path},
		Get: func(x *FactsRow) string {
			v, ok := x.cells[path]
			if !ok {
				return ""
			}
			switch v := v.(type) {
			case bool:
				return sheetio.YesNoCell(v)
			case int64:
				if f.Kind == enterprisefacts.KindMoney {
					return sheetio.YuanCell(v, false)
				}
				return strconv.FormatInt(v, 10)
			case string:
				for _, c := range f.Choices {
					if c.Code == v {
						return c.Label
					}
				}
				return v
			}
			return ""
		},
		Set: func(x *FactsRow, v string, xlsx bool) error {
			if v == "" {
				return nil
			}
			val, err := cellOf(f, v, xlsx)
			if err != nil {
				return err
			}
			x.cells[path] = val
			return nil
		}}
}

// cellOf reads a fact's cell.
func cellOf(f enterprisefacts.Field, v string, xlsx bool) (any, error) {
	switch f.Kind {
	case enterprisefacts.KindDate:
		return sheetio.ParseDate(v, xlsx)
	case enterprisefacts.KindMoney:
		return sheetio.ParseYuan(v, xlsx)
	case enterprisefacts.KindBool:
		return sheetio.ParseYesNo(v)
	case enterprisefacts.KindEnum:
		for _, c := range f.Choices {
			if v == c.Code || v == c.Label {
				return c.Code, nil
			}
		}
		return nil, domain.Errorf(domain.EINVALID, "“%s”无效，应为%s", v, note(f))
	case enterprisefacts.KindText:
		return v, nil
	}
	s := strings.ReplaceAll(strings.TrimSuffix(v, ".0"), ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/100 {
		return nil, domain.Errorf(domain.EINVALID, "“%s”无效，应为不小于0的整数", v)
	}
	return n, nil
}

// yearPrefix is the header prefix of the k-th accounting year (0-based).
func yearPrefix(k int) string { return fmt.Sprintf("第%d个会计年度 ", k+1) }

// FactsCodec is the facts sheet: the credit code, the name, then every
// fact of enterprisefacts.Fields and MaxYears accounting years of
// YearFields. today (YYYY-MM-DD) dates the template's example.
func FactsCodec(today string) *sheetio.Codec[FactsRow] {
	year, _ := strconv.Atoi(today[:min(4, len(today))])
	if year < domain.MinFilingYear || year > domain.MaxFilingYear {
		year = 2023
	}
	cols := []sheetio.Column[FactsRow]{
		{Header: ColUSCC, Required: true, Note: "必填，企业库中企业的统一社会信用代码", Example: ExampleUSCC, Width: 22,
			Fields: []string{"uscc", "facts.uscc"}, Get: func(x *FactsRow) string { return x.USCC },
			Set: func(x *FactsRow, v string, _ bool) error { x.USCC = domain.NormalizeUSCC(v); return nil }},
		{Header: ColName, Note: "选填，便于核对；以企业库中的名称为准", Example: "沈阳示例科技有限公司", Width: 30,
			Fields: []string{"facts.name"}, Get: func(x *FactsRow) string { return x.Name },
			Set: func(x *FactsRow, v string, _ bool) error { x.Name = v; return nil }},
	}
	examples := factExamples(year)
	for _, f := range enterprisefacts.Fields {
		cols = append(cols, factColumn(f, f.Path, header(f, ""), examples[f.Path]))
	}
	for k := range enterprisefacts.MaxYears {
		for _, f := range enterprisefacts.YearFields {
			path := fmt.Sprintf("years[%d].%s", k, f.Path)
			cols = append(cols, factColumn(f, path, header(f, yearPrefix(k)), examples[path]))
		}
	}
	return &sheetio.Codec[FactsRow]{Sheet: FactsSheet, Columns: cols,
		New: func() *FactsRow { return &FactsRow{cells: map[string]any{}} }}
}

// factExamples is the template's example row: a firm assessed in year,
// with its three accounting years before.
func factExamples(year int) map[string]string {
	m := map[string]string{"assessed_on": fmt.Sprintf("%d-05-20", year), "employees": "80", "tech_staff": "20",
		"total_assets_fen": "15000000.00", "ip.class1": "1", "ip.class2": "3", "ip.self_developed": "是", "conversions_3y": "10",
		"flags.resident_enterprise": "是", "flags.excluded_industry": "否", "flags.major_incident": "否",
		"flags.abnormal_or_dishonest_list": "否", "flags.serious_fraud": "否", "flags.core_ip_owned": "是",
		"flags.in_supported_domain": "是", "direct.hnte_certificate_valid": "否"}
	for k := range 3 {
		p := fmt.Sprintf("years[%d].", k)
		sales := 30_000_000 + 5_000_000*k
		m[p+"year"] = strconv.Itoa(year - 3 + k)
		m[p+"sales_revenue_fen"] = fmt.Sprintf("%d.00", sales)
		m[p+"total_income_fen"] = fmt.Sprintf("%d.00", sales)
		m[p+"rd_expense_fen"] = fmt.Sprintf("%d.00", sales/20)
		m[p+"rd_domestic_fen"] = fmt.Sprintf("%d.00", sales/20)
		m[p+"net_assets_fen"] = fmt.Sprintf("%d.00", 8_000_000+1_000_000*k)
		m[p+"hightech_revenue_fen"] = fmt.Sprintf("%d.00", sales*7/10)
		m[p+"employees"] = "80"
	}
	return m
}

// DecodeFacts reads a facts file, handing each data row to fn with its
// problems (the cells', then the facts' by the rule engine's parser);
// which firm a code names and whether the facts agree with it is the
// service's to check.
func DecodeFacts(r io.Reader, format sheetio.Format, today string, maxRows int, fn func(row int, x *FactsRow, errs []RowError) error) ([]RowError, error) {
	return FactsCodec(today).DecodeValid(r, format, maxRows, (*FactsRow).Valid, fn)
}

// FactsTable is the filings as a sheet (the export).
func FactsTable(xs []*FactsRow, today string) *sheetio.Table { return FactsCodec(today).Table(xs) }

// FactsTemplate writes the facts' import template.
func FactsTemplate(format sheetio.Format, today string, w io.Writer) error {
	return FactsCodec(today).WriteTemplateFile(format, w)
}

// FactsColumns lists the facts' importable columns (the import page).
func FactsColumns(today string) []sheetio.ColumnNote { return sheetio.NotesOf(FactsCodec(today)) }

// RowErrorsOf names the columns of a facts problem found after decoding
// (the service's check against the registry firm).
func RowErrorsOf(row int, err error, today string) []RowError {
	return FactsCodec(today).RowErrors(row, err)
}

// FactsRowOf is a row of facts given by path (the web form's), for JSON.
func FactsRowOf(uscc string, cells map[string]any) *FactsRow {
	return &FactsRow{USCC: uscc, cells: cells}
}

// Cells are the row's facts by path (int64, bool or string; a copy).
func (x *FactsRow) Cells() map[string]any {
	out := make(map[string]any, len(x.cells))
	for k, v := range x.cells {
		out[k] = v
	}
	return out
}
