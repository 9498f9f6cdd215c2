package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/rules"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// FactsSource prefills the self-check and the policy calculator with a
// firm's facts from elsewhere — the enterprise registry's "load my filing
// for year Y". nil facts and nil error: nothing filed. Set Web.Facts to
// plug one in; without it the forms start empty.
type FactsSource interface {
	FactsFor(ctx context.Context, a *domain.Actor, year int) (*rules.Facts, error)
}

// FactsSourceFunc adapts a function to FactsSource.
type FactsSourceFunc func(ctx context.Context, a *domain.Actor, year int) (*rules.Facts, error)

// FactsFor calls f.
func (f FactsSourceFunc) FactsFor(ctx context.Context, a *domain.Actor, year int) (*rules.Facts, error) {
	return f(ctx, a, year)
}

// assessModule is the self-check (/assess: every tier's verdict with each
// gate and item, the missing facts and the next tier's advice) and the
// policy calculator (/assess/policies), public like the rules; nothing is
// stored.
func assessModule() Module {
	return Module{
		Name:     "assess",
		Pages:    []string{"assess/self", "assess/policies"},
		Partials: []string{"assess/form"},
		Routes:   assessRoutes,
		Funcs:    assessFuncs,
		Nav: []NavItem{{ID: "nav-assess", Label: "企业自评与政策计算", Path: "/assess", Active: "assess", Show: domain.Assessments.InNav,
			Icon: `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16v16H4z M8 12l3 3 5-6" fill="none" stroke="currentColor" stroke-width="2"/></svg>`}},
	}
}

func assessRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /assess", w.assessPage("self"))
	mux.HandleFunc("POST /assess", w.assessPage("self"))
	mux.HandleFunc("GET /assess/policies", w.assessPage("policies"))
	mux.HandleFunc("POST /assess/policies", w.assessPage("policies"))
	mux.HandleFunc("GET /assess/template.xlsx", w.assessTemplate)
}

var assessVerdicts = map[string]string{
	rules.Pass: "通过", rules.Fail: "未通过", rules.NotEligible: "不符合条件", rules.ExpertDependent: "取决于专家评分",
}

var assessTierTitles = map[string]string{
	"sme": "科技型中小企业", "hnte": "高新技术企业", "gazelle": "瞪羚企业", "unicorn": "独角兽企业", "eaglet": "雏鹰企业",
}

func assessFuncs(l i18n.Lang) template.FuncMap {
	return template.FuncMap{
		"assess_verdict": func(v string) string { return i18n.T(l, assessVerdicts[v]) },
		"assess_tier": func(id string) string {
			if t := assessTierTitles[id]; t != "" {
				return i18n.T(l, t)
			}
			return id
		},
		"assess_status": func(s string) string {
			return i18n.T(l, map[string]string{rules.PolicyEligible: "可申请", rules.PolicyNotEligible: "不符合", rules.PolicyMissing: "缺少事实"}[s])
		},
		"assess_yuan": func(p *int64) string {
			if p == nil {
				return "—"
			}
			return domain.FormatMoney(*p, "")
		},
		"assess_opt": func(name, value string) struct{ Name, Value string } {
			return struct{ Name, Value string }{name, value}
		},
		"assess_contract_kinds": func() []assessChoice { return assessContractKinds },
		"assess_seller_kinds":   func() []assessChoice { return assessSellerKinds },
		"assess_contract_flags": func() []assessChoice {
			return []assessChoice{{"registered", "已认定登记"}, {"funded_before", "已获过补助"}, {"good_benefit", "效益良好"}}
		},
		"assess_provisional": func(r *rules.Result) bool { return r != nil && r.Verdict != rules.Pass && len(r.Missing) > 0 },
	}
}

// assessField is one input of the facts form; Name is the column of the
// flat facts form (rules.TableColumns) or a city-policy fact.
type assessField struct {
	Name, Label, Kind string // Kind: text, date, int, yuan, bool, event
}

type assessGroup struct {
	Title  string
	Fields []assessField
}

