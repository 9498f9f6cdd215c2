package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// Settings returns the city's name, code and yearly targets.
func (s *Admin) Settings(ctx context.Context, a *domain.Actor) (*domain.CitySettings, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.AdminRules.CanEditSettings(a) {
		return nil, forbidden("查看城市设置")
	}
	return readSettings(ctx, s.store.Q)
}

func readSettings(ctx context.Context, q *store.Q) (*domain.CitySettings, error) {
	code, err := q.Setting(ctx, SettingCityCode, "210100")
	if err != nil {
		return nil, err
	}
	name, err := q.Setting(ctx, SettingCityName, "沈阳市")
	if err != nil {
		return nil, err
	}
	ts, err := q.Targets(ctx)
	if err != nil {
		return nil, err
	}
	return &domain.CitySettings{Code: code, Name: name, Targets: ts}, nil
}

// SettingsUpdate is a change of the city's settings: its name (nil: keep)
// and yearly targets to set; a target of 0 removes it.
type SettingsUpdate struct {
	Name    *string             `json:"city_name,omitempty"`
	Targets []domain.YearTarget `json:"targets,omitempty"`
}

// UpdateSettings changes the city's name and yearly targets in one
// transaction with one audit row holding the before and after. The city
// code is not editable here: every contract's local flag was computed
// from it.
func (s *Admin) UpdateSettings(ctx context.Context, a *domain.Actor, up SettingsUpdate) (*domain.CitySettings, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.AdminRules.CanEditSettings(a) {
		return nil, forbidden("修改城市设置")
	}
	if err := up.validate(); err != nil {
		return nil, err
	}
	var after *domain.CitySettings
	err := s.store.InTx(ctx, func(q *store.Q) error {
		before, err := readSettings(ctx, q)
		if err != nil {
			return err
		}
		if up.Name != nil {
			if err := q.SetSetting(ctx, SettingCityName, strings.TrimSpace(*up.Name)); err != nil {
				return err
			}
		}
		for _, t := range up.Targets {
			if err := setTarget(ctx, q, t); err != nil {
				return err
			}
		}
		if after, err = readSettings(ctx, q); err != nil {
			return err
		}
		return q.Audit(ctx, a, "settings.update", "settings", "city", before, after)
	})
	return after, err
}

func setTarget(ctx context.Context, q *store.Q, t domain.YearTarget) error {
	if t.Value == 0 {
		return q.DeleteTarget(ctx, t.Year, t.Metric)
	}
	return q.SetTarget(ctx, t.Year, t.Metric, t.Value)
}

func (up SettingsUpdate) validate() error {
	var v domain.Validator
	if up.Name != nil {
		n := utf8.RuneCountInString(strings.TrimSpace(*up.Name))
		v.Check(n > 0 && n <= 50, "city_name", "城市名称必填，且不超过50字")
	}
	for i, t := range up.Targets {
		v.Check(t.Year >= 2000 && t.Year <= 2100, "targets", "第 %d 个目标：年份应在2000到2100之间", i+1)
		v.Check(domain.ValidTargetMetric(t.Metric), "targets", "第 %d 个目标：指标“%s”无效", i+1, t.Metric)
		v.Check(t.Value >= 0, "targets", "第 %d 个目标：目标值不能为负", i+1)
		if m, ok := domain.TargetMetricOf(t.Metric); ok && m.Max > 0 {
			v.Check(t.Value <= m.Max, "targets", "第 %d 个目标：%s不能超过 %d", i+1, domain.Msg(m.Label), m.Max)
		}
	}
	return v.Err()
}
