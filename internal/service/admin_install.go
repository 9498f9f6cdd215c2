package service

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/password"
	"kechuang/internal/store"
)

// InstallAdmin is the administrator an installation creates, in the
// bureau's organisation. DisplayName "" is 系统管理员.
type InstallAdmin struct {
	Username    string
	DisplayName string
	Password    string
}

// Installation is what InstallCity wrote.
type Installation struct {
	City     *city.City
	Bureau   *domain.Org
	Registry *domain.Org
	Admin    *domain.User
}

// ErrNotInitialised is what every use case and command that needs a city
// answers on a database where none was installed.
func ErrNotInitialised() *domain.Error {
	return domain.Errorf(domain.ECONFLICT, "尚未初始化：请先运行 `kechuang init`（或 `kechuang demo`）")
}

// nationalRegions loads the embedded national table of administrative
// divisions (GB/T 2260, gb2260.Default) into regions in the installation's
// transaction when the database has none yet — the same load and audit
// row (regions.load) as Meta.LoadRegions —, before the city's own regions,
// which it then already holds.
func nationalRegions(ctx context.Context, q *store.Q) error {
	if ed, err := q.Setting(ctx, domain.RegionsEditionSetting, ""); err != nil || ed != "" {
		return err
	}
	t := gb2260.Default()
	ch, err := loadRegions(ctx, q, t)
	if err != nil {
		return err
	}
	return q.Audit(ctx, domain.SystemActor(), "regions.load", "regions", t.Version,
		map[string]any{"edition": ch.Previous}, regionChangesSummary(ch))
}

// InstallCity installs a city on an empty, migrated database in one
// transaction: the national regions (nationalRegions), the city's regions
// the table lacks,
// chains, targets and settings (store.PutCity, the one writer of a city,
// shared with the test world), the bureau and the registry organisations
// (the registry becoming default_registry), and the administrator. It is
// audited (city.install) and, as every write of a city does, bumps the
// statistics version. `kechuang init`, the demo and the benchmark install
// through it. A database already installed, or holding any organisation,
// user or contract, is refused (ECONFLICT) and nothing is written.
func (s *Admin) InstallCity(ctx context.Context, c *city.City, admin InstallAdmin) (*Installation, error) {
	hash, err := checkInstall(c, &admin)
	if err != nil {
		return nil, err
	}
	var out *Installation
	err = s.store.InTx(ctx, func(q *store.Q) error {
		out, err = installCity(ctx, q, c, admin, hash)
		return err
	})
	return out, err
}

// InstallCityIn is InstallCity inside a loader's transaction (service.Seed):
// the demo installs its city and writes its records in one transaction, so
// a failed load leaves nothing.
func (s *Admin) InstallCityIn(ctx context.Context, q *store.Q, c *city.City, admin InstallAdmin) (*Installation, error) {
	hash, err := checkInstall(c, &admin)
	if err != nil {
		return nil, err
	}
	return installCity(ctx, q, c, admin, hash)
}

// CheckInstall validates a city and its administrator as InstallCity
// will, writing nothing: `kechuang init` checks before it asks for the
// password (withPassword false) and before it creates the schema.
func CheckInstall(c *city.City, admin InstallAdmin, withPassword bool) error {
	if c == nil {
		return domain.FieldErrorf("city", "缺少城市")
	}
	if err := c.Validate(); err != nil {
		return err
	}
	admin.normalise()
	var v domain.Validator
	if err := domain.ValidateUsername(admin.Username); err != nil {
		v.Add("username", "%s", domain.ErrorText(err))
	}
	if err := domain.ValidateUser(&domain.User{Username: admin.Username, DisplayName: admin.DisplayName, Role: domain.RoleAdmin}, domain.OrgBureau); err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			for _, f := range de.Fields {
				v.Add(f.Field, "%s", f.Message)
			}
		}
	}
	if withPassword {
		if err := CheckInstallPassword(admin.Password); err != nil {
			v.Add("password", "%s", domain.ErrorText(err))
		}
	}
	return v.Err()
}

