package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func runAssessCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Args: append([]string{"kechuang"}, args...), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), env)
	return code, out.String(), errOut.String()
}

const cliFirm = `{"name":"甲","registered_on":"2016-04-12","assessed_on":"2023-05-20","employees":80,"tech_staff":20,
 "total_assets_fen":1500000000,"years":[{"year":2022,"sales_revenue_fen":3000000000,"cost_total_fen":2500000000,"rd_expense_fen":150000000}],
 "ip":{"class1":1,"class2":3,"self_developed":true},
 "flags":{"resident_enterprise":true,"excluded_industry":false,"major_incident":false,"abnormal_or_dishonest_list":false,"serious_fraud":false},
 "direct":{"hnte_certificate_valid":false,"national_award_top3":false,"provincial_rd_institution":false,"led_standard":false}}`

func TestAssessCommand(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one.json")
	os.WriteFile(one, []byte(cliFirm), 0o644)
	code, out, errOut := runAssessCLI(t, "assess", "--rules", "sme", "--input", one, "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("one firm prints one result object: %v\n%s", err, out)
	}
	if r["verdict"] != "pass" || r["score"] != float64(86) || r["rule_set"] != "sme" {
		t.Errorf("result %v", r)
	}
	// a batch: an array in, an array out
	batch := filepath.Join(dir, "batch.json")
	os.WriteFile(batch, []byte("["+cliFirm+","+strings.Replace(cliFirm, `"tech_staff":20`, `"tech_staff":2`, 1)+"]"), 0o644)
	code, out, _ = runAssessCLI(t, "assess", "--rules", "sme", "--input", batch, "--format", "json")
	var rs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rs) != nil || len(rs) != 2 || rs[1]["verdict"] != "fail" {
		t.Errorf("batch: code %d %s", code, out)
	}
	// text
	code, out, _ = runAssessCLI(t, "assess", "--rules", "sme", "--input", one)
	if code != 0 || !strings.Contains(out, "verdict: pass") || !strings.Contains(out, "tech_staff_ratio") {
		t.Errorf("text: %s", out)
	}
	// bad input names the firm and the field, exit non-zero
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("["+cliFirm+`,{"employees":"80"}]`), 0o644)
	code, _, errOut = runAssessCLI(t, "assess", "--rules", "sme", "--input", bad)
	if code == 0 || !strings.Contains(errOut, "第 2 条") || !strings.Contains(errOut, "employees") {
		t.Errorf("bad input: code %d, %s", code, errOut)
	}
	code, _, errOut = runAssessCLI(t, "assess", "--rules", "nosuch", "--input", one)
	if code == 0 || !strings.Contains(errOut, "nosuch") {
		t.Errorf("unknown rule set: %d %s", code, errOut)
	}
	// CSV and xlsx: one firm a row
	csv := filepath.Join(dir, "firms.csv")
	os.WriteFile(csv, []byte("name,assessed_on,employees,tech_staff,y1_year,y1_rd_expense_fen\n乙,2023-05-20,80,x,2022,1\n"), 0o644)
	code, _, errOut = runAssessCLI(t, "assess", "--rules", "sme", "--input", csv)
	if code == 0 || !strings.Contains(errOut, "row 2") || !strings.Contains(errOut, "tech_staff") {
		t.Errorf("csv: code %d, %s", code, errOut)
	}
	x := excelize.NewFile()
	rows := [][]any{{"name", "registered_on", "assessed_on", "funding_valuation_usd", "funding_listed", "funding_private_investment"},
		{"丙", "2015-01-01", "2023-05-20", 1000000000, "否", "是"}, {"丁", "2015-01-01", "2023-05-20", 999999999, "否", "是"}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &r)
	}
	xf := filepath.Join(dir, "firms.xlsx")
	if err := x.SaveAs(xf); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runAssessCLI(t, "assess", "--rules", "unicorn", "--input", xf, "--format", "json")
	if code != 0 || json.Unmarshal([]byte(out), &rs) != nil || len(rs) != 2 || rs[0]["verdict"] != "pass" || rs[1]["verdict"] != "fail" {
		t.Errorf("xlsx: code %d %s %s", code, out, errOut)
	}
}

// TestRulesTestCommand: the built-in cases pass; a bureau's copy with a
// band moved fails its edge case, without a rebuild.
func TestRulesTestCommand(t *testing.T) {
	code, out, errOut := runAssessCLI(t, "rules", "test")
	if code != 0 || !strings.Contains(out, "0 个失败") {
		t.Fatalf("rules test: %d %s %s", code, out, errOut)
	}
	dir := t.TempDir()
	src := "../rules/sets"
	ents, _ := os.ReadDir(src)
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		if e.Name() == "unicorn.json" {
			b = bytes.Replace(b, []byte(`"min_valuation_usd": 1000000000`), []byte(`"min_valuation_usd": 1000000001`), 1)
		}
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
	}
	code, out, _ = runAssessCLI(t, "rules", "test", "--dir", dir)
	if code == 0 || !strings.Contains(out, "valuation exactly 10亿美元") {
		t.Errorf("edited copy: code %d\n%s", code, out)
	}
	one := filepath.Join(t.TempDir(), "one.json")
	os.WriteFile(one, []byte(`{"registered_on":"2015-01-01","assessed_on":"2023-05-20","funding":{"valuation_usd":1000000000,"listed":false,"private_investment":true}}`), 0o644)
	for want, d := range map[string]string{"pass": "", "fail": dir} {
		args := []string{"assess", "--rules", "unicorn", "--input", one, "--format", "json"}
		if d != "" {
			args = append(args, "--rules-dir", d)
		}
		_, out, _ := runAssessCLI(t, args...)
		if !strings.Contains(out, `"verdict": "`+want+`"`) {
			t.Errorf("rules-dir %q: want %s: %s", d, want, out)
		}
	}
}
