package city_test

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"kechuang/internal/city"
	"kechuang/internal/domain"
)

func TestShenyang(t *testing.T) {
	c := city.Shenyang()
	if c.Name != "沈阳市" || c.Code != "210100" || c.Province == nil || c.Province.Code != "210000" {
		t.Fatalf("city = %s %s province %+v", c.Name, c.Code, c.Province)
	}
	if len(c.Districts) != 13 || c.Districts[6] != (city.District{Code: "210112", Name: "浑南区", Kind: city.KindDistrict}) {
		t.Errorf("districts: %d, [6] = %+v", len(c.Districts), c.Districts[6])
	}
	if d, ok := c.District("210181"); !ok || d.Kind != city.KindCountyCity || d.Kind.Label() != "县级市" {
		t.Errorf("新民市 = %+v, %v", d, ok)
	}
	if len(c.Chains) != 20 || c.Chains[0] != (city.Chain{Code: "robot", Name: "机器人", Sort: 1}) || c.Chains[19].Sort != 20 {
		t.Errorf("chains: %d, first %+v, last %+v", len(c.Chains), c.Chains[0], c.Chains[19])
	}
	if c.Registry != (city.Org{Name: "沈阳市技术合同认定登记站", Code: "210100"}) || c.Bureau.Code != "210103" {
		t.Errorf("registry %+v, bureau %+v", c.Registry, c.Bureau)
	}
	if v, ok := c.Target(2023, city.MetricContractTurnoverFen); !ok || v != 5_000_000_000_000 {
		t.Errorf("2023 turnover target = %d, %v", v, ok)
	}
	if _, ok := c.Target(2022, city.MetricContractTurnoverFen); ok {
		t.Error("2022 has a target; the file sets none")
	}
	if got := c.TargetYears(); !reflect.DeepEqual(got, []int{2023, 2024, 2025, 2026, 2027}) {
		t.Errorf("target years = %v", got)
	}
	regions := c.Regions()
	if len(regions) != 15 || regions[0] != (domain.Region{Code: "210000", Name: "辽宁省"}) ||
		regions[1] != (domain.Region{Code: "210100", Name: "沈阳市", Parent: "210000"}) || regions[2].Parent != "210100" {
		t.Errorf("regions = %+v", regions)
	}
	if !c.IsLocal("210112") || !c.IsLocal("210100") || c.IsLocal("110108") || c.IsLocal("2101") {
		t.Error("IsLocal disagrees with the four-digit rule")
	}
}

// TestShenyangFresh: each call is a copy, so a caller that edits its city
// cannot change another's.
func TestShenyangFresh(t *testing.T) {
	a := city.Shenyang()
	a.Districts[0].Name = "改"
	a.Targets[2023][city.MetricContractTurnoverFen] = 1
	if b := city.Shenyang(); b.Districts[0].Name != "和平区" || b.Targets[2023][city.MetricContractTurnoverFen] == 1 {
		t.Error("Shenyang shares state between calls")
	}
}

const minimal = `
name: 苏州市
code: "320500"
districts:
  - {code: "320508", name: 姑苏区, kind: district}
  - {code: "320583", name: 昆山市, kind: county_city}
bureau: {name: 苏州市科学技术局, code: "320500"}
registry: {name: 苏州市技术合同登记处, code: "320508"}
chains:
  - {code: nano, name: 纳米新材料}
  - {code: bio, name: 生物医药, sort: 5}
targets:
  2025:
    contract_turnover_fen: 1_000
    local_conversion_rate_bp: 10000
    platforms: 0
`

