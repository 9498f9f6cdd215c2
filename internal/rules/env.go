package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// YearEnv is one accounting year as the expressions see it.
type YearEnv struct {
	Year               int   `expr:"year"`
	SalesRevenueFen    int64 `expr:"sales_revenue_fen"`
	TotalIncomeFen     int64 `expr:"total_income_fen"`
	CostTotalFen       int64 `expr:"cost_total_fen"`
	RDExpenseFen       int64 `expr:"rd_expense_fen"`
	RDDomesticFen      int64 `expr:"rd_domestic_fen"`
	NetAssetsFen       int64 `expr:"net_assets_fen"`
	HightechRevenueFen int64 `expr:"hightech_revenue_fen"`
	TechActivityFen    int64 `expr:"tech_activity_fen"`
	Employees          int64 `expr:"employees"`
}

// FlagsEnv are the yes/no facts (flagKeys), fields for speed: a struct
// field is read without a map look-up.
type FlagsEnv struct {
	ResidentEnterprise      bool `expr:"resident_enterprise"`
	ExcludedIndustry        bool `expr:"excluded_industry"`
	MajorIncident           bool `expr:"major_incident"`
	AbnormalOrDishonestList bool `expr:"abnormal_or_dishonest_list"`
	SeriousFraud            bool `expr:"serious_fraud"`
	CoreIPOwned             bool `expr:"core_ip_owned"`
	InSupportedDomain       bool `expr:"in_supported_domain"`
	BranchOrSalesEntity     bool `expr:"branch_or_sales_entity"`
	SoftwareCertificates    bool `expr:"software_certificates"`
	ContestAward            bool `expr:"contest_award"`
	SciTechAward            bool `expr:"sci_tech_award"`
}

func (f *FlagsEnv) ptrs() []*bool {
	return []*bool{&f.ResidentEnterprise, &f.ExcludedIndustry, &f.MajorIncident, &f.AbnormalOrDishonestList, &f.SeriousFraud,
		&f.CoreIPOwned, &f.InSupportedDomain, &f.BranchOrSalesEntity, &f.SoftwareCertificates, &f.ContestAward, &f.SciTechAward}
}

// DirectEnv are the four direct routes (directKeys).
type DirectEnv struct {
	HNTECertificateValid    bool `expr:"hnte_certificate_valid"`
	NationalAwardTop3       bool `expr:"national_award_top3"`
	ProvincialRDInstitution bool `expr:"provincial_rd_institution"`
	LedStandard             bool `expr:"led_standard"`
}

func (d *DirectEnv) ptrs() []*bool {
	return []*bool{&d.HNTECertificateValid, &d.NationalAwardTop3, &d.ProvincialRDInstitution, &d.LedStandard}
}

