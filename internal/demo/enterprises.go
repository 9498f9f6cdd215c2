package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/rules"
)

// The demo city's enterprise registry (企业库): the firms, each year's
// facts (../shared/rules/FACTS.md) and the qualifications they hold,
// generated deterministically for a load day. Assessing the facts with
// internal/rules gives the figures below; nothing here decides a verdict:
// the generator plans each firm's course (new firms, sme → hnte, lost and
// revoked certificates, firms that stop filing) and writes the facts that
// course implies, and the rules judge them (TestEnterpriseFigures).

// EnterpriseFigures are one year's registry figures: tech enterprises
// (an sme or hnte pass), high-tech (hnte pass), 雏鹰 (eaglet pass) and the
// distinct firms with a 瞪羚 or 独角兽 pass.
type EnterpriseFigures struct {
	Year, Tech, HighTech, Eaglet, GazelleUnicorn int
}

// EnterprisePublished are the published years (DIGEST §6: 2022 15,363 tech
// enterprises, +4238; 4200 high-tech; 雏鹰 1385, +320; 瞪羚+独角兽 235,
// +83, so 2021 11,125, 1065 and 152). The 2021 high-tech count is not
// published: 3520 is our assumption [A].
var EnterprisePublished = []EnterpriseFigures{
	{2021, 11_125, 3_520, 1_065, 152},
	{2022, 15_363, 4_200, 1_385, 235},
}

// enterprisePath is the demo's assumed course after 2022 [A]: toward the
// 2023 targets (20,000 tech, 5000 high-tech), then a few per cent a year.
// Beyond the table: tech +4%, high-tech +5%, eaglet +5%, 瞪羚+独角兽 +6%.
var enterprisePath = map[int]EnterpriseFigures{
	2023: {2023, 19_180, 4_860, 1_620, 288},
	2024: {2024, 20_420, 5_230, 1_760, 322},
	2025: {2025, 21_350, 5_540, 1_880, 350},
	2026: {2026, 22_190, 5_830, 1_990, 376},
	2027: {2027, 23_010, 6_100, 2_090, 400},
}

// MinPoolIntake is the least yearly intake into the cultivation pool the
// demo gives (DIGEST §6: 3000+ a year): tech enterprises of a year that
// were not tech enterprises the year before.
const MinPoolIntake = 3000

// EnterpriseTargets are the figures of each given year.
func EnterpriseTargets(years []int) []EnterpriseFigures {
	var out []EnterpriseFigures
	last := EnterprisePublished[len(EnterprisePublished)-1]
	for _, y := range years {
		if i := slices.IndexFunc(EnterprisePublished, func(f EnterpriseFigures) bool { return f.Year == y }); i >= 0 {
			out = append(out, EnterprisePublished[i])
			continue
		}
		for yy := last.Year + 1; yy <= y; yy++ {
			if p, ok := enterprisePath[yy]; ok {
				last = p
			} else {
				last = EnterpriseFigures{yy, last.Tech * 104 / 100, last.HighTech * 105 / 100, last.Eaglet * 105 / 100, last.GazelleUnicorn * 106 / 100}
			}
		}
		out = append(out, last)
	}
	return out
}

// Registry is the demo's enterprise registry for a load day.
type Registry struct {
	Years   []int               // the filing (assessment) years, oldest first
	Targets []EnterpriseFigures // per year, in Years' order
	Firms   []*Firm             // the demo's enterprise organisations first
}

// Firm is one registry firm. It files every year from First while it is
// in the registry (a firm that stops filing has left: moved, closed or no
// longer registering).
type Firm struct {
	USCC, Name, District, Chain, RegisteredOn string
	Org                                       bool // one of the demo's enterprise organisations (same USCC, name and district)
	First                                     int  // the first filing year
	Quals                                     []Qualification

	issues  []int // the years its 高企 certificates were issued
	revoked int   // the year its certificate was revoked, 0 none
	reg     time.Time
	cls     uint8 // clsHi (capable of 高企), clsMid, clsLow (little R&D)
	lowTill int   // accounting years before it have clsLow R&D (a firm that took up R&D)
	large   bool  // above the 科技型中小企业 size limits
	fast    bool  // grows 22–28% a year
	branch  bool  // a sales or trading company
	prod    int64 // sales per employee, fen
	netK    int64 // net assets per 1000 of sales
	acct    []acct
	y       []fy
}

// Qualification is a 高企 certificate or a 科技型中小企业 registration number.
type Qualification struct {
	Kind                                         string // "hnte" or "sme"
	Number                                       string
	Year                                         int
	IssuedOn, ExpiresOn, RevokedOn, RevokeReason string
}

// acct is one accounting year's figures (fen).
type acct struct {
	sales, income, cost, rd, rdDom, net, ht, ta int64
	emp                                         int64
}

// tiers a firm-year is planned in
const (
	tierNone uint8 = iota
	tierSME
	tierHNTE
)

const (
	clsHi uint8 = iota
	clsMid
	clsLow
)

// why a firm-year fails what it fails
const (
	whyNone uint8 = iota
	whyTSLow
	whyAbnormal
	whyExcluded
	whyCoreIP
	whyHightech
	whyScore
)

// fy is one filing year's plan and facts.
type fy struct {
	tier                  uint8
	smeWhy, hnteWhy       uint8 // for a firm-year not sme / not hnte: the reason it fails
	revoked, lost         bool  // 高企 revoked this year; renewal failed this year
	cert                  bool  // holds a valid 高企 certificate on assessed_on
	eaglet, vc, unicorn   bool
	at                    time.Time
	emp, ts, assets, conv int64
	c1, c2                int64
	selfDev               bool
	flags                 map[string]bool
	direct                map[string]bool
	valuation, vcFen      int64
	private, listed       bool
	expert                map[string]int64
}

