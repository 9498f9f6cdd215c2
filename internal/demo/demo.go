// Package demo generates the demo city (Shenyang) deterministically: its
// districts, key industrial chains, organisations, users for every role and
// the technology contracts of 2021 and 2022, whose statistics — computed from
// the records like any others — reproduce the city's published figures.
package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/password"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// Password is every demo user's password; printed only in demo mode.
const Password = "kechuang2023"

// SettingDemo marks a database loaded with the demo city.
const SettingDemo = "demo"

// Login is one demo account for the start-up banner.
type Login struct {
	Username, Role, Org string
}

// account is a demo user and the organisation (by name) it belongs to.
type account struct {
	username, name string
	role           domain.Role
	org            string
}

// Org names the demo accounts belong to.
const (
	OrgBureau     = "沈阳市科学技术局"
	OrgRegistry   = "沈阳市技术合同认定登记站"
	OrgNEU        = "东北大学"
	OrgInstitute  = "中国科学院金属研究所"
	OrgEnterprise = "沈阳海龟医疗科技有限公司"
	OrgPilotBase  = "沈阳智能制造中试基地"
	OrgAgency     = "沈阳市技术转移服务中心"
)

var accounts = []account{
	{"admin", "系统管理员", domain.RoleAdmin, OrgBureau},
	{"bureau", "王科长", domain.RoleBureau, OrgBureau},
	{"registrar", "李登记员", domain.RoleRegistrar, OrgRegistry},
	{"expert", "张研究员", domain.RoleExpert, OrgInstitute},
	{"neu", "东北大学技术转移中心", domain.RoleTTO, OrgNEU},
	{"enterprise", "海龟医疗科技部", domain.RoleEnterprise, OrgEnterprise},
	{"pilot", "中试基地管理员", domain.RolePilotBase, OrgPilotBase},
	{"agency", "技术经纪人", domain.RoleAgency, OrgAgency},
}

// Logins lists the demo accounts.
func Logins() []Login {
	out := make([]Login, len(accounts))
	for i, a := range accounts {
		out[i] = Login{a.username, a.role.Label(), a.org}
	}
	return out
}

// SettingDemoDone lists the parts of the demo load already committed
// (comma-separated part names, "done" last): a load that failed resumes
// where it stopped.
const SettingDemoDone = "demo_done"

// partDone is the part name that marks the whole load complete.
const partDone = "done"

// Load writes the demo city into a migrated database for a load on today
// (its date in China decides the years and the in-progress filings) and
// returns the demo accounts. It is deterministic: the same today gives the
// same records. Each part (the city, each year of contracts, the
// in-progress filings) commits on its own and is recorded in
// SettingDemoDone, so a failed load leaves complete parts only and the next
// Load finishes what is missing; a complete demo is refused.
func Load(ctx context.Context, svc *service.Service, today time.Time, progress io.Writer) ([]Login, error) {
	if progress == nil {
		progress = io.Discard
	}
	done, err := loaded(ctx, svc)
	if err != nil {
		return nil, err
	}
	if done[partDone] {
		return nil, fmt.Errorf("演示城市已载入，不能重复载入")
	}
	years, err := Plan(domain.DateOf(today))
	if err != nil {
		return nil, err
	}
	g := &gen{rng: newRNG(), svc: svc, city: city.Shenyang(), today: today, years: years}
	// The national table of administrative divisions first, through its
	// use case (its own transaction, audited; loading it again changes
	// nothing, so a resumed load runs it again): the city's districts and
	// every party's region are in it. It is dated with the city, before
	// the first contract's history.
	if _, err := svc.WithClock(domain.NewManualClock(HistoryStart)).Meta.LoadRegions(ctx, domain.SystemActor(), gb2260.Default()); err != nil {
		return nil, fmt.Errorf("行政区划表：%w", err)
	}
	if len(done) > 0 && !done[cityStep.Module] {
		return nil, fmt.Errorf("演示城市的载入记录无效（%s）：请用空数据库重新载入", SettingDemoDone)
	}
	if len(done) > 0 {
		fmt.Fprintf(progress, "  继续上次未完成的载入（已完成：%s）\n", strings.Join(doneList(done), "、"))
		if err := svc.Seed(ctx, func(tx *store.Q) error { return g.reload(ctx, tx) }); err != nil {
			return nil, fmt.Errorf("演示城市：%w", err)
		}
	}
	clock := domain.NewManualClock(today)
	at := svc.WithClock(clock) // the parts' own rows are stamped with the load's today
	for _, st := range steps() {
		for _, p := range st.parts(g) {
			if done[p.Name] {
				continue
			}
			clock.Set(today)
			if p.Name == cityStep.Module { // the organisations and users exist before the first contract's history
				clock.Set(HistoryStart)
			}
			if p.Seed != nil {
				err = at.Seed(ctx, func(tx *store.Q) error {
					if err := p.Seed(ctx, g, tx, progress); err != nil {
						return err
					}
					return markDone(ctx, tx, p.Name)
				})
			} else {
				if err = p.Run(ctx, g, progress); err == nil {
					err = at.Seed(ctx, func(tx *store.Q) error { return markDone(ctx, tx, p.Name) })
				}
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.Name, err)
			}
			done[p.Name] = true
		}
	}
	err = at.Seed(ctx, func(tx *store.Q) error {
		if err := markDone(ctx, tx, partDone); err != nil {
			return err
		}
		return tx.Audit(ctx, domain.SystemActor(), "demo.load", "city", g.city.Code, nil,
			map[string]any{"orgs": g.orgCount, "users": len(accounts), "years": g.years, "today": domain.DateOf(today)})
	})
	if err != nil {
		return nil, err
	}
	return Logins(), nil
}

