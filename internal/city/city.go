// Package city reads the city file: the one place that says which city a
// Kechuang installation serves — its name and GB/T 2260 code, its districts
// and counties, its key industrial chains, its science bureau and
// technology-contract registry, and its yearly targets. DESIGN says a city
// is configuration; this package is that configuration as data plus its
// validation, and nothing else (it knows no store and no service, so every
// layer — demo, bench, tests, and later `kechuang init` — can load it).
//
// The format is documented in docs/city-file.md; shenyang.yaml, the demo
// city, is embedded and returned by Shenyang.
package city

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"kechuang/internal/domain"
)

// City is a validated city file. Load fills every default (a chain's sort,
// an empty target table), so callers never re-check it.
type City struct {
	Name      string     `yaml:"name"`
	Code      string     `yaml:"code"`
	Province  *Province  `yaml:"province,omitempty"`
	Districts []District `yaml:"districts"`
	Bureau    Org        `yaml:"bureau"`
	Registry  Org        `yaml:"registry"`
	Chains    []Chain    `yaml:"chains"`
	// Targets are the configured goals: year → metric → value.
	Targets map[int]map[string]int64 `yaml:"targets,omitempty"`
}

// Province is the province the city belongs to, stored as its parent region.
type Province struct {
	Name string `yaml:"name"`
	Code string `yaml:"code"`
}

// District is one district or county of the city.
type District struct {
	Code string       `yaml:"code"`
	Name string       `yaml:"name"`
	Kind DistrictKind `yaml:"kind"`
}

// Org is one of the city's own bodies: its name and the six-digit region it
// sits in. For the registry that code is also the one printed in every
// registration number (登记号 = year + code + serial).
type Org struct {
	Name string `yaml:"name"`
	Code string `yaml:"code"`
}

// Chain is one key industrial chain; Sort orders the city's lists (1 first).
type Chain struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
	Sort int    `yaml:"sort,omitempty"`
}

// DistrictKind is the GB/T 2260 kind of a county-level division.
type DistrictKind string

// The county-level kinds of GB/T 2260.
const (
	KindDistrict         DistrictKind = "district"          // 市辖区
	KindCounty           DistrictKind = "county"            // 县
	KindCountyCity       DistrictKind = "county_city"       // 县级市
	KindAutonomousCounty DistrictKind = "autonomous_county" // 自治县
	KindBanner           DistrictKind = "banner"            // 旗
	KindAutonomousBanner DistrictKind = "autonomous_banner" // 自治旗
	KindForestryDistrict DistrictKind = "forestry_district" // 林区
	KindSpecialDistrict  DistrictKind = "special_district"  // 特区
)

var kindLabels = map[DistrictKind]string{
	KindDistrict: "市辖区", KindCounty: "县", KindCountyCity: "县级市", KindAutonomousCounty: "自治县",
	KindBanner: "旗", KindAutonomousBanner: "自治旗", KindForestryDistrict: "林区", KindSpecialDistrict: "特区",
}

// Label is the kind's Chinese name ("" for an unknown kind).
func (k DistrictKind) Label() string { return kindLabels[k] }

// Metric is one kind of yearly target.
type Metric struct {
	Code  string
	Label string
	Unit  string
	Max   int64 // 0: no upper bound
}

// The target metrics. contract_turnover_fen is the one the statistics read
// today (service.TargetContractTurnover); the others are there so a bureau can
// record the goals the later modules will measure.
const (
	MetricContractTurnoverFen = "contract_turnover_fen"
	MetricLocalConversionBP   = "local_conversion_rate_bp"
	MetricTechEnterprises     = "tech_enterprises"
	MetricHighTechEnterprises = "high_tech_enterprises"
	MetricPlatforms           = "platforms"
)

// Metrics lists every metric a city file may set a target for.
var Metrics = []Metric{
	{MetricContractTurnoverFen, "技术合同成交额", "分", 0},
	{MetricLocalConversionBP, "本地转化率", "万分之一（6500 即 65.00%）", 10_000},
	{MetricTechEnterprises, "科技型中小企业数", "家", 0},
	{MetricHighTechEnterprises, "高新技术企业数", "家", 0},
	{MetricPlatforms, "创新平台数", "个", 0},
}

// MetricByCode finds a metric.
func MetricByCode(code string) (Metric, bool) {
	i := slices.IndexFunc(Metrics, func(m Metric) bool { return m.Code == code })
	if i < 0 {
		return Metric{}, false
	}
	return Metrics[i], true
}

//go:embed shenyang.yaml
var shenyangYAML string

// Shenyang returns the demo city, a fresh copy each call. The embedded file
// is checked by the tests, so a bad edit fails there, not here.
func Shenyang() *City {
	c, err := Load(strings.NewReader(shenyangYAML))
	if err != nil {
		panic(fmt.Sprintf("city: embedded shenyang.yaml: %v", err))
	}
	return c
}

// Regions lists the province (when given), the city and its districts,
// each with its parent, in file order.
func (c *City) Regions() []domain.Region {
	var out []domain.Region
	parent := ""
	if c.Province != nil {
		out = append(out, domain.Region{Code: c.Province.Code, Name: c.Province.Name})
		parent = c.Province.Code
	}
	out = append(out, domain.Region{Code: c.Code, Name: c.Name, Parent: parent})
	for _, d := range c.Districts {
		out = append(out, domain.Region{Code: d.Code, Name: d.Name, Parent: c.Code})
	}
	return out
}

// District finds one of the city's districts by code.
func (c *City) District(code string) (District, bool) {
	i := slices.IndexFunc(c.Districts, func(d District) bool { return d.Code == code })
	if i < 0 {
		return District{}, false
	}
	return c.Districts[i], true
}

// IsLocal reports whether a region code lies in the city: the one rule of
// domain.IsLocal (the city itself or a code of its districts: the first
// four digits for a prefecture-level city, two for a municipality).
func (c *City) IsLocal(code string) bool { return domain.IsLocal(c.Code, code) }

// Target returns a yearly target and whether one is set.
func (c *City) Target(year int, metric string) (int64, bool) {
	v, ok := c.Targets[year][metric]
	return v, ok
}

// TargetYears lists the years with at least one target, ascending.
func (c *City) TargetYears() []int {
	var ys []int
	for y, m := range c.Targets {
		if len(m) > 0 {
			ys = append(ys, y)
		}
	}
	slices.Sort(ys)
	return ys
}
