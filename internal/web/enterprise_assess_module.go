package web

import (
	"bytes"
	"html/template"
	"mime"
	"net/http"
	"slices"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/rules"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// enterpriseAssessModule is the tier assessment's pages: a firm's verdicts
// by year with their explanations (and the panel the registry's firm page
// shows), the bureau's batch run of a year, and the public tier statistics.
func enterpriseAssessModule() Module {
	return Module{
		Name:     "enterprise_assess",
		Pages:    []string{"enterprise_assess/firm", "enterprise_assess/runs", "enterprise_assess/stats"},
		Partials: []string{"enterprise_assess/panel"},
		Routes:   enterpriseAssessRoutes,
		Nav: []NavItem{
			{ID: "nav-enterprise-assessments", Label: "梯度评价", Path: "/enterprises/assessments", Active: "enterprise_assessments",
				Icon: `<path d="M3 16.5h3v-4H3zM8.5 16.5h3v-8h-3zM14 16.5h3V3.5h-3z" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linejoin="round"/>`,
				Show: domain.EnterpriseAssess.CanSeeRuns},
		},
		Funcs: enterpriseAssessFuncs,
		Flash: map[string]string{
			"enterprise_assess_started":  "批量评价已开始，本页显示进度。",
			"enterprise_assess_assessed": "已按该年度的填报数据重新评价。",
			"enterprise_assess_intake":   "入库培育口径已修改。",
		},
	}
}

func enterpriseAssessRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /stats/enterprises", w.enterpriseStatsPage)
	mux.HandleFunc("GET /enterprises/assessments", w.enterpriseRunsPage)
	mux.HandleFunc("POST /enterprises/assessments", w.enterpriseRunStart)
	mux.HandleFunc("GET /enterprises/assessments/export", w.enterpriseRunExport)
	mux.HandleFunc("POST /enterprises/assessments/pool-intake", w.enterprisePoolIntake)
	mux.HandleFunc("GET /enterprises/{id}/assessments", w.enterpriseFirmPage)
	mux.HandleFunc("POST /enterprises/{id}/assessments/{year}", w.enterpriseFirmAssess)
}

func enterpriseAssessFuncs(l i18n.Lang) template.FuncMap {
	return template.FuncMap{
		"enterprise_assess_ruleSet": func(id string) string { return i18n.T(l, domain.TierRuleSetLabel(id)) },
		"enterprise_assess_verdict": func(v any) string {
			var code domain.AssessVerdict
			switch x := v.(type) {
			case domain.AssessVerdict:
				code = x
			case string:
				code = domain.AssessVerdict(x)
			}
			return i18n.T(l, code.Label())
		},
		"enterprise_assess_tier":     func(t domain.Tier) string { return i18n.T(l, t.Label()) },
		"enterprise_assess_ruleSets": func() []string { return domain.TierRuleSets },
		// enterprise_assess_of is the year's verdict of a rule set (nil none).
		"enterprise_assess_of": func(y service.FirmAssessYear, rs string) *service.FirmAssessVerdict {
			for i := range y.Verdict {
				if y.Verdict[i].RuleSet == rs {
					return &y.Verdict[i]
				}
			}
			return nil
		},
		"enterprise_assess_checks": func(title string, list []rules.CheckResult) enterpriseChecks {
			return enterpriseChecks{Title: title, List: list}
		},
		"enterprise_assess_score": func(min, max *int) string {
			switch {
			case min == nil || max == nil:
				return "—"
			case *min == *max:
				return strconv.Itoa(*min)
			}
			return strconv.Itoa(*min) + "–" + strconv.Itoa(*max)
		},
		"enterprise_assess_yuan": func(p *int64) string {
			if p == nil {
				return "—"
			}
			return domain.FormatMoney(*p, "")
		},
	}
}

// enterpriseChecks is a titled list of a result's checks (the partial
// enterprise_assess_checks).
type enterpriseChecks struct {
	Title string
	List  []rules.CheckResult
}

// enterpriseYear reads ?year= (default the clock's year), naming year.
func (w *Web) enterpriseYear(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return domain.ChinaYear(w.Svc.Now()), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil {
		return 0, domain.FieldErrorf("year", "年份应为四位数字，例如 2022")
	}
	return y, nil
}

// enterpriseStatsPage is /stats/enterprises?year=Y (public): the tiers of
// the year and of every assessed year, against the targets.
type enterpriseStatsPage struct {
	Year  int
	Years []int
	S     *service.EnterpriseStats
	KPIs  []chainKPI
	Rows  []*service.EnterpriseStats // every assessed year, oldest first
	Chart enterpriseChart
}

// enterpriseChart is the chart's data: a bar series per tier by year and
// the targets as markers (labels translated).
type enterpriseChart struct {
	Years  []string              `json:"years"`
	Series []enterpriseChartLine `json:"series"`
}

