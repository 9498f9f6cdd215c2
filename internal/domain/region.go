package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Region is a GB/T 2260 administrative division as the regions table holds
// it: the national table (internal/gb2260), loaded by Meta.LoadRegions.
type Region struct {
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	Parent   string      `json:"parent_code"`
	Level    RegionLevel `json:"level"`
	FullName string      `json:"full_name"` // the names from the province down, e.g. "江苏省 苏州市 昆山市"
	// Withdrawn is the edition of the table that no longer lists the code
	// ("" while it is current). A withdrawn code keeps its name, so old
	// records still show it, but nothing new may use it.
	Withdrawn string `json:"withdrawn,omitempty"`
}

// RegionLevel is a division's place in the hierarchy (stored as 1–3).
type RegionLevel int

// The three levels of GB/T 2260.
const (
	LevelProvince   RegionLevel = 1 // 省级：省、自治区、直辖市、特别行政区
	LevelPrefecture RegionLevel = 2 // 地级：地级市、地区、自治州、盟
	LevelCounty     RegionLevel = 3 // 县级：市辖区、县、县级市、自治县、旗……
)

var regionLevels = []string{"", "province", "prefecture", "county"}

// String is the level's code: province, prefecture or county.
func (l RegionLevel) String() string {
	if l < 1 || int(l) >= len(regionLevels) {
		return ""
	}
	return regionLevels[l]
}

// MarshalText writes the level's code.
func (l RegionLevel) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's code.
func (l *RegionLevel) UnmarshalText(b []byte) error {
	i := slices.Index(regionLevels, string(b))
	if i < 1 {
		return fmt.Errorf("行政区划级别应为 province、prefecture 或 county")
	}
	*l = RegionLevel(i)
	return nil
}

// ParseRegionLevel reads a level's code ("" and false for another word).
func ParseRegionLevel(s string) (RegionLevel, bool) {
	var l RegionLevel
	return l, s != "" && l.UnmarshalText([]byte(s)) == nil
}

// RegionLevelOf is the level a well-formed code's digits say: XX0000 a
// province, XXYY00 a prefecture, anything else a county-level unit.
func RegionLevelOf(code string) RegionLevel {
	switch {
	case len(code) != 6:
		return 0
	case code[2:] == "0000":
		return LevelProvince
	case code[4:] == "00":
		return LevelPrefecture
	}
	return LevelCounty
}

// Label is the level's zh-CN name.
func (l RegionLevel) Label() string {
	return [...]string{"", "省级", "地级", "县级"}[max(0, min(int(l), 3))]
}

// IsMunicipality reports whether code is one of the four province-level
// cities whose districts sit directly under them (北京、天津、上海、重庆).
func IsMunicipality(code string) bool {
	switch code {
	case "110000", "120000", "310000", "500000":
		return true
	}
	return false
}

// IsLocal reports whether a region lies in the configured city: whether
// the region's city (gb2260.CityOf) is the city. It is a pure rule on the
// digits, the same everywhere (the contracts' local flags, the statistics,
// the pages, the imports): for a municipality the first two digits (its
// districts are 11xxxx, 5001xx and 5002xx…), for a prefecture-level city
// the first four. A province is never local to a prefecture.
func IsLocal(cityCode, region string) bool {
	if len(cityCode) != 6 || len(region) != 6 {
		return false
	}
	if IsMunicipality(cityCode) {
		return region[:2] == cityCode[:2]
	}
	return region[:4] == cityCode[:4]
}

// RegionsEditionSetting is the settings key of the loaded table's edition.
const RegionsEditionSetting = "regions_edition"

// CheckRegionCode is the one rule for a region code a user types (a
// party's region, an organisation's, an imported row's): six digits, a code
// of the regions table, and not withdrawn. r is the table's row for code
// (nil when there is none). The message names the field.
func CheckRegionCode(field, code string, r *Region) error {
	switch {
	case !ValidRegionCode(code):
		return FieldErrorf(field, "行政区划代码应为6位数字")
	case r == nil:
		return FieldErrorf(field, "行政区划代码 %s 不存在", code)
	case r.Withdrawn != "":
		return FieldErrorf(field, "行政区划代码 %s（%s）已撤销，%s 版行政区划表起不再使用", code, r.Name, r.Withdrawn)
	}
	return nil
}

// FullRegionName joins the names from the province down to the region
// ("江苏省 苏州市 昆山市"; a municipality's district "重庆市 渝中区"); byCode
// finds the parents.
func FullRegionName(r Region, byCode func(string) (Region, bool)) string {
	names := []string{r.Name}
	for p, n := r.Parent, 0; p != "" && n < 3; n++ {
		pr, ok := byCode(p)
		if !ok {
			break
		}
		names = append(names, pr.Name)
		p = pr.Parent
	}
	slices.Reverse(names)
	return strings.Join(names, " ")
}