// Env is what a rule set's expressions read. Y is the data year (the last
// accounting year before assessed_on); y1, y2, y3 are the years before it.
// Derived facts (age, pooled sums, averages, growth) are computed here once
// per firm; their edge rules are in this file and tested by the cases.
type Env struct {
	Employees      int64 `expr:"employees"`
	TechStaff      int64 `expr:"tech_staff"`
	TotalAssetsFen int64 `expr:"total_assets_fen"`
	// AgeYears is the least n with assessed_on on or before the n-th
	// anniversary of registered_on ("成立 ≤ n 年（含）" is age_years <= n).
	AgeYears int `expr:"age_years"`
	AgeDays  int `expr:"age_days"`
	// OpYears is the number of the three years Y−2 … Y the firm existed in
	// (实际经营期不满三年的按实际经营时间计算).
	OpYears int `expr:"op_years"`

	Y  YearEnv `expr:"y"`
	Y1 YearEnv `expr:"y1"`
	Y2 YearEnv `expr:"y2"`
	Y3 YearEnv `expr:"y3"`

	// Pooled over the operating years among Y−2 … Y.
	Sales3y      int64 `expr:"sales_3y"`
	RD3y         int64 `expr:"rd_3y"`
	RDDomestic3y int64 `expr:"rd_domestic_3y"`
	// Over the operating years among Y−3 … Y (雏鹰/瞪羚 four-year average).
	TechActivity4y int64 `expr:"tech_activity_4y"`
	Sales4y        int64 `expr:"sales_4y"`
	// TechIntensityMean4y is the mean of the yearly ratios (the other
	// reading of 近四年平均); undefined if a year has no revenue.
	TechIntensityMean4y func() Rat `expr:"tech_intensity_mean_4y"`
	Years4y             int        `expr:"years_4y"`

	GrowthNetAssets     Rat  `expr:"growth_net_assets"`
	GrowthNetAssetsZero bool `expr:"growth_net_assets_zero"`
	GrowthSales         Rat  `expr:"growth_sales"`
	GrowthSalesZero     bool `expr:"growth_sales_zero"`

	IP struct {
		Class1        int64 `expr:"class1"`
		Class2        int64 `expr:"class2"`
		SelfDeveloped bool  `expr:"self_developed"`
	} `expr:"ip"`
	Conversions3y int64     `expr:"conversions_3y"`
	Flags         FlagsEnv  `expr:"flags"`
	Direct        DirectEnv `expr:"direct"`
	Funding       struct {
		ValuationUSD      int64 `expr:"valuation_usd"`
		Listed            bool  `expr:"listed"`
		PrivateInvestment bool  `expr:"private_investment"`
		LargestVCRoundFen int64 `expr:"largest_vc_round_fen"`
	} `expr:"funding"`

	HNTEEvent           string     `expr:"hnte_event"`
	AboveDesignatedSize bool       `expr:"above_designated_size"`
	InPool              bool       `expr:"in_pool"`
	PoolSubsidyYears    int64      `expr:"pool_subsidy_years"`
	Contracts           []Contract `expr:"contracts"`
	SubsidyPaidFen      int64      `expr:"subsidy_paid_this_year_fen"`
	BrokeredContracts   int64      `expr:"brokered_contracts"`

	// P holds the rule version's ratio parameters, N its integer ones.
	P map[string]Rat   `expr:"p"`
	N map[string]int64 `expr:"n"`

	// missing lists the facts (by their input path) that are absent, keyed
	// by the expression path that needs them (nil while nothing is).
	missing map[string][]string

	// for the deferred derived facts (ensureGrowth)
	f             *Facts
	y0, firstYear int
	regOK         bool
	growthPending bool
}

// derived says which parts of the environment a version reads (its
// conditions and its reasons): buildEnv fills only those.
type derived struct{ growth, mean4y, contracts, years, windows, flags, direct bool }

func derivedOf(needs map[string]bool) derived {
	d := derived{
		growth:    needs["growth_net_assets"] || needs["growth_sales"] || needs["growth_net_assets_zero"] || needs["growth_sales_zero"],
		mean4y:    needs["tech_intensity_mean_4y"],
		contracts: needs["contracts"],
	}
	for n := range needs {
		switch {
		case strings.HasPrefix(n, "y.") || strings.HasPrefix(n, "y1.") || strings.HasPrefix(n, "y2.") || strings.HasPrefix(n, "y3."):
			d.years = true
		case slices.Contains(derivedYears, n):
			d.windows = true
		case strings.HasPrefix(n, "flags."):
			d.flags = true
		case strings.HasPrefix(n, "direct."):
			d.direct = true
		}
	}
	return d
}

// or is what either reads (one environment for several sets).
func (d derived) or(o derived) derived {
	return derived{d.growth || o.growth, d.mean4y || o.mean4y, d.contracts || o.contracts, d.years || o.years,
		d.windows || o.windows, d.flags || o.flags, d.direct || o.direct}
}

// ratio is the exact a/b (undefined when b == 0).
func ratio(a, b int64) Rat { return R(a, b) }

var yearCols = yearFields

// fields are the year's figures in the order of yearFields.
func (y *Year) fields() [9]*int64 {
	return [9]*int64{y.SalesRevenueFen, y.TotalIncomeFen, y.CostTotalFen, y.RDExpenseFen, y.RDDomesticFen,
		y.NetAssetsFen, y.HightechRevenueFen, y.TechActivityFen, y.Employees}
}

func (y *YearEnv) fields() [9]*int64 {
	return [9]*int64{&y.SalesRevenueFen, &y.TotalIncomeFen, &y.CostTotalFen, &y.RDExpenseFen, &y.RDDomesticFen,
		&y.NetAssetsFen, &y.HightechRevenueFen, &y.TechActivityFen, &y.Employees}
}