type enterpriseChartLine struct {
	Name   string   `json:"name"`
	Kind   string   `json:"kind"` // bar | target
	Values []*int64 `json:"values"`
}

func (w *Web) enterpriseStatsPage(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := i18n.FromContext(ctx)
	year, err := w.enterpriseYear(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	st, err := w.Svc.EnterpriseAssess.Stats(ctx, year)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if r.URL.Query().Get("year") == "" && len(st.Years) > 0 && !slices.Contains(st.Years, year) {
		year = st.Years[0] // the latest assessed year
		if st, err = w.Svc.EnterpriseAssess.Stats(ctx, year); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	p := enterpriseStatsPage{Year: year, Years: st.Years, S: st}
	if !slices.Contains(p.Years, year) {
		p.Years = append([]int{year}, p.Years...)
		slices.SortFunc(p.Years, func(a, b int) int { return b - a })
	}
	v := func(n int64) *int64 { return &n }
	p.KPIs = []chainKPI{
		{Key: "tech_enterprises", Label: "科技型企业", Note: "通过科技型中小企业或高新技术企业评价（每家计一次）", Value: v(st.TechEnterprises)},
		{Key: "tech_enterprises_added", Label: "比上年新增", Note: "当年科技型企业数减上年", Value: v(st.TechEnterprisesAdded)},
		{Key: "high_tech", Label: "高新技术企业", Note: "通过高新技术企业评价", Value: v(st.HighTech)},
		{Key: "eaglet", Label: "雏鹰企业", Note: "通过雏鹰企业评价", Value: v(st.Eaglet)},
		{Key: "gazelle_unicorn", Label: "瞪羚/独角兽企业", Note: "通过瞪羚或独角兽评价（每家计一次）", Value: v(st.GazelleUnicorn)},
		{Key: "pool_intake", Label: "入库培育", Note: st.PoolIntakeRule.Label(), Value: v(st.PoolIntake)},
	}
	if st.PreviousAssessed == 0 { // the first year of the records: no change to count
		for _, i := range []int{1, 5} {
			p.KPIs[i].Value, p.KPIs[i].Note = nil, "上一年没有评价记录，无从比较"
		}
	}
	years := slices.Clone(st.Years)
	slices.Sort(years)
	targets := map[int]service.EnterpriseTarget{}
	for _, t := range st.Targets {
		targets[t.Year] = t
		if !slices.Contains(years, t.Year) && len(years) > 0 && t.Year > years[0] && t.Year <= years[len(years)-1]+1 {
			years = append(years, t.Year)
		}
	}
	slices.Sort(years)
	tech := enterpriseChartLine{Name: i18n.T(l, "科技型企业"), Kind: "bar"}
	high := enterpriseChartLine{Name: i18n.T(l, "高新技术企业"), Kind: "bar"}
	techT := enterpriseChartLine{Name: i18n.T(l, "科技型企业目标"), Kind: "target"}
	highT := enterpriseChartLine{Name: i18n.T(l, "高新技术企业目标"), Kind: "target"}
	for _, y := range years {
		ys, err := w.Svc.EnterpriseAssess.Stats(ctx, y)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		p.Rows = append(p.Rows, ys)
		p.Chart.Years = append(p.Chart.Years, strconv.Itoa(y))
		tech.Values = append(tech.Values, v(ys.TechEnterprises))
		high.Values = append(high.Values, v(ys.HighTech))
		techT.Values = append(techT.Values, targets[y].TechEnterprises)
		highT.Values = append(highT.Values, targets[y].HighTech)
	}
	p.Chart.Series = []enterpriseChartLine{tech, high, techT, highT}
	w.render(rw, r, http.StatusOK, "enterprise_assess/stats", w.newView(r, i18n.T(l, "%d年企业梯度培育", year), "stats", p))
}

// enterpriseRunsPage is the bureau's batch run of a year: start it, its
// progress, the counts per tier and per rule set and verdict, and the
// firms of one rule set's verdict (paged, exportable).
type enterpriseRunsPage struct {
	Year      int
	Years     []int
	Running   *domain.EnterpriseAssessmentRun
	Runs      []*domain.EnterpriseAssessmentRun
	S         *service.EnterpriseStats
	Verdicts  []enterpriseVerdictRow
	Codes     []domain.AssessVerdict
	RuleSet   string
	Verdict   string
	Firms     []domain.EnterpriseAssessedFirm
	Pager     pager
	Intake    domain.PoolIntakeRule
	Intakes   []domain.Item[domain.PoolIntakeRule]
	CanRun    bool
	Districts map[string]string
}

// enterpriseVerdictRow is one rule set's counts by verdict (in Codes' order).
type enterpriseVerdictRow struct {
	RuleSet string
	Counts  []int64
	Total   int64
}

func (w *Web) enterpriseRunsPage(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	a := service.ActorOf(u)
	ctx := r.Context()
	l := i18n.FromContext(ctx)
	if !domain.EnterpriseAssess.CanSeeRuns(a) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "年度批量评价仅供科技局和系统管理员使用"))
		return
	}
	year, err := w.enterpriseYear(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	q := r.URL.Query()
	p := enterpriseRunsPage{Year: year, RuleSet: q.Get("rule_set"), Verdict: q.Get("verdict"), Codes: domain.AssessVerdicts.Codes(),
		Intakes: domain.PoolIntakeRules.All(), CanRun: domain.EnterpriseAssess.CanRun(a)}
	if p.RuleSet == "" {
		p.RuleSet = "sme"
	}
	if p.Running, err = w.Svc.EnterpriseAssess.RunningRun(ctx, a); err != nil {
		w.fail(rw, r, err)
		return
	}
	if p.Runs, err = w.Svc.EnterpriseAssess.Runs(ctx, a, year); err != nil {
		w.fail(rw, r, err)
		return
	}
	if p.S, err = w.Svc.EnterpriseAssess.Stats(ctx, year); err != nil {
		w.fail(rw, r, err)
		return
	}
	if p.Intake, err = w.Svc.EnterpriseAssess.PoolIntakeRule(ctx); err != nil {
		w.fail(rw, r, err)
		return
	}
	counts, err := w.Svc.EnterpriseAssess.YearVerdicts(ctx, a, year)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, rs := range domain.TierRuleSets {
		row := enterpriseVerdictRow{RuleSet: rs}
		for _, c := range p.Codes {
			row.Counts = append(row.Counts, counts[rs][c])
			row.Total += counts[rs][c]
		}
		p.Verdicts = append(p.Verdicts, row)
	}
	page, err := httpx.PageOf(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	firms, total, err := w.Svc.EnterpriseAssess.AssessedFirms(ctx, a, domain.EnterpriseAssessmentFilter{Year: year, RuleSet: p.RuleSet,
		Verdict: p.Verdict, Page: page.Page, PerPage: page.PerPage})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p.Firms, p.Pager = firms, newPager(page, total, q)
	_, p.Districts = w.enterpriseDistricts(r)
	p.Years = []int{}
	for y := domain.ChinaYear(w.Svc.Now()); y >= domain.ChinaYear(w.Svc.Now())-6; y-- {
		p.Years = append(p.Years, y)
	}
	if !slices.Contains(p.Years, year) {
		p.Years = append(p.Years, year)
	}
	w.render(rw, r, http.StatusOK, "enterprise_assess/runs", w.newView(r, i18n.T(l, "%d年度企业梯度评价", year), "enterprise_assessments", p))
}

func (w *Web) enterpriseRunStart(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 1<<12); err != nil {
		w.fail(rw, r, err)
		return
	}
	year, err := strconv.Atoi(r.PostForm.Get("year"))
	if err != nil {
		w.fail(rw, r, domain.FieldErrorf("year", "年份应为四位数字，例如 2022"))
		return
	}
	if _, err := w.Svc.EnterpriseAssess.StartRun(r.Context(), service.ActorOf(u), year); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/enterprises/assessments?year="+strconv.Itoa(year)+"&ok=enterprise_assess_started", http.StatusSeeOther)
}

