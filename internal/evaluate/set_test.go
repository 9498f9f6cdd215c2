package evaluate_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/i18n"
)

func builtin(t testing.TB) *evaluate.Set {
	t.Helper()
	c, err := evaluate.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.InForce(evaluate.DefaultSet, "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBuiltinSet: the shipped achievement set has the five first-level
// indicators of GB/T 44731-2024, weights that sum exactly at both levels,
// the panel rules of the pilot measures, and marks its assumptions.
func TestBuiltinSet(t *testing.T) {
	s := builtin(t)
	var codes, names []string
	for _, in := range s.Indicators {
		codes, names = append(codes, in.Code), append(names, in.Name)
	}
	if want := []string{"科学价值", "技术价值", "经济价值", "社会和文化价值", "转化推广潜力"}; !reflect.DeepEqual(names, want) {
		t.Errorf("first-level indicators %v, want %v", names, want)
	}
	if len(s.ResultTypes) != 3 {
		t.Errorf("result types: %d, want 基础研究/应用研究/技术开发和产业化", len(s.ResultTypes))
	}
	for _, rt := range s.ResultTypes {
		sum := 0
		for _, c := range codes {
			sum += rt.Weights[c]
		}
		if sum != 1000 || !rt.Assumption {
			t.Errorf("%s: weights sum %d, assumption %v", rt.Code, sum, rt.Assumption)
		}
		for _, it := range rt.Items {
			if !it.Assumption {
				t.Errorf("%s.%s: second-level items are [A] in the rules file and must say so", rt.Code, it.Code)
			}
		}
	}
	p := s.Panel
	if p.MinSize != 5 || p.MaxSize != 9 || p.TechnicalNum != 2 || p.TechnicalDen != 3 || p.MaxPerOrg != 2 {
		t.Errorf("panel rules %+v", p)
	}
	if s.Aggregation != (evaluate.Aggregation{Method: evaluate.Trimmed, TrimFrom: 5}) {
		t.Errorf("aggregation %+v", s.Aggregation)
	}
}

// TestBuiltinVersions: a case opened between 26号 (2021-08-02) and GB/T
// 44731-2024 (2024-10-26) gets the five values of 26号; none before.
func TestBuiltinVersions(t *testing.T) {
	c, err := evaluate.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]int{"2021-08-02": 1, "2022-06-30": 1, "2024-10-25": 1, "2024-10-26": 2} {
		if s, err := c.InForce(evaluate.DefaultSet, date); err != nil || s.Version != want {
			t.Errorf("%s: %v %v, want version %d", date, s, err, want)
		}
	}
	if _, err := c.InForce(evaluate.DefaultSet, "2021-08-01"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("before 26号: %v", err)
	}
	v1, _ := c.Version(evaluate.DefaultSet, 1)
	var names []string
	for _, in := range v1.Indicators {
		names = append(names, in.Name)
	}
	if want := []string{"科学价值", "技术价值", "经济价值", "社会价值", "文化价值"}; !reflect.DeepEqual(names, want) {
		t.Errorf("version 1 indicators %v, want %v", names, want)
	}
	for _, rt := range v1.ResultTypes {
		if !rt.Assumption {
			t.Errorf("v1 %s: weights are assumptions", rt.Code)
		}
	}
}

// TestSetTextsTranslated: every text of a shipped set a user reads
// (names, guides, grades) has an English entry in the catalogue.
func TestSetTextsTranslated(t *testing.T) {
	c, err := evaluate.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Sets() {
		texts := []string{s.Name, s.Notes}
		for _, g := range s.Grades {
			texts = append(texts, g.Label)
		}
		for _, in := range s.Indicators {
			texts = append(texts, in.Name, in.Guide)
		}
		for _, rt := range s.ResultTypes {
			texts = append(texts, rt.Name)
			for _, it := range rt.Items {
				texts = append(texts, it.Name, it.Guide)
			}
		}
		for _, x := range texts {
			if en, ok := i18n.English(x); x != "" && (!ok || en == "") {
				t.Errorf("%s: %q has no English entry (internal/i18n/en/evaluation.json)", s.Key(), x)
			}
		}
	}
}

// minimal is a valid one-indicator set the refusal cases edit.
const minimal = `id: t
version: 1
name: 测试
basis: 测试标准
effective_from: 2025-01-01
publicity_days: 7
aggregation: {method: trimmed}
panel: {min_size: 5, max_size: 9, technical_num: 2, technical_den: 3, max_per_org: 2}
indicators:
  - {code: a, name: 甲, guide: 甲指引}
  - {code: b, name: 乙, guide: 乙指引}
result_types:
  - code: r
    name: 类型
    weights: {a: 600, b: 400}
    items:
      - {code: a1, indicator: a, name: 甲一, weight: 1000, min: 0, max: 100, guide: 指引}
      - {code: b1, indicator: b, name: 乙一, weight: 300, min: 0, max: 10, guide: 指引}
      - {code: b2, indicator: b, name: 乙二, weight: 700, min: 1, max: 5, guide: 指引}
`

func TestParseMinimal(t *testing.T) {
	s, err := evaluate.Parse(strings.NewReader(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if s.Aggregation.TrimFrom != 5 || s.Key() != "t@1" {
		t.Errorf("defaults: %+v %s", s.Aggregation, s.Key())
	}
}

// TestParseRefusals: every refusal names the field (or the line) at fault
// and no set comes back with the error.
func TestParseRefusals(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(minimal, old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(minimal, old, new, 1)
	}
	cases := []struct{ name, in, field string }{
		{"empty", "", ""},
		{"not yaml", "id: [", ""},
		{"unknown field", edit("name: 测试", "name: 测试\nnmae: x"), ""},
		{"second document", minimal + "---\nid: u\n", ""},
		{"fraction weight", edit("a: 600, b: 400", "a: 600.5, b: 399.5"), "line 15"},
		{"first level sums 999", edit("a: 600, b: 400", "a: 600, b: 399"), "result_types[0].weights"},
		{"first level sums 1001", edit("a: 600, b: 400", "a: 601, b: 400"), "result_types[0].weights"},
		{"indicator without weight", edit("a: 600, b: 400", "a: 1000"), "result_types[0].weights.b"},
		{"weight for unknown indicator", edit("a: 600, b: 400", "a: 600, b: 400, c: 0"), "result_types[0].weights.c"},
		{"negative weight", edit("a: 600, b: 400", "a: 1400, b: -400"), "result_types[0].weights.b"},
		{"items sum 900", edit("weight: 300", "weight: 200"), "result_types[0].items"},
		{"item of unknown indicator", edit("indicator: a,", "indicator: z,"), "result_types[0].items[0].indicator"},
		{"duplicate item", edit("code: b2", "code: b1"), "result_types[0].items[2].code"},
		{"duplicate indicator", edit("code: b, name: 乙", "code: a, name: 乙"), "indicators[1].code"},
		{"max below min", edit("min: 1, max: 5", "min: 5, max: 5"), "result_types[0].items[2].max"},
		{"max too large", edit("max: 100", "max: 1001"), "result_types[0].items[0].max"},
		{"no version", edit("version: 1", "version: 0"), "version"},
		{"bad id", edit("id: t", "id: T 1"), "id"},
		{"bad date", edit("2025-01-01", "2025-02-30"), "effective_from"},
		{"unknown method", edit("method: trimmed", "method: average"), "aggregation.method"},
		{"trim from 2", edit("{method: trimmed}", "{method: trimmed, trim_from: 2}"), "aggregation.trim_from"},
		{"trim_from on mean", edit("{method: trimmed}", "{method: mean, trim_from: 5}"), "aggregation.trim_from"},
		{"panel min above max", edit("min_size: 5, max_size: 9", "min_size: 10, max_size: 9"), "panel.max_size"},
		{"share above one", edit("technical_num: 2", "technical_num: 4"), "panel.technical_den"},
		{"share without denominator", edit("technical_den: 3", "technical_den: 0"), "panel.technical_den"},
		{"org limit 0", edit("max_per_org: 2", "max_per_org: 0"), "panel.max_per_org"},
		{"publicity too long", edit("publicity_days: 7", "publicity_days: 91"), "publicity_days"},
		{"grades unordered", edit("publicity_days: 7", "publicity_days: 7\ngrades: [{min_tenths: 600, label: 甲}, {min_tenths: 900, label: 乙}, {min_tenths: 0, label: 丙}]"), "grades[1].min_tenths"},
		{"grades not from 0", edit("publicity_days: 7", "publicity_days: 7\ngrades: [{min_tenths: 900, label: 甲}]"), "grades[0].min_tenths"},
		{"no result types", strings.Split(minimal, "result_types:")[0] + "result_types: []\n", "result_types"},
		{"too large", minimal + "# " + strings.Repeat("x", evaluate.MaxSetBytes), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := evaluate.Parse(strings.NewReader(c.in))
			if err == nil || s != nil {
				t.Fatalf("accepted (%v, %v)", s, err)
			}
			if c.field == "" {
				return
			}
			var fields []string
			if e, ok := err.(*domain.Error); ok {
				for _, f := range e.Fields {
					fields = append(fields, f.Field)
				}
			}
			found := false
			for _, f := range fields {
				found = found || f == c.field
			}
			if !found {
				t.Errorf("error %v names %v, want %s", err, fields, c.field)
			}
		})
	}
}

// TestCatalogueVersions: a case finds the version in force on its day;
// duplicate versions and a newer version effective no later are refused.
func TestCatalogueVersions(t *testing.T) {
	v1, err := evaluate.Parse(strings.NewReader(minimal))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := evaluate.Parse(strings.NewReader(strings.Replace(strings.Replace(minimal, "version: 1", "version: 2", 1), "2025-01-01", "2026-07-01", 1)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := evaluate.NewCatalogue(v2, v1)
	if err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]int{"2025-01-01": 1, "2026-06-30": 1, "2026-07-01": 2, "2030-01-01": 2} {
		if s, err := c.InForce("t", date); err != nil || s.Version != want {
			t.Errorf("in force on %s: %v %v, want version %d", date, s, err, want)
		}
	}
	if _, err := c.InForce("t", "2024-12-31"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("before the first version: %v", err)
	}
	if s, err := c.Version("t", 1); err != nil || s != v1 {
		t.Errorf("version 1: %v %v", s, err)
	}
	if _, err := evaluate.NewCatalogue(v1, v1); err == nil {
		t.Error("a duplicate version was accepted")
	}
	early := *v2
	early.EffectiveFrom = v1.EffectiveFrom
	if _, err := evaluate.NewCatalogue(v1, &early); err == nil {
		t.Error("a newer version effective on the same day was accepted")
	}
	bad := fstest.MapFS{"sets/a.yaml": {Data: []byte(minimal)}, "sets/b.yaml": {Data: []byte("id: [")}}
	if _, err := evaluate.LoadDir(bad, "sets"); err == nil || !strings.Contains(err.Error(), "sets/b.yaml") {
		t.Errorf("a bad file in the directory: %v", err)
	}
}

// FuzzParse: no input panics; what loads is valid, its weights sum
// exactly, and it survives a write and a reload unchanged.
func FuzzParse(f *testing.F) {
	shipped, _ := evaluate.Builtin()
	for _, s := range shipped.Sets() {
		out, _ := yaml.Marshal(s)
		f.Add(string(out))
	}
	for _, s := range []string{minimal, "", "id: [", "a: &a [*a, *a]", minimal + "---\n",
		strings.Replace(minimal, "600", "600.0", 1), strings.Replace(minimal, "max: 10,", "max: 9223372036854775808,", 1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := evaluate.Parse(strings.NewReader(in))
		if err != nil {
			if s != nil {
				t.Fatal("a set and an error")
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("loaded set fails validation: %v", err)
		}
		for _, rt := range s.ResultTypes {
			sum := 0
			for _, in := range s.Indicators {
				sum += rt.Weights[in.Code]
			}
			if sum != evaluate.PermilleTotal {
				t.Fatalf("%s: weights sum %d", rt.Code, sum)
			}
		}
		out, err := yaml.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := evaluate.Parse(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("reload: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(s, back) {
			t.Fatalf("round trip changed the set:\n%+v\n%+v", s, back)
		}
	})
}
