package service

import (
	"context"
	"strings"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// Admin is the administration module: organisations, users and the city's
// settings. Its rules of access are domain.AdminRules; disabling and
// enabling run through the generic mutate over domain.OrgFlow and
// domain.UserFlow, so every change writes its history step and audit row
// in the transaction that makes it.
type Admin struct {
	*core
	auth *Auth // the login limiter, which unlock and reset-password clear
}

// orgKind is the organisation entity for the workflow engine.
var orgKind = &entityKind[domain.ActiveStatus, *domain.Org]{
	name: "org", notFound: "机构不存在", flow: domain.OrgFlow,
	load:   func(ctx context.Context, q *store.Q, id int64) (*domain.Org, error) { return q.FindOrgByID(ctx, id) },
	save:   func(ctx context.Context, q *store.Q, o *domain.Org) error { return q.UpdateOrg(ctx, o) },
	canSee: func(a *domain.Actor, _ *domain.Org) bool { return domain.AdminRules.CanListOrgs(a) },
	id:     func(o *domain.Org) int64 { return o.ID }, version: func(o *domain.Org) int64 { return o.Version },
	clone: func(o *domain.Org) *domain.Org { b := *o; return &b },
}

// CreateOrg adds an organisation (administrators and bureau staff).
func (s *Admin) CreateOrg(ctx context.Context, a *domain.Actor, o *domain.Org) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	if !domain.AdminRules.CanManageOrgs(a) {
		return forbidden("创建机构")
	}
	// The server's members are the server's, whatever a caller put in o
	// (the store keeps a CreatedAt it is given, for the loaders).
	o.ID, o.Version, o.Disabled, o.CreatedAt, o.UpdatedAt = 0, 0, false, time.Time{}, time.Time{}
	return s.store.InTx(ctx, func(q *store.Q) error {
		if err := s.checkOrg(ctx, q, o); err != nil {
			return err
		}
		if err := q.CreateOrg(ctx, o); err != nil {
			return err
		}
		if err := addEvent(ctx, q, a, "org", o.ID, "create", "", string(o.Status()), step{}); err != nil {
			return err
		}
		return q.Audit(ctx, a, "org.create", "org", o.ID, nil, o)
	})
}

// checkOrg normalises and validates an organisation: its fields, then its
// region against the regions table and the city (domain.CheckOrgRegion).
func (s *Admin) checkOrg(ctx context.Context, q *store.Q, o *domain.Org) error {
	o.Name, o.RegionCode = strings.TrimSpace(o.Name), strings.TrimSpace(o.RegionCode)
	o.USCC = domain.NormalizeUSCC(o.USCC)
	if err := o.Validate(); err != nil {
		return err
	}
	r, err := q.Region(ctx, o.RegionCode)
	if err != nil {
		return err
	}
	city, err := q.Setting(ctx, SettingCityCode, "210100")
	if err != nil {
		return err
	}
	return domain.CheckOrgRegion(o, r, city)
}

func (s *Admin) regionsAndCity(ctx context.Context, q *store.Q) (map[string]domain.Region, string, error) {
	rs, err := q.Regions(ctx)
	if err != nil {
		return nil, "", err
	}
	city, err := q.Setting(ctx, SettingCityCode, "210100")
	if err != nil {
		return nil, "", err
	}
	m := make(map[string]domain.Region, len(rs))
	for _, r := range rs {
		m[r.Code] = r
	}
	return m, city, nil
}

// Orgs lists organisations for any logged-in user: parties are chosen from
// this list when filing, so every role may read names, kinds and codes.
func (s *Admin) Orgs(ctx context.Context, a *domain.Actor, f domain.OrgFilter) ([]*domain.Org, int, error) {
	if err := requireLogin(a); err != nil {
		return nil, 0, err
	}
	var v domain.Validator
	v.Check(f.Kind == "" || f.Kind.Valid(), "kind", "机构类型无效")
	v.Check(f.Status == "" || f.Status.Valid(), "status", "状态应为 active 或 disabled")
	v.Check(domain.ValidSort(f.Sort, domain.OrgSortKeys()), "sort", "排序字段应为 %s 之一", strings.Join(domain.OrgSortKeys(), "、"))
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	f.Query = strings.TrimSpace(f.Query)
	return s.store.FindOrgs(ctx, f)
}

// Org returns one organisation for a logged-in user.
func (s *Admin) Org(ctx context.Context, a *domain.Actor, id int64) (*domain.Org, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	return s.store.FindOrgByID(ctx, id)
}

// UpdateOrg changes an organisation's fields; version is the one the
// editor saw (0 skips the check).
func (s *Admin) UpdateOrg(ctx context.Context, a *domain.Actor, id, version int64, up domain.OrgUpdate) (*domain.Org, error) {
	return mutate(ctx, s.core, orgKind, a, id, version, "update", func(q *store.Q, o *domain.Org) (step, error) {
		kind := o.Kind
		up.Apply(o)
		if err := s.checkOrg(ctx, q, o); err != nil {
			return step{}, err
		}
		if o.Kind == kind {
			return step{}, nil
		}
		return step{}, usersFitKind(ctx, q, o)
	})
}

// usersFitKind refuses a change of kind that would leave a user of the
// organisation in a role the new kind does not admit (a registrar in an
// enterprise would decide nothing).
func usersFitKind(ctx context.Context, q *store.Q, o *domain.Org) error {
	users, _, err := q.FindUsersPage(ctx, domain.UserFilter{OrgID: o.ID, Limit: 100_000})
	if err != nil {
		return err
	}
	for _, u := range users {
		if !domain.RoleFitsOrg(u.Role, o.Kind) {
			return domain.FieldErrorf("kind", "机构的用户 %s 的角色为“%s”，不能属于%s类机构；请先修改该用户的角色或所属机构",
				u.Username, domain.Msg(u.Role.Label()), domain.Msg(o.Kind.Label()))
		}
	}
	return nil
}

// DisableOrg stops an organisation from getting users. Its users must be
// disabled (or moved) first, so a disabled organisation never has a
// working login; its records stay.
func (s *Admin) DisableOrg(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Org, error) {
	return mutate(ctx, s.core, orgKind, a, id, version, "disable", func(q *store.Q, o *domain.Org) (step, error) {
		n, err := q.CountActiveUsers(ctx, o.ID)
		if err != nil {
			return step{}, err
		}
		if n > 0 {
			return step{}, domain.Errorf(domain.ECONFLICT, "该机构还有 %d 个正常使用的用户，请先停用这些用户或将其调到其他机构", n)
		}
		o.Disabled = true
		return step{}, nil
	})
}

// EnableOrg puts a disabled organisation back in use.
func (s *Admin) EnableOrg(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Org, error) {
	return mutate(ctx, s.core, orgKind, a, id, version, "enable", func(q *store.Q, o *domain.Org) (step, error) {
		o.Disabled = false
		return step{}, nil
	})
}

// OrgActions lists what a may do with o now (the page's buttons).
func (s *Admin) OrgActions(a *domain.Actor, o *domain.Org) map[string]bool {
	return domain.OrgFlow.Actions(a, o)
}

// OrgEvents returns an organisation's history (managers only).
func (s *Admin) OrgEvents(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	if !domain.AdminRules.CanManageOrgs(a) {
		return nil, forbidden("查看机构的变更记录")
	}
	return s.store.Events(ctx, "org", id)
}