func val(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func yearsAfter(from, to time.Time) int {
	// least n with to <= from + n years
	n := to.Year() - from.Year()
	if n < 0 {
		return 0
	}
	for n > 0 && !to.After(anniversary(from, n-1)) {
		n--
	}
	for to.After(anniversary(from, n)) {
		n++
	}
	return n
}

// anniversary is the day n years after t that ends a period of n years
// counted from t (民法典 第二百零二条: the corresponding day of the last
// year, or that month's last day when it has none): 29 February plus one
// year is 28 February, where time.AddDate would give 1 March.
func anniversary(t time.Time, n int) time.Time {
	y := t.Year() + n
	d := t.Day()
	if t.Month() == time.February && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		d = 28
	}
	return time.Date(y, t.Month(), d, 0, 0, 0, 0, t.Location())
}

// buildEnv turns the facts into the expressions' environment; what is not
// given is recorded as missing under each expression path.
func buildEnv(f *Facts, e *Env, d derived) {
	*e = Env{P: e.P, N: e.N}
	miss := func(path string, facts ...string) {
		if e.missing == nil {
			e.missing = map[string][]string{}
		}
		e.missing[path] = append(e.missing[path], facts...)
	}
	set := func(path string, p *int64, dst *int64) {
		if p == nil {
			miss(path, path)
			return
		}
		*dst = *p
	}
	set("employees", f.Employees, &e.Employees)
	set("tech_staff", f.TechStaff, &e.TechStaff)
	set("total_assets_fen", f.TotalAssetsFen, &e.TotalAssetsFen)
	set("conversions_3y", f.Conversions3y, &e.Conversions3y)
	set("pool_subsidy_years", f.PoolSubsidyYears, &e.PoolSubsidyYears)
	set("subsidy_paid_this_year_fen", f.SubsidyPaidFen, &e.SubsidyPaidFen)
	set("brokered_contracts", f.BrokeredContracts, &e.BrokeredContracts)
	boolSet := func(path string, p *bool, dst *bool) {
		if p == nil {
			miss(path, path)
			return
		}
		*dst = *p
	}
	boolSet("above_designated_size", f.AboveDesignatedSize, &e.AboveDesignatedSize)
	boolSet("in_pool", f.InPool, &e.InPool)
	if f.HNTEEvent == nil {
		miss("hnte_event", "hnte_event")
	} else {
		e.HNTEEvent = *f.HNTEEvent
	}
	if f.IP == nil {
		miss("ip.class1", "ip.class1")
		miss("ip.class2", "ip.class2")
		miss("ip.self_developed", "ip.self_developed")
	} else {
		set("ip.class1", f.IP.Class1, &e.IP.Class1)
		set("ip.class2", f.IP.Class2, &e.IP.Class2)
		boolSet("ip.self_developed", f.IP.SelfDeveloped, &e.IP.SelfDeveloped)
	}
	if d.flags {
		fp := e.Flags.ptrs()
		for i, k := range flagKeys {
			if v, ok := f.Flags[k]; ok {
				*fp[i] = v
			} else {
				miss(flagPaths[i], flagPaths[i])
			}
		}
	}
	if d.direct {
		dp := e.Direct.ptrs()
		for i, k := range directKeys {
			if v, ok := f.Direct[k]; ok {
				*dp[i] = v
			} else {
				miss(directPaths[i], directPaths[i])
			}
		}
	}
	if f.Funding == nil {
		for _, k := range []string{"valuation_usd", "listed", "private_investment", "largest_vc_round_fen"} {
			miss("funding."+k, "funding."+k)
		}
	} else {
		set("funding.valuation_usd", f.Funding.ValuationUSD, &e.Funding.ValuationUSD)
		boolSet("funding.listed", f.Funding.Listed, &e.Funding.Listed)
		boolSet("funding.private_investment", f.Funding.PrivateInvestment, &e.Funding.PrivateInvestment)
		set("funding.largest_vc_round_fen", f.Funding.LargestVCRoundFen, &e.Funding.LargestVCRoundFen)
	}
	if f.ContractsGiven {
		e.Contracts = f.Contracts
	} else {
		miss("contracts", "contracts")
	}

	var reg, at time.Time
	var regOK, atOK bool
	if f.RegisteredOn != nil {
		reg, _ = parseDate(*f.RegisteredOn)
		regOK = true
	}
	if f.AssessedOn != nil {
		at, _ = parseDate(*f.AssessedOn)
		atOK = true
	}
	for _, p := range []string{"age_years", "age_days"} {
		if !regOK {
			miss(p, "registered_on")
		}
		if !atOK {
			miss(p, "assessed_on")
		}
	}
	if regOK && atOK {
		e.AgeYears = yearsAfter(reg, at)
		e.AgeDays = int(at.Sub(reg).Hours() / 24)
	}
	if atOK && e.Contracts != nil && d.contracts {
		cs := make([]Contract, len(e.Contracts))
		copy(cs, e.Contracts)
		for i := range cs {
			s, _ := parseDate(cs[i].SignedOn)
			cs[i].SignedYearsAgo = yearsAfter(s, at)
		}
		e.Contracts = cs
	}
	if !atOK { // without the day there is no data year
		for _, y := range []string{"y", "y1", "y2", "y3"} {
			for _, c := range yearCols {
				miss(y+"."+c, "assessed_on")
			}
		}
		for _, d := range derivedYears {
			miss(d, "assessed_on")
		}
		e.Y.Year = 0
		return
	}
	Y := at.Year() - 1
	e.y0 = Y
	e.f = f
	e.Y.Year, e.Y1.Year, e.Y2.Year, e.Y3.Year = Y, Y-1, Y-2, Y-3
	dst := [4]*YearEnv{&e.Y, &e.Y1, &e.Y2, &e.Y3}
	for k, ye := range dst {
		if !d.years {
			break
		}
		yr := Y - k
		ye.Year = yr
		src := yearOf(f, yr)
		var have [9]*int64
		if src != nil {
			have = src.fields()
		}
		put := ye.fields()
		for ci := range have {
			p := have[ci]
			if p == nil && regOK && yr < reg.Year() {
				continue // before the firm existed: no figures, not missing
			}
			if p == nil {
				miss(yearPaths[k][ci], fmt.Sprintf("years[%d].%s", yr, yearCols[ci]))
				continue
			}
			*put[ci] = *p
		}
	}
	// Operating years: those among the window the firm existed in (a firm
	// registered during year X has X as its first accounting year).
	e.firstYear = Y - 3
	if regOK && reg.Year() > e.firstYear {
		e.firstYear = reg.Year()
	}
	e.regOK = regOK
	if !d.windows && !d.growth {
		e.TechIntensityMean4y = undefinedRat
		return
	}
	sum := func(path string, n int, col int, dst *int64) yearWindow {
		w := e.window(n, col)
		if len(w.missing) > 0 {
			miss(path, w.missing...)
		}
		for _, v := range w.v[:w.n] {
			*dst += v
		}
		return w
	}
	sales3 := sum("sales_3y", 3, colSales, &e.Sales3y)
	e.OpYears = sales3.n
	if !regOK {
		miss("op_years", "registered_on")
	}
	sum("rd_3y", 3, colRD, &e.RD3y)
	sum("rd_domestic_3y", 3, colRDDomestic, &e.RDDomestic3y)
	ta := sum("tech_activity_4y", 4, colTechActivity, &e.TechActivity4y)
	s4 := sum("sales_4y", 4, colSales, &e.Sales4y)
	e.Years4y = s4.n
	if m := e.missing["tech_activity_4y"]; m != nil || e.missing["sales_4y"] != nil {
		miss("tech_intensity_mean_4y", append(append([]string{}, m...), e.missing["sales_4y"]...)...)
		miss("years_4y", e.missing["sales_4y"]...)
	} else if ta.n == s4.n && s4.n > 0 && d.mean4y {
		// mean of yearly ratios: Σ(ta_i/s_i)/n, exactly; computed when read
		e.TechIntensityMean4y = func() Rat {
			acc := R(0, 1)
			for i := range s4.v[:s4.n] {
				if s4.v[i] == 0 {
					return Rat{} // a year without revenue: undefined
				}
				acc = addRat(acc, R(ta.v[i], s4.v[i]))
			}
			return divInt(acc, int64(s4.n))
		}
	}
	if e.TechIntensityMean4y == nil {
		e.TechIntensityMean4y = undefinedRat
	}
	if !d.growth {
		return
	}
	// The growth formula needs exact big-number arithmetic: it is computed
	// once per firm, and only when an item reads it (ensureGrowth), not for
	// the many firms a gate already excludes.
	e.growthPending = true
	if w := e.window(3, colNetAssets); len(w.missing) > 0 {
		miss("growth_net_assets", w.missing...)
		miss("growth_net_assets_zero", w.missing...)
	}
	if w := e.window(3, colSales); len(w.missing) > 0 {
		miss("growth_sales", w.missing...)
		miss("growth_sales_zero", w.missing...)
	}
}

