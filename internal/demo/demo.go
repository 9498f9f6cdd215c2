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

// Year is one year of the city's published contract figures that the demo
// contracts reproduce: the count, the turnover (合同成交额) in fen, and the
// last registration date the figure covers.
type Year struct {
	Year        int
	Count       int
	TurnoverFen int64
	Through     string
}

// Years are the published figures (seed page: 2022 to 22 December, 8416
// contracts, 394.28亿元, +20.54%, so 2021 ≈ 327.09亿元). The 2021 count is
// not published; 7496 is our assumption.
var Years = []Year{
	{2021, 7496, 3_270_900_000_000, "2021-12-31"},
	{2022, 8416, 3_942_800_000_000, "2022-12-22"},
}

// Load writes the demo city into an empty, migrated database and returns
// the demo accounts. It is deterministic: the same records every time.
func Load(ctx context.Context, svc *service.Service, progress io.Writer) ([]Login, error) {
	if progress == nil {
		progress = io.Discard
	}
	if v, _ := svc.Meta.Setting(ctx, SettingDemo); v == "1" {
		return nil, fmt.Errorf("演示城市已载入，不能重复载入")
	}
	g := &gen{rng: rand.New(rand.NewPCG(2023, 394_28)), svc: svc, city: city.Shenyang()}
	// The national table of administrative divisions first, through its
	// use case (its own transaction, audited; loading it again changes
	// nothing): the city's districts and every party's region are in it.
	if _, err := svc.Meta.LoadRegions(ctx, domain.SystemActor(), gb2260.Default()); err != nil {
		return nil, fmt.Errorf("行政区划表：%w", err)
	}
	err := svc.Seed(ctx, func(tx *store.Q) error {
		for _, st := range steps() {
			if st.Seed == nil {
				continue
			}
			if err := st.Seed(ctx, g, tx, progress); err != nil {
				return fmt.Errorf("%s: %w", st.Module, err)
			}
		}
		return tx.Audit(ctx, domain.SystemActor(), "demo.load", "city", g.city.Code, nil,
			map[string]any{"orgs": g.orgCount, "users": len(accounts), "years": Years})
	})
	if err != nil {
		return nil, err
	}
	for _, st := range steps() {
		if st.Run == nil {
			continue
		}
		if err := st.Run(ctx, g, progress); err != nil {
			return nil, fmt.Errorf("%s: %w", st.Module, err)
		}
	}
	return Logins(), nil
}

// Step is one module's part of the demo city. Seed writes reference data
// in the one seeding transaction (through service.Seed), in step order;
// Run then files the module's records through its own use cases, so they
// carry real history and audit rows.
type Step struct {
	Module string
	Seed   func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error
	Run    func(ctx context.Context, g *gen, progress io.Writer) error
}

// steps lists the modules' demo steps in order: one line a module.
func steps() []Step {
	return []Step{
		cityStep,
		contractStep,
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

// contractStep: the registered contracts of the published years, then the
// filings now in the registrar's hands, through the real workflow.
var contractStep = Step{Module: "contract",
	Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
		for _, y := range Years {
			n, err := g.contracts(ctx, tx, y)
			if err != nil {
				return err
			}
			fmt.Fprintf(progress, "  %d 年已登记技术合同 %d 项\n", y.Year, n)
		}
		return nil
	},
	Run: func(ctx context.Context, g *gen, progress io.Writer) error {
		if err := g.inFlight(ctx); err != nil {
			return fmt.Errorf("演示在办合同：%w", err)
		}
		fmt.Fprintln(progress, "  在办合同（待受理、已受理、退回补正、草稿、不予受理、不予登记）已生成")
		return nil
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

func (g *gen) addOrg(ctx context.Context, tx *store.Q, kind domain.OrgKind, name, district, usccKind string) (*orgRef, error) {
	o := &domain.Org{Kind: kind, Name: name, RegionCode: district, USCC: g.uscc(usccKind, district)}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("demo org %s: %w", name, err)
	}
	if err := tx.CreateOrg(ctx, o); err != nil {
		return nil, err
	}
	ref := &orgRef{id: o.ID, name: name, uscc: o.USCC, district: district, kind: kind}
	g.byName[name] = ref
	g.orgCount++
	return ref, nil
}

func (g *gen) orgs(ctx context.Context, tx *store.Q) error {
	g.byName, g.usedUSCC = map[string]*orgRef{}, map[string]bool{}
	// The bureau and the registry were created by the installation; the
	// demo gives them credit codes, drawn as before so the generated city
	// stays the same.
	for _, b := range []struct {
		o    *domain.Org
		kind string
	}{{g.installed.Bureau, "11"}, {g.installed.Registry, "12"}} {
		b.o.USCC = g.uscc(b.kind, b.o.RegionCode)
		if err := tx.UpdateOrg(ctx, b.o); err != nil {
			return err
		}
		ref := &orgRef{id: b.o.ID, name: b.o.Name, uscc: b.o.USCC, district: b.o.RegionCode, kind: b.o.Kind}
		g.byName[b.o.Name] = ref
		g.orgCount++
	}
	g.registry = g.byName[g.installed.Registry.Name]
	for _, u := range universities {
		o, err := g.addOrg(ctx, tx, domain.OrgUniversity, u.name, u.district, "12")
		if err != nil {
			return err
		}
		g.univs = append(g.univs, o)
	}
	for _, u := range institutes {
		o, err := g.addOrg(ctx, tx, domain.OrgInstitute, u.name, u.district, "12")
		if err != nil {
			return err
		}
		g.univs = append(g.univs, o)
	}
	ent, err := g.addOrg(ctx, tx, domain.OrgEnterprise, OrgEnterprise, "210112", "91")
	if err != nil {
		return err
	}
	g.enterprises = append(g.enterprises, ent)
	for len(g.enterprises) < 160 {
		p := enterpriseWords.prefixes[g.rng.IntN(len(enterpriseWords.prefixes))]
		t := enterpriseWords.trades[g.rng.IntN(len(enterpriseWords.trades))]
		form := "有限公司"
		if g.rng.IntN(6) == 0 {
			form = "股份有限公司"
		}
		name := "沈阳" + p + t + form
		if g.byName[name] != nil {
			continue
		}
		o, err := g.addOrg(ctx, tx, domain.OrgEnterprise, name, g.district(), "91")
		if err != nil {
			return err
		}
		g.enterprises = append(g.enterprises, o)
	}
	for _, n := range agencies {
		o, err := g.addOrg(ctx, tx, domain.OrgAgency, n, g.district(), "91")
		if err != nil {
			return err
		}
		g.agencies = append(g.agencies, o)
	}
	for _, n := range pilotBases {
		o, err := g.addOrg(ctx, tx, domain.OrgPilotBase, n, g.district(), "91")
		if err != nil {
			return err
		}
		g.pilots = append(g.pilots, o)
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
