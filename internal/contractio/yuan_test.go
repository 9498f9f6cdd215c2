package contractio

import (
	"reflect"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

func TestExcelNumber(t *testing.T) {
	for in, want := range map[string]string{
		"1234.5599999999999":  "1234.56",
		"0.30000000000000004": "0.3",
		"1.0049999999999999":  "1.005",
		"1234.56":             "1234.56",
		"1E+3":                "1000",
		"abc":                 "abc",
		"123456789012.34":     "123456789012.34",
	} {
		if got := excelNumber(in); got != want {
			t.Errorf("excelNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCostItems(t *testing.T) {
	items := []domain.CostItem{
		{Kind: "equipment", Description: `示波器: 型号A; 含税\`, UnitPriceFen: 1_200_000, Quantity: 2},
		{Kind: "prototype", Description: "", UnitPriceFen: 1, Quantity: 3},
		{Kind: "other", Description: "运输；保险", UnitPriceFen: 0, Quantity: 1},
	}
	s := FormatCostItems(items)
	got, err := ParseCostItems(s)
	if err != nil || !reflect.DeepEqual(got, items) {
		t.Fatalf("round trip %q: %+v %v", s, got, err)
	}
	got, err = ParseCostItems(" 设备 : 机床:型号B : 1,000.00 : 2 ;; 样品样机:原型:5:1;")
	want := []domain.CostItem{{Kind: "equipment", Description: "机床:型号B", UnitPriceFen: 100000, Quantity: 2}, {Kind: "prototype", Description: "原型", UnitPriceFen: 500, Quantity: 1}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("lenient parse: %+v %v", got, err)
	}
	for in, msg := range map[string]string{
		"设备:机床:100":           "格式无效",
		"房租:办公:100:1":         "类别“房租”无效",
		"设备:机床:1.001:1":       "第1项的单价",
		"设备:机床:100:0":         "数量“0”应为正整数",
		"设备:a:1:1; 设备:b:1:+2": "第2项的数量",
	} {
		if _, err := ParseCostItems(in); err == nil || !strings.Contains(domain.ErrorMessage(err), msg) {
			t.Errorf("ParseCostItems(%q) = %v, want %q", in, err, msg)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		xlsx bool
		want string
	}{
		{"2023-01-05", false, "2023-01-05"}, {"2023/1/5", false, "2023-01-05"}, {"2023年1月5日", false, "2023-01-05"},
		{"2023.01.05", false, "2023-01-05"}, {"2023-01-05 00:00:00", false, "2023-01-05"}, {"44621", true, "2022-03-01"},
		{"44621", false, ""}, {"2023-02-29", false, ""}, {"2023-13-01", false, ""}, {"0", true, ""}, {"昨天", false, ""},
	} {
		got, ok := parseDate(tc.in, tc.xlsx)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("parseDate(%q, %v) = %q, %v; want %q", tc.in, tc.xlsx, got, ok, tc.want)
		}
	}
}

func TestCSVEscape(t *testing.T) {
	for _, s := range []string{"=SUM(A1)", "+1", "-x", "@a", "'=a", "''", "'", "plain", "", "'abc"} {
		if got := unescapeCSV(escapeCSV(s)); got != s {
			t.Errorf("escape round trip %q → %q → %q", s, escapeCSV(s), got)
		}
		if e := escapeCSV(s); e != "" && strings.ContainsRune("=+-@", rune(e[0])) {
			t.Errorf("escapeCSV(%q) = %q still starts a formula", s, e)
		}
	}
}
