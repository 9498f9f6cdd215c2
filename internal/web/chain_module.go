package web

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// chainModule is the chain's pages (成果转化链条): the timeline of an
// achievement and of a need, and the public funnel by year and chain.
func chainModule() Module {
	return Module{
		Name:   "chain",
		Pages:  []string{"chain/timeline", "chain/funnel"},
		Routes: chainRoutes,
		Funcs:  chainFuncs,
		Flash:  map[string]string{"chain_links": "成果来源已保存。"},
	}
}

func chainRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /achievements/{id}/timeline", w.chainTimeline("achievement"))
	mux.HandleFunc("GET /needs/{id}/timeline", w.chainTimeline("need"))
	mux.HandleFunc("GET /stats/chain", w.chainFunnel)
	mux.HandleFunc("POST /contracts/{id}/links", w.chainSetLinks)
}

func chainFuncs(l i18n.Lang) template.FuncMap {
	return template.FuncMap{
		// chain_href is the page of a record a timeline step is about.
		"chain_href": func(ref domain.ChainRef) string {
			switch ref.Kind {
			case "achievement":
				return "/achievements/" + strconv.FormatInt(ref.ID, 10)
			case "need":
				return "/needs/" + strconv.FormatInt(ref.ID, 10)
			case "contract":
				return "/contracts/" + strconv.FormatInt(ref.ID, 10)
			case "challenge":
				return "/challenges/" + strconv.FormatInt(ref.ID, 10)
			case "event":
				return "/events/" + strconv.FormatInt(ref.ID, 10)
			case "intention": // no page of its own: the reader's list of intentions
				return "/events/mine?tab=intentions"
			}
			return ""
		},
		"chain_linkRows": contractLinkRows,
		// chain_local reads a step's local flag: "local", "outside" or "" (none).
		"chain_local": func(b *bool) string {
			switch {
			case b == nil:
				return ""
			case *b:
				return "local"
			}
			return "outside"
		},
		"chain_linkKinds": service.AcceptedLinkKinds,
		"chain_ref":       func(l domain.ContractLink) domain.ChainRef { return domain.ChainRef{Kind: l.Kind, ID: l.RefID} },
		"chain_kind": func(kind string) string {
			if kind == "contract" {
				return i18n.T(l, "技术合同")
			}
			return i18n.T(l, domain.ContractLinkKindLabel(kind))
		},
	}
}

// chainTimelinePage is a timeline's data.
type chainTimelinePage struct {
	Kind string // achievement | need
	T    *service.ChainTimeline
}

func (w *Web) chainTimeline(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			w.notFound(rw, r)
			return
		}
		a := service.ActorOf(httpx.UserFrom(r.Context()))
		var t *service.ChainTimeline
		if kind == "achievement" {
			t, err = w.Svc.Chain.AchievementTimeline(r.Context(), a, id)
		} else {
			t, err = w.Svc.Chain.NeedTimeline(r.Context(), a, id)
		}
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		l := i18n.FromContext(r.Context())
		active := map[string]string{"achievement": "achievements", "need": "needs"}[kind]
		w.render(rw, r, http.StatusOK, "chain/timeline", w.newView(r, i18n.T(l, "转化时间线：%s", t.Title), active, chainTimelinePage{Kind: kind, T: t}))
	}
}

// chainFunnelPage is the funnel's data: the figures, the stages for the
// table and, as JSON for the chart, the stages that have data.
type chainFunnelPage struct {
	Year   int
	Years  []int
	Chain  string
	Chains []domain.Chain
	S      *service.ChainStats
	Rows   []chainFunnelRow
	Chart  []chainFunnelBar
	// Max is the largest stage count (the bars' scale in the table).
	Max  int64
	KPIs []chainKPI
}

// chainKPI is one figure tile; Value nil: no module records it yet.
type chainKPI struct {
	Key, Label, Note string
	Value            *int64
}

// chainKPIs are the figures the page shows as tiles, in order.
var chainKPIs = []struct{ key, label, note string }{
	{domain.ChainAchievementsPublished, "发布科技成果", "当年发布到成果库"},
	{domain.ChainNeedsPublished, "发布的技术需求", "经科技局核实后发布"},
	{domain.ChainEvents, "路演/对接活动", "当年举办场次"},
	{domain.ChainEnterpriseServices, "服务企业家次", "活动服务记录"},
	{domain.ChainIntentions, "签订合作意向", "当年签订"},
	{domain.ChainChallenges, "揭榜挂帅榜单", "当年发榜"},
	{domain.ChainContractsLinked, "注明来源的技术合同", "当年登记并注明成果、需求等来源"},
	{domain.ChainLocalConversions, "本地转化成果", "买方在本市的已登记合同所注明的不同成果"},
}

