package service

import (
	"context"

	"kechuang/internal/domain"
)

// Meta answers the reference lists every module shares: the city, its
// regions and industrial chains, and the organisations.
type Meta struct{ *core }

// CityCode returns the configured city's six-digit region code.
func (s *Meta) CityCode(ctx context.Context) (string, error) { return s.cityCode(ctx) }

// CityName returns the configured city's name.
func (s *Meta) CityName(ctx context.Context) string { return s.cityName(ctx) }

// Regions lists the regions known to the system (public).
func (s *Meta) Regions(ctx context.Context) ([]domain.Region, error) { return s.store.Regions(ctx) }

// Chains lists the city's industrial chains offered for filing (public):
// every chain but the hidden ones.
func (s *Meta) Chains(ctx context.Context) ([]domain.Chain, error) { return s.store.VisibleChains(ctx) }

// AllChains lists every chain, hidden ones too, for the labels of the
// contracts that name them.
func (s *Meta) AllChains(ctx context.Context) ([]domain.Chain, error) { return s.store.Chains(ctx) }

// Orgs lists organisations for any logged-in user: parties are chosen from
// this list when filing, so every role may read names, kinds and codes.
func (s *Meta) Orgs(ctx context.Context, a *domain.Actor, f domain.OrgFilter) ([]*domain.Org, int, error) {
	if err := requireLogin(a); err != nil {
		return nil, 0, err
	}
	return s.store.FindOrgs(ctx, f)
}

// Org returns one organisation for a logged-in user.
func (s *Meta) Org(ctx context.Context, a *domain.Actor, id int64) (*domain.Org, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	return s.store.FindOrgByID(ctx, id)
}

// Setting returns a setting's value ("" when unset).
func (s *Meta) Setting(ctx context.Context, key string) (string, error) {
	return s.store.Setting(ctx, key, "")
}