// HistoryStart is when the demo city's organisations and accounts are
// created: before the first registered contract of 2021 was filed.
var HistoryStart = time.Date(FirstYear-1, 11, 2, 9, 0, 0, 0, domain.ChinaTZ)

// Pending reports whether the database holds a demo load that has not
// finished (serve and `kechuang demo` then resume it).
func Pending(ctx context.Context, svc *service.Service) (bool, error) {
	done, err := loaded(ctx, svc)
	return len(done) > 0 && !done[partDone], err
}

// loaded reads the parts already committed. A demo loaded before parts
// were recorded (SettingDemo set, no record) counts as complete.
func loaded(ctx context.Context, svc *service.Service) (map[string]bool, error) {
	v, err := svc.Meta.Setting(ctx, SettingDemoDone)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, p := range strings.Split(v, ",") {
		if p != "" {
			done[p] = true
		}
	}
	if len(done) == 0 {
		if d, _ := svc.Meta.Setting(ctx, SettingDemo); d == "1" {
			done[partDone] = true
		}
	}
	return done, nil
}

func doneList(done map[string]bool) []string {
	out := make([]string, 0, len(done))
	for p := range done {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// markDone records part as committed, in the part's own transaction.
func markDone(ctx context.Context, tx *store.Q, part string) error {
	v, err := tx.Setting(ctx, SettingDemoDone, "")
	if err != nil {
		return err
	}
	if v != "" {
		v += ","
	}
	return tx.SetSetting(ctx, SettingDemoDone, v+part)
}

// Step is one module's part of the demo city. Seed writes reference data
// in one transaction (through service.Seed), in step order; Run then files
// the module's records through its own use cases, so they carry real
// history and audit rows. A step with more to write than one transaction
// should hold gives Parts instead: each part commits on its own and is
// recorded, so an interrupted load resumes at the first missing part.
type Step struct {
	Module string
	Seed   func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error
	Run    func(ctx context.Context, g *gen, progress io.Writer) error
	Parts  func(g *gen) []Part
}

// Part is one committed unit of a step, named uniquely across steps.
type Part struct {
	Name string
	Seed func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error
	Run  func(ctx context.Context, g *gen, progress io.Writer) error
}

// parts returns the step's parts: its own Parts, or its Seed and its Run.
func (s Step) parts(g *gen) []Part {
	if s.Parts != nil {
		return s.Parts(g)
	}
	var out []Part
	if s.Seed != nil {
		out = append(out, Part{Name: s.Module, Seed: s.Seed})
	}
	if s.Run != nil {
		out = append(out, Part{Name: s.Module + ".run", Run: s.Run})
	}
	return out
}

// steps lists the modules' demo steps in order: one line a module.
func steps() []Step {
	return []Step{
		cityStep,
		contractStep,
		achievementStep,
		chainStep,
		evaluationStep,
		challengeStep,
		eventStep,
		enterpriseStep,
	}
}

// cityStep: the city's settings, organisations and the demo accounts.
var cityStep = Step{Module: "city", Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
	if err := g.install(ctx, tx); err != nil {
		return err
	}
	if err := g.orgs(ctx, tx); err != nil {
		return err
	}
	if err := g.users(ctx, tx); err != nil {
		return err
	}
	fmt.Fprintf(progress, "  机构 %d 个，用户 %d 个\n", g.orgCount, len(accounts))
	return nil
}}

// contractStep: the registered contracts, one part (and one transaction)
// a year, then the filings now in the registrar's hands, through the real
// workflow.
var contractStep = Step{Module: "contract", Parts: func(g *gen) []Part {
	var out []Part
	for _, y := range g.years {
		out = append(out, Part{Name: fmt.Sprintf("contract.%d", y.Year), Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
			n, err := g.contracts(ctx, tx, y)
			if err != nil {
				return err
			}
			fmt.Fprintf(progress, "  %d 年已登记技术合同 %d 项（至 %s）\n", y.Year, n, y.Through)
			return nil
		}})
	}
	return append(out, Part{Name: "contract.inflight", Run: func(ctx context.Context, g *gen, progress io.Writer) error {
		if err := g.inFlight(ctx); err != nil {
			return fmt.Errorf("演示在办合同：%w", err)
		}
		fmt.Fprintln(progress, "  在办合同（待受理、已受理、退回补正、草稿、不予受理、不予登记）已生成")
		return nil
	}})
}}

