package service

import (
	"context"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/store"
)

// LoadRegions copies a national table of administrative divisions into the
// regions table: the one use case behind the first start (EnsureRegions),
// `kechuang regions load`, the demo and `kechuang init`. In one
// transaction it writes every new or changed division, marks withdrawn
// (never deletes) every current code the table no longer lists — so old
// contracts keep their regions' names while nothing new may use them —,
// records the edition, bumps the statistics version (region names label
// the statistics) and writes one audit row with what changed. An edition
// older than the loaded one is refused. Administrators only (the command
// line passes domain.SystemActor()).
func (s *Meta) LoadRegions(ctx context.Context, a *domain.Actor, t *gb2260.Table) (*domain.RegionChanges, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.AdminRules.CanLoadRegions(a) {
		return nil, forbidden("载入行政区划表")
	}
	if t == nil || t.Len() == 0 {
		return nil, domain.FieldErrorf("file", "行政区划表为空")
	}
	if !domain.ValidRegionsEdition(t.Version) {
		return nil, domain.FieldErrorf("version", "行政区划表版本 %q 应为日期 YYYY-MM-DD 或年份 YYYY", t.Version)
	}
	var out *domain.RegionChanges
	err := s.store.InTx(ctx, func(q *store.Q) error {
		ch, err := loadRegions(ctx, q, t)
		if err != nil {
			return err
		}
		out = ch
		return q.Audit(ctx, a, "regions.load", "regions", t.Version,
			map[string]any{"edition": ch.Previous}, regionChangesSummary(ch))
	})
	return out, err
}

func loadRegions(ctx context.Context, q *store.Q, t *gb2260.Table) (*domain.RegionChanges, error) {
	prev, err := q.Setting(ctx, domain.RegionsEditionSetting, "")
	if err != nil {
		return nil, err
	}
	if prev != "" && editionKey(t.Version) < editionKey(prev) {
		return nil, domain.FieldErrorf("version", "行政区划表版本 %s 早于已载入的 %s，不能载入", t.Version, prev)
	}
	old, err := q.Regions(ctx)
	if err != nil {
		return nil, err
	}
	write, ch := domain.DiffRegions(old, t.Regions(), t.Version)
	ch.Previous = prev
	if err := q.WriteRegions(ctx, write); err != nil {
		return nil, err
	}
	return &ch, q.SetSetting(ctx, domain.RegionsEditionSetting, t.Version)
}

// editionKey orders editions: a year stands for its last day.
func editionKey(v string) string {
	if len(v) == 4 {
		return v + "-12-31"
	}
	return v
}

// regionChangesSummary is the audit row's after: the counts and at most
// 100 codes of each kind of change (the first load adds 3,213).
func regionChangesSummary(ch *domain.RegionChanges) map[string]any {
	codes := func(rs []domain.Region) []string {
		var out []string
		for _, r := range rs[:min(len(rs), 100)] {
			out = append(out, r.Code)
		}
		return out
	}
	var renamed []string
	for _, r := range ch.Renamed[:min(len(ch.Renamed), 100)] {
		renamed = append(renamed, r.Code)
	}
	return map[string]any{"edition": ch.Edition, "total": ch.Total,
		"added": len(ch.Added), "renamed": len(ch.Renamed), "withdrawn": len(ch.Withdrawn), "restored": len(ch.Restored),
		"added_codes": codes(ch.Added), "renamed_codes": renamed, "withdrawn_codes": codes(ch.Withdrawn), "restored_codes": codes(ch.Restored)}
}

// EnsureRegions loads the embedded national table (gb2260.Default) when
// the database has none, or an older edition than the program's: serve
// and migrate call it, so a database upgraded to migration 0008 gets the
// table on its next start. It returns nil when there was nothing to do.
func (s *Meta) EnsureRegions(ctx context.Context) (*domain.RegionChanges, error) {
	prev, err := s.store.Setting(ctx, domain.RegionsEditionSetting, "")
	if err != nil {
		return nil, err
	}
	t := gb2260.Default()
	if prev != "" && editionKey(prev) >= editionKey(t.Version) {
		return nil, nil
	}
	return s.LoadRegions(ctx, domain.SystemActor(), t)
}

// RegionsEdition is the edition of the loaded table ("" before any).
func (s *Meta) RegionsEdition(ctx context.Context) (string, error) {
	return s.store.Setting(ctx, domain.RegionsEditionSetting, "")
}

// Region finds one region by code (withdrawn ones too; nil when none).
func (s *Meta) Region(ctx context.Context, code string) (*domain.Region, error) {
	if !domain.ValidRegionCode(code) {
		return nil, nil
	}
	return s.store.Region(ctx, code)
}

// RegionsByCode names the regions of a few codes (a page's records).
func (s *Meta) RegionsByCode(ctx context.Context, codes ...string) (map[string]domain.Region, error) {
	return s.store.RegionsByCode(ctx, codes)
}

// CityRegions lists the configured city and its districts and counties,
// the city first (public: the pickers' quick list and the API's default).
func (s *Meta) CityRegions(ctx context.Context) ([]domain.Region, error) {
	city, err := s.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	var out []domain.Region
	if r, err := s.store.Region(ctx, city); err != nil {
		return nil, err
	} else if r != nil {
		out = append(out, *r)
	}
	kids, err := s.store.FindRegions(ctx, domain.RegionFilter{Parent: city, ParentSet: true, Limit: domain.MaxRegionResults})
	return append(out, kids...), err
}

// FindRegions lists current regions of the national table (public): a
// division's children (Parent "" with ParentSet: the provinces), or a
// search by name or code prefix, the city's own first; at most
// domain.MaxRegionResults, so an anonymous client cannot make it costly.
func (s *Meta) FindRegions(ctx context.Context, f domain.RegionFilter) ([]domain.Region, error) {
	f.Query = strings.TrimSpace(f.Query)
	var v domain.Validator
	v.Check(f.ParentSet == false || f.Parent == "" || domain.ValidRegionCode(f.Parent), "parent_code", "上级行政区划代码应为6位数字")
	v.Check(len([]rune(f.Query)) <= 20, "q", "检索词最多 20 个字符")
	if err := v.Err(); err != nil {
		return nil, err
	}
	city, err := s.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	f.CityCode = city
	if f.Limit <= 0 || f.Limit > domain.MaxRegionResults {
		f.Limit = domain.MaxRegionResults
	}
	return s.store.FindRegions(ctx, f)
}
