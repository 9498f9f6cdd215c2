package rules

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Facts is what is known of an enterprise (../shared/rules/FACTS.md). A nil
// pointer is a fact not given: reported as missing, never guessed.
type Facts struct {
	Name           string  `json:"name,omitempty"`
	USCC           string  `json:"uscc,omitempty"`
	RegisteredOn   *string `json:"registered_on,omitempty"`
	AssessedOn     *string `json:"assessed_on,omitempty"`
	Employees      *int64  `json:"employees,omitempty"`
	TechStaff      *int64  `json:"tech_staff,omitempty"`
	TotalAssetsFen *int64  `json:"total_assets_fen,omitempty"`
	Years          []Year  `json:"years,omitempty"`
	IP             *struct {
		Class1        *int64 `json:"class1,omitempty"`
		Class2        *int64 `json:"class2,omitempty"`
		SelfDeveloped *bool  `json:"self_developed,omitempty"`
	} `json:"ip,omitempty"`
	Conversions3y *int64           `json:"conversions_3y,omitempty"`
	Flags         map[string]bool  `json:"flags,omitempty"`
	Direct        map[string]bool  `json:"direct,omitempty"`
	Funding       *Funding         `json:"funding,omitempty"`
	ExpertScores  map[string]int64 `json:"expert_scores,omitempty"`

	// Added for the city policies (FACTS.md: fields may be added).
	HNTEEvent           *string    `json:"hnte_event,omitempty"` // first, renewal, relocated_in, none
	AboveDesignatedSize *bool      `json:"above_designated_size,omitempty"`
	InPool              *bool      `json:"in_pool,omitempty"`            // 高企培育库
	PoolSubsidyYears    *int64     `json:"pool_subsidy_years,omitempty"` // years of pool R&D subsidy already received
	Contracts           []Contract `json:"contracts,omitempty"`
	ContractsGiven      bool       `json:"-"`
	SubsidyPaidFen      *int64     `json:"subsidy_paid_this_year_fen,omitempty"`
	BrokeredContracts   *int64     `json:"brokered_contracts,omitempty"`
}

// Year is one accounting year's figures.
type Year struct {
	Year               int    `json:"year"`
	SalesRevenueFen    *int64 `json:"sales_revenue_fen,omitempty"`
	TotalIncomeFen     *int64 `json:"total_income_fen,omitempty"`
	CostTotalFen       *int64 `json:"cost_total_fen,omitempty"`
	RDExpenseFen       *int64 `json:"rd_expense_fen,omitempty"`
	RDDomesticFen      *int64 `json:"rd_domestic_fen,omitempty"`
	NetAssetsFen       *int64 `json:"net_assets_fen,omitempty"`
	HightechRevenueFen *int64 `json:"hightech_revenue_fen,omitempty"`
	TechActivityFen    *int64 `json:"tech_activity_fen,omitempty"`
	Employees          *int64 `json:"employees,omitempty"`
}

// Funding is the 独角兽/瞪羚 financing facts.
type Funding struct {
	ValuationUSD      *int64 `json:"valuation_usd,omitempty"`
	Listed            *bool  `json:"listed,omitempty"`
	PrivateInvestment *bool  `json:"private_investment,omitempty"`
	LargestVCRoundFen *int64 `json:"largest_vc_round_fen,omitempty"`
}

// Contract is a technology contract the firm took part in (city policies).
type Contract struct {
	PriceFen     int64  `json:"price_fen" expr:"price_fen"`
	ReceivedFen  int64  `json:"received_fen" expr:"received_fen"`
	SignedOn     string `json:"signed_on" expr:"-"`
	SellerKind   string `json:"seller_kind" expr:"seller_kind"` // university, institute, talent, enterprise
	Kind         string `json:"kind" expr:"kind"`               // transfer, license, equity, development, consulting, service
	Registered   bool   `json:"registered" expr:"registered"`
	FundedBefore bool   `json:"funded_before" expr:"funded_before"`
	GoodBenefit  bool   `json:"good_benefit" expr:"good_benefit"`
	// SignedYearsAgo is the least n with assessed_on on or before the n-th
	// anniversary of signed_on (set by the engine).
	SignedYearsAgo int `json:"-" expr:"signed_years_ago"`
}

