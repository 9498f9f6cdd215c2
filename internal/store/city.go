package store

import (
	"context"
	"fmt"
	"slices"

	"kechuang/internal/city"
	"kechuang/internal/domain"
)

// PutCity writes a city file's configuration: those of its regions (the
// province when given, the city, its districts and counties) that the
// regions table lacks — the national table, loaded first, holds them all
// with their full names and levels, and is not overwritten —, its chains
// in their order, its yearly targets and the city_code and city_name
// settings. It is
// the one writer of a city below the service: service.Admin.InstallCity
// (for `kechuang init`, the demo and the benchmark) and the test world
// (storetest.New, which the layers keep below the service) both call it, so
// the city is written in one way. The organisations and accounts are the
// callers' (the test world builds its own). Every write bumps the
// statistics version, as region and chain names label the statistics.
func (q *Q) PutCity(ctx context.Context, c *city.City) error {
	for _, r := range c.Regions() {
		if have, err := q.Region(ctx, r.Code); err != nil {
			return err
		} else if have != nil {
			continue
		}
		if err := q.PutRegion(ctx, r); err != nil {
			return fmt.Errorf("store: city region %s: %w", r.Code, err)
		}
	}
	for _, ch := range c.Chains {
		if err := q.PutChain(ctx, domain.Chain{Code: ch.Code, Name: ch.Name}, ch.Sort); err != nil {
			return fmt.Errorf("store: city chain %s: %w", ch.Code, err)
		}
	}
	years := c.TargetYears()
	for _, y := range years {
		metrics := make([]string, 0, len(c.Targets[y]))
		for m := range c.Targets[y] {
			metrics = append(metrics, m)
		}
		slices.Sort(metrics)
		for _, m := range metrics {
			if err := q.SetTarget(ctx, y, m, c.Targets[y][m]); err != nil {
				return fmt.Errorf("store: city target %d %s: %w", y, m, err)
			}
		}
	}
	for _, kv := range [][2]string{{SettingCityCode, c.Code}, {SettingCityName, c.Name}} {
		if err := q.SetSetting(ctx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// The settings a city is written with (the service names them too).
const (
	SettingCityCode = "city_code"
	SettingCityName = "city_name"
)

// DataCounts are the rows that make a database "in use": an installation
// refuses to write a city over any of them.
type DataCounts struct {
	Orgs, Users, Contracts int64
}

// Any reports whether there is any such row.
func (d DataCounts) Any() bool { return d.Orgs+d.Users+d.Contracts > 0 }

// CountData counts organisations, users and contracts.
func (q *Q) CountData(ctx context.Context) (DataCounts, error) {
	var d DataCounts
	err := q.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM orgs), (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM contracts)`).
		Scan(&d.Orgs, &d.Users, &d.Contracts)
	if err != nil {
		return d, fmt.Errorf("store: count data: %w", err)
	}
	return d, nil
}
