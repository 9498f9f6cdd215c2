package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestCases runs every rule file's own cases (sets/<id>.cases.json).
func TestCases(t *testing.T) {
	sets, err := LoadDir(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	reps, err := RunCases(Embedded(), sets)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if r.Cases == 0 && len(r.Failures) == 0 {
			t.Errorf("%s: no cases", r.RuleSet)
		}
		for _, f := range r.Failures {
			t.Error(f)
		}
		t.Logf("%s: %d cases", r.RuleSet, r.Cases)
	}
}

// TestFloatTrap: ratios exactly at their threshold, which float64 division
// of 万元 amounts gets wrong, compare equal here.
func TestFloatTrap(t *testing.T) {
	// 900.012 / 30000.40 万元 is exactly 3%; the float says less.
	rd, sales := 900.012, 30000.40
	if rd/sales >= 0.03 {
		t.Fatal("the float no longer falls in the trap: pick other numbers")
	}
	three, _ := ParseRat("3%")
	if R(900_012_000, 30_000_400_000).Cmp(three) != 0 {
		t.Error("900,012,000 / 30,000,400,000 fen should be exactly 3%")
	}
	if R(900_011_999, 30_000_400_000).Cmp(three) >= 0 {
		t.Error("one fen less must be under 3%")
	}
	// 1500.01 / 30000.20 万元 is exactly 5%.
	if a, b := 1500.01, 30000.20; a/b >= 0.05 {
		t.Fatal("float trap gone")
	}
	five, _ := ParseRat("5%")
	if R(1_500_010_000, 30_000_200_000).Cmp(five) != 0 {
		t.Error("exactly 5% expected")
	}
	// the 128-bit cross product: operands near the int64 range
	big := R(9_000_000_000_000_000_000/3, 9_000_000_000_000_000_000)
	third := R(1, 3)
	if big.Cmp(third) != 0 {
		t.Error("large operands must not overflow")
	}
	if R(-1, 2).Cmp(R(1, -2)) != 0 || R(-1, 2).Cmp(R(0, 1)) >= 0 {
		t.Error("signs")
	}
}