// RegionChanges is what loading a table changed in the regions table.
type RegionChanges struct {
	Edition   string          `json:"edition"`
	Previous  string          `json:"previous_edition"`
	Total     int             `json:"total"` // divisions in the new table
	Added     []Region        `json:"added"`
	Renamed   []RegionRenamed `json:"renamed"` // name or parent changed
	Withdrawn []Region        `json:"withdrawn"`
	Restored  []Region        `json:"restored"` // withdrawn before, listed again
}

// RegionRenamed is one code whose name or parent changed.
type RegionRenamed struct {
	Code      string `json:"code"`
	From      string `json:"from"`
	To        string `json:"to"`
	OldParent string `json:"old_parent_code,omitempty"`
	NewParent string `json:"new_parent_code,omitempty"`
}

// Changed reports whether anything changed.
func (c *RegionChanges) Changed() bool {
	return len(c.Added)+len(c.Renamed)+len(c.Withdrawn)+len(c.Restored) > 0
}

// DiffRegions compares the regions table (old, withdrawn rows included)
// with a new table and returns the rows to write — every new or changed
// row, and every current row the new table no longer lists, marked
// withdrawn in edition — with the report. Nothing is ever deleted: old
// records keep their regions' names.
func DiffRegions(old, next []Region, edition string) (write []Region, ch RegionChanges) {
	ch.Edition, ch.Total = edition, len(next)
	prev := make(map[string]Region, len(old))
	for _, r := range old {
		prev[r.Code] = r
	}
	listed := make(map[string]bool, len(next))
	for _, r := range next {
		listed[r.Code] = true
		r.Withdrawn = ""
		o, ok := prev[r.Code]
		switch {
		case !ok:
			ch.Added = append(ch.Added, r)
		case o.Withdrawn != "":
			ch.Restored = append(ch.Restored, r)
		case o.Name != r.Name || o.Parent != r.Parent:
			ch.Renamed = append(ch.Renamed, RegionRenamed{Code: r.Code, From: o.Name, To: r.Name, OldParent: o.Parent, NewParent: r.Parent})
		case o == r:
			continue
		}
		write = append(write, r)
	}
	for _, o := range old {
		if !listed[o.Code] && o.Withdrawn == "" {
			o.Withdrawn = edition
			ch.Withdrawn = append(ch.Withdrawn, o)
			write = append(write, o)
		}
	}
	return write, ch
}

// ValidRegionsEdition reports whether s names an edition of the table: a
// date YYYY-MM-DD or a year YYYY (the name a bureau gives a newer list).
func ValidRegionsEdition(s string) bool {
	if len(s) == 4 {
		s += "-12-31"
	}
	_, err := ParseDate(s)
	return err == nil
}

// Chain is one of the city's key industrial chains.
type Chain struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// RegionFilter selects regions of the table (the API's and the pickers'
// lists). Only current regions are listed.
type RegionFilter struct {
	Parent    string      // the children of this code ("" with ParentSet: the provinces)
	ParentSet bool        // Parent is given
	Level     RegionLevel // 0: any
	Query     string      // a name (anywhere in the name) or a code prefix
	CityCode  string      // the configured city, listed first in a search
	Limit     int
}

// CountryCode stands for the country as a parent: its children are the
// provinces (?parent_code=000000).
const CountryCode = "000000"

// MaxRegionResults bounds a search's answer.
const MaxRegionResults = 50

// ChainEntry is a chain as the administration sees it: its order, whether
// it is hidden (kept for the contracts that name it, offered for no new
// one) and how many contracts name it (a chain that any contract names
// cannot be deleted).
type ChainEntry struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Sort      int    `json:"sort"`
	Hidden    bool   `json:"hidden"`
	Contracts int64  `json:"contracts"`
}

// MaxChainName bounds a chain's name in characters.
const MaxChainName = 30

// ValidateChainCode checks a chain code: a lower-case letter, then
// lower-case letters, digits or _, at most 40 (the city file's rule).
func ValidateChainCode(code string) error {
	ok := len(code) >= 1 && len(code) <= 40 && code[0] >= 'a' && code[0] <= 'z'
	for i := 0; ok && i < len(code); i++ {
		c := code[i]
		ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
	}
	if !ok {
		return FieldErrorf("code", "产业链代码应为小写字母开头的小写字母、数字或下划线（至多 40 个）")
	}
	return nil
}

// ValidateChainName checks a chain's name: not blank, at most MaxChainName
// characters.
func ValidateChainName(name string) error {
	if n := len([]rune(name)); n == 0 || n > MaxChainName {
		return FieldErrorf("name", "产业链名称必填，且不超过%d字", MaxChainName)
	}
	return nil
}