// Years returns the firm's filing years.
func (f *Firm) Years() []int {
	out := make([]int, len(f.y))
	for i := range f.y {
		out[i] = f.First + i
	}
	return out
}

func (f *Firm) year(y int) *fy {
	if y < f.First || y >= f.First+len(f.y) {
		return nil
	}
	return &f.y[y-f.First]
}

func (f *Firm) acctOf(x int) *acct {
	i := x - f.reg.Year()
	if i < 0 || i >= len(f.acct) {
		return nil
	}
	return &f.acct[i]
}

func i64(v int64) *int64 { return &v }
func bp(v bool) *bool    { return &v }

// Facts returns the firm's facts for filing year y (zero Facts if it did
// not file that year).
func (f *Firm) Facts(y int) rules.Facts {
	p := f.year(y)
	if p == nil {
		return rules.Facts{}
	}
	reg, at := f.RegisteredOn, p.at.Format(time.DateOnly)
	x := rules.Facts{Name: f.Name, USCC: f.USCC, RegisteredOn: &reg, AssessedOn: &at,
		Employees: i64(p.emp), TechStaff: i64(p.ts), TotalAssetsFen: i64(p.assets), Conversions3y: i64(p.conv),
		Flags: p.flags, Direct: p.direct, ExpertScores: p.expert,
		Funding: &rules.Funding{ValuationUSD: i64(p.valuation), Listed: bp(p.listed), PrivateInvestment: bp(p.private), LargestVCRoundFen: i64(p.vcFen)},
	}
	x.IP = &struct {
		Class1        *int64 `json:"class1,omitempty"`
		Class2        *int64 `json:"class2,omitempty"`
		SelfDeveloped *bool  `json:"self_developed,omitempty"`
	}{i64(p.c1), i64(p.c2), bp(p.selfDev)}
	for yr := max(y-4, f.reg.Year()); yr < y; yr++ {
		a := f.acctOf(yr)
		x.Years = append(x.Years, rules.Year{Year: yr, SalesRevenueFen: i64(a.sales), TotalIncomeFen: i64(a.income),
			CostTotalFen: i64(a.cost), RDExpenseFen: i64(a.rd), RDDomesticFen: i64(a.rdDom), NetAssetsFen: i64(a.net),
			HightechRevenueFen: i64(a.ht), TechActivityFen: i64(a.ta), Employees: i64(a.emp)})
	}
	return x
}

// EnterpriseOrg is one of the demo's enterprise organisations.
type EnterpriseOrg struct{ Name, USCC, District string }

// EnterpriseOrgs are the demo's enterprise organisations as the city part
// creates them (drawn the same way, without a database).
func EnterpriseOrgs() []EnterpriseOrg {
	c := city.Shenyang()
	g := &gen{rng: newRNG(), city: c}
	_, _, plans := g.planOrgs(c.Bureau.Code, c.Registry.Code)
	var out []EnterpriseOrg
	for _, p := range plans {
		if p.kind == domain.OrgEnterprise {
			out = append(out, EnterpriseOrg{p.name, p.uscc, p.district})
		}
	}
	return out
}

// entGen is the registry's generator.
type entGen struct {
	rng     *rand.Rand
	g       *gen // the city's districts and the credit codes in use
	years   []int
	through map[int]string // the last day a year's assessments may fall on
	today   string
	targets []EnterpriseFigures
	firms   []*Firm
	names   map[string]bool
	hnte    *rules.Set
	seq     map[string]int
}

// Enterprises generates the registry for a load on today (YYYY-MM-DD in
// China): the filing years are the demo's years (Plan).
func Enterprises(today string) (*Registry, error) {
	plan, err := Plan(today)
	if err != nil {
		return nil, err
	}
	sets, err := rules.LoadDir(rules.Embedded())
	if err != nil {
		return nil, err
	}
	c := city.Shenyang()
	e := &entGen{rng: rand.New(rand.NewPCG(15_363, 4238)), through: map[int]string{}, today: today,
		names: map[string]bool{}, hnte: sets["hnte"], seq: map[string]int{}}
	e.g = &gen{rng: e.rng, city: c, usedUSCC: map[string]bool{}}
	for _, y := range plan {
		e.years = append(e.years, y.Year)
		e.through[y.Year] = y.Through
	}
	e.targets = EnterpriseTargets(e.years)
	orgs := EnterpriseOrgs()
	og := &gen{rng: newRNG(), city: c}
	og.planOrgs(c.Bureau.Code, c.Registry.Code)
	for code := range og.usedUSCC {
		e.g.usedUSCC[code] = true
	}
	if err := e.simulate(orgs); err != nil {
		return nil, err
	}
	e.series()
	if err := e.labels(); err != nil {
		return nil, err
	}
	if err := e.facts(); err != nil {
		return nil, err
	}
	e.quals()
	return &Registry{Years: e.years, Targets: e.targets, Firms: e.firms}, nil
}

func (e *entGen) between(lo, hi float64) float64 { return lo + e.rng.Float64()*(hi-lo) }
func (e *entGen) chance(p float64) bool          { return e.rng.Float64() < p }
func (e *entGen) intIn(lo, hi int) int           { return lo + e.rng.IntN(hi-lo+1) }

// date draws a day of year y (uniformly within [from, to], MM-DD).
func (e *entGen) date(y int, from, to string) time.Time {
	a, _ := time.Parse(time.DateOnly, fmt.Sprintf("%d-%s", y, from))
	b, _ := time.Parse(time.DateOnly, fmt.Sprintf("%d-%s", y, to))
	return a.AddDate(0, 0, e.rng.IntN(int(b.Sub(a).Hours()/24)+1))
}

