package web

import (
	"net/http"
	"slices"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// statsPage is the public statistics dashboard's data.
type statsPage struct {
	Year  int
	Years []int
	S     *service.ContractStats
	KPIs  []kpi
	// Unit is the reader's choice of money unit (?unit=yuan|wan|yi); by
	// default each amount picks its own by size.
	Unit  domain.MoneyUnit
	Units []domain.Item[domain.MoneyUnit]
}

// kpi is one tile; Raw is the number exactly as the API gives it, so the
// browser suite can compare the tile with GET /api/v1/stats/contracts.
type kpi struct {
	Key, Label, Value, Raw, Note, Tone string
}

// stats serves /stats?year=Y. Without a year it opens on the current
// year (China time), unless that year has neither registrations nor a
// target, then on the latest year that has. The year selector offers the
// years with registrations or a target (and the year asked for).
func (w *Web) stats(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := domain.ChinaYear(w.Svc.Now())
	year := now
	if s := r.URL.Query().Get("year"); s != "" {
		y, perr := strconv.Atoi(s)
		if perr != nil {
			w.fail(rw, r, domain.FieldErrorf("year", "年份应为四位数字，例如 2022"))
			return
		}
		year = y
	} else {
		years, err := w.Svc.Contracts.StatsYears(ctx)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		year = defaultStatsYear(now, years)
	}
	st, err := w.Svc.Contracts.Stats(ctx, year)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	years := st.Years
	if !slices.Contains(years, st.Year) {
		years = append([]int{st.Year}, years...)
		slices.SortFunc(years, func(a, b int) int { return b - a })
	}
	l := i18n.FromContext(ctx)
	unit, _ := domain.ParseMoneyUnit(r.URL.Query().Get("unit"))
	p := statsPage{Year: st.Year, Years: years, S: translateStats(l, st), KPIs: kpisOf(l, st, unit), Unit: unit, Units: domain.MoneyUnits.All()}
	w.render(rw, r, http.StatusOK, "contract/stats", w.newView(r, i18n.T(l, "%d年技术合同统计", st.Year), "stats", p))
}

// defaultStatsYear is the year the dashboard opens on: the current year if
// it has registrations or a target, else the latest such year before it,
// else the current year.
func defaultStatsYear(now int, years []int) int {
	for _, y := range years { // newest first
		if y <= now {
			return y
		}
	}
	return now
}

// translateStats returns a copy of st whose labels (categories, fields,
// party types) read in l, for the table and the charts. Names that are
// data, such as districts and chains, have no catalogue entry and stay.
func translateStats(l i18n.Lang, st *service.ContractStats) *service.ContractStats {
	if l == i18n.ZH {
		return st
	}
	c := *st
	for _, list := range []*[]service.ContractKeyAgg{&c.ByCategory, &c.ByField, &c.BySellerType, &c.ByBuyerType, &c.ByOutputDistrict, &c.ByAbsorbDistrict, &c.ByChain} {
		out := slices.Clone(*list)
		for i := range out {
			out[i].Label = i18n.T(l, out[i].Label)
		}
		*list = out
	}
	c.City = i18n.T(l, c.City)
	return &c
}

func kpisOf(l i18n.Lang, s *service.ContractStats, unit domain.MoneyUnit) []kpi {
	t := func(msgid string, args ...any) string { return i18n.T(l, msgid, args...) }
	yi := func(fen int64) string { return i18n.Money(l, fen, unit) }
	n := func(v int64) string { return i18n.Int(l, v) }
	tone := func(n *string) string {
		if n == nil || *n == "" {
			return ""
		}
		if (*n)[0] == '-' {
			return "down"
		}
		return "up"
	}
	cy, ty := jsonNum(s.CountYoYPct), jsonNum(s.TurnoverYoYPct)
	prevCount, prevTurnover, yoyNote := t("上年 %s 项", n(s.Prev.Count)), t("上年 %s", yi(s.Prev.TurnoverFen)), t("与上年同期相比")
	if partialPrev(s) { // the year still running: the same period of the year before
		day := i18n.Date(l, s.PrevThrough)
		prevCount = t("上年同期（至%s）%s 项", day, n(s.Prev.Count))
		prevTurnover = t("上年同期（至%s）%s", day, yi(s.Prev.TurnoverFen))
		yoyNote = t("与上年同期（至%s）相比", day)
	}
	return []kpi{
		{Key: "count", Label: t("合同数"), Value: i18n.TC(l, "kpi", "%s 项", n(s.Count)), Raw: strconv.FormatInt(s.Count, 10),
			Note: prevCount},
		{Key: "turnover_fen", Label: t("合同成交额"), Value: yi(s.TurnoverFen), Raw: strconv.FormatInt(s.TurnoverFen, 10),
			Note: prevTurnover},
		{Key: "tech_transaction_fen", Label: t("技术交易额"), Value: yi(s.TechTransactionFen), Raw: strconv.FormatInt(s.TechTransactionFen, 10),
			Note: t("成交额扣除非技术性费用")},
		{Key: "count_yoy_pct", Label: t("合同数同比"), Value: pct(s.CountYoYPct), Raw: cy, Tone: tone(&cy), Note: yoyNote},
		{Key: "turnover_yoy_pct", Label: t("成交额同比"), Value: pct(s.TurnoverYoYPct), Raw: ty, Tone: tone(&ty), Note: yoyNote},
		{Key: "local_share_pct", Label: t("本地转化率"), Value: pct(s.LocalSharePct), Raw: jsonNum(s.LocalSharePct),
			Note: t("本地吸纳的输出成交额 ÷ 输出成交额")},
		{Key: "output_turnover_fen", Label: t("技术输出"), Value: yi(s.Output.TurnoverFen), Raw: strconv.FormatInt(s.Output.TurnoverFen, 10),
			Note: t("%s 项 · 卖方在本市", n(s.Output.Count))},
		{Key: "absorb_turnover_fen", Label: t("技术吸纳"), Value: yi(s.Absorb.TurnoverFen), Raw: strconv.FormatInt(s.Absorb.TurnoverFen, 10),
			Note: t("%s 项 · 买方在本市", n(s.Absorb.Count))},
	}
}

// partialPrev reports whether the year is compared with part of the year
// before (the year still running), not with all of it.
func partialPrev(s *service.ContractStats) bool {
	return s.PrevThrough != "" && s.PrevThrough[5:] != "12-31"
}