// InputError names the firm (row or index) and the field at fault.
type InputError struct {
	Row   int // 1-based firm (JSON array index + 1, or table row); 0 for a single object
	Field string
	Msg   string
}

func (e *InputError) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("第 %d 条（row %d）字段 %s：%s", e.Row, e.Row, e.Field, e.Msg)
	}
	return fmt.Sprintf("字段 %s：%s", e.Field, e.Msg)
}

const maxFirms = 1_000_000

// ParseJSON reads one facts object or an array of them.
func ParseJSON(data []byte) ([]Facts, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, &InputError{Field: "(input)", Msg: "空输入 (empty input)"}
	}
	if data[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, &InputError{Field: "(input)", Msg: "不是合法的 JSON 数组: " + err.Error()}
		}
		if len(raws) > maxFirms {
			return nil, &InputError{Field: "(input)", Msg: fmt.Sprintf("超过 %d 家企业", maxFirms)}
		}
		out := make([]Facts, 0, len(raws))
		for i, r := range raws {
			f, err := decodeOne(r)
			if err != nil {
				err.Row = i + 1
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	}
	f, err := decodeOne(data)
	if err != nil {
		return nil, err
	}
	return []Facts{f}, nil
}

func decodeOne(data []byte) (Facts, *InputError) {
	var f Facts
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return f, &InputError{Field: "(object)", Msg: "应为 JSON 对象 (a facts object)，实际为 " + te.Value}
		}
		if errors.As(err, &te) {
			want := map[string]string{"int64": "整数 (an integer)", "int": "整数 (an integer)", "bool": "true 或 false (a boolean)",
				"string": "文本 (a string)"}[te.Type.String()]
			if want == "" {
				want = te.Type.String()
			}
			return f, &InputError{Field: te.Field, Msg: "应为 " + want + "，实际为 " + te.Value}
		}
		msg := err.Error()
		if i := strings.Index(msg, "unknown field "); i >= 0 {
			name := strings.Trim(msg[i+len("unknown field "):], `"`)
			if name == "" {
				name = `""` // an empty member name: still named
			}
			return f, &InputError{Field: name, Msg: "未知字段 (unknown field)"}
		}
		return f, &InputError{Field: "(object)", Msg: "不是合法的 JSON 对象: " + msg}
	}
	if dec.More() {
		return f, &InputError{Field: "(object)", Msg: "对象之后还有多余内容 (trailing data)"}
	}
	// "contracts": [] decodes to an empty slice that is not nil, an absent
	// member or null to nil (the last of duplicated members wins, as in
	// any decode): no second parse of the object.
	f.ContractsGiven = f.Contracts != nil
	if err := f.validate(); err != nil {
		return f, err
	}
	return f, nil
}

