package web

import (
	"math/big"
	"net/http"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// adminTargetRow is one yearly target on the settings form, shown in the
// unit the bureau thinks in.
type adminTargetRow struct {
	Year   int
	Amount string // in Unit, exact
	Unit   string // "yi" (亿元) or "wan" (万元)
	Error  string
}

// adminOtherTarget is a yearly target of a metric other than money: a
// rate typed in percent (two decimals, stored in basis points) or a count.
type adminOtherTarget struct {
	Year   int
	Metric string
	Value  string // as typed: percent for a rate, a whole number for a count
	Error  string
}

type adminSettingsPage struct {
	Settings *domain.CitySettings
	Name     string
	Targets  []adminTargetRow
	Others   []adminOtherTarget
	Metrics  []domain.TargetMetric // the metrics of Others
	Error    string
	Errors   map[string]string
}

// amountUnits are the units of the target inputs: fen per unit.
var amountUnits = map[string]int64{"yi": 100_000_000_00, "wan": 10_000_00, "yuan": 100}

// otherMetrics are the metrics the settings page lists beside the turnover.
func otherMetrics() []domain.TargetMetric {
	var out []domain.TargetMetric
	for _, m := range domain.TargetMetrics {
		if m.Kind != "money" {
			out = append(out, m)
		}
	}
	return out
}

// parseAmount reads an amount typed in 亿元, 万元 or 元 exactly into fen: no
// floats, and no more decimals than a fen can carry (12.3456 万元 is
// 123,456 元; 12.345678 万元 is not a whole number of fen and is refused).
func parseAmount(s, unit string) (int64, bool) {
	perUnit, ok := amountUnits[unit]
	if !ok {
		return 0, false
	}
	return parseScaled(s, perUnit)
}

// parseScaled reads a non-negative decimal times perUnit, exactly, when
// the product is a whole number that fits an int64.
func parseScaled(s string, perUnit int64) (int64, bool) {
	s = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(domain.NormalizeUSCC(s)), ",", ""), "，", "")
	if s == "" || strings.ContainsAny(s, "eE/+-") {
		return 0, false
	}
	v, ok := new(big.Rat).SetString(s)
	if !ok || v.Sign() < 0 {
		return 0, false
	}
	v.Mul(v, new(big.Rat).SetInt64(perUnit))
	if !v.IsInt() || !v.Num().IsInt64() {
		return 0, false
	}
	return v.Num().Int64(), true
}

// formatAmount writes fen in the unit exactly, without trailing zeros.
func formatAmount(fen int64, unit string) string { return formatScaled(fen, amountUnits[unit]) }

// formatScaled writes v / perUnit exactly, without trailing zeros.
func formatScaled(v, perUnit int64) string {
	fen := v
	whole, frac := fen/perUnit, fen%perUnit
	if frac == 0 {
		return strconv.FormatInt(whole, 10)
	}
	digits := len(strconv.FormatInt(perUnit, 10)) - 1
	f := strconv.FormatInt(frac+perUnit, 10)[1:] // zero-padded to digits
	return strconv.FormatInt(whole, 10) + "." + strings.TrimRight(f[:digits], "0")
}

// settingsRows are the form's target rows: the stored ones and, when
// missing, this year and the next.
func settingsRows(s *domain.CitySettings, thisYear int) []adminTargetRow {
	var out []adminTargetRow
	seen := map[int]bool{}
	for _, t := range s.Targets {
		if t.Metric != service.TargetContractTurnover {
			continue
		}
		out = append(out, adminTargetRow{Year: t.Year, Amount: formatAmount(t.Value, "yi"), Unit: "yi"})
		seen[t.Year] = true
	}
	for _, y := range []int{thisYear, thisYear + 1} {
		if !seen[y] {
			out = append(out, adminTargetRow{Year: y, Unit: "yi"})
		}
	}
	return out
}

func (w *Web) adminSettings(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanEditSettings)
	if a == nil {
		return
	}
	s, err := w.Svc.Admin.Settings(r.Context(), a)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p := adminSettingsPage{Settings: s, Name: s.Name, Targets: settingsRows(s, w.thisYear()), Others: otherRows(s), Metrics: otherMetrics(), Errors: map[string]string{}}
	w.render(rw, r, http.StatusOK, "admin/settings", w.newView(r, "城市设置", "admin-settings", p))
}

// otherRows are the stored targets of the metrics other than money.
func otherRows(s *domain.CitySettings) []adminOtherTarget {
	var out []adminOtherTarget
	for _, t := range s.Targets {
		m, ok := domain.TargetMetricOf(t.Metric)
		if !ok || m.Kind == "money" {
			continue
		}
		out = append(out, adminOtherTarget{Year: t.Year, Metric: t.Metric, Value: formatOther(m, t.Value)})
	}
	return out
}