// chainFunnelRow is one stage of the table.
type chainFunnelRow struct {
	Code, Label string
	Value       *int64
	Local       *int64
	PctOfFirst  string // the stage against the first (published), "" when either is missing
	Width       int64  // bar width in per cent of Max
}

// chainFunnelBar is one stage of the chart (translated label, value).
type chainFunnelBar struct {
	Name  string `json:"name"`
	Value int64  `json:"value"`
	Local *int64 `json:"local,omitempty"`
}

// chainFunnel serves /stats/chain?year=Y&chain=CODE: the funnel of the
// year's chain, as a chart and a table readable without JavaScript.
func (w *Web) chainFunnel(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := i18n.FromContext(ctx)
	now := domain.ChinaYear(w.Svc.Now())
	year := now
	if s := r.URL.Query().Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			w.fail(rw, r, domain.FieldErrorf("year", "年份应为四位数字，例如 2022"))
			return
		}
		year = y
	} else if years, err := w.Svc.Contracts.StatsYears(ctx); err == nil {
		year = defaultStatsYear(now, years)
	}
	chain := strings.TrimSpace(r.URL.Query().Get("chain"))
	st, err := w.Svc.Chain.Stats(ctx, year, chain)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	years, _ := w.Svc.Contracts.StatsYears(ctx)
	if !slices.Contains(years, year) {
		years = append([]int{year}, years...)
		slices.SortFunc(years, func(a, b int) int { return b - a })
	}
	chains, _ := w.chainNames(r)
	p := chainFunnelPage{Year: year, Years: years, Chain: chain, Chains: chains, S: st}
	for _, k := range chainKPIs {
		kp := chainKPI{Key: k.key, Label: k.label, Note: k.note}
		if v, ok := st.Figures[k.key]; ok {
			kp.Value = &v
		}
		p.KPIs = append(p.KPIs, kp)
	}
	for _, s := range st.Stages {
		if s.Value != nil && *s.Value > p.Max {
			p.Max = *s.Value
		}
	}
	var first *int64
	for i, s := range st.Stages {
		row := chainFunnelRow{Code: s.Code, Label: s.Label, Value: s.Value, Local: s.LocalValue}
		if i == 0 {
			first = s.Value
		}
		if s.Value != nil {
			if p.Max > 0 {
				row.Width = *s.Value * 100 / p.Max
			}
			if first != nil && *first > 0 && i > 0 {
				row.PctOfFirst = strconv.FormatFloat(float64(*s.Value)*100/float64(*first), 'f', 1, 64) + "%"
			}
			bar := chainFunnelBar{Name: i18n.T(l, s.Label), Value: *s.Value, Local: s.LocalValue}
			if s.LocalValue != nil {
				bar.Name += " · " + i18n.T(l, "本地转化 %s", i18n.Int(l, *s.LocalValue))
			}
			p.Chart = append(p.Chart, bar)
		}
		p.Rows = append(p.Rows, row)
	}
	w.render(rw, r, http.StatusOK, "chain/funnel", w.newView(r, i18n.T(l, "%d年成果转化漏斗", year), "stats", p))
}

// chainSetLinks is the registrar's naming of a contract's sources from its
// page (ContractFlow "link").
func (w *Web) chainSetLinks(rw http.ResponseWriter, r *http.Request) {
	u, c := w.userContract(rw, r)
	if c == nil {
		return
	}
	if err := parseForm(rw, r, 1<<16); err != nil {
		w.fail(rw, r, err)
		return
	}
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version <= 0 {
		w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少合同版本号，请刷新页面后重试"))
		return
	}
	errs := map[string]string{}
	links := parseContractLinks(r.PostForm, i18n.FromContext(r.Context()), errs)
	if len(errs) > 0 {
		for k, msg := range errs {
			w.fail(rw, r, domain.FieldErrorf(k, "%s", msg))
			return
		}
	}
	if _, err := w.Svc.Contracts.SetLinks(r.Context(), service.ActorOf(u), c.ID, version, links); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/contracts/"+strconv.FormatInt(c.ID, 10)+"?ok=chain_links", http.StatusSeeOther)
}
