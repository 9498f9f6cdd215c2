package bench

import (
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"kechuang/internal/rules"
)

// AssessOptions configure kechuang bench assess.
type AssessOptions struct {
	N        int
	Seed     uint64
	RulesDir string // "" for the built-in rule sets
}

// AssessResult is one rule set's timings: the engine (with and without the
// reasons) and the same rules hand-written in Go.
type AssessResult struct {
	RuleSet              string
	Engine, Detail, Peer time.Duration
	Verdicts             map[string]int
	Disagreements        int
	FirstDisagreement    string
}

// MultiTime is the last RunAssess's time for all rule sets with the
// environment built once per firm (rules.Multi).
var MultiTime time.Duration

// MultiCPU and PeerCPU are the process's CPU time (user + system) in the
// one-environment run and in the peer's loops: on a shared machine the
// wall clock measures the neighbours too.
var MultiCPU, PeerCPU time.Duration

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peerOut is what the hand-written peer and the engine must agree on.
type peerOut struct {
	verdict string
	lo, hi  int
	amount  int64
}

type peerFunc func(f *rules.Facts) peerOut

// peers are the rule sets hand-written in Go, with the built-in files'
// parameters (the bench refuses another directory's edited sets unless
// they agree).
var peers = map[string]peerFunc{
	"sme": peerSME, "hnte": peerHNTE, "gazelle": peerGazelle, "unicorn": peerUnicorn, "eaglet": peerEaglet,
	"sy_hitech_zone_hnte_award": peerHNTEAward, "sy_hitech_zone_pool_rd_subsidy": peerPoolRD,
	"sy_buyer_contract_subsidy": peerBuyer, "ln_transfer_post_subsidy": peerLNPost,
	"sy_broker_reward": peerBroker, "sy_first_hnte_rd_subsidy": peerFirstRD,
}

// RunAssess generates N firms and assesses them under every rule set,
// by the engine and by the peer, and compares the outcomes.
func RunAssess(o AssessOptions) ([]AssessResult, time.Duration, error) {
	sets, _, err := rules.OpenDir(o.RulesDir)
	if err != nil {
		return nil, 0, err
	}
	PeerCPU = 0
	t0 := time.Now()
	firms := GenerateFirms(o.N, o.Seed)
	gen := time.Since(t0)
	var ids []string
	for id := range sets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []AssessResult
	engineOut := map[string][]peerOut{}
	for _, id := range ids {
		peer := peers[id]
		if peer == nil {
			return nil, gen, fmt.Errorf("规则集 %s 没有手写对照 (no hand-written peer)", id)
		}
		r := AssessResult{RuleSet: id, Verdicts: map[string]int{}}
		a := rules.NewAssessor(sets[id])
		a.Detail = false
		got := make([]peerOut, len(firms))
		start := time.Now()
		for i := range firms {
			res, err := a.Assess(&firms[i])
			if err != nil {
				return nil, gen, fmt.Errorf("%s firm %d: %v", id, i, err)
			}
			got[i] = outOf(res)
		}
		r.Engine = time.Since(start)
		engineOut[id] = got
		a.Detail = true
		start = time.Now()
		for i := range firms {
			if _, err := a.Assess(&firms[i]); err != nil {
				return nil, gen, err
			}
		}
		r.Detail = time.Since(start)
		want := make([]peerOut, len(firms))
		start = time.Now()
		c0 := cpuTime()
		for i := range firms {
			want[i] = peer(&firms[i])
		}
		r.Peer = time.Since(start)
		PeerCPU += cpuTime() - c0
		for i := range firms {
			r.Verdicts[got[i].verdict]++
			if got[i] != want[i] {
				if r.Disagreements == 0 {
					r.FirstDisagreement = fmt.Sprintf("firm %d (%s): engine %+v, hand-written %+v", i, firms[i].Name, got[i], want[i])
				}
				r.Disagreements++
			}
		}
		out = append(out, r)
	}
	// all rule sets at once, the firm's environment built once
	var list []*rules.Set
	for _, id := range ids {
		list = append(list, sets[id])
	}
	m := rules.NewMulti(list, false)
	start := time.Now()
	c0 := cpuTime()
	multiBad := 0
	for i := range firms {
		res, err := m.Assess(&firms[i])
		if err != nil {
			return nil, gen, err
		}
		for k, r := range res {
			if outOf(r) != engineOut[ids[k]][i] {
				multiBad++
			}
		}
	}
	MultiTime = time.Since(start)
	MultiCPU = cpuTime() - c0
	if multiBad > 0 {
		return out, gen, fmt.Errorf("%d results of the one-environment run differ from the per-set run", multiBad)
	}
	for _, r := range out {
		if r.Disagreements > 0 {
			return out, gen, fmt.Errorf("%s: %d 家企业的结论与手写实现不一致", r.RuleSet, r.Disagreements)
		}
	}
	return out, gen, nil
}