func parseDate(s string) (time.Time, error) {
	// the common well-formed case without time.Parse (once per firm and set)
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		if ok1 && ok2 && ok3 && m >= 1 && m <= 12 && d >= 1 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d {
				return t, nil
			}
		}
	}
	return time.Parse(time.DateOnly, s)
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// validate checks what the JSON types cannot: dates, signs, year order.
func (f *Facts) validate() *InputError {
	for _, d := range []struct {
		name string
		v    *string
	}{{"registered_on", f.RegisteredOn}, {"assessed_on", f.AssessedOn}} {
		if d.v != nil {
			if _, err := parseDate(*d.v); err != nil {
				return &InputError{Field: d.name, Msg: fmt.Sprintf("日期应为 YYYY-MM-DD (a date), 实际为 %q", *d.v)}
			}
		}
	}
	if f.RegisteredOn != nil && f.AssessedOn != nil && *f.AssessedOn < *f.RegisteredOn {
		return &InputError{Field: "assessed_on", Msg: "早于 registered_on (before the registration date)"}
	}
	nonneg := func(name string, v *int64) *InputError {
		if v != nil && *v < 0 {
			return &InputError{Field: name, Msg: fmt.Sprintf("不能为负数 (must not be negative): %d", *v)}
		}
		return nil
	}
	for _, c := range []struct {
		n string
		v *int64
	}{{"employees", f.Employees}, {"tech_staff", f.TechStaff}, {"total_assets_fen", f.TotalAssetsFen},
		{"conversions_3y", f.Conversions3y}, {"pool_subsidy_years", f.PoolSubsidyYears},
		{"subsidy_paid_this_year_fen", f.SubsidyPaidFen}, {"brokered_contracts", f.BrokeredContracts}} {
		if err := nonneg(c.n, c.v); err != nil {
			return err
		}
	}
	if f.IP != nil {
		if err := nonneg("ip.class1", f.IP.Class1); err != nil {
			return err
		}
		if err := nonneg("ip.class2", f.IP.Class2); err != nil {
			return err
		}
	}
	if f.Funding != nil {
		if err := nonneg("funding.valuation_usd", f.Funding.ValuationUSD); err != nil {
			return err
		}
		if err := nonneg("funding.largest_vc_round_fen", f.Funding.LargestVCRoundFen); err != nil {
			return err
		}
	}
	if f.Employees != nil && f.TechStaff != nil && *f.TechStaff > *f.Employees {
		return &InputError{Field: "tech_staff", Msg: fmt.Sprintf("%d 大于职工总数 employees %d", *f.TechStaff, *f.Employees)}
	}
	if len(f.Years) > 4 {
		return &InputError{Field: "years", Msg: "最多 4 个会计年度 (at most 4 years)"}
	}
	for i, y := range f.Years {
		p := fmt.Sprintf("years[%d]", i)
		if y.Year < 1900 || y.Year > 9999 {
			return &InputError{Field: p + ".year", Msg: fmt.Sprintf("年份无效 (invalid year) %d", y.Year)}
		}
		if i > 0 && y.Year <= f.Years[i-1].Year {
			return &InputError{Field: p + ".year", Msg: "年份应从旧到新且不重复 (years oldest first, no repeats)"}
		}
		for _, c := range []struct {
			n string
			v *int64
		}{{"sales_revenue_fen", y.SalesRevenueFen}, {"total_income_fen", y.TotalIncomeFen}, {"cost_total_fen", y.CostTotalFen},
			{"rd_expense_fen", y.RDExpenseFen}, {"rd_domestic_fen", y.RDDomesticFen}, {"hightech_revenue_fen", y.HightechRevenueFen},
			{"tech_activity_fen", y.TechActivityFen}, {"employees", y.Employees}} {
			if err := nonneg(p+"."+c.n, c.v); err != nil {
				return err
			}
		}
		if y.RDDomesticFen != nil && y.RDExpenseFen != nil && *y.RDDomesticFen > *y.RDExpenseFen {
			return &InputError{Field: p + ".rd_domestic_fen", Msg: "大于 rd_expense_fen (more than all R&D)"}
		}
	}
	for k, v := range f.ExpertScores {
		if v < 0 || v > 100 {
			return &InputError{Field: "expert_scores." + k, Msg: fmt.Sprintf("分值无效 (invalid points) %d", v)}
		}
	}
	if f.HNTEEvent != nil {
		switch *f.HNTEEvent {
		case "first", "renewal", "relocated_in", "none":
		default:
			return &InputError{Field: "hnte_event", Msg: fmt.Sprintf("应为 first、renewal、relocated_in 或 none，实际为 %q", *f.HNTEEvent)}
		}
	}
	for i, c := range f.Contracts {
		p := fmt.Sprintf("contracts[%d]", i)
		if c.PriceFen < 0 || c.ReceivedFen < 0 {
			return &InputError{Field: p + ".price_fen", Msg: "金额不能为负数 (amounts must not be negative)"}
		}
		signed, err := parseDate(c.SignedOn)
		if err != nil {
			return &InputError{Field: p + ".signed_on", Msg: fmt.Sprintf("日期应为 YYYY-MM-DD，实际为 %q", c.SignedOn)}
		}
		// A contract signed after the assessment would count as signed "0
		// years ago", inside every window.
		if f.AssessedOn == nil {
			continue
		}
		if at, err := parseDate(*f.AssessedOn); err == nil && signed.After(at) {
			return &InputError{Field: p + ".signed_on", Msg: "晚于 assessed_on (signed after the assessment date)"}
		}
	}
	return nil
}