// The form's inputs come from the one catalogue of FACTS.md's facts that
// the registry's yearly filing uses (enterprisefacts.Fields, YearFields),
// named by their column of the flat facts form ("flags.serious_fraud" is
// flags_serious_fraud, "years[0].rd_expense_fen" y1_rd_expense_fen), so
// the self-check asks for every fact the engine reads. The registry fills
// name, USCC and founding date in a filing; here they are typed.
var (
	assessBasic, assessYearCols []assessField
	assessGroups                []assessGroup
	assessPolicyFacts           []assessField
)

func init() {
	assessBasic = []assessField{{"name", "企业名称", "text"}, {"uscc", "统一社会信用代码", "text"}, {"registered_on", "注册成立日期", "date"}}
	byGroup := map[string]int{}
	for _, f := range enterprisefacts.Fields {
		af := assessField{assessColumn(f.Path), f.Label, assessKind(f.Kind)}
		switch f.Group {
		case enterprisefacts.GroupBasic:
			assessBasic = append(assessBasic, af)
			continue
		case enterprisefacts.GroupPolicy:
			assessPolicyFacts = append(assessPolicyFacts, af)
		}
		i, ok := byGroup[f.Group]
		if !ok {
			i = len(assessGroups)
			byGroup[f.Group] = i
			assessGroups = append(assessGroups, assessGroup{Title: f.Group})
		}
		assessGroups[i].Fields = append(assessGroups[i].Fields, af)
	}
	for _, f := range enterprisefacts.YearFields {
		assessYearCols = append(assessYearCols, assessField{f.Path, f.Label, assessKind(f.Kind)})
	}
}

// assessColumn is a facts path's column of the flat facts form
// (rules.TableColumns).
func assessColumn(path string) string {
	if k, ok := strings.CutPrefix(path, "expert_scores."); ok {
		return "expert_" + k
	}
	return strings.ReplaceAll(path, ".", "_")
}

func assessKind(k enterprisefacts.Kind) string {
	switch k {
	case enterprisefacts.KindMoney:
		return "yuan"
	case enterprisefacts.KindScore:
		return "int"
	case enterprisefacts.KindEnum:
		return "event" // hnte_event, the one enum fact
	}
	return string(k)
}

// assessView is the page's data.
type assessView struct {
	Mode      string // self | policies
	Action    string
	V         map[string]string // the form's values (money in 元)
	Basic     []assessField
	YearCols  []assessField
	YearRows  []int // 1…4, oldest first (FACTS.md: up to the 4 most recent)
	Contracts []int // 1…assessMaxContracts: the rows of technology contracts
	Groups    []assessGroup
	JSON      string // the facts as JSON (what was assessed)
	Error     string
	Field     string
	Prefilled int // the year loaded from FactsSource (0: none)
	CanLoad   bool
	G         *service.Guide
	Tiers     []assessTier
}

type assessTier struct {
	ID     string
	R      *rules.Result
	Advice []rules.Advice
}

const maxAssessUpload = 2 << 20