// CheckInstallPassword applies the password rules to the administrator's.
func CheckInstallPassword(pw string) error { return password.Validate(pw) }

func (a *InstallAdmin) normalise() {
	a.Username, a.DisplayName = strings.TrimSpace(a.Username), strings.TrimSpace(a.DisplayName)
	if a.DisplayName == "" {
		a.DisplayName = "系统管理员"
	}
}

// checkInstall validates, then hashes the password (outside the
// transaction: argon2 is slow).
func checkInstall(c *city.City, admin *InstallAdmin) (string, error) {
	if err := CheckInstall(c, *admin, true); err != nil {
		return "", err
	}
	admin.normalise()
	return password.Hash(admin.Password)
}

func installCity(ctx context.Context, q *store.Q, c *city.City, admin InstallAdmin, hash string) (*Installation, error) {
	if code, err := q.Setting(ctx, SettingCityCode, ""); err != nil {
		return nil, err
	} else if code != "" {
		name, _ := q.Setting(ctx, SettingCityName, "")
		return nil, domain.Errorf(domain.ECONFLICT, "数据库已初始化（%s %s）：init 只能在空数据库上运行一次", code, name)
	}
	counts, err := q.CountData(ctx)
	if err != nil {
		return nil, err
	}
	if counts.Any() {
		return nil, domain.Errorf(domain.ECONFLICT, "数据库中已有数据（机构 %d 个、用户 %d 个、合同 %d 项）：只能在空数据库上安装城市",
			counts.Orgs, counts.Users, counts.Contracts)
	}
	if err := nationalRegions(ctx, q); err != nil {
		return nil, err
	}
	if err := q.PutCity(ctx, c); err != nil {
		return nil, err
	}
	sys := domain.SystemActor()
	in := &Installation{City: c,
		Bureau:   &domain.Org{Kind: domain.OrgBureau, Name: c.Bureau.Name, RegionCode: c.Bureau.Code},
		Registry: &domain.Org{Kind: domain.OrgRegistry, Name: c.Registry.Name, RegionCode: c.Registry.Code},
	}
	for _, o := range []*domain.Org{in.Bureau, in.Registry} {
		if err := o.Validate(); err != nil {
			return nil, err
		}
		if err := q.CreateOrg(ctx, o); err != nil {
			return nil, err
		}
		if err := addEvent(ctx, q, sys, "org", o.ID, "create", "", string(o.Status()), step{}); err != nil {
			return nil, err
		}
	}
	if err := q.SetSetting(ctx, SettingDefaultRegistry, strconv.FormatInt(in.Registry.ID, 10)); err != nil {
		return nil, err
	}
	in.Admin = &domain.User{Username: admin.Username, DisplayName: admin.DisplayName, Role: domain.RoleAdmin,
		OrgID: in.Bureau.ID, PasswordHash: hash}
	if err := q.CreateUser(ctx, in.Admin); err != nil {
		return nil, err
	}
	if err := addEvent(ctx, q, sys, "user", in.Admin.ID, "create", "", string(in.Admin.Status()), step{}); err != nil {
		return nil, err
	}
	return in, q.Audit(ctx, sys, "city.install", "city", c.Code, nil, map[string]any{
		"name": c.Name, "districts": len(c.Districts), "chains": len(c.Chains), "target_years": c.TargetYears(),
		"bureau": in.Bureau.ID, "registry": in.Registry.ID, "admin": in.Admin.Username,
	})
}

// Installed reports whether a city was installed: the schema is current
// and the city's code is set (by InstallCity, or by the demo and the test
// world, which write it too).
func (s *Service) Installed(ctx context.Context) (bool, error) {
	pending, err := s.core.store.Pending(ctx)
	if err != nil {
		return false, err
	}
	done, err := s.core.store.Applied(ctx)
	if err != nil || len(pending) > 0 || len(done) == 0 {
		return false, err
	}
	code, err := s.core.store.Setting(ctx, SettingCityCode, "")
	return code != "", err
}

