package gb2260

import (
	"strings"
	"testing"

	"kechuang/internal/domain"
)

func TestEmbeddedTable(t *testing.T) {
	tb := Default()
	if tb.Len() != 3213 {
		t.Fatalf("embedded table has %d divisions, the 2024-12-31 list has 3213", tb.Len())
	}
	for code, want := range map[string]struct {
		name, parent string
		level        Level
	}{
		"210000": {"辽宁省", "", Province},
		"210100": {"沈阳市", "210000", Prefecture},
		"210115": {"辽中区", "210100", County},
		"320508": {"姑苏区", "320500", County},
		"320583": {"昆山市", "320500", County},
		"500103": {"渝中区", "500000", County},
		"370116": {"莱芜区", "370100", County},
		"653229": {"", "", County},
		"429004": {"仙桃市", "420000", County}, // directly under the province
	} {
		d, ok := tb.Lookup(code)
		if !ok {
			t.Errorf("%s missing", code)
			continue
		}
		if (want.name != "" && d.Name != want.name) || (want.parent != "" && d.Parent != want.parent) || d.Level != want.level {
			t.Errorf("%s = %+v, want %+v", code, d, want)
		}
	}
	for _, gone := range []string{"210122", "371200", "320584"} {
		if _, ok := tb.Lookup(gone); ok {
			t.Errorf("%s is no longer a division but is in the table", gone)
		}
	}
	kids := tb.Children("320500")
	if len(kids) < 9 || kids[0].Code != "320505" {
		t.Errorf("Children(320500) = %v", kids)
	}
	for code, city := range map[string]string{"320583": "320500", "320500": "320500", "500103": "500000", "500000": "500000", "210000": "", "429004": "", "999999": ""} {
		c, ok := tb.CityOf(code)
		if c.Code != city || ok != (city != "") {
			t.Errorf("CityOf(%s) = %s %v, want %s", code, c.Code, ok, city)
		}
	}
}

func TestParseRefusesBadTables(t *testing.T) {
	for in, want := range map[string]string{
		"":                                  "没有省级单位",
		"210000 辽宁省\n21010 沈阳市":             "第 2 行",
		"210000 辽宁省\n210100":                "第 2 行",
		"210000 辽宁省\n210000 辽宁":             "重复",
		"210100 沈阳市":                        "上级 210000",
		"210000 辽宁省\n210101 x\x01y":         "控制字符",
		"000000 无":                          "六位数字",
		"210000 " + strings.Repeat("省", 41): "最多",
	} {
		_, err := Parse(strings.NewReader(in), "t")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", in, err, want)
		}
	}
	tb, err := Parse(strings.NewReader("# comment\n\n210000\t辽宁省\n210100 沈阳市\n210102 和平区\n"), "t")
	if err != nil || tb.Len() != 3 {
		t.Fatalf("Parse good table: %v %v", tb, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("210000 辽宁省\n210100 沈阳市\n210102 和平区\n")
	f.Add("110000 北京市\n110101 东城区\n")
	f.Add("210000 辽宁省\n210000 重复\n")
	f.Fuzz(func(t *testing.T, in string) {
		tb, err := Parse(strings.NewReader(in), "fuzz")
		if err != nil {
			return
		}
		for _, d := range tb.All() {
			if got, ok := tb.Lookup(d.Code); !ok || got != d {
				t.Fatalf("Lookup(%s) = %v %v", d.Code, got, ok)
			}
			if d.Parent != "" {
				if _, ok := tb.Lookup(d.Parent); !ok {
					t.Fatalf("%s has parent %s outside the table", d.Code, d.Parent)
				}
			}
		}
	})
}

// TestIsLocalIsCityOf: domain.IsLocal, the pure rule on the digits that the
// store, service, pages and imports use, agrees with the table's CityOf for
// every division, for prefecture-level cities and the four municipalities.
func TestIsLocalIsCityOf(t *testing.T) {
	tb := Default()
	for _, city := range []string{"210100", "320500", "460400", "110000", "120000", "310000", "500000"} {
		n := 0
		for _, d := range tb.All() {
			c, ok := tb.CityOf(d.Code)
			want := ok && c.Code == city
			if got := domain.IsLocal(city, d.Code); got != want {
				t.Errorf("IsLocal(%s, %s %s) = %v, CityOf says %v", city, d.Code, d.Name, got, want)
			}
			if want {
				n++
			}
		}
		if n == 0 {
			t.Errorf("city %s has %d local divisions", city, n)
		}
	}
}