func TestParseRat(t *testing.T) {
	for s, want := range map[string]Rat{"60%": R(3, 5), "2.5%": R(1, 40), "1.728": R(216, 125), "3/5": R(3, 5), "7": R(7, 1)} {
		got, err := ParseRat(s)
		if err != nil || got.Cmp(want) != 0 {
			t.Errorf("ParseRat(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "%", "abc", "1/0"} {
		if _, err := ParseRat(s); err == nil {
			t.Errorf("ParseRat(%q): want an error", s)
		}
	}
}

// copyDir copies the embedded rule files into a directory (the bureau's
// copy, --rules-dir), with edit applied to one file's text.
func copyDir(t *testing.T, file string, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	ents, _ := fs.ReadDir(Embedded(), ".")
	for _, e := range ents {
		b, _ := fs.ReadFile(Embedded(), e.Name())
		s := string(b)
		if e.Name() == file {
			s2 := edit(s)
			if s2 == s {
				t.Fatalf("the edit changed nothing in %s", file)
			}
			s = s2
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func failuresIn(t *testing.T, dir string) map[string][]string {
	t.Helper()
	sets, fsys, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	reps, err := RunCases(fsys, sets)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range reps {
		for _, f := range r.Failures {
			out[r.RuleSet] = append(out[r.RuleSet], f.Case)
		}
	}
	return out
}

// TestBureauEdit: a band changed in a copy of a rule file changes the
// verdicts without a rebuild; the cases catch it.
func TestBureauEdit(t *testing.T) {
	dir := copyDir(t, "sme.json", func(s string) string {
		return strings.Replace(s, `"points": 20,
       "min": "30%"`, `"points": 20,
       "min": "31%"`, -1)
	})
	got := failuresIn(t, dir)
	if !slices.Contains(got["sme"], "tech staff 24/80") || len(got) != 1 {
		t.Errorf("moving the 30%% band to 31%% should fail the 30%% edge case only in sme: %v", got)
	}
	// the ambiguous four-year average read as the mean of yearly ratios
	dir = copyDir(t, "gazelle.json", func(s string) string {
		return strings.Replace(s, `"mean_of_yearly_ratios": 0`, `"mean_of_yearly_ratios": 1`, 1)
	})
	got = failuresIn(t, dir)
	// the cases written for the ratio of sums change; a year without
	// revenue makes the mean undefined (not met)
	if want := []string{"5th anniversary on assessed_on, revenue exactly 5亿", "intensity exactly 2.5% (ratio of sums)",
		"intensity read as the ratio of sums (default)"}; !slices.Equal(got["gazelle"], want) || len(got) != 1 {
		t.Errorf("read as the mean of yearly ratios: %v", got)
	}
	// eaglet's "four-year average" (POLICY_RULES §4, ambiguous): read as the
	// mean of yearly ratios, the case written for the ratio of sums flips;
	// with the intensity condition switched off, the under-threshold case too
	dir = copyDir(t, "eaglet.json", func(s string) string {
		return strings.Replace(s, `"mean_of_yearly_ratios": 0`, `"mean_of_yearly_ratios": 1`, 1)
	})
	if got, want := failuresIn(t, dir), []string{"four-year average as ratio of sums: 0.29%"}; !slices.Equal(got["eaglet"], want) || len(got) != 1 {
		t.Errorf("eaglet read as the mean of yearly ratios: %v", got)
	}
	dir = copyDir(t, "eaglet.json", func(s string) string {
		return strings.Replace(s, `"min_intensity_on": 1`, `"min_intensity_on": 0`, 1)
	})
	if got, want := failuresIn(t, dir), []string{"four-year average as ratio of sums: 0.29%", "intensity 1 fen under 2.5%"}; !slices.Equal(got["eaglet"], want) || len(got) != 1 {
		t.Errorf("eaglet without the intensity condition: %v", got)
	}
}

// TestLoadErrors: a rule file the engine cannot trust is refused at load,
// naming the row.
func TestLoadErrors(t *testing.T) {
	b, _ := fs.ReadFile(Embedded(), "unicorn.json")
	s := string(b)
	for name, c := range map[string]struct{ from, to, want string }{
		"unknown fact":    {`funding.valuation_usd >= n.min_valuation_usd"`, `funding.valuaton_usd >= n.min_valuation_usd"`, "valuaton_usd"},
		"undefined param": {`age_years <= n.max_age_years"`, `age_years <= n.max_age"`, "n.max_age"},
		"bad certainty":   {`"certainty": "V"`, `"certainty": "M"`, "certainty"},
		"bad expression":  {`"!funding.listed"`, `"!funding.listed &&"`, "无法编译"},
		"not a bool":      {`"!funding.listed"`, `"funding.valuation_usd"`, "无法编译"},
		"bad date":        {`"effective_from": "2021-01-01"`, `"effective_from": "2021-13-01"`, "effective_from"},
		"unknown key":     {`"doc_no"`, `"doc_number"`, "doc_number"},
	} {
		t2 := strings.Replace(s, c.from, c.to, 1)
		if t2 == s {
			t.Fatalf("%s: edit matched nothing", name)
		}
		_, err := Load([]byte(t2), "unicorn.json")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", name, err, c.want)
		}
	}
	// two versions in force on the same day
	var f map[string]any
	_ = json.Unmarshal(b, &f)
	vs := f["versions"].([]any)
	f["versions"] = append(vs, vs[0])
	b2, _ := json.Marshal(f)
	if _, err := Load(b2, "unicorn.json"); err == nil || !strings.Contains(err.Error(), "重叠") {
		t.Errorf("overlapping versions: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		``:                              "empty",
		`{"employees": "80"}`:           "employees",
		`{"employees": -1}`:             "employees",
		`{"employes": 80}`:              "employes",
		`{"assessed_on": "2023-02-30"}`: "assessed_on",
		`[{}, {"tech_staff": 5, "employees": 4}]`:     "第 2 条",
		`{"years": [{"year": 2022}, {"year": 2021}]}`: "years[1].year",
		`{} {}`: "trailing",
	} {
		_, err := ParseJSON([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseJSON(%q) = %v, want an error naming %q", in, err, want)
		}
	}
	csvIn := "name,employees,y1_year,y1_sales_revenue_fen\nA,80,2022,100\nB,x,2022,100\n"
	if _, err := ParseCSV(strings.NewReader(csvIn)); err == nil || !strings.Contains(err.Error(), "row 3") || !strings.Contains(err.Error(), "employees") {
		t.Errorf("CSV: %v, want row 3 and employees", err)
	}
	fs, err := ParseCSV(strings.NewReader("name,employees,flags_resident_enterprise,y1_year,y1_rd_expense_fen\nA,80,是,2022,1500\n"))
	if err != nil || len(fs) != 1 || *fs[0].Employees != 80 || !fs[0].Flags["resident_enterprise"] || *fs[0].Years[0].RDExpenseFen != 1500 {
		t.Errorf("CSV round: %+v %v", fs, err)
	}
	if _, err := ParseCSV(strings.NewReader("nam\nA\n")); err == nil || !strings.Contains(err.Error(), "nam") {
		t.Errorf("unknown column: %v", err)
	}
}

// FuzzParseFacts: any input either parses or is refused with an
// InputError; never a panic; what parses assesses without error under
// every rule set or fails with an InputError.
func FuzzParseFacts(f *testing.F) {
	b, _ := fs.ReadFile(Embedded(), "hnte.cases.json")
	var cf CaseFile
	_ = json.Unmarshal(b, &cf)
	f.Add([]byte(cf.Base))
	f.Add([]byte(`[{"employees": 1, "tech_staff": 1}]`))
	f.Add([]byte("name,employees\nA,3\n"))
	sets, err := LoadDir(Embedded())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var firms []Facts
		var err error
		if len(in) > 0 && (in[0] == '{' || in[0] == '[') {
			firms, err = ParseJSON(in)
		} else {
			firms, err = ParseCSV(bytes.NewReader(in))
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("not an InputError: %v", err)
			}
			return
		}
		for _, s := range sets {
			a := NewAssessor(s)
			for i := range firms {
				if _, err := a.Assess(&firms[i]); err != nil {
					var ie *InputError
					if !errors.As(err, &ie) {
						t.Fatalf("%s: %v", s.ID, err)
					}
				}
			}
		}
	})
}

// TestFlagFieldsInOrder: the flag and route fields are filled by position
// from flagKeys and directKeys; their expr names must be those keys.
func TestFlagFieldsInOrder(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		keys []string
	}{{reflect.TypeOf(FlagsEnv{}), flagKeys}, {reflect.TypeOf(DirectEnv{}), directKeys}} {
		if c.typ.NumField() != len(c.keys) {
			t.Fatalf("%s has %d fields for %d keys", c.typ, c.typ.NumField(), len(c.keys))
		}
		for i, k := range c.keys {
			if tag := c.typ.Field(i).Tag.Get("expr"); tag != k {
				t.Errorf("%s field %d is %q, key %q", c.typ, i, tag, k)
			}
		}
	}
}