// Names: a city or province prefix, a two-character brand, the trade and
// the legal form.
var (
	brandA = []rune("瑞华盛恒鼎嘉宏泰启天博远中科金辉昊德新凯卓创宇信安顺和睿智联汇弘誉隆兴达通东北辽沈沃星海蓝思源")
	brandB = []rune("达源诚昌鑫泰科翔锐拓信恒远航驰宇邦润佳越腾锋晟凯祥华普晨峰川合盈域坤宁昱明光途为")
	// trades with the industrial chain (a code of the city file) they belong to
	entTrades = []struct{ word, chain string }{
		{"智能装备", "robot"}, {"机器人", "robot"}, {"自动化", "robot"}, {"航空科技", "aviation"}, {"航空部件", "aviation"},
		{"半导体设备", "ic_equipment"}, {"微电子", "ic_equipment"}, {"新能源汽车", "nev"}, {"动力电池", "nev"},
		{"汽车部件", "auto_parts"}, {"汽车电子", "auto_parts"}, {"数控技术", "cnc"}, {"精密机械", "cnc"},
		{"电气", "power_grid"}, {"输变电设备", "power_grid"}, {"能源科技", "energy_equipment"}, {"风电设备", "energy_equipment"},
		{"燃气轮机部件", "gas_turbine"}, {"医疗器械", "medical_devices"}, {"医疗科技", "medical_devices"},
		{"生物医药", "biopharma"}, {"生物科技", "biopharma"}, {"药业", "biopharma"}, {"新材料", "metal_materials"},
		{"合金材料", "metal_materials"}, {"精细化工", "fine_chemicals"}, {"化工科技", "fine_chemicals"},
		{"软件", "industrial_software"}, {"工业软件", "industrial_software"}, {"人工智能", "ai"}, {"智能科技", "ai"},
		{"信息技术", "ict"}, {"网络科技", "ict"}, {"电子科技", "ict"}, {"轨道交通", "rail"}, {"食品科技", "agrifood"},
		{"农业科技", "agrifood"}, {"环保科技", "green"}, {"节能科技", "green"}, {"航天科技", "aerospace"},
		{"检测技术", ""}, {"工程技术", ""}, {"科技服务", ""},
	}
	entForms = []string{"有限公司", "有限公司", "科技有限公司", "股份有限公司", "技术有限公司"}
)

// tradeChain is the chain of a demo organisation's trade word.
var tradeChain = map[string]string{"智能装备": "robot", "机器人": "robot", "新材料": "metal_materials", "生物医药": "biopharma",
	"医疗器械": "medical_devices", "软件": "industrial_software", "电子科技": "ict", "航空部件": "aviation",
	"汽车部件": "auto_parts", "能源科技": "energy_equipment", "环保科技": "green", "精细化工": "fine_chemicals",
	"数控技术": "cnc", "信息技术": "ict", "检测技术": ""}

func (e *entGen) newName() (string, string) {
	for {
		pre := "沈阳"
		switch r := e.rng.IntN(100); {
		case r < 10:
			pre = "辽宁"
		case r < 14:
			pre = "盛京"
		case r < 17:
			pre = "东北"
		}
		t := entTrades[e.rng.IntN(len(entTrades))]
		n := pre + string(brandA[e.rng.IntN(len(brandA))]) + string(brandB[e.rng.IntN(len(brandB))]) + t.word + entForms[e.rng.IntN(len(entForms))]
		if !e.names[n] {
			e.names[n] = true
			return n, t.chain
		}
	}
}

// usccFor is a valid, unique credit code of a firm registered on reg: an
// MA… organisation code since the 2015 reform, a converted one before.
func (e *entGen) usccFor(district string, reg time.Time) string {
	if reg.Year() >= 2015 {
		return e.g.uscc("91", district)
	}
	for {
		b := []byte("91" + district)
		for len(b) < 17 {
			b = append(b, usccChars[e.rng.IntN(10)])
		}
		code := domain.MakeUSCC(string(b))
		if !e.g.usedUSCC[code] {
			e.g.usedUSCC[code] = true
			return code
		}
	}
}

// newFirm makes a firm of class cls first filing in year first,
// registered between the years lo and hi.
func (e *entGen) newFirm(org *EnterpriseOrg, cls uint8, first, lo, hi int) *Firm {
	f := &Firm{cls: cls, First: first, lowTill: -1}
	f.reg = e.date(e.intIn(lo, hi), "01-01", "12-31")
	f.RegisteredOn = f.reg.Format(time.DateOnly)
	if org != nil {
		f.Org, f.Name, f.USCC, f.District = true, org.Name, org.USCC, org.District
		f.Chain = "medical_devices"
		for w, c := range tradeChain {
			if strings.Contains(f.Name, w) {
				f.Chain = c
			}
		}
		e.names[f.Name] = true
	} else {
		f.Name, f.Chain = e.newName()
		f.District = e.g.district()
		f.USCC = e.usccFor(f.District, f.reg)
	}
	if cls == clsLow {
		f.lowTill = 1 << 20
		f.branch = e.chance(0.1)
	}
	f.prod = int64(e.between(250_000, 700_000)) * 100
	f.netK = int64(e.between(350, 900))
	e.firms = append(e.firms, f)
	return f
}

// sim is a firm's course while simulating: the last certificate issued
// (year), the last year it is valid on an assessment, a revocation.
type sim struct {
	issue, validTo int
	exited         bool
}