func outOf(r *rules.Result) peerOut {
	p := peerOut{verdict: r.Verdict}
	if r.ScoreMin != nil && r.Verdict != rules.NotEligible {
		p.lo, p.hi = *r.ScoreMin, *r.ScoreMax
	}
	if r.AmountFen != nil {
		p.amount = *r.AmountFen
	}
	return p
}

// PrintAssess writes the timings in the house style.
func PrintAssess(w io.Writer, o AssessOptions, gen time.Duration, rs []AssessResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nkechuang bench assess — %s 家生成的企业 × %d 个规则集；%s %s/%s，%d 核；%s\n",
		thousands(int64(o.N)), len(rs), runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), time.Now().Format("2006-01-02"))
	fmt.Fprintf(w, "生成 generate: %.2f s（不计入下表）\n", gen.Seconds())
	const lw = 34
	fmt.Fprintln(w, pad("rule set", lw)+pad("engine s", 11)+pad("+reasons s", 12)+pad("hand-written s", 16)+pad("ratio", 8)+"verdicts")
	var te, td, tp time.Duration
	for _, r := range rs {
		te, td, tp = te+r.Engine, td+r.Detail, tp+r.Peer
		var vs []string
		for v, n := range r.Verdicts {
			vs = append(vs, fmt.Sprintf("%s %d", v, n))
		}
		slices.Sort(vs)
		fmt.Fprintln(w, pad(r.RuleSet, lw)+pad(fmt.Sprintf("%.3f", r.Engine.Seconds()), 11)+pad(fmt.Sprintf("%.3f", r.Detail.Seconds()), 12)+
			pad(fmt.Sprintf("%.3f", r.Peer.Seconds()), 16)+pad(ratio(float64(r.Engine), float64(r.Peer)), 8)+strings.Join(vs, ", "))
	}
	fmt.Fprintln(w, pad("all rule sets", lw)+pad(fmt.Sprintf("%.3f", te.Seconds()), 11)+pad(fmt.Sprintf("%.3f", td.Seconds()), 12)+
		pad(fmt.Sprintf("%.3f", tp.Seconds()), 16)+ratio(float64(te), float64(tp)))
	fmt.Fprintln(w, pad("all rule sets, one environment", lw)+pad(fmt.Sprintf("%.3f", MultiTime.Seconds()), 11)+pad("", 12)+
		pad(fmt.Sprintf("%.3f", tp.Seconds()), 16)+ratio(float64(MultiTime), float64(tp))+"  (rules.Multi: the facts read once per firm)")
	fmt.Fprintf(w, "CPU time (user + system) of the process: one environment %.3f s, hand-written %.3f s, ratio %s\n",
		MultiCPU.Seconds(), PeerCPU.Seconds(), ratio(float64(MultiCPU), float64(PeerCPU)))
	fmt.Fprintf(w, "per firm, all rule sets: engine %.1f µs (one environment %.1f µs), with reasons %.1f µs, hand-written %.1f µs\n",
		float64(te.Microseconds())/float64(o.N), float64(MultiTime.Microseconds())/float64(o.N), float64(td.Microseconds())/float64(o.N), float64(tp.Microseconds())/float64(o.N))
	dis := 0
	for _, r := range rs {
		dis += r.Disagreements
		if r.FirstDisagreement != "" {
			fmt.Fprintf(w, "不一致 %s: %s\n", r.RuleSet, r.FirstDisagreement)
		}
	}
	if dis == 0 {
		fmt.Fprintf(w, "一致性 agreement: engine = hand-written for every firm and rule set (%s comparisons)\n", thousands(int64(o.N*len(rs))))
	}
}

