package web

import (
	"net/http"
	"strconv"

	"kechuang/internal/domain"
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

// stats serves /stats?year=Y. Without a year it shows the latest year that
// has registered contracts (within the last five).
func (w *Web) stats(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := domain.ChinaYear(w.Svc.Now())
	var st *service.ContractStats
	var err error
	if s := r.URL.Query().Get("year"); s != "" {
		y, perr := strconv.Atoi(s)
		if perr != nil {
			w.fail(rw, r, domain.FieldErrorf("year", "年份应为四位数字，例如 2022"))
			return
		}
		st, err = w.Svc.Contracts.Stats(ctx, y)
	} else {
		for y := now; y > now-5; y-- {
			if st, err = w.Svc.Contracts.Stats(ctx, y); err != nil || st.Count > 0 {
				break
			}
		}
		if err == nil && st.Count == 0 {
			st, err = w.Svc.Contracts.Stats(ctx, now)
		}
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var years []int
	for y := now + 1; y >= now-9; y-- {
		years = append(years, y)
	}
	if st.Year > now+1 || st.Year < now-9 {
		years = append([]int{st.Year}, years...)
	}
	unit, _ := domain.ParseMoneyUnit(r.URL.Query().Get("unit"))
	p := statsPage{Year: st.Year, Years: years, S: st, KPIs: kpisOf(st, unit), Unit: unit, Units: domain.MoneyUnits.All()}
	w.render(rw, r, http.StatusOK, "stats", w.newView(r, strconv.Itoa(st.Year)+"年技术合同统计", "stats", p))
}

func kpisOf(s *service.ContractStats, unit domain.MoneyUnit) []kpi {
	money := func(fen int64) string { return domain.FormatMoney(fen, unit) }
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
	return []kpi{
		{Key: "count", Label: "合同数", Value: strconv.FormatInt(s.Count, 10) + " 项", Raw: strconv.FormatInt(s.Count, 10),
			Note: "上年 " + strconv.FormatInt(s.Prev.Count, 10) + " 项"},
		{Key: "turnover_fen", Label: "合同成交额", Value: money(s.TurnoverFen), Raw: strconv.FormatInt(s.TurnoverFen, 10),
			Note: "上年 " + money(s.Prev.TurnoverFen)},
		{Key: "tech_transaction_fen", Label: "技术交易额", Value: money(s.TechTransactionFen), Raw: strconv.FormatInt(s.TechTransactionFen, 10),
			Note: "成交额扣除非技术性费用"},
		{Key: "count_yoy_pct", Label: "合同数同比", Value: pct(s.CountYoYPct), Raw: cy, Tone: tone(&cy), Note: "与上年同期相比"},
		{Key: "turnover_yoy_pct", Label: "成交额同比", Value: pct(s.TurnoverYoYPct), Raw: ty, Tone: tone(&ty), Note: "与上年同期相比"},
		{Key: "local_share_pct", Label: "本地转化率", Value: pct(s.LocalSharePct), Raw: jsonNum(s.LocalSharePct),
			Note: "本地吸纳的输出成交额 ÷ 输出成交额"},
		{Key: "output_turnover_fen", Label: "技术输出", Value: money(s.Output.TurnoverFen), Raw: strconv.FormatInt(s.Output.TurnoverFen, 10),
			Note: strconv.FormatInt(s.Output.Count, 10) + " 项 · 卖方在本市"},
		{Key: "absorb_turnover_fen", Label: "技术吸纳", Value: money(s.Absorb.TurnoverFen), Raw: strconv.FormatInt(s.Absorb.TurnoverFen, 10),
			Note: strconv.FormatInt(s.Absorb.Count, 10) + " 项 · 买方在本市"},
	}
}