// simulate plans every firm's tier for every year, to the targets.
func (e *entGen) simulate(orgs []EnterpriseOrg) error {
	A0 := e.years[0]
	t0 := e.targets[0]
	st := map[*Firm]*sim{}
	// The first year: the high-tech firms, the other tech firms and the
	// firms that file but are not tech enterprises, the organisations first.
	nH, nS, nN := t0.HighTech, t0.Tech-t0.HighTech, t0.Tech/5
	slots := make([]uint8, 0, nH+nS+nN)
	for i := 0; i < nH; i++ {
		slots = append(slots, tierHNTE)
	}
	for i := 0; i < nS; i++ {
		slots = append(slots, tierSME)
	}
	for i := 0; i < nN; i++ {
		slots = append(slots, tierNone)
	}
	e.rng.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	for i, tier := range slots {
		var org *EnterpriseOrg
		if i < len(orgs) {
			org = &orgs[i]
		}
		var f *Firm
		s := &sim{}
		p := fy{tier: tier}
		switch tier {
		case tierHNTE:
			if e.chance(0.86) {
				f = e.newFirm(org, clsHi, A0, 1995, A0-11)
			} else {
				f = e.newFirm(org, clsHi, A0, A0-10, A0-3)
			}
			f.large = f.reg.Year() <= A0-11 && e.chance(0.14)
			// the certificate: issued in one of the three years before, or
			// this year (first time, or renewing one of three years ago)
			switch s.issue = A0 - e.rng.IntN(3); {
			case s.issue < A0:
				s.validTo, p.cert = s.issue+3, true
				f.issues = []int{s.issue}
			case e.chance(0.7): // renewed this year
				p.cert = true
				s.validTo = A0 + 3
				f.issues = []int{A0 - 3, A0}
			default:
				s.validTo = A0 + 3
				f.issues = []int{A0}
			}
		case tierSME:
			cls := clsMid
			if e.chance(0.4) {
				cls = clsHi
			}
			if e.chance(0.55) {
				f = e.newFirm(org, cls, A0, A0-10, A0-1)
			} else {
				f = e.newFirm(org, cls, A0, 2000, A0-11)
			}
			e.smeReason(f, &p)
		default:
			if e.chance(0.7) {
				f = e.newFirm(org, clsLow, A0, 1998, A0-1)
			} else {
				f = e.newFirm(org, clsMid, A0, 2005, A0-1)
				p.smeWhy = []uint8{whyTSLow, whyTSLow, whyAbnormal, whyExcluded}[e.rng.IntN(4)]
			}
		}
		f.fast = f.cls != clsLow && !f.large && f.reg.Year() >= A0-14 && e.chance(0.022)
		f.y = append(f.y, p)
		st[f] = s
	}
	for k := 1; k < len(e.years); k++ {
		A, t := e.years[k], e.targets[k]
		var cand []*Firm
		hn, tech := 0, 0
		for _, f := range e.firms {
			s := st[f]
			prev := f.year(A - 1)
			if s.exited || prev == nil {
				continue
			}
			p := fy{}
			r := e.rng.Float64()
			switch prev.tier {
			case tierHNTE:
				switch {
				case r < 0.006 && !f.Org:
					s.exited = true
				case r < 0.010:
					p.tier, p.revoked, p.smeWhy, p.hnteWhy = tierNone, true, whyAbnormal, whyNone
					s.validTo, f.revoked = A-1, A
				case A == s.issue+3 && e.chance(0.12): // the renewal fails
					p.lost, p.cert = true, true
					if f.large {
						p.tier = tierNone
					} else {
						p.tier = tierSME
					}
					p.hnteWhy = whyHightech
					if e.chance(0.4) {
						p.hnteWhy = whyScore
					}
				default:
					p.tier, p.cert = tierHNTE, true
					if A == s.issue+3 {
						s.issue, s.validTo = A, A+3
						f.issues = append(f.issues, A)
					}
				}
			case tierSME:
				switch {
				case r < 0.115 && !f.Org:
					s.exited = true
				case r < 0.155:
					p.tier = tierNone
					p.smeWhy = []uint8{whyTSLow, whyTSLow, whyAbnormal}[e.rng.IntN(3)]
				default:
					p.tier = tierSME
					e.smeReason(f, &p)
				}
			default:
				switch {
				case r < 0.18 && !f.Org:
					s.exited = true
				case r < 0.27 && !f.large:
					p.tier = tierSME
					if f.cls == clsLow { // took up R&D last year
						f.cls, f.lowTill, f.branch = clsMid, A-1, false
					}
					e.smeReason(f, &p)
				default:
					p.tier, p.smeWhy = tierNone, prev.smeWhy
					if p.smeWhy == whyNone || prev.revoked {
						p.smeWhy = whyTSLow
						if f.cls == clsLow {
							p.smeWhy = whyNone
						}
					}
				}
			}
			if s.exited {
				continue
			}
			if p.tier != tierHNTE && A <= s.validTo && !prev.revoked && !p.revoked && s.issue > 0 {
				p.cert = true
			}
			if p.tier == tierSME && f.cls == clsHi && !p.cert && f.reg.Year() <= A-2 {
				cand = append(cand, f)
			}
			f.y = append(f.y, p)
			if p.tier == tierHNTE {
				hn++
			}
			if p.tier != tierNone {
				tech++
			}
		}
		// relocated high-tech firms with their certificates, then upgrades
		reloc := min(30, max(0, t.HighTech-hn))
		up := t.HighTech - hn - reloc
		if up < 0 || up > len(cand) {
			return fmt.Errorf("企业库 %d 年：高企升级 %d 家，候选 %d 家", A, up, len(cand))
		}
		keys := make(map[*Firm]float64, len(cand))
		for _, f := range cand {
			keys[f] = e.rng.Float64()
			if A-f.reg.Year() > 11 {
				keys[f] += 0.9
			}
		}
		sort.SliceStable(cand, func(i, j int) bool { return keys[cand[i]] > keys[cand[j]] })
		for _, f := range cand[:up] {
			p := f.year(A)
			p.tier, p.hnteWhy, p.smeWhy = tierHNTE, whyNone, whyNone
			st[f].issue, st[f].validTo = A, A+3
			f.issues = append(f.issues, A)
		}
		for i := 0; i < reloc; i++ {
			f := e.newFirm(nil, clsHi, A, 1998, A-11)
			f.large = e.chance(0.2)
			issue := A - 1 - e.rng.IntN(2)
			st[f] = &sim{issue: issue, validTo: issue + 3}
			f.issues = []int{issue}
			f.y = append(f.y, fy{tier: tierHNTE, cert: true})
			tech++
		}
		hn += up + reloc
		// new tech enterprises to the target, and new firms that fail
		n := t.Tech - tech
		if n < 0 {
			return fmt.Errorf("企业库 %d 年：科技型企业已有 %d 家，超过目标 %d", A, tech, t.Tech)
		}
		for i := 0; i < n; i++ {
			cls := clsMid
			if e.chance(0.3) {
				cls = clsHi
			}
			var f *Firm
			if e.chance(0.78) {
				f = e.newFirm(nil, cls, A, A-3, A-1)
			} else {
				f = e.newFirm(nil, cls, A, 2002, A-4)
			}
			f.fast = e.chance(0.02)
			p := fy{tier: tierSME}
			e.smeReason(f, &p)
			f.y = append(f.y, p)
			st[f] = &sim{}
		}
		for i := 0; i < n/7; i++ {
			f := e.newFirm(nil, clsLow, A, 1998, A-1)
			f.y = append(f.y, fy{tier: tierNone})
			st[f] = &sim{}
		}
	}
	// the days of the assessments: March to October, not after the load
	for _, f := range e.firms {
		for i := range f.y {
			y := f.First + i
			end := e.through[y]
			from, to := fmt.Sprintf("%d-03-01", y), fmt.Sprintf("%d-10-31", y)
			if end < from {
				from = fmt.Sprintf("%d-01-01", y)
			}
			to = min(to, end)
			a, _ := time.Parse(time.DateOnly, from)
			b, _ := time.Parse(time.DateOnly, to)
			f.y[i].at = a.AddDate(0, 0, e.rng.IntN(int(b.Sub(a).Hours()/24)+1))
		}
	}
	return nil
}