// ensureGrowth computes the growth formula's values if buildEnv deferred
// them (see buildEnv).
func (e *Env) ensureGrowth() {
	if !e.growthPending {
		return
	}
	e.growthPending = false
	na := e.window(3, colNetAssets)
	e.GrowthNetAssets, e.GrowthNetAssetsZero = growthRate(na.v[:na.n])
	sv := e.window(3, colSales)
	e.GrowthSales, e.GrowthSalesZero = growthRate(sv.v[:sv.n])
}

// yearWindow is the figures of one column over the operating years of a
// window (oldest first) and the facts missing for it.
type yearWindow struct {
	v       [4]int64
	n       int
	missing []string
}

// column indexes of Year.fields / yearFields
const (
	colSales        = 0
	colRD           = 3
	colRDDomestic   = 4
	colNetAssets    = 5
	colTechActivity = 7
)

// window is the column over the operating years among Y−n+1 … Y.
func (e *Env) window(n, col int) yearWindow {
	var w yearWindow
	for yr := e.y0 - n + 1; yr <= e.y0; yr++ {
		if yr < e.firstYear {
			continue
		}
		var p *int64
		if src := yearOf(e.f, yr); src != nil {
			p = src.fields()[col]
		}
		if p == nil {
			w.missing = append(w.missing, fmt.Sprintf("years[%d].%s", yr, yearCols[col]))
			continue
		}
		w.v[w.n] = *p
		w.n++
	}
	if !e.regOK {
		w.missing = append(w.missing, "registered_on")
	}
	return w
}