func TestLoadMinimal(t *testing.T) {
	c, err := city.Load(strings.NewReader(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if c.Province != nil || c.Chains[0].Sort != 1 || c.Chains[1].Sort != 5 {
		t.Errorf("province %+v, sorts %d %d", c.Province, c.Chains[0].Sort, c.Chains[1].Sort)
	}
	if v, _ := c.Target(2025, city.MetricContractTurnoverFen); v != 1000 {
		t.Errorf("underscored integer = %d", v)
	}
	if r := c.Regions(); r[0] != (domain.Region{Code: "320500", Name: "苏州市"}) {
		t.Errorf("regions without a province start %+v", r[0])
	}
}

// TestLoadErrors: every bad file is refused with a message naming the field.
func TestLoadErrors(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(minimal, old) {
			t.Fatalf("fixture has no %q", old)
		}
		return strings.Replace(minimal, old, new, 1)
	}
	for _, tc := range []struct{ name, file, want string }{
		{"Empty", "", "城市文件为空"},
		{"NotYAML", "name: [", "城市文件："},
		{"UnknownField", edit("name: 苏州市", "nmae: 苏州市"), "（nmae）: field nmae not found"},
		{"UnknownDistrictField", edit("kind: district}", "kind: district, weight: 3}"), "（districts[1]）: field weight"},
		{"DuplicateKey", edit("name: 苏州市", "name: 苏州市\nname: 无锡市"), "name"},
		{"WrongType", edit("sort: 5", "sort: five"), "（chains[2]）: cannot unmarshal !!str `five`"},
		{"TwoDocuments", minimal + "---\nname: x\n", "第二个"},
		{"CodeNotSixDigits", edit(`code: "320500"`, `code: "32050"`), "code："},
		{"CodeProvince", edit(`code: "320500"`, `code: "320000"`), "地级市"},
		{"CodeCounty", edit(`code: "320500"`, `code: "320508"`), "地级市"},
		{"DistrictLetters", edit(`"320508", name: 姑苏区`, `"32050A", name: 姑苏区`), "districts[1].code"},
		{"DistrictOutside", edit(`"320508", name: 姑苏区`, `"320612", name: 姑苏区`), "districts[1].code"},
		{"DistrictIsCity", edit(`"320508", name: 姑苏区`, `"320500", name: 姑苏区`), "districts[1].code"},
		{"DistrictDuplicate", edit(`"320583"`, `"320508"`), "districts[2].code"},
		{"DistrictNameDuplicate", edit("昆山市", "姑苏区"), "districts[2].name"},
		{"DistrictNameEmpty", edit("name: 昆山市", `name: " "`), "districts[2].name"},
		{"DistrictKind", edit("kind: county_city", "kind: city"), "districts[2].kind"},
		{"RegistryOutside", edit(`code: "320508"}`, `code: "210100"}`), "registry.code"},
		{"BureauNameEmpty", edit("苏州市科学技术局", `""`), "bureau.name"},
		{"ChainCode", edit("code: nano", "code: Nano"), "chains[1].code"},
		{"ChainDuplicate", edit("code: bio", "code: nano"), "chains[2].code"},
		{"ChainSortDuplicate", edit("sort: 5", "sort: 1"), "chains[2].sort"},
		{"ChainSortNegative", edit("sort: 5", "sort: -1"), "chains[2].sort"},
		{"ChainNameEmpty", edit("name: 纳米新材料", `name: ""`), "chains[1].name"},
		{"TargetNegative", edit("1_000", "-1"), "targets.2025.contract_turnover_fen"},
		{"TargetRateAbove100", edit("10000", "10001"), "targets.2025.local_conversion_rate_bp"},
		{"TargetUnknownMetric", edit("platforms: 0", "platfroms: 0"), "targets.2025.platfroms"},
		{"TargetYear", edit("2025:", "225:"), "targets.225"},
		{"TargetFraction", edit("1_000", "10.5"), `（targets.2025.contract_turnover_fen）: "10.5"`},
		{"TargetOverflow", edit("1_000", "99999999999999999999"), "99999999999999999999"},
		{"ProvinceMismatch", edit("name: 苏州市\n", "name: 苏州市\nprovince: {name: 辽宁省, code: \"210000\"}\n"), "province.code"},
		{"ProvinceNotProvince", edit("name: 苏州市\n", "name: 苏州市\nprovince: {name: 江苏省, code: \"320100\"}\n"), "province.code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := city.Load(strings.NewReader(tc.file))
			if err == nil {
				t.Fatalf("loaded %+v", c)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

// TestValidateListsAll: a file with several mistakes reports each, as
// domain field errors a page or an API can show beside the field.
func TestValidateListsAll(t *testing.T) {
	bad := strings.NewReplacer(`code: "320508"}`, `code: "1"}`, "sort: 5", "sort: 1", "1_000", "-5").Replace(minimal)
	_, err := city.Load(strings.NewReader(bad))
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EINVALID {
		t.Fatalf("err = %v, want a domain EINVALID", err)
	}
	var fields []string
	for _, f := range de.Fields {
		fields = append(fields, f.Field)
	}
	want := []string{"registry.code", "chains[2].sort", "targets.2025.contract_turnover_fen"}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fields = %v, want %v", fields, want)
	}
}

func TestLoadTooLarge(t *testing.T) {
	big := minimal + "# " + strings.Repeat("x", city.MaxFileBytes) + "\n"
	if _, err := city.Load(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "超过") {
		t.Errorf("err = %v", err)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	for _, c := range []*city.City{city.Shenyang(), mustLoad(t, minimal)} {
		var buf bytes.Buffer
		if err := city.Write(&buf, c); err != nil {
			t.Fatal(err)
		}
		back, err := city.Load(&buf)
		if err != nil {
			t.Fatalf("reload %s: %v\n%s", c.Name, err, buf.String())
		}
		if !reflect.DeepEqual(back, c) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", c.Name, back, c)
		}
	}
}

func TestMetrics(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range city.Metrics {
		if seen[m.Code] || m.Label == "" || m.Unit == "" {
			t.Errorf("metric %+v: duplicate or unlabelled", m)
		}
		seen[m.Code] = true
		if got, ok := city.MetricByCode(m.Code); !ok || got != m {
			t.Errorf("MetricByCode(%s) = %+v, %v", m.Code, got, ok)
		}
	}
	if _, ok := city.MetricByCode("nope"); ok {
		t.Error("unknown metric found")
	}
}

func mustLoad(t *testing.T, s string) *city.City {
	t.Helper()
	c, err := city.Load(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDocExample: the example in docs/city-file.md is a valid city file.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/city-file.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/city-file.md has no yaml example")
	}
	c, err := city.Load(strings.NewReader(example))
	if err != nil {
		t.Fatalf("the documented example does not load: %v", err)
	}
	if c.Chains[1].Sort != 2 || len(c.Districts) != 4 {
		t.Errorf("example: %+v", c)
	}
}

// TestLoadMunicipality: a city may be one of the four municipalities, whose
// districts and counties sit directly under it (重庆: 5001xx and 5002xx);
// it has no province above it, and a district of another province is not
// its own.
func TestLoadMunicipality(t *testing.T) {
	const chongqing = `
name: 重庆市
code: "500000"
districts:
  - {code: "500103", name: 渝中区, kind: district}
  - {code: "500229", name: 城口县, kind: county}
bureau: {name: 重庆市科学技术局, code: "500103"}
registry: {name: 重庆市技术合同登记处, code: "500000"}
`
	c, err := city.Load(strings.NewReader(chongqing))
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsLocal("500229") || !c.IsLocal("500103") || !c.IsLocal("500000") || c.IsLocal("510107") {
		t.Errorf("重庆's local rule: 500229 %v 500103 %v 500000 %v 510107 %v", c.IsLocal("500229"), c.IsLocal("500103"), c.IsLocal("500000"), c.IsLocal("510107"))
	}
	shanghai := strings.NewReplacer("重庆市", "上海市", `"500000"`, `"310000"`, `"500103", name: 渝中区`, `"310115", name: 浦东新区`,
		`"500229", name: 城口县, kind: county`, `"310101", name: 黄浦区, kind: district`, `code: "500103"}`, `code: "310115"}`).Replace(chongqing)
	if c, err := city.Load(strings.NewReader(shanghai)); err != nil || !c.IsLocal("310115") || c.IsLocal("320583") {
		t.Errorf("上海: %v", err)
	}
	for _, tc := range []struct{ name, file, want string }{
		{"WithProvince", strings.Replace(chongqing, "code: \"500000\"\n", "code: \"500000\"\nprovince: {name: 重庆, code: \"500000\"}\n", 1), "province"},
		{"DistrictOfSichuan", strings.Replace(chongqing, `"500229", name: 城口县`, `"510107", name: 武侯区`, 1), "districts[2].code"},
		{"DistrictIsCity", strings.Replace(chongqing, `"500229", name: 城口县`, `"500000", name: 城口县`, 1), "districts[2].code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := city.Load(strings.NewReader(tc.file)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
}