// TableColumns are the columns of the flat (CSV / Excel) form of the facts:
// one firm a row; yearly figures as y<k>_<field>, k = 1 (oldest) … 4, with
// y<k>_year naming the year. Empty cells are facts not given.
func TableColumns() []string {
	cols := []string{"name", "uscc", "registered_on", "assessed_on", "employees", "tech_staff", "total_assets_fen",
		"ip_class1", "ip_class2", "ip_self_developed", "conversions_3y"}
	for _, k := range flagKeys {
		cols = append(cols, "flags_"+k)
	}
	for _, k := range directKeys {
		cols = append(cols, "direct_"+k)
	}
	cols = append(cols, "funding_valuation_usd", "funding_listed", "funding_private_investment", "funding_largest_vc_round_fen")
	for _, k := range expertKeys {
		cols = append(cols, "expert_"+k)
	}
	for k := 1; k <= 4; k++ {
		cols = append(cols, fmt.Sprintf("y%d_year", k))
		for _, c := range yearFields {
			cols = append(cols, fmt.Sprintf("y%d_%s", k, c))
		}
	}
	return cols
}

var (
	flagKeys = []string{"resident_enterprise", "excluded_industry", "major_incident", "abnormal_or_dishonest_list",
		"serious_fraud", "core_ip_owned", "in_supported_domain",
		// 雏鹰 (Liaoning 2021): excluded entities and the qualifying honours
		"branch_or_sales_entity", "software_certificates", "contest_award", "sci_tech_award"}
	directKeys = []string{"hnte_certificate_valid", "national_award_top3", "provincial_rd_institution", "led_standard"}
	expertKeys = []string{"ip_advanced", "ip_core_support", "ip_quantity", "ip_acquisition", "ip_standards",
		"conversion", "rd_management", "growth_net_assets", "growth_sales"}
	yearFields = []string{"sales_revenue_fen", "total_income_fen", "cost_total_fen", "rd_expense_fen", "rd_domestic_fen",
		"net_assets_fen", "hightech_revenue_fen", "tech_activity_fen", "employees"}
)

// ParseCSV reads the flat form (header row, then one firm a row).
func ParseCSV(r io.Reader) ([]Facts, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &InputError{Field: "(csv)", Msg: err.Error()}
		}
		rows = append(rows, rec)
		if len(rows) > maxFirms+1 {
			return nil, &InputError{Field: "(input)", Msg: fmt.Sprintf("超过 %d 家企业", maxFirms)}
		}
	}
	return ParseTable(rows)
}

// ParseTable reads the flat form from rows of cells (CSV, or an Excel
// sheet read by the caller): the first row names the columns.
func ParseTable(rows [][]string) ([]Facts, error) {
	if len(rows) == 0 {
		return nil, &InputError{Field: "(input)", Msg: "没有表头 (no header row)"}
	}
	known := map[string]bool{}
	for _, c := range TableColumns() {
		known[c] = true
	}
	head := rows[0]
	seen := map[string]bool{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		head[i] = h
		if !known[h] {
			return nil, &InputError{Row: 1, Field: h, Msg: "未知列 (unknown column)"}
		}
		if seen[h] {
			return nil, &InputError{Row: 1, Field: h, Msg: "重复列 (duplicate column)"}
		}
		seen[h] = true
	}
	var out []Facts
	for ri, row := range rows[1:] {
		empty := true
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		if len(row) > len(head) {
			return nil, &InputError{Row: ri + 2, Field: "(row)", Msg: fmt.Sprintf("%d 个单元格，表头只有 %d 列", len(row), len(head))}
		}
		m := map[string]any{}
		years := map[int]map[string]any{}
		set := func(obj map[string]any, key string, v any) { obj[key] = v }
		sub := func(name string) map[string]any {
			if o, ok := m[name].(map[string]any); ok {
				return o
			}
			o := map[string]any{}
			m[name] = o
			return o
		}
		for ci, cell := range row {
			cell = strings.TrimSpace(cell)
			if cell == "" {
				continue
			}
			col := head[ci]
			v, err := cellValue(col, cell)
			if err != nil {
				return nil, &InputError{Row: ri + 2, Field: col, Msg: err.Error()}
			}
			switch {
			case strings.HasPrefix(col, "flags_"):
				set(sub("flags"), strings.TrimPrefix(col, "flags_"), v)
			case strings.HasPrefix(col, "direct_"):
				set(sub("direct"), strings.TrimPrefix(col, "direct_"), v)
			case strings.HasPrefix(col, "funding_"):
				set(sub("funding"), strings.TrimPrefix(col, "funding_"), v)
			case strings.HasPrefix(col, "expert_"):
				set(sub("expert_scores"), strings.TrimPrefix(col, "expert_"), v)
			case strings.HasPrefix(col, "ip_"):
				set(sub("ip"), strings.TrimPrefix(col, "ip_"), v)
			case len(col) > 3 && col[0] == 'y' && col[2] == '_' && col[1] >= '1' && col[1] <= '4':
				k := int(col[1] - '0')
				if years[k] == nil {
					years[k] = map[string]any{}
				}
				years[k][col[3:]] = v
			default:
				m[col] = v
			}
		}
		var ys []map[string]any
		for k := 1; k <= 4; k++ {
			if y := years[k]; y != nil {
				if _, ok := y["year"]; !ok {
					return nil, &InputError{Row: ri + 2, Field: fmt.Sprintf("y%d_year", k), Msg: "有该年数据但没有年份 (figures without the year)"}
				}
				ys = append(ys, y)
			}
		}
		if len(ys) > 0 {
			m["years"] = ys
		}
		b, _ := json.Marshal(m)
		f, ierr := decodeOne(b)
		if ierr != nil {
			ierr.Row = ri + 2
			if strings.HasPrefix(ierr.Field, "years[") { // name the column, not the JSON path
				ierr.Field = "y" + ierr.Field[len("years["):len("years[")+1] + "_" + ierr.Field[strings.Index(ierr.Field, ".")+1:]
				ierr.Field = fixYearCol(ierr.Field)
			}
			return nil, ierr
		}
		out = append(out, f)
	}
	return out, nil
}