type orgRef struct {
	id       int64
	name     string
	uscc     string
	district string
	kind     domain.OrgKind
}

type gen struct {
	rng         *rand.Rand
	svc         *service.Service
	city        *city.City
	orgCount    int
	byName      map[string]*orgRef
	registry    *orgRef
	univs       []*orgRef // universities and institutes
	enterprises []*orgRef
	agencies    []*orgRef
	pilots      []*orgRef
	usedUSCC    map[string]bool
	installed   *service.Installation
	today       time.Time // the load's day: years and in-progress filings count back from it
	years       []Year
	ents        *Registry // the enterprise registry, generated once
}

// install writes the city through the one use case that installs a city
// (service.Admin.InstallCityIn, inside the demo's transaction): regions,
// chains, targets, settings, the bureau, the registry and the admin
// account. The national table was loaded before (Load), so the city's
// districts and the regions outside it where buyers sit are there; the
// demo adds its flag.
func (g *gen) install(ctx context.Context, tx *store.Q) error {
	admin := accounts[0]
	in, err := g.svc.Admin.InstallCityIn(ctx, tx, g.city, service.InstallAdmin{Username: admin.username, DisplayName: admin.name, Password: Password})
	if err != nil {
		return err
	}
	g.installed = in
	return tx.SetSetting(ctx, SettingDemo, "1")
}

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// uscc makes a valid, unique credit code: registration authority and type
// (91 enterprise, 12 public institution), the region, a 9-character
// organisation code and the check character.
func (g *gen) uscc(kind, region string) string {
	for {
		b := []byte(kind + region)
		for len(b) < 17 {
			b = append(b, usccChars[g.rng.IntN(10)])
		}
		if kind == "91" {
			b[8], b[9] = 'M', 'A'
			b[10] = usccChars[g.rng.IntN(len(usccChars))]
		}
		code := domain.MakeUSCC(string(b))
		if !g.usedUSCC[code] {
			g.usedUSCC[code] = true
			return code
		}
	}
}

func (g *gen) district() string {
	total := 0
	for _, d := range g.city.Districts {
		total += districtWeight(d.Code)
	}
	n := g.rng.IntN(total)
	for _, d := range g.city.Districts {
		if n -= districtWeight(d.Code); n < 0 {
			return d.Code
		}
	}
	return g.city.Districts[0].Code
}

func (g *gen) addOrg(ctx context.Context, tx *store.Q, p orgPlan) (*orgRef, error) {
	o := &domain.Org{Kind: p.kind, Name: p.name, RegionCode: p.district, USCC: p.uscc}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("demo org %s: %w", p.name, err)
	}
	if err := tx.CreateOrg(ctx, o); err != nil {
		return nil, err
	}
	ref := &orgRef{id: o.ID, name: p.name, uscc: o.USCC, district: p.district, kind: p.kind}
	g.byName[p.name] = ref
	g.orgCount++
	return ref, nil
}

