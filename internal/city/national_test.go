package city_test

import (
	"bytes"
	"strings"
	"testing"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
)

// TestFromTableEveryCity: every prefecture-level unit and municipality of
// the national table gives a valid city whose districts are all its
// county-level children, each with a kind, and whose file round-trips.
func TestFromTableEveryCity(t *testing.T) {
	tab := gb2260.Default()
	n := 0
	for _, d := range tab.All() {
		if d.Level != gb2260.Prefecture && !gb2260.IsMunicipality(d.Code) {
			continue
		}
		c, err := city.FromTable(tab, d.Code, "")
		if err != nil {
			t.Errorf("%s %s: %v", d.Code, d.Name, err)
			continue
		}
		n++
		if len(c.Districts) != len(tab.Children(d.Code)) {
			t.Errorf("%s: %d districts, the table has %d children", d.Code, len(c.Districts), len(tab.Children(d.Code)))
		}
		var b bytes.Buffer
		if err := city.Write(&b, c); err != nil {
			t.Fatal(err)
		}
		if _, err := city.Load(&b); err != nil {
			t.Errorf("%s: the file does not load back: %v", d.Code, err)
		}
	}
	if n < 300 {
		t.Fatalf("only %d cities in the national table", n)
	}
}

func TestFromTableKinds(t *testing.T) {
	c, err := city.FromTable(gb2260.Default(), "320500", "320583")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]city.DistrictKind{}
	for _, d := range c.Districts {
		kinds[d.Name] = d.Kind
	}
	if kinds["姑苏区"] != city.KindDistrict || kinds["昆山市"] != city.KindCountyCity || c.Bureau.Code != "320583" ||
		c.Province == nil || c.Province.Code != "320000" || c.Registry.Code != "320500" || c.Registry.Name != "苏州市技术合同认定登记站" {
		t.Fatalf("苏州市: %+v", c)
	}
	for name, want := range map[string]city.DistrictKind{"石柱土家族自治县": city.KindAutonomousCounty, "莫力达瓦达斡尔族自治旗": city.KindAutonomousBanner,
		"土默特左旗": city.KindBanner, "神农架林区": city.KindForestryDistrict, "六枝特区": city.KindSpecialDistrict, "城口县": city.KindCounty} {
		if got, ok := city.KindOf(name); !ok || got != want {
			t.Errorf("KindOf(%s) = %s, want %s", name, got, want)
		}
	}
	if _, ok := city.KindOf("某镇"); ok {
		t.Error("a town has a county-level kind")
	}
	cq, err := city.FromTable(gb2260.Default(), "500000", "")
	if err != nil || cq.Province != nil || !cq.IsLocal("500229") || cq.IsLocal("510100") {
		t.Fatalf("重庆市: %+v %v", cq, err)
	}
}

// FuzzFromTable: no code panics; an accepted one is a valid city of that
// code, and a refusal says why.
func FuzzFromTable(f *testing.F) {
	for _, s := range []string{"320500", "500000", "320508", "320000", "429004", "", "99", "000000", "441900"} {
		f.Add(s, "")
	}
	f.Add("320500", "320583")
	f.Add("320500", "210102")
	tab := gb2260.Default()
	f.Fuzz(func(t *testing.T, code, bureau string) {
		c, err := city.FromTable(tab, code, bureau)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("a refusal without a reason")
			}
			return
		}
		if c.Code != code || c.Validate() != nil {
			t.Fatalf("FromTable(%q) = %+v", code, c)
		}
	})
}

// TestMetricsAgree: the metrics a city file may set are the ones the
// settings edit (domain keeps its own list, as it imports nothing).
func TestMetricsAgree(t *testing.T) {
	if len(city.Metrics) != len(domain.TargetMetrics) {
		t.Fatalf("city has %d metrics, domain %d", len(city.Metrics), len(domain.TargetMetrics))
	}
	for i, m := range city.Metrics {
		d := domain.TargetMetrics[i]
		if d.Code != m.Code || d.Label != m.Label || d.Max != m.Max {
			t.Errorf("metric %d: city %+v, domain %+v", i, m, d)
		}
	}
}