// smeReason picks why a tech SME (not high-tech) fails the 高企 conditions.
func (e *entGen) smeReason(f *Firm, p *fy) {
	switch r := e.rng.IntN(100); {
	case f.cls == clsHi && r < 12:
		p.hnteWhy = whyScore
	case r < 58:
		p.hnteWhy = whyCoreIP
	default:
		p.hnteWhy = whyHightech
	}
}

// series draws each firm's accounting years, from the year of
// registration to the year before its last filing.
func (e *entGen) series() {
	for _, f := range e.firms {
		last := f.First + len(f.y) - 1
		n := last - f.reg.Year()
		if n <= 0 {
			continue
		}
		f.acct = make([]acct, n)
		ref := max(f.reg.Year(), e.years[0]-1) // the year the level is drawn for
		var level float64
		switch {
		case f.large:
			level = e.between(2.6e10, 1.6e11)
		case f.fast:
			level = e.between(1.2e9, 5e9)
		case f.cls == clsHi:
			level = e.between(1.5e9, 1.1e10)
		case f.cls == clsMid:
			level = e.between(2e8, 5e9)
		default:
			level = e.between(1e8, 7e9)
		}
		if ref > e.years[0]-1 { // registered lately: starting small
			level /= e.between(2, 5)
		}
		g := make([]float64, n)
		for i := range g {
			if f.fast {
				g[i] = e.between(0.22, 0.28)
			} else {
				g[i] = e.between(-0.04, 0.14)
			}
		}
		sales := make([]float64, n)
		r := ref - f.reg.Year()
		sales[r] = level
		for i := r + 1; i < n; i++ {
			sales[i] = sales[i-1] * (1 + g[i])
		}
		for i := r - 1; i >= 0; i-- {
			sales[i] = sales[i+1] / (1 + g[i+1])
		}
		for i := range sales {
			x := f.reg.Year() + i
			s := int64(sales[i]/10_000) * 10_000
			if !f.large && s > 19_000_000_000 { // stays under the 2亿元 limit: grows no more
				s = 19_000_000_000 - int64(e.rng.IntN(200))*1_000_000
			}
			s = max(s, 300_000_00)
			if f.large && s < 25_000_000_000 {
				s = 25_000_000_000 + int64(e.rng.IntN(1000))*1_000_000
			}
			cls := f.cls
			if x < f.lowTill {
				cls = clsLow
			}
			var rdr, dom float64
			switch cls {
			case clsHi:
				rdr, dom = e.between(0.062, 0.115), e.between(0.78, 1)
			case clsMid:
				rdr, dom = e.between(0.0505, 0.09), e.between(0.65, 1)
			default:
				rdr, dom = e.between(0.003, 0.017), e.between(0.5, 1)
			}
			a := &f.acct[i]
			a.sales = s
			a.income = s + int64(float64(s)*e.between(0, 0.03)/100)*100
			a.cost = int64(float64(s)*e.between(0.78, 0.96)/100) * 100
			a.rd = int64(float64(s)*rdr/100) * 100
			a.rdDom = int64(float64(a.rd)*dom/100) * 100
			a.ta = int64(float64(a.rd)*e.between(1.05, 1.35)/100) * 100
			a.net = s / 1000 * f.netK
			a.emp = max(5, s/f.prod)
			if f.large {
				a.emp = max(a.emp, 520+int64(e.rng.IntN(300)))
			} else {
				a.emp = min(a.emp, 470+int64(e.rng.IntN(10)))
			}
			// 高新技术产品（服务）收入: at least 60% of the income in a
			// year before one the firm is a 高企 in (or tries to be)
			share := e.between(0.3, 0.9)
			if p := f.year(x + 1); p != nil {
				switch {
				case p.tier == tierHNTE || p.hnteWhy == whyScore:
					share = e.between(0.62, 0.95)
				case p.hnteWhy == whyHightech:
					share = e.between(0.25, 0.58)
				}
			}
			a.ht = int64(float64(a.income)*share/100) * 100
		}
	}
}