// orgPlan is one demo organisation as drawn, before it is written.
type orgPlan struct {
	kind                 domain.OrgKind
	name, district, uscc string
}

// newRNG is the demo city's random source: the same seed, the same city.
func newRNG() *rand.Rand { return rand.New(rand.NewPCG(2023, 394_28)) }

// planOrgs draws the demo's organisations in order (no database): the
// credit codes of the bureau and the registry (installed with the city, in
// their regions), then the universities, institutes, enterprises, agencies
// and pilot bases. The enterprise registry's first firms are the
// enterprises drawn here (EnterpriseOrgs).
func (g *gen) planOrgs(bureauRegion, registryRegion string) (bureauUSCC, registryUSCC string, plans []orgPlan) {
	g.usedUSCC = map[string]bool{}
	bureauUSCC, registryUSCC = g.uscc("11", bureauRegion), g.uscc("12", registryRegion)
	names := map[string]bool{}
	add := func(kind domain.OrgKind, name, district, usccKind string) {
		names[name] = true
		plans = append(plans, orgPlan{kind, name, district, g.uscc(usccKind, district)})
	}
	for _, u := range universities {
		add(domain.OrgUniversity, u.name, u.district, "12")
	}
	for _, u := range institutes {
		add(domain.OrgInstitute, u.name, u.district, "12")
	}
	add(domain.OrgEnterprise, OrgEnterprise, "210112", "91")
	for n := 1; n < 160; {
		p := enterpriseWords.prefixes[g.rng.IntN(len(enterpriseWords.prefixes))]
		t := enterpriseWords.trades[g.rng.IntN(len(enterpriseWords.trades))]
		form := "有限公司"
		if g.rng.IntN(6) == 0 {
			form = "股份有限公司"
		}
		name := "沈阳" + p + t + form
		if names[name] {
			continue
		}
		add(domain.OrgEnterprise, name, g.district(), "91")
		n++
	}
	for _, n := range agencies {
		add(domain.OrgAgency, n, g.district(), "91")
	}
	for _, n := range pilotBases {
		add(domain.OrgPilotBase, n, g.district(), "91")
	}
	return bureauUSCC, registryUSCC, plans
}

func (g *gen) orgs(ctx context.Context, tx *store.Q) error {
	g.byName = map[string]*orgRef{}
	// The bureau and the registry were created by the installation; the
	// demo gives them credit codes, drawn as before so the generated city
	// stays the same.
	bu, ru, plans := g.planOrgs(g.installed.Bureau.RegionCode, g.installed.Registry.RegionCode)
	for _, b := range []struct {
		o    *domain.Org
		uscc string
	}{{g.installed.Bureau, bu}, {g.installed.Registry, ru}} {
		b.o.USCC = b.uscc
		if err := tx.UpdateOrg(ctx, b.o); err != nil {
			return err
		}
		ref := &orgRef{id: b.o.ID, name: b.o.Name, uscc: b.o.USCC, district: b.o.RegionCode, kind: b.o.Kind}
		g.byName[b.o.Name] = ref
		g.orgCount++
	}
	g.registry = g.byName[g.installed.Registry.Name]
	for _, p := range plans {
		o, err := g.addOrg(ctx, tx, p)
		if err != nil {
			return err
		}
		switch p.kind {
		case domain.OrgUniversity, domain.OrgInstitute:
			g.univs = append(g.univs, o)
		case domain.OrgEnterprise:
			g.enterprises = append(g.enterprises, o)
		case domain.OrgAgency:
			g.agencies = append(g.agencies, o)
		case domain.OrgPilotBase:
			g.pilots = append(g.pilots, o)
		}
	}
	return nil
}

func (g *gen) users(ctx context.Context, tx *store.Q) error {
	hash, err := password.Hash(Password)
	if err != nil {
		return err
	}
	for _, a := range accounts[1:] { // accounts[0], admin, was installed with the city
		u := &domain.User{Username: a.username, DisplayName: a.name, Role: a.role, OrgID: g.byName[a.org].id, PasswordHash: hash}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// date returns the day n days after s.
func addDays(s string, n int) string {
	t, _ := domain.ParseDate(s)
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}