// fixYearCol turns "y0_x" (a 0-based index) into the 1-based column name.
func fixYearCol(s string) string {
	if len(s) > 1 && s[1] >= '0' && s[1] <= '3' {
		return "y" + string(s[1]+1) + s[2:]
	}
	return s
}

func cellValue(col, cell string) (any, error) {
	switch col {
	case "name", "uscc", "registered_on", "assessed_on":
		return cell, nil
	}
	if strings.HasPrefix(col, "flags_") || strings.HasPrefix(col, "direct_") || col == "ip_self_developed" ||
		col == "funding_listed" || col == "funding_private_investment" {
		switch strings.ToLower(cell) {
		case "true", "1", "yes", "是", "y":
			return true, nil
		case "false", "0", "no", "否", "n":
			return false, nil
		}
		return nil, fmt.Errorf("应为 是/否 (true/false)，实际为 %q", cell)
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(cell, ",", ""), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("应为整数（金额以分计）(an integer; money in fen)，实际为 %q", cell)
	}
	return n, nil
}

// Cells is the facts in the flat form of TableColumns (money in fen, yes/no
// as true/false, the years oldest first; "" a fact not given): what a form
// shows to be edited and ParseTable reads back.
func Cells(f *Facts) map[string]string {
	out := map[string]string{}
	b, err := json.Marshal(f)
	if err != nil {
		return out
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return out
	}
	str := func(v any) string {
		switch x := v.(type) {
		case float64:
			return strconv.FormatInt(int64(x), 10)
		case bool:
			return strconv.FormatBool(x)
		case string:
			return x
		}
		return ""
	}
	for k, v := range m {
		switch k {
		case "flags", "direct", "funding", "expert_scores", "ip":
			pre := map[string]string{"flags": "flags_", "direct": "direct_", "funding": "funding_", "expert_scores": "expert_", "ip": "ip_"}[k]
			if sub, ok := v.(map[string]any); ok {
				for sk, sv := range sub {
					out[pre+sk] = str(sv)
				}
			}
		case "years":
			ys, _ := v.([]any)
			sort.SliceStable(ys, func(i, j int) bool { return str(ys[i].(map[string]any)["year"]) < str(ys[j].(map[string]any)["year"]) })
			if len(ys) > 4 {
				ys = ys[len(ys)-4:]
			}
			for i, y := range ys {
				for yk, yv := range y.(map[string]any) {
					out[fmt.Sprintf("y%d_%s", i+1, yk)] = str(yv)
				}
			}
		case "contracts":
		default:
			out[k] = str(v)
		}
	}
	return out
}