// ageYears is the least n with on on or before the n-th anniversary of
// reg (成立 ≤ n 年（含）).
func ageYears(reg, on time.Time) int {
	n := on.Year() - reg.Year()
	for n > 0 && !on.After(reg.AddDate(n-1, 0, 0)) {
		n--
	}
	for on.After(reg.AddDate(n, 0, 0)) {
		n++
	}
	return n
}

// intensity4 reports whether the 科技活动投入 over the sales of the
// operating years among the four before y is at least 2.5%.
func (f *Firm) intensity4(y int) bool {
	var ta, s int64
	for x := max(y-4, f.reg.Year()); x < y; x++ {
		a := f.acctOf(x)
		ta, s = ta+a.ta, s+a.sales
	}
	return s > 0 && ta*40 >= s
}

// salesGrowth reports whether the 瞪羚 revenue route holds in filing year
// y: the base year's revenue over 1000万元, ×1.728 in three years, and
// growing the last year.
func (f *Firm) salesGrowth(y int) bool {
	get := func(x int) int64 {
		if a := f.acctOf(x); a != nil {
			return a.sales
		}
		return 0
	}
	s, s1, s3 := get(y-1), get(y-2), get(y-4)
	return s3 > 1_000_000_000 && s*125 >= s3*216 && s > s1
}

// labels plans the 瞪羚/独角兽 and 雏鹰 firms of each year.
func (e *entGen) labels() error {
	// the unicorns: young firms that file every year
	var unicorns []*Firm
	for _, f := range e.firms {
		if len(unicorns) < 4 && !f.Org && f.First == e.years[0] && len(f.y) == len(e.years) && f.reg.Year() >= e.years[0]-7 &&
			f.reg.Year() <= e.years[0]-3 && !f.large && f.cls != clsLow && f.y[0].tier != tierNone && e.chance(0.2) {
			unicorns = append(unicorns, f)
		}
	}
	for k, A := range e.years {
		t := e.targets[k]
		gu := 0
		var vcCand, forced, young []*Firm
		for _, f := range e.firms {
			p := f.year(A)
			if p == nil {
				continue
			}
			age := ageYears(f.reg, p.at)
			if i := slices.Index(unicorns, f); i >= 0 && (i < 2 || i == 2 && k >= 1 || i == 3 && k >= 3) {
				p.unicorn = age <= 10
			}
			in := f.intensity4(A)
			gz := age <= 20 && in && f.salesGrowth(A)
			if gz || p.unicorn {
				gu++
			} else if age <= 20 && in && p.tier != tierNone {
				vcCand = append(vcCand, f)
			}
			abnormal := p.smeWhy == whyAbnormal || p.revoked
			if age <= 10 && in && !abnormal && !f.branch {
				if p.tier == tierHNTE || p.cert {
					forced = append(forced, f)
				} else {
					young = append(young, f)
				}
			}
		}
		need := t.GazelleUnicorn - gu
		if need < 0 || need > len(vcCand) {
			return fmt.Errorf("企业库 %d 年：瞪羚（增长）和独角兽 %d 家，目标 %d", A, gu, t.GazelleUnicorn)
		}
		e.prefer(vcCand, A, func(p *fy) bool { return p.vc })
		for _, f := range vcCand[:need] {
			f.year(A).vc = true
		}
		need = t.Eaglet - len(forced)
		if need < 0 || need > len(young) {
			return fmt.Errorf("企业库 %d 年：必然的雏鹰 %d 家，目标 %d，候选 %d", A, len(forced), t.Eaglet, len(young))
		}
		for _, f := range forced {
			f.year(A).eaglet = true
		}
		e.prefer(young, A, func(p *fy) bool { return p.eaglet })
		for _, f := range young[:need] {
			f.year(A).eaglet = true
		}
	}
	return nil
}

// prefer orders firms: those the label held the year before first, then
// tech enterprises, each group at random.
func (e *entGen) prefer(fs []*Firm, A int, had func(*fy) bool) {
	keys := make(map[*Firm]float64, len(fs))
	for _, f := range fs {
		k := e.rng.Float64()
		if p := f.year(A - 1); p != nil && had(p) {
			k += 2
		}
		if f.year(A).tier != tierNone {
			k += 1
		}
		keys[f] = k
	}
	sort.SliceStable(fs, func(i, j int) bool { return keys[fs[i]] > keys[fs[j]] })
}