// formatOther writes a rate in percent, a count as it is.
func formatOther(m domain.TargetMetric, v int64) string {
	if m.Kind == "rate" {
		return formatScaled(v, 100)
	}
	return strconv.FormatInt(v, 10)
}

// parseOther reads a rate typed in percent into basis points (at most two
// decimals) or a whole count.
func parseOther(m domain.TargetMetric, s string) (int64, bool) {
	if m.Kind == "rate" {
		return parseScaled(s, 100)
	}
	return ParseCount(s)
}

func (w *Web) thisYear() int { return w.Svc.Now().In(domain.ChinaTZ).Year() }

// adminSettingsSave saves the city name and the targets; an emptied
// amount removes that year's target.
func (w *Web) adminSettingsSave(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanEditSettings)
	if a == nil {
		return
	}
	if err := adminForm(rw, r); err != nil {
		w.fail(rw, r, err)
		return
	}
	f := r.PostForm
	name := f.Get("city_name")
	up := service.SettingsUpdate{Name: &name}
	p := adminSettingsPage{Name: name, Errors: map[string]string{}}
	years, amounts, units := f["year"], f["amount"], f["unit"]
	bad := false
	for i := range years {
		row := adminTargetRow{Amount: at(amounts, i), Unit: at(units, i)}
		if strings.TrimSpace(years[i]) == "" && row.Amount == "" {
			continue // the empty row for a new year
		}
		y, err := strconv.Atoi(strings.TrimSpace(years[i]))
		row.Year = y
		fen, ok := int64(0), true
		if row.Amount != "" {
			fen, ok = parseAmount(row.Amount, row.Unit)
		}
		switch {
		case err != nil || y < 2000 || y > 2100:
			row.Error = "年份应为2000到2100之间的整数"
		case !ok:
			row.Error = "目标金额应为不小于0的数，亿元最多10位小数、万元最多6位小数（精确到分）"
		}
		bad = bad || row.Error != ""
		p.Targets = append(p.Targets, row)
		up.Targets = append(up.Targets, domain.YearTarget{Year: y, Metric: service.TargetContractTurnover, Value: fen})
	}
	oy, om, ov := f["o_year"], f["o_metric"], f["o_value"]
	for i := range oy {
		row := adminOtherTarget{Metric: at(om, i), Value: at(ov, i)}
		if strings.TrimSpace(oy[i]) == "" && row.Value == "" {
			continue // the empty row for a new target
		}
		y, err := strconv.Atoi(strings.TrimSpace(oy[i]))
		row.Year = y
		m, known := domain.TargetMetricOf(row.Metric)
		v, ok := int64(0), true
		if known && row.Value != "" {
			v, ok = parseOther(m, row.Value)
		}
		switch {
		case err != nil || y < 2000 || y > 2100:
			row.Error = "年份应为2000到2100之间的整数"
		case !known || m.Kind == "money":
			row.Error = "请选择指标"
		case !ok && m.Kind == "rate":
			row.Error = "比率应为0到100之间的百分数，最多2位小数"
		case !ok:
			row.Error = "数量应为不小于0的整数"
		case m.Max > 0 && v > m.Max:
			row.Error = "比率应为0到100之间的百分数，最多2位小数"
		}
		bad = bad || row.Error != ""
		p.Others = append(p.Others, row)
		up.Targets = append(up.Targets, domain.YearTarget{Year: y, Metric: row.Metric, Value: v})
	}
	if bad {
		w.settingsFailed(rw, r, a, p, domain.FieldErrorf("targets", "年度目标有误，请按提示改正"))
		return
	}
	if _, err := w.Svc.Admin.UpdateSettings(r.Context(), a, up); err != nil {
		w.settingsFailed(rw, r, a, p, err)
		return
	}
	http.Redirect(rw, r, "/admin/settings?ok=settings_saved", http.StatusSeeOther)
}

func (w *Web) settingsFailed(rw http.ResponseWriter, r *http.Request, a *domain.Actor, p adminSettingsPage, err error) {
	if !userError(err) {
		w.fail(rw, r, err)
		return
	}
	s, serr := w.Svc.Admin.Settings(r.Context(), a)
	if serr != nil {
		w.fail(rw, r, serr)
		return
	}
	p.Settings = s
	p.Metrics = otherMetrics()
	p.Error, p.Errors = adminErrors(r.Context(), err)
	w.render(rw, r, http.StatusUnprocessableEntity, "admin/settings", w.newView(r, "城市设置", "admin-settings", p))
}

func at(s []string, i int) string {
	if i < len(s) {
		return strings.TrimSpace(s[i])
	}
	return ""
}