func (w *Web) assessPage(mode string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		l := i18n.FromContext(r.Context())
		u := httpx.UserFrom(r.Context())
		a := service.ActorOf(u)
		v := &assessView{Mode: mode, Action: r.URL.Path, V: map[string]string{}, Basic: assessBasic, YearCols: assessYearCols,
			YearRows: []int{1, 2, 3, 4}, Contracts: assessContractRows(), CanLoad: w.Facts != nil && a != nil && domain.Enterprises.CanSeeMine(a),
			Groups: assessGroups}
		title := map[string]string{"self": "企业自评", "policies": "政策计算器"}[mode]
		var facts *rules.Facts
		status := http.StatusOK
		switch r.Method {
		case http.MethodGet:
			if ys := r.URL.Query().Get("year"); ys != "" && v.CanLoad {
				y, err := strconv.Atoi(ys)
				if err != nil || y < 1980 || y > 2200 {
					v.Error, v.Field = i18n.T(l, "年份应为四位数字"), "year"
					break
				}
				f, err := w.Facts.FactsFor(r.Context(), a, y)
				if err != nil {
					w.fail(rw, r, err)
					return
				}
				if f != nil {
					facts, v.Prefilled = f, y
				}
			}
		default:
			f, err := w.assessFacts(rw, r, v)
			if err != nil {
				v.Error, v.Field = assessErr(r.Context(), err)
				status = httpx.StatusOf(err)
				if status == http.StatusInternalServerError {
					w.fail(rw, r, err)
					return
				}
				break
			}
			facts = f
		}
		if facts != nil {
			v.V = formValues(rules.Cells(facts), facts)
			b, _ := jsonIndent(facts)
			v.JSON = b
			if r.Method == http.MethodPost {
				g, err := w.Svc.Assessments.Guide(r.Context(), a, w.Kernel.ClientAddr(r), facts)
				if err != nil {
					v.Error, v.Field = assessErr(r.Context(), err)
					status = httpx.StatusOf(err)
				} else {
					v.G = g
					for _, id := range append(slices.Clone(rules.Ladder), rules.SideTiers...) {
						if res := g.Tiers.Results[id]; res != nil {
							t := assessTier{ID: id, R: res}
							for _, ad := range g.Tiers.Advice {
								if ad.Tier == id {
									t.Advice = append(t.Advice, ad)
								}
							}
							v.Tiers = append(v.Tiers, t)
						}
					}
				}
			}
		} else if r.Method == http.MethodPost {
			v.V = formValuesFromRequest(r)
		}
		w.render(rw, r, status, "assess/"+mode, w.newView(r, title, "assess", v))
	}
}

// assessErr is a user error's message in the reader's language and its field.
func assessErr(ctx context.Context, err error) (string, string) {
	var e *domain.Error
	if asDomain(ctx, err, &e) {
		return e.Message, e.Field
	}
	return domain.ErrorMessage(err), ""
}

func jsonIndent(f *rules.Facts) (string, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	return string(b), err
}

// assessFacts reads the facts of a POST: an uploaded file (FACTS JSON, or
// the Excel/CSV template's first firm), else the JSON box, else the form.
func (w *Web) assessFacts(rw http.ResponseWriter, r *http.Request, v *assessView) (*rules.Facts, error) {
	r.Body = http.MaxBytesReader(rw, r.Body, maxAssessUpload+1<<20)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(maxAssessUpload); err != nil {
			return nil, domain.Errorf(domain.ETOOLARGE, "上传的文件不能超过 %d MB", maxAssessUpload>>20)
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, domain.FieldErrorf("(form)", "无法读取表单")
	}
	if file, h, err := r.FormFile("file"); err == nil {
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, maxAssessUpload+1))
		if err != nil || len(data) > maxAssessUpload {
			return nil, domain.Errorf(domain.ETOOLARGE, "上传的文件不能超过 %d MB", maxAssessUpload>>20)
		}
		if len(bytes.TrimSpace(data)) > 0 {
			return firstFirm(factsFromFile(h.Filename, data))
		}
	}
	if js := strings.TrimSpace(r.PostFormValue("facts_json")); js != "" {
		fs, err := rules.ParseJSON([]byte(js))
		return firstFirm(fs, inputErr("facts_json", err))
	}
	return factsFromForm(r)
}

func firstFirm(fs []rules.Facts, err error) (*rules.Facts, error) {
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, domain.FieldErrorf("file", "文件中没有企业")
	}
	return &fs[0], nil
}

// inputErr names the engine's input error's field (prefixed) for the page.
func inputErr(prefix string, err error) error {
	var ie *rules.InputError
	if err == nil || !errors.As(err, &ie) {
		return err
	}
	field := ie.Field
	if prefix != "" {
		field = prefix + ":" + field
	}
	return domain.FieldErrorf(field, "%s", ie.Error())
}