// yearOf is the facts' accounting year yr (nil if not given); a firm has at
// most a few, so a scan is cheaper than a map.
func yearOf(f *Facts, yr int) *Year {
	for i := range f.Years {
		if f.Years[i].Year == yr {
			return &f.Years[i]
		}
	}
	return nil
}

func undefinedRat() Rat { return Rat{} }

var flagPaths, directPaths = prefixed("flags.", flagKeys), prefixed("direct.", directKeys)

func prefixed(pre string, ks []string) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = pre + k
	}
	return out
}

// yearPaths[k][c] is "y.<field>", "y1.<field>", … for the year Y−k.
var yearPaths = func() [4][]string {
	var p [4][]string
	for k, pre := range []string{"y", "y1", "y2", "y3"} {
		for _, c := range yearFields {
			p[k] = append(p[k], pre+"."+c)
		}
	}
	return p
}()

var derivedYears = []string{"sales_3y", "rd_3y", "rd_domestic_3y", "tech_activity_4y", "sales_4y", "tech_intensity_mean_4y",
	"years_4y", "op_years", "growth_net_assets", "growth_net_assets_zero", "growth_sales", "growth_sales_zero"}

func addRat(a, b Rat) Rat {
	r := a.big()
	r = new(big_Rat).Add(r, b.big())
	return fromBig(r)
}

func divInt(a Rat, n int64) Rat {
	r := new(big_Rat).Quo(a.big(), new(big_Rat).SetInt64(n))
	return fromBig(r)
}

// knownPath reports whether an expression path names a fact of the Env
// (checked when a rule file is loaded, so a typo is an error, not a fact
// silently read as zero).
func knownPath(p string) bool {
	if strings.HasPrefix(p, "p.") || strings.HasPrefix(p, "n.") {
		return true
	}
	_, ok := pathSet[p]
	return ok
}

var pathSet = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range []string{"employees", "tech_staff", "total_assets_fen", "age_years", "age_days", "conversions_3y",
		"ip.class1", "ip.class2", "ip.self_developed", "funding.valuation_usd", "funding.listed", "funding.private_investment",
		"funding.largest_vc_round_fen", "hnte_event", "above_designated_size", "in_pool", "pool_subsidy_years", "contracts",
		"subsidy_paid_this_year_fen", "brokered_contracts"} {
		m[p] = true
	}
	for _, d := range derivedYears {
		m[d] = true
	}
	for _, k := range flagKeys {
		m["flags."+k] = true
	}
	for _, k := range directKeys {
		m["direct."+k] = true
	}
	for _, y := range []string{"y", "y1", "y2", "y3"} {
		m[y+".year"] = true
		for _, c := range yearCols {
			m[y+"."+c] = true
		}
	}
	return m
}()