func (w *Web) enterprisePoolIntake(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 1<<12); err != nil {
		w.fail(rw, r, err)
		return
	}
	if err := w.Svc.EnterpriseAssess.SetPoolIntakeRule(r.Context(), service.ActorOf(u), domain.PoolIntakeRule(r.PostForm.Get("rule"))); err != nil {
		w.fail(rw, r, err)
		return
	}
	back := "/enterprises/assessments?ok=enterprise_assess_intake"
	if y, err := strconv.Atoi(r.PostForm.Get("year")); err == nil {
		back += "&year=" + strconv.Itoa(y)
	}
	http.Redirect(rw, r, back, http.StatusSeeOther)
}

// enterpriseRunExport writes the firms of a year's rule set and verdict
// as CSV or xlsx, in the reader's language.
func (w *Web) enterpriseRunExport(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	q := r.URL.Query()
	format := sheetio.Format(q.Get("format"))
	if format != sheetio.CSV && format != sheetio.XLSX {
		w.fail(rw, r, domain.FieldErrorf("format", "导出格式应为 csv 或 xlsx"))
		return
	}
	year, err := w.enterpriseYear(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	firms, _, err := w.Svc.EnterpriseAssess.AssessedFirms(r.Context(), service.ActorOf(u),
		domain.EnterpriseAssessmentFilter{Year: year, RuleSet: q.Get("rule_set"), Verdict: q.Get("verdict")})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := i18n.FromContext(r.Context())
	tr := func(s string) string { return i18n.T(l, s) }
	_, districts := w.enterpriseDistricts(r)
	t := &sheetio.Table{Sheet: tr("评价结论"), Widths: []float64{22, 36, 12, 8, 16, 14, 10, 8, 40, 12},
		Header: []string{tr("统一社会信用代码"), tr("企业名称"), tr("所在区县"), tr("年度"), tr("规则集"), tr("结论"), tr("得分"), tr("缺少事实"), tr("规则版本"), tr("评价日期")}}
	score := enterpriseAssessFuncs(l)["enterprise_assess_score"].(func(*int, *int) string)
	for _, f := range firms {
		t.Rows = append(t.Rows, []string{f.USCC, f.Name, districts[f.District], strconv.Itoa(f.Year), tr(domain.TierRuleSetLabel(f.RuleSet)),
			tr(f.Verdict.Label()), score(f.ScoreMin, f.ScoreMax), strconv.Itoa(f.Missing), f.Version, f.AssessedOn})
	}
	var buf bytes.Buffer
	if err := t.Write(format, &buf); err != nil {
		w.fail(rw, r, err)
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == sheetio.XLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	name := "enterprise-assessments-" + strconv.Itoa(year) + "-" + q.Get("rule_set") + "." + string(format)
	rw.Header().Set("Content-Type", ctype)
	rw.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	rw.Header().Set("Cache-Control", "no-store")
	rw.Write(buf.Bytes())
}

// enterpriseAssessPanel is a firm's verdicts by year: the panel of the
// registry's firm page (enterpriseAssessSlot) and the head of the firm's
// assessment page.
type enterpriseAssessPanel struct {
	ID      int64
	Years   []service.FirmAssessYear
	CanRun  bool // may (re)assess a year
	Explain bool // the full page: the reasons of each verdict
}

// enterpriseAssessSlot is the panel on the registry's firm page (the
// registry's enterpriseSlots): the verdicts by year and the way to their
// reasons.
func enterpriseAssessSlot(w *Web, r *http.Request, a *domain.Actor, x *domain.Enterprise) (template.HTML, error) {
	ys, err := w.Svc.EnterpriseAssess.FirmAssessments(r.Context(), a, x.ID)
	if err != nil {
		return "", err
	}
	p := &enterpriseAssessPanel{ID: x.ID, Years: ys, CanRun: domain.Enterprises.CanFile(a, x)}
	var buf bytes.Buffer
	if err := w.pages[i18n.FromContext(r.Context())]["enterprise_assess/firm"].ExecuteTemplate(&buf, "enterprise_assess_panel", p); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// enterpriseFirmPage is /enterprises/{id}/assessments: the panel with each
// verdict's gates, items and conditions recomputed from the filing, and
// on ?policies=Y the city's policies for that year (computed, not stored).
type enterpriseFirmPage struct {
	X           *domain.Enterprise
	P           *enterpriseAssessPanel
	PolicyYear  int
	Policies    []*rules.Result
	PolicyError string
}

func (w *Web) enterpriseFirmPage(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	a := service.ActorOf(u)
	ctx := r.Context()
	l := i18n.FromContext(ctx)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	x, err := w.Svc.Enterprises.Get(ctx, a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	ys, err := w.Svc.EnterpriseAssess.FirmAssessments(ctx, a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p := enterpriseFirmPage{X: x, P: &enterpriseAssessPanel{ID: id, Years: ys, CanRun: domain.Enterprises.CanFile(a, x), Explain: true}}
	if s := r.URL.Query().Get("policies"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			w.fail(rw, r, domain.FieldErrorf("policies", "年份应为四位数字，例如 2022"))
			return
		}
		p.PolicyYear = y
		if p.Policies, err = w.Svc.EnterpriseAssess.FirmPolicies(ctx, a, id, y); err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL || domain.ErrorCode(err) == "" {
				w.fail(rw, r, err)
				return
			}
			p.PolicyError = i18n.Message(l, err)
		}
	}
	w.render(rw, r, http.StatusOK, "enterprise_assess/firm", w.newView(r, i18n.T(l, "梯度评价：%s", x.Name), "enterprises", p))
}

func (w *Web) enterpriseFirmAssess(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		w.notFound(rw, r)
		return
	}
	if _, err := w.Svc.EnterpriseAssess.AssessFirm(r.Context(), service.ActorOf(u), id, year); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/enterprises/"+strconv.FormatInt(id, 10)+"/assessments?ok=enterprise_assess_assessed#year-"+strconv.Itoa(year), http.StatusSeeOther)
}