func factsFromFile(name string, data []byte) ([]rules.Facts, error) {
	t := bytes.TrimSpace(data)
	if strings.HasSuffix(strings.ToLower(name), ".json") || (len(t) > 0 && (t[0] == '{' || t[0] == '[')) {
		fs, err := rules.ParseJSON(data)
		return fs, inputErr("file", err)
	}
	f, err := sheetio.FormatOf("", name, data)
	if err != nil {
		return nil, domain.FieldErrorf("file", "文件应为 FACTS JSON、Excel（.xlsx）或 CSV")
	}
	var src sheetio.Rows
	if f == sheetio.XLSX {
		src, err = sheetio.NewXLSXReader(bytes.NewReader(data), "")
	} else {
		src, err = sheetio.NewCSVReader(bytes.NewReader(data))
	}
	if err != nil {
		return nil, domain.FieldErrorf("file", "无法读取文件：%s", domain.ErrorMessage(err))
	}
	defer src.Close()
	var rows [][]string
	for len(rows) < 3 { // the header and the first firm (the template's example row aside)
		cells, _, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, domain.FieldErrorf("file", "无法读取文件：%s", domain.ErrorMessage(err))
		}
		rows = append(rows, slices.Clone(cells))
	}
	fs, err := rules.ParseTable(rows)
	return fs, inputErr("file", err)
}

// factsFromForm turns the form into the flat facts form (money typed in
// 元, exactly to fen) and reads it with rules.ParseTable, then the city
// policies' facts.
func factsFromForm(r *http.Request) (*rules.Facts, error) {
	var head, row []string
	add := func(f assessField, name string) error {
		s := strings.TrimSpace(r.PostFormValue(name))
		if s == "" {
			return nil
		}
		switch f.Kind {
		case "yuan":
			fen, ok := ParseYuan(s)
			if !ok {
				return domain.FieldErrorf(name, "%s 应为金额（元，至多两位小数），实际为 %q", f.Label, s)
			}
			s = strconv.FormatInt(fen, 10)
		case "int":
			if _, ok := ParseCount(s); !ok {
				return domain.FieldErrorf(name, "%s 应为整数，实际为 %q", f.Label, s)
			}
		case "bool":
			if s != "true" && s != "false" {
				return domain.FieldErrorf(name, "%s 应为“是”或“否”", f.Label)
			}
		}
		head, row = append(head, name), append(row, s)
		return nil
	}
	for _, f := range assessBasic {
		if err := add(f, f.Name); err != nil {
			return nil, err
		}
	}
	for _, g := range assessGroups {
		for _, f := range g.Fields {
			if slices.Contains(assessPolicyFacts, f) {
				continue // not a column of the flat form: read below
			}
			if err := add(f, f.Name); err != nil {
				return nil, err
			}
		}
	}
	for _, k := range []int{1, 2, 3, 4} { // FACTS.md: up to the 4 most recent years
		for _, c := range assessYearCols {
			if err := add(c, "y"+strconv.Itoa(k)+"_"+c.Name); err != nil {
				return nil, err
			}
		}
	}
	if len(head) == 0 {
		head, row = []string{"name"}, []string{""}
	}
	fs, err := rules.ParseTable([][]string{head, row})
	if err != nil {
		return nil, inputErr("", err)
	}
	f := &rules.Facts{}
	if len(fs) > 0 {
		f = &fs[0]
	}
	for _, p := range assessPolicyFacts {
		s := strings.TrimSpace(r.PostFormValue(p.Name))
		if s == "" {
			continue
		}
		switch p.Kind {
		case "event":
			if !slices.Contains([]string{"first", "renewal", "relocated_in", "none"}, s) {
				return nil, domain.FieldErrorf(p.Name, "%s 的取值无效", p.Label)
			}
			f.HNTEEvent = &s
		case "bool":
			b := s == "true"
			if s != "true" && s != "false" {
				return nil, domain.FieldErrorf(p.Name, "%s 应为“是”或“否”", p.Label)
			}
			if p.Name == "in_pool" {
				f.InPool = &b
			} else {
				f.AboveDesignatedSize = &b
			}
		default:
			var n int64
			var ok bool
			if p.Kind == "yuan" {
				n, ok = ParseYuan(s)
			} else {
				n, ok = ParseCount(s)
			}
			if !ok {
				return nil, domain.FieldErrorf(p.Name, "%s 的格式不对：%q", p.Label, s)
			}
			switch p.Name {
			case "pool_subsidy_years":
				f.PoolSubsidyYears = &n
			case "subsidy_paid_this_year_fen":
				f.SubsidyPaidFen = &n
			case "brokered_contracts":
				f.BrokeredContracts = &n
			}
		}
	}
	cs, given, err := contractsFromForm(r)
	if err != nil {
		return nil, err
	}
	if given {
		f.Contracts, f.ContractsGiven = cs, true
	}
	return f, nil
}