// GenerateFirms makes n complete, varied firms (assessed in 2023).
func GenerateFirms(n int, seed uint64) []rules.Facts {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p64 := func(v int64) *int64 { return &v }
	pb := func(v bool) *bool { return &v }
	ps := func(v string) *string { return &v }
	chance := func(p int) bool { return rng.IntN(100) < p }
	out := make([]rules.Facts, n)
	events := []string{"first", "renewal", "relocated_in", "none", "none"}
	sellers := []string{"university", "institute", "talent", "enterprise"}
	kinds := []string{"transfer", "license", "equity", "development", "consulting", "service"}
	for i := range out {
		f := &out[i]
		f.Name = fmt.Sprintf("生成企业%06d", i)
		regYear := 2000 + rng.IntN(23)
		f.RegisteredOn = ps(fmt.Sprintf("%04d-%02d-%02d", regYear, 1+rng.IntN(12), 1+rng.IntN(28)))
		f.AssessedOn = ps(fmt.Sprintf("2023-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)))
		if *f.AssessedOn < *f.RegisteredOn {
			f.RegisteredOn = ps("2021-06-01")
		}
		emp := int64(5 + rng.IntN(900))
		f.Employees = p64(emp)
		f.TechStaff = p64(emp * int64(rng.IntN(45)) / 100)
		base := int64(rng.IntN(40_000)+50) * 1_000_000 // 5万 … 4亿 (fen)
		f.TotalAssetsFen = p64(base * int64(1+rng.IntN(3)))
		sales := base
		emps := emp * int64(40+rng.IntN(60)) / 100
		for y := 2019; y <= 2022; y++ {
			rd := sales * int64(rng.IntN(90)) / 1000
			f.Years = append(f.Years, rules.Year{Year: y, SalesRevenueFen: p64(sales), TotalIncomeFen: p64(sales + sales/20),
				CostTotalFen: p64(sales * int64(60+rng.IntN(35)) / 100), RDExpenseFen: p64(rd), RDDomesticFen: p64(rd * int64(50+rng.IntN(51)) / 100),
				NetAssetsFen: p64(base * int64(20+rng.IntN(60)) / 100), HightechRevenueFen: p64(sales * int64(30+rng.IntN(70)) / 100),
				TechActivityFen: p64(rd + rd/10), Employees: p64(emps)})
			sales = sales * int64(85+rng.IntN(70)) / 100
			emps = emps * int64(90+rng.IntN(60)) / 100
		}
		f.IP = &struct {
			Class1        *int64 `json:"class1,omitempty"`
			Class2        *int64 `json:"class2,omitempty"`
			SelfDeveloped *bool  `json:"self_developed,omitempty"`
		}{Class1: p64(int64(rng.IntN(3) / 2)), Class2: p64(int64(rng.IntN(7))), SelfDeveloped: pb(chance(80))}
		f.Conversions3y = p64(int64(rng.IntN(20)))
		f.Flags = map[string]bool{"resident_enterprise": chance(97), "excluded_industry": chance(5), "major_incident": chance(3),
			"abnormal_or_dishonest_list": chance(3), "serious_fraud": chance(2), "core_ip_owned": chance(85), "in_supported_domain": chance(85),
			"branch_or_sales_entity": chance(5), "software_certificates": chance(15), "contest_award": chance(10), "sci_tech_award": chance(5)}
		f.Direct = map[string]bool{"hnte_certificate_valid": chance(20), "national_award_top3": chance(2), "provincial_rd_institution": chance(8), "led_standard": chance(5)}
		f.Funding = &rules.Funding{ValuationUSD: p64(int64(rng.IntN(1500)) * 1_000_000 * int64(1+rng.IntN(2))), Listed: pb(chance(5)),
			PrivateInvestment: pb(chance(30)), LargestVCRoundFen: p64(int64(rng.IntN(30)) * 100_000_000)}
		if chance(50) {
			f.ExpertScores = map[string]int64{"rd_management": int64(rng.IntN(21))}
		}
		f.HNTEEvent = ps(events[rng.IntN(len(events))])
		f.AboveDesignatedSize = pb(chance(30))
		f.InPool = pb(chance(30))
		f.PoolSubsidyYears = p64(int64(rng.IntN(3)))
		f.SubsidyPaidFen = p64(int64(rng.IntN(250)) * 1_000_000)
		f.BrokeredContracts = p64(int64(rng.IntN(30)))
		f.ContractsGiven = true
		for k := rng.IntN(4); k > 0; k-- {
			price := int64(rng.IntN(5000)+1) * 100_000
			f.Contracts = append(f.Contracts, rules.Contract{PriceFen: price, ReceivedFen: price * int64(rng.IntN(101)) / 100,
				SignedOn:   fmt.Sprintf("%04d-%02d-%02d", 2018+rng.IntN(6), 1+rng.IntN(12), 1+rng.IntN(28)),
				SellerKind: sellers[rng.IntN(len(sellers))], Kind: kinds[rng.IntN(len(kinds))],
				Registered: chance(90), FundedBefore: chance(10), GoodBenefit: chance(70)})
		}
	}
	return out
}

// ---- the hand-written peer ----

// ge reports a/b >= c/d exactly (b, d > 0; b == 0 is false).
func ge(a, b, c, d int64) bool {
	if b == 0 {
		return false
	}
	x := new(big.Int).Mul(big.NewInt(a), big.NewInt(d))
	return x.Cmp(new(big.Int).Mul(big.NewInt(c), big.NewInt(b))) >= 0
}

// geSmall is ge for operands whose products fit in an int64 (head-counts,
// fen below 9·10^14 against 4-digit factors).
func geSmall(a, b, c, d int64) bool { return b != 0 && a*d >= c*b }

type firmYears struct {
	Y, regYear int
	by         map[int]*rules.Year
}

func yearsOf(f *rules.Facts) firmYears {
	fy := firmYears{Y: atoi4(*f.AssessedOn) - 1, regYear: atoi4(*f.RegisteredOn), by: make(map[int]*rules.Year, len(f.Years))}
	for i := range f.Years {
		fy.by[f.Years[i].Year] = &f.Years[i]
	}
	return fy
}

func atoi4(s string) int {
	return int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
}

func (fy firmYears) get(y int, field func(*rules.Year) *int64) int64 {
	if r := fy.by[y]; r != nil {
		if p := field(r); p != nil {
			return *p
		}
	}
	return 0
}

func sales(y *rules.Year) *int64 { return y.SalesRevenueFen }
func rd(y *rules.Year) *int64    { return y.RDExpenseFen }

// window: the operating years among the last n.
func (fy firmYears) window(n int, field func(*rules.Year) *int64) []int64 {
	var vs []int64
	for y := fy.Y - n + 1; y <= fy.Y; y++ {
		if y >= fy.regYear {
			vs = append(vs, fy.get(y, field))
		}
	}
	return vs
}

func ageYears(reg, at string) int {
	r, _ := time.Parse(time.DateOnly, reg)
	a, _ := time.Parse(time.DateOnly, at)
	n := a.Year() - r.Year()
	for n > 0 && !a.After(r.AddDate(n-1, 0, 0)) {
		n--
	}
	for a.After(r.AddDate(n, 0, 0)) {
		n++
	}
	return n
}

func verdictOf(lo, hi, mark int) string {
	switch {
	case lo >= mark:
		return rules.Pass
	case hi < mark:
		return rules.Fail
	}
	return rules.ExpertDependent
}

func peerSME(f *rules.Facts) peerOut {
	fy := yearsOf(f)
	y := fy.by[fy.Y]
	fl := f.Flags
	integrity := !fl["major_incident"] && !fl["abnormal_or_dishonest_list"]
	if *f.AssessedOn >= "2022-01-01" {
		integrity = integrity && !fl["serious_fraud"]
	}
	if !fl["resident_enterprise"] || !(*f.Employees <= 500 && *y.SalesRevenueFen <= 20_000_000_000 && *f.TotalAssetsFen <= 20_000_000_000) ||
		fl["excluded_industry"] || !integrity {
		return peerOut{verdict: rules.NotEligible}
	}
	staff := 0
	for _, b := range [][2]int64{{30, 20}, {25, 16}, {20, 12}, {15, 8}, {10, 4}} {
		if geSmall(*f.TechStaff, *f.Employees, b[0], 100) {
			staff = int(b[1])
			break
		}
	}
	rdp := 0
	if *y.SalesRevenueFen > 0 {
		for _, b := range [][2]int64{{6, 50}, {5, 40}, {4, 30}, {3, 20}, {2, 10}} {
			if geSmall(*y.RDExpenseFen, *y.SalesRevenueFen, b[0], 100) {
				rdp = int(b[1])
				break
			}
		}
	}
	if *y.CostTotalFen > 0 {
		for _, b := range [][2]int64{{30, 50}, {25, 40}, {20, 30}, {15, 20}, {10, 10}} {
			if geSmall(*y.RDExpenseFen, *y.CostTotalFen, b[0], 100) {
				rdp = max(rdp, int(b[1]))
				break
			}
		}
	}
	ip := 0
	switch c1, c2 := *f.IP.Class1, *f.IP.Class2; {
	case c1 >= 1:
		ip = 30
	case c2 >= 4:
		ip = 24
	case c2 == 3:
		ip = 18
	case c2 == 2:
		ip = 12
	case c2 == 1:
		ip = 6
	}
	s := staff + rdp + ip
	d := f.Direct
	v := rules.Fail
	if d["hnte_certificate_valid"] || d["national_award_top3"] || d["provincial_rd_institution"] || d["led_standard"] || (s >= 60 && staff > 0) {
		v = rules.Pass
	}
	return peerOut{verdict: v, lo: s, hi: s}
}

func growthBand(v []int64) (int, int) {
	g, zero := peerGrowth(v)
	if zero {
		return 0, 0
	}
	for _, b := range []struct {
		n, d   int64
		lo, hi int
	}{{35, 100, 9, 10}, {25, 100, 7, 8}, {15, 100, 5, 6}, {5, 100, 3, 4}} {
		if g.Cmp(big.NewRat(b.n, b.d)) >= 0 {
			return b.lo, b.hi
		}
	}
	if g.Sign() > 0 {
		return 1, 2
	}
	return 0, 0
}

func peerGrowth(v []int64) (*big.Rat, bool) {
	switch len(v) {
	case 0, 1:
		return nil, true
	case 2:
		if v[0] == 0 {
			return nil, true
		}
		g := big.NewRat(v[1], v[0])
		return g.Sub(g, big.NewRat(1, 1)), false
	}
	v1, v2, v3 := v[len(v)-3], v[len(v)-2], v[len(v)-1]
	if v2 == 0 {
		return nil, true
	}
	if v1 == 0 {
		g := big.NewRat(v3, v2)
		return g.Sub(g, big.NewRat(1, 1)), false
	}
	g := big.NewRat(v2, v1)
	g.Add(g, big.NewRat(v3, v2))
	g.Quo(g, big.NewRat(2, 1))
	return g.Sub(g, big.NewRat(1, 1)), false
}

func peerHNTE(f *rules.Facts) peerOut {
	fy := yearsOf(f)
	y := fy.by[fy.Y]
	reg, _ := time.Parse(time.DateOnly, *f.RegisteredOn)
	at, _ := time.Parse(time.DateOnly, *f.AssessedOn)
	var s3, r3, d3 int64
	for _, v := range fy.window(3, sales) {
		s3 += v
	}
	for _, v := range fy.window(3, rd) {
		r3 += v
	}
	for _, v := range fy.window(3, func(y *rules.Year) *int64 { return y.RDDomesticFen }) {
		d3 += v
	}
	thr := int64(3)
	if *y.SalesRevenueFen <= 5_000_000_000 {
		thr = 5
	} else if *y.SalesRevenueFen <= 20_000_000_000 {
		thr = 4
	}
	fl := f.Flags
	if int(at.Sub(reg).Hours()/24) < 365 || !fl["core_ip_owned"] || !fl["in_supported_domain"] || !geSmall(*f.TechStaff, *f.Employees, 10, 100) ||
		!ge(r3, s3, thr, 100) || !ge(d3, r3, 60, 100) || !ge(*y.HightechRevenueFen, *y.TotalIncomeFen, 60, 100) || fl["major_incident"] {
		return peerOut{verdict: rules.NotEligible}
	}
	ex := func(k string, lo, hi int) (int, int) {
		if p, ok := f.ExpertScores[k]; ok {
			return int(p), int(p)
		}
		return lo, hi
	}
	c1, c2 := *f.IP.Class1, *f.IP.Class2
	ipLo, ipHi := 0, 0
	add := func(lo, hi int) { ipLo, ipHi = ipLo+lo, ipHi+hi }
	add(ex("ip_advanced", 0, 8))
	add(ex("ip_core_support", 0, 8))
	switch {
	case c1 >= 1:
		add(ex("ip_quantity", 7, 8))
	case c2 >= 5:
		add(ex("ip_quantity", 5, 6))
	case c2 >= 3:
		add(ex("ip_quantity", 3, 4))
	case c2 >= 1:
		add(ex("ip_quantity", 1, 2))
	default:
		add(ex("ip_quantity", 0, 0))
	}
	switch {
	case c1+c2 == 0:
		add(ex("ip_acquisition", 0, 0))
	case *f.IP.SelfDeveloped:
		add(ex("ip_acquisition", 1, 6))
	default:
		add(ex("ip_acquisition", 1, 3))
	}
	add(ex("ip_standards", 0, 2))
	lo, hi := min(ipLo, 30), min(ipHi, 30)
	cl, ch := 0, 0
	cv := *f.Conversions3y
	switch {
	case cv >= 15:
		cl, ch = 25, 30
	case cv >= 12:
		cl, ch = 19, 24
	case cv >= 9:
		cl, ch = 13, 18
	case cv >= 6:
		cl, ch = 7, 12
	case cv >= 3:
		cl, ch = 1, 6
	}
	cl, ch = ex("conversion", cl, ch)
	ml, mh := ex("rd_management", 0, 20)
	gl, gh := growthBand(fy.window(3, func(y *rules.Year) *int64 { return y.NetAssetsFen }))
	gl, gh = ex("growth_net_assets", gl, gh)
	sl, sh := growthBand(fy.window(3, sales))
	sl, sh = ex("growth_sales", sl, sh)
	lo += cl + ml + gl + sl
	hi += ch + mh + gh + sh
	return peerOut{verdict: verdictOf(lo, hi, 71), lo: lo, hi: hi}
}

func boolVerdict(ok bool) string {
	if ok {
		return rules.Pass
	}
	return rules.Fail
}

func peerGazelle(f *rules.Facts) peerOut {
	fy := yearsOf(f)
	age := ageYears(*f.RegisteredOn, *f.AssessedOn)
	Y := fy.Y
	rev := func(y int) int64 { return fy.get(y, sales) }
	emp := func(y int) int64 { return fy.get(y, func(y *rules.Year) *int64 { return y.Employees }) }
	scale := (age <= 5 && rev(Y) >= 50_000_000_000) || (age <= 10 && rev(Y) >= 100_000_000_000) ||
		(rev(Y-3) > 1_000_000_000 && geSmall(rev(Y), rev(Y-3), 1728, 1000) && rev(Y) > rev(Y-1)) ||
		(emp(Y-3) > 100 && geSmall(emp(Y), emp(Y-3), 2197, 1000) && emp(Y) > emp(Y-1)) ||
		*f.Funding.LargestVCRoundFen >= 1_000_000_000
	var ta, s4 int64
	for _, v := range fy.window(4, func(y *rules.Year) *int64 { return y.TechActivityFen }) {
		ta += v
	}
	for _, v := range fy.window(4, sales) {
		s4 += v
	}
	return peerOut{verdict: boolVerdict(age <= 20 && scale && ge(ta, s4, 25, 1000))}
}

func peerUnicorn(f *rules.Facts) peerOut {
	fu := f.Funding
	return peerOut{verdict: boolVerdict(ageYears(*f.RegisteredOn, *f.AssessedOn) <= 10 && *fu.PrivateInvestment && !*fu.Listed && *fu.ValuationUSD >= 1_000_000_000)}
}

func peerEaglet(f *rules.Facts) peerOut {
	fy := yearsOf(f)
	fl := f.Flags
	var ta, s4 int64
	for _, v := range fy.window(4, func(y *rules.Year) *int64 { return y.TechActivityFen }) {
		ta += v
	}
	for _, v := range fy.window(4, sales) {
		s4 += v
	}
	honour := *f.IP.Class1 >= 1 || *f.IP.Class2 >= 2 || fl["software_certificates"] || fl["contest_award"] || f.Direct["hnte_certificate_valid"] || fl["sci_tech_award"]
	return peerOut{verdict: boolVerdict(ageYears(*f.RegisteredOn, *f.AssessedOn) <= 10 && !fl["branch_or_sales_entity"] &&
		!fl["abnormal_or_dishonest_list"] && honour && ge(ta, s4, 25, 1000))}
}

func peerHNTEAward(f *rules.Facts) peerOut {
	var a int64
	switch *f.HNTEEvent {
	case "none":
		return peerOut{verdict: rules.Fail}
	case "first":
		a = 20_000_000
		if *f.AboveDesignatedSize {
			a += 30_000_000
		}
	case "renewal":
		a = 5_000_000
	default:
		a = 20_000_000
	}
	return peerOut{verdict: rules.Pass, amount: a}
}

func peerPoolRD(f *rules.Facts) peerOut {
	if !*f.InPool || *f.PoolSubsidyYears >= 2 {
		return peerOut{verdict: rules.Fail}
	}
	fy := yearsOf(f)
	return peerOut{verdict: rules.Pass, amount: min(fy.get(fy.Y, rd)/10, 5_000_000)}
}

func peerBuyer(f *rules.Facts) peerOut {
	var sum int64
	n := 0
	for _, c := range f.Contracts {
		if c.SellerKind == "talent" && c.Registered && c.GoodBenefit {
			sum += c.PriceFen
			n++
		}
	}
	if n == 0 {
		return peerOut{verdict: rules.Fail}
	}
	return peerOut{verdict: rules.Pass, amount: min(sum*5/100, max(200_000_000-*f.SubsidyPaidFen, 0))}
}

func peerLNPost(f *rules.Facts) peerOut {
	if f.Flags["serious_fraud"] {
		return peerOut{verdict: rules.Fail}
	}
	var sum int64
	n := 0
	for _, c := range f.Contracts {
		if (c.SellerKind == "university" || c.SellerKind == "institute") && slices.Contains([]string{"transfer", "license", "equity", "development"}, c.Kind) &&
			c.PriceFen >= 100_000_000 && ageYears(c.SignedOn, *f.AssessedOn) <= 3 && !c.FundedBefore {
			sum += c.ReceivedFen
			n++
		}
	}
	if n == 0 {
		return peerOut{verdict: rules.Fail}
	}
	return peerOut{verdict: rules.Pass, amount: min(sum/10, 100_000_000)}
}

func peerBroker(f *rules.Facts) peerOut {
	if *f.BrokeredContracts <= 0 {
		return peerOut{verdict: rules.Fail}
	}
	return peerOut{verdict: rules.Pass, amount: min(*f.BrokeredContracts*1_000_000, 20_000_000)}
}

func peerFirstRD(f *rules.Facts) peerOut {
	if *f.HNTEEvent != "first" {
		return peerOut{verdict: rules.Fail}
	}
	fy := yearsOf(f)
	return peerOut{verdict: rules.Pass, amount: min(fy.get(fy.Y, rd)/10, 50_000_000)}
}
