package city

import (
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
)

// DefaultChains is the set of key industrial chains a city installed from
// the national table starts with (`kechuang init --city-code`): the
// strategic emerging industries most Chinese cities list in their plans.
// It is a starting point, edited afterwards in the administration pages or
// by installing from a city file instead; docs/city-file.md lists it.
var DefaultChains = []Chain{
	{Code: "ict", Name: "新一代信息技术"},
	{Code: "ic", Name: "集成电路"},
	{Code: "ai", Name: "人工智能"},
	{Code: "biomedicine", Name: "生物医药"},
	{Code: "medical_devices", Name: "医疗器械"},
	{Code: "equipment", Name: "高端装备制造"},
	{Code: "new_materials", Name: "新材料"},
	{Code: "new_energy", Name: "新能源"},
	{Code: "nev", Name: "新能源汽车"},
	{Code: "green", Name: "节能环保"},
}

// kindSuffixes derive a county-level division's kind from its name, the
// longest suffix first (自治县 before 县, 林区 and 特区 before 区).
var kindSuffixes = []struct {
	suffix string
	kind   DistrictKind
}{
	{"自治旗", KindAutonomousBanner}, {"自治县", KindAutonomousCounty}, {"林区", KindForestryDistrict},
	{"特区", KindSpecialDistrict}, {"旗", KindBanner}, {"县", KindCounty}, {"市", KindCountyCity}, {"区", KindDistrict},
}

// KindOf derives the kind of a county-level division from its name's
// suffix (区 district, 县 county, 市 county_city, 自治县, 旗, 自治旗, 林区,
// 特区); false when the name ends in none of them. The national table
// names every county-level unit with one of these suffixes.
func KindOf(name string) (DistrictKind, bool) {
	for _, s := range kindSuffixes {
		if strings.HasSuffix(name, s.suffix) {
			return s.kind, true
		}
	}
	return "", false
}

// FromTable builds the city file of a prefecture-level city or a
// municipality from the national table: its name, province, districts and
// counties with their kinds, the bureau "<city>科学技术局" (in bureauIn, or
// in the first district when bureauIn is ""), the registry
// "<city>技术合同认定登记站" (its code the city's, so 登记号 carry it), and
// DefaultChains. A county, a province, a code under a province directly
// (省直辖县级行政单位) or an unknown code is refused with a message saying
// what the code is.
func FromTable(t *gb2260.Table, code, bureauIn string) (*City, error) {
	d, ok := t.Lookup(code)
	if !ok {
		return nil, domain.FieldErrorf("city_code", "行政区划代码 %q 不在全国行政区划表（%s）中", code, t.Version)
	}
	switch {
	case d.Level == gb2260.County:
		hint := ""
		if c, ok := t.CityOf(code); ok {
			hint = fmt.Sprintf("；它属于 %s %s", c.Code, c.Name)
		}
		return nil, domain.FieldErrorf("city_code", "%s %s 是县级行政区，不是城市：请给出地级市或直辖市的代码%s", d.Code, d.Name, hint)
	case d.Level == gb2260.Province && !gb2260.IsMunicipality(code):
		return nil, domain.FieldErrorf("city_code", "%s %s 是省级行政区，不是城市：请给出地级市或直辖市的代码（如 %s）", d.Code, d.Name, firstCity(t, code))
	}
	c := &City{Name: d.Name, Code: d.Code, Targets: map[int]map[string]int64{}}
	if d.Level == gb2260.Prefecture {
		if p, ok := t.Lookup(d.Parent); ok {
			c.Province = &Province{Name: p.Name, Code: p.Code}
		}
	}
	for _, ch := range t.Children(code) {
		if ch.Level != gb2260.County {
			continue
		}
		kind, ok := KindOf(ch.Name)
		if !ok {
			return nil, fmt.Errorf("区县 %s %s：无法从名称判断类型（区、县、市、自治县、旗、自治旗、林区、特区）", ch.Code, ch.Name)
		}
		c.Districts = append(c.Districts, District{Code: ch.Code, Name: ch.Name, Kind: kind})
	}
	c.Bureau = Org{Name: c.Name + "科学技术局", Code: c.Code}
	if len(c.Districts) > 0 {
		c.Bureau.Code = c.Districts[0].Code
	}
	if bureauIn != "" {
		c.Bureau.Code = bureauIn
	}
	c.Registry = Org{Name: c.Name + "技术合同认定登记站", Code: c.Code}
	c.Chains = append([]Chain(nil), DefaultChains...)
	c.fillDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// firstCity names a prefecture of province code, for the refusal's example.
func firstCity(t *gb2260.Table, code string) string {
	for _, ch := range t.Children(code) {
		if ch.Level == gb2260.Prefecture {
			return ch.Code + " " + ch.Name
		}
	}
	return "210100 沈阳市"
}