// assessMaxContracts is how many technology contracts the form lists (a
// firm with more uploads FACTS JSON, which has no limit but the engine's).
const assessMaxContracts = 6

func assessContractRows() []int {
	out := make([]int, assessMaxContracts)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// assessChoice is one choice of a contract's select: a code the rule
// sets read (rules.Contract) and its label.
type assessChoice struct{ Code, Label string }

// The choices of a contract's kind and seller.
var (
	assessContractKinds = []assessChoice{{"transfer", "技术转让"}, {"license", "技术许可"}, {"equity", "作价入股"},
		{"development", "技术开发"}, {"consulting", "技术咨询"}, {"service", "技术服务"}}
	assessSellerKinds = []assessChoice{{"university", "高等院校"}, {"institute", "科研院所"},
		{"talent", "认定的高层次人才"}, {"enterprise", "企业"}}
)

// contractsFromForm reads the contract rows (c<k>_<field>): a row with any
// field typed is a contract, and needs its date, kind, seller and price;
// contracts_none says the firm has none to count. given is false when
// neither is said: the contracts are then a missing fact, never "none".
func contractsFromForm(r *http.Request) (cs []rules.Contract, given bool, err error) {
	none := r.PostFormValue("contracts_none") == "true"
	for k := 1; k <= assessMaxContracts; k++ {
		name := func(f string) string { return "c" + strconv.Itoa(k) + "_" + f }
		get := func(f string) string { return strings.TrimSpace(r.PostFormValue(name(f))) }
		fields := []string{"signed_on", "kind", "seller_kind", "price_fen", "received_fen", "registered", "funded_before", "good_benefit"}
		typed := false
		for _, f := range fields[:5] { // the yes/no selects start at 否
			typed = typed || get(f) != ""
		}
		if !typed {
			continue
		}
		var c rules.Contract
		if c.SignedOn = get("signed_on"); c.SignedOn == "" {
			return nil, false, domain.FieldErrorf(name("signed_on"), "第 %d 份合同：请填写签订日期", k)
		} else if _, err := domain.ParseDate(c.SignedOn); err != nil {
			return nil, false, domain.FieldErrorf(name("signed_on"), "第 %d 份合同：签订日期应为 YYYY-MM-DD", k)
		}
		choose := func(f string, from []assessChoice) bool {
			v := get(f)
			return slices.ContainsFunc(from, func(ch assessChoice) bool { return ch.Code == v })
		}
		if c.Kind = get("kind"); !choose("kind", assessContractKinds) {
			return nil, false, domain.FieldErrorf(name("kind"), "第 %d 份合同：请选择合同类别", k)
		}
		if c.SellerKind = get("seller_kind"); !choose("seller_kind", assessSellerKinds) {
			return nil, false, domain.FieldErrorf(name("seller_kind"), "第 %d 份合同：请选择卖方类型", k)
		}
		var ok bool
		if c.PriceFen, ok = ParseYuan(get("price_fen")); !ok {
			return nil, false, domain.FieldErrorf(name("price_fen"), "第 %d 份合同：合同金额应为金额（元，至多两位小数）", k)
		}
		if v := get("received_fen"); v != "" {
			if c.ReceivedFen, ok = ParseYuan(v); !ok {
				return nil, false, domain.FieldErrorf(name("received_fen"), "第 %d 份合同：已支付金额应为金额（元，至多两位小数）", k)
			}
		}
		for _, b := range []struct {
			f string
			p *bool
		}{{"registered", &c.Registered}, {"funded_before", &c.FundedBefore}, {"good_benefit", &c.GoodBenefit}} {
			switch get(b.f) {
			case "true":
				*b.p = true
			case "", "false":
			default:
				return nil, false, domain.FieldErrorf(name(b.f), "第 %d 份合同：应为“是”或“否”", k)
			}
		}
		cs = append(cs, c)
	}
	if none && len(cs) > 0 {
		return nil, false, domain.FieldErrorf("contracts_none", "已填写合同，又选了“没有技术合同”：请二选一")
	}
	if none {
		return []rules.Contract{}, true, nil
	}
	return cs, len(cs) > 0, nil
}

// formValues are the form's values for facts (money back in 元).
func formValues(cells map[string]string, f *rules.Facts) map[string]string {
	out := map[string]string{}
	for k, s := range cells {
		if strings.HasSuffix(k, "_fen") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				s = yuanInput(n, false)
			}
		}
		out[k] = s
	}
	if f.HNTEEvent != nil {
		out["hnte_event"] = *f.HNTEEvent
	}
	for k, p := range map[string]*bool{"in_pool": f.InPool, "above_designated_size": f.AboveDesignatedSize} {
		if p != nil {
			out[k] = strconv.FormatBool(*p)
		}
	}
	for k, p := range map[string]*int64{"pool_subsidy_years": f.PoolSubsidyYears, "brokered_contracts": f.BrokeredContracts} {
		if p != nil {
			out[k] = strconv.FormatInt(*p, 10)
		}
	}
	if f.SubsidyPaidFen != nil {
		out["subsidy_paid_this_year_fen"] = yuanInput(*f.SubsidyPaidFen, false)
	}
	if f.ContractsGiven && len(f.Contracts) == 0 {
		out["contracts_none"] = "true"
	}
	for i, c := range f.Contracts {
		if i == assessMaxContracts {
			break // more than the form lists: the JSON box below shows them all
		}
		p := "c" + strconv.Itoa(i+1) + "_"
		out[p+"signed_on"], out[p+"kind"], out[p+"seller_kind"] = c.SignedOn, c.Kind, c.SellerKind
		out[p+"price_fen"], out[p+"received_fen"] = yuanInput(c.PriceFen, false), yuanInput(c.ReceivedFen, false)
		out[p+"registered"], out[p+"funded_before"], out[p+"good_benefit"] = strconv.FormatBool(c.Registered),
			strconv.FormatBool(c.FundedBefore), strconv.FormatBool(c.GoodBenefit)
	}
	return out
}

// formValuesFromRequest keeps what was typed when it could not be read.
func formValuesFromRequest(r *http.Request) map[string]string {
	out := map[string]string{}
	for k, vs := range r.PostForm {
		if len(vs) > 0 && k != "facts_json" {
			out[k] = vs[0]
		}
	}
	return out
}

// assessTemplate is the Excel template the CLI reads (kechuang assess
// --input F.xlsx): the columns of the flat facts form and one example row.
func (w *Web) assessTemplate(rw http.ResponseWriter, r *http.Request) {
	cols := rules.TableColumns()
	example := map[string]string{"name": "沈阳示例科技有限公司", "registered_on": "2016-04-12", "assessed_on": "2023-05-20",
		"employees": "80", "tech_staff": "20", "total_assets_fen": "1500000000", "y1_year": "2020", "y2_year": "2021", "y3_year": "2022"}
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = example[c]
	}
	t := &sheetio.Table{Sheet: "facts", Header: cols, Rows: [][]string{row}}
	var buf bytes.Buffer
	if err := t.Write(sheetio.XLSX, &buf); err != nil {
		w.fail(rw, r, err)
		return
	}
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="facts-template.xlsx"`)
	rw.Write(buf.Bytes())
}