// RequireInstalled is ErrNotInitialised on a database where no city was
// installed and nothing was written (empty, or migrated only). A database
// with organisations, users or contracts but no city is let through: it
// was written by hand or by a test, and the use cases name what it lacks.
func (s *Service) RequireInstalled(ctx context.Context) error {
	ok, err := s.Installed(ctx)
	if err != nil || ok {
		return err
	}
	if used, err := s.HasData(ctx); err != nil || used {
		return err
	}
	return ErrNotInitialised()
}

// HasData reports whether the database holds any organisation, user or
// contract (a migrated database; false before any migration).
func (s *Service) HasData(ctx context.Context) (bool, error) {
	done, err := s.core.store.Applied(ctx)
	if err != nil || len(done) == 0 {
		return false, err
	}
	d, err := s.core.store.CountData(ctx)
	return d.Any(), err
}

// ExportCity reads the installed city back in the city-file format: the
// city's name and code, its province (the city region's parent), its
// districts and counties (the regions whose parent is the city; the kind
// derived from the name, city.KindOf), the chains in their order (not the
// hidden ones), the
// targets, the registry (default_registry) and the bureau (the first
// bureau organisation). `kechuang init --city-file` of the result installs
// the same city. Administrators and bureau staff (the settings' policy).
func (s *Admin) ExportCity(ctx context.Context, a *domain.Actor) (*city.City, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.AdminRules.CanEditSettings(a) {
		return nil, forbidden("导出城市")
	}
	q := s.store.Q
	code, err := q.Setting(ctx, SettingCityCode, "")
	if err != nil {
		return nil, err
	}
	if code == "" {
		return nil, ErrNotInitialised()
	}
	name, err := q.Setting(ctx, SettingCityName, "")
	if err != nil {
		return nil, err
	}
	c := &city.City{Name: name, Code: code, Targets: map[int]map[string]int64{}}
	regions, err := q.Regions(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]domain.Region{}
	for _, r := range regions {
		byCode[r.Code] = r
	}
	if me, ok := byCode[code]; ok && me.Parent != "" {
		if p, ok := byCode[me.Parent]; ok {
			c.Province = &city.Province{Name: p.Name, Code: p.Code}
		}
	}
	for _, r := range regions { // by code, as the national table lists them
		if r.Parent != code || r.Code == code || r.Withdrawn != "" {
			continue
		}
		kind, ok := city.KindOf(r.Name)
		if !ok {
			kind = city.KindDistrict
		}
		c.Districts = append(c.Districts, city.District{Code: r.Code, Name: r.Name, Kind: kind})
	}
	chains, err := q.VisibleChains(ctx) // a hidden chain is kept for old contracts, not carried to a new city
	if err != nil {
		return nil, err
	}
	for i, ch := range chains {
		c.Chains = append(c.Chains, city.Chain{Code: ch.Code, Name: ch.Name, Sort: i + 1})
	}
	ts, err := q.Targets(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if c.Targets[t.Year] == nil {
			c.Targets[t.Year] = map[string]int64{}
		}
		c.Targets[t.Year][t.Metric] = t.Value
	}
	regID, err := q.Setting(ctx, SettingDefaultRegistry, "")
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(regID, 10, 64)
	reg, err := q.FindOrgByID(ctx, id)
	if err != nil {
		return nil, domain.Errorf(domain.ECONFLICT, "未找到默认技术合同登记机构（default_registry）：%s", domain.ErrorText(err))
	}
	c.Registry = city.Org{Name: reg.Name, Code: reg.RegionCode}
	bureaus, _, err := q.FindOrgs(ctx, domain.OrgFilter{Kind: domain.OrgBureau, Sort: "id", Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(bureaus) == 0 {
		return nil, domain.Errorf(domain.ECONFLICT, "未找到科技局机构")
	}
	c.Bureau = city.Org{Name: bureaus[0].Name, Code: bureaus[0].RegionCode}
	return c, c.Validate()
}