// smePoints is the 研发投入 item of the 科技型中小企业 score: the better of
// R&D over sales and over costs.
func smePoints(a *acct) int64 {
	band := func(num, den int64, mins [5]int64) int64 {
		for i, m := range mins {
			if den > 0 && num*1000 >= den*m {
				return int64(50 - 10*i)
			}
		}
		return 0
	}
	return max(band(a.rd, a.sales, [5]int64{60, 50, 40, 30, 20}), band(a.rd, a.cost, [5]int64{300, 250, 200, 150, 100}))
}

func ipPoints(c1, c2 int64) int64 {
	switch {
	case c1 >= 1:
		return 30
	case c2 >= 4:
		return 24
	}
	return 6 * c2
}

// tsBands are the 科技人员指标 bands: points and the least share (%).
var tsBands = []struct{ pts, min, next int64 }{{20, 30, 60}, {16, 25, 30}, {12, 20, 25}, {8, 15, 20}, {4, 10, 15}}

// facts writes every firm-year's facts from its plan.
func (e *entGen) facts() error {
	for _, f := range e.firms {
		for i := range f.y {
			A := f.First + i
			p := &f.y[i]
			last := f.acctOf(A - 1)
			young := ageYears(f.reg, p.at) <= 10
			p.emp = last.emp
			if f.large {
				p.assets = max(25_000_000_000, last.sales/100*int64(e.intIn(80, 150)))
			} else {
				p.assets = min(19_500_000_000, last.sales/100*int64(e.intIn(50, 110)))
			}
			p.flags = map[string]bool{"resident_enterprise": true, "excluded_industry": p.smeWhy == whyExcluded,
				"major_incident": p.revoked, "abnormal_or_dishonest_list": p.smeWhy == whyAbnormal || p.revoked,
				"serious_fraud": false, "core_ip_owned": false, "in_supported_domain": f.cls != clsLow || e.chance(0.5),
				"branch_or_sales_entity": f.branch, "software_certificates": false, "contest_award": false, "sci_tech_award": false}
			p.direct = map[string]bool{"hnte_certificate_valid": p.cert, "national_award_top3": false,
				"provincial_rd_institution": false, "led_standard": false}
			// IP, conversions and honours
			switch {
			case p.tier == tierHNTE || p.cert:
				p.c1, p.c2, p.selfDev = int64(e.intIn(1, 6)), int64(e.intIn(2, 16)), e.chance(0.92)
				p.conv = int64(e.intIn(12, 30))
				p.flags["sci_tech_award"] = !young && e.chance(0.06)
				if p.tier == tierHNTE {
					p.direct["provincial_rd_institution"] = e.chance(0.1)
					p.direct["led_standard"] = e.chance(0.05)
					p.direct["national_award_top3"] = e.chance(0.02)
				}
			case p.eaglet:
				if e.chance(0.7) {
					p.c2 = int64(e.intIn(2, 7))
					if e.chance(0.2) {
						p.c1 = 1
					}
				} else {
					p.c2 = int64(e.rng.IntN(2))
					if f.Chain == "industrial_software" || f.Chain == "ict" || f.Chain == "ai" {
						p.flags["software_certificates"] = true
					} else {
						p.flags["contest_award"] = true
					}
				}
				p.selfDev, p.conv = true, int64(e.intIn(1, 9))
			case young: // no honour: 雏鹰 needs one
				p.c2, p.selfDev, p.conv = int64(e.rng.IntN(2)), true, int64(e.rng.IntN(5))
			case p.tier == tierSME:
				p.c2, p.selfDev, p.conv = int64(e.intIn(0, 8)), e.chance(0.8), int64(e.intIn(0, 9))
				if e.chance(0.3) {
					p.c1 = int64(e.intIn(1, 2))
				}
				p.flags["sci_tech_award"] = e.chance(0.02)
			default:
				p.c2, p.selfDev, p.conv = int64(e.rng.IntN(4)), e.chance(0.5), int64(e.rng.IntN(3))
			}
			// funding: the 瞪羚 venture round, the 独角兽 valuation
			p.vcFen = 0
			if e.chance(0.08) {
				p.vcFen = int64(e.intIn(50, 900)) * 1_000_000
				p.private = true
				p.valuation = int64(e.intIn(5, 80)) * 1_000_000
			}
			if p.vc {
				p.vcFen, p.private = int64(e.intIn(1000, 20000))*1_000_000, true
				p.valuation = int64(e.intIn(30, 600)) * 1_000_000
			}
			if p.unicorn {
				p.private, p.valuation = true, int64(e.intIn(1000, 3500))*1_000_000
			}
			p.listed = f.large && p.tier == tierHNTE && !p.private && e.chance(0.15)
			// 科技人员: the 科技型中小企业 score, the 高企 10%
			switch {
			case p.tier == tierSME:
				need := max(4, 60-smePoints(last)-ipPoints(p.c1, p.c2))
				var ok []int
				for bi, b := range tsBands {
					if b.pts >= need {
						ok = append(ok, bi)
					}
				}
				if len(ok) == 0 {
					return fmt.Errorf("企业库 %s %d：科技型中小企业评分达不到 60 分", f.Name, A)
				}
				b := tsBands[ok[e.rng.IntN(len(ok))]]
				share := e.between(float64(b.min), float64(b.next))
				p.ts = min(p.emp, (p.emp*int64(share*100)+9_999)/10_000)
				if p.ts*100 < p.emp*b.min {
					p.ts = (p.emp*b.min + 99) / 100
				}
			case p.tier == tierHNTE:
				p.ts = (p.emp*int64(e.between(12, 50)*100) + 9_999) / 10_000
			case p.smeWhy == whyTSLow:
				p.ts = p.emp * int64(e.intIn(2, 9)) / 100
				if p.ts*10 >= p.emp {
					p.ts = 0
				}
			default:
				p.ts = p.emp * int64(e.intIn(5, 35)) / 100
			}
			// the 高企 conditions experts judge: core IP and the domain
			switch {
			case p.tier == tierHNTE, p.hnteWhy == whyScore, p.hnteWhy == whyHightech:
				p.flags["core_ip_owned"], p.flags["in_supported_domain"] = true, true
				if p.hnteWhy == whyHightech {
					p.flags["core_ip_owned"] = e.chance(0.7)
				}
			}
			if p.tier == tierHNTE || p.hnteWhy == whyScore {
				if err := e.expertScores(f, A, p); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// expertScores gives the 高企 expert items their points: a total of 72–92
// for a firm that is a 高企, under the pass mark for one that tries and
// fails. The item ranges come from the rules (the bands the facts fall
// in); a firm whose range cannot fail is instead judged not to own core
// IP.
func (e *entGen) expertScores(f *Firm, A int, p *fy) error {
	p.expert = nil
	facts := f.Facts(A)
	a := rules.NewAssessor(e.hnte)
	a.Detail = false
	res, err := a.Assess(&facts)
	if err != nil {
		return fmt.Errorf("企业库 %s %d：%w", f.Name, A, err)
	}
	if res.Verdict == rules.NotEligible {
		if p.tier == tierHNTE {
			return fmt.Errorf("企业库 %s %d：计划为高企，但不满足认定条件 %+v", f.Name, A, res.Gates)
		}
		return nil // a gate (the age) already fails
	}
	v, _ := e.hnte.VersionOn(*facts.AssessedOn)
	lo, hi := *res.ScoreMin, *res.ScoreMax
	var goal int
	if p.tier == tierHNTE {
		if hi < v.PassMark+1 {
			return fmt.Errorf("企业库 %s %d：高企评分最高 %d 分", f.Name, A, hi)
		}
		goal = max(v.PassMark+1, lo)
		goal = e.intIn(goal, max(goal, min(hi, 92)))
	} else {
		if lo >= v.PassMark {
			p.flags["core_ip_owned"] = false
			p.hnteWhy = whyCoreIP
			return nil
		}
		from := max(lo, v.PassMark-18)
		if from > hi {
			from = lo
		}
		goal = e.intIn(from, min(hi, v.PassMark-1))
	}
	group := map[string]string{}
	for _, it := range v.Items {
		group[it.ID] = it.Group
	}
	cp := v.GroupCaps["ip"]
	pts := map[string]int{}
	maxOf := map[string]int{}
	score, ip := 0, 0
	for _, it := range res.Items {
		pts[it.ID], maxOf[it.ID] = it.Min, it.Max
		if group[it.ID] == "ip" {
			ip += it.Min
		} else {
			score += it.Min
		}
	}
	total := func() int { return score + min(ip, cp) }
	for tries := 0; total() < goal && tries < 10_000; tries++ {
		it := res.Items[e.rng.IntN(len(res.Items))]
		if pts[it.ID] >= maxOf[it.ID] || group[it.ID] == "ip" && ip >= cp {
			continue
		}
		pts[it.ID]++
		if group[it.ID] == "ip" {
			ip++
		} else {
			score++
		}
	}
	p.expert = map[string]int64{}
	for _, it := range v.Items {
		if it.Expert != "" {
			p.expert[it.Expert] = int64(pts[it.ID])
		}
	}
	return nil
}

// quals issues the qualifications: a 高企 certificate in the year of a
// first recognition or a renewal (and the certificates held before the
// first year), revoked where revoked; a 科技型中小企业 number each year a
// firm registers. Nothing is issued after the load's day.
func (e *entGen) quals() {
	cert := func(f *Firm, y int) int {
		on := e.date(y, "11-05", "12-20")
		if on.Format(time.DateOnly) >= e.today {
			return -1
		}
		e.seq["GR"+fmt.Sprint(y)]++
		q := Qualification{Kind: "hnte", Year: y, Number: fmt.Sprintf("GR%d21%06d", y, 100+e.seq["GR"+fmt.Sprint(y)]),
			IssuedOn: on.Format(time.DateOnly), ExpiresOn: on.AddDate(3, 0, -1).Format(time.DateOnly)}
		f.Quals = append(f.Quals, q)
		return len(f.Quals) - 1
	}
	for _, f := range e.firms {
		last := -1
		for _, y := range f.issues {
			if q := cert(f, y); q >= 0 && (f.revoked == 0 || y < f.revoked) {
				last = q
			}
		}
		if f.revoked > 0 && last >= 0 {
			last := &f.Quals[last]
			at := f.year(f.revoked).at
			last.RevokedOn = at.AddDate(0, 0, -e.intIn(10, 40)).Format(time.DateOnly)
			last.RevokeReason = "发生重大安全、重大质量事故，依《高新技术企业认定管理办法》第十九条取消高新技术企业资格"
		}
		for i := range f.y {
			A := f.First + i
			p := &f.y[i]
			if p.tier == tierSME {
				on := p.at.AddDate(0, 0, e.intIn(15, 45))
				if on.Format(time.DateOnly) < e.today && on.Year() == A {
					key := fmt.Sprint(A, f.District)
					e.seq[key]++
					f.Quals = append(f.Quals, Qualification{Kind: "sme", Year: A,
						Number:   fmt.Sprintf("%d%s0%d%06d", A, f.District, 1+int(p.at.Month()-1)/3, e.seq[key]),
						IssuedOn: on.Format(time.DateOnly), ExpiresOn: fmt.Sprintf("%d-12-31", A)})
				}
			}
		}
	}
}
