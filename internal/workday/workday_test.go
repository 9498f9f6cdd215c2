package workday

import (
	"bytes"
	_ "embed"
	"strings"
	"testing"
	"time"
)

//go:embed china_2021_2026.txt
var fixture []byte

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestLibraryMatchesFixture: every day of 2021–2026, the library says what
// the independent fixture says (a holiday, a make-up working day, or the
// weekday rule). A version bump that changes a past year fails here.
func TestLibraryMatchesFixture(t *testing.T) {
	days, err := Parse(bytes.NewReader(fixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) < 150 {
		t.Fatalf("fixture has %d days", len(days))
	}
	lib, fix := New(nil), New(days)
	n := 0
	for d := day("2021-01-01"); d.Year() <= 2026; d = d.AddDate(0, 0, 1) {
		if lib.IsWorkday(d) != fix.IsWorkday(d) {
			t.Errorf("%s: library says workday=%v, fixture %v", d.Format(time.DateOnly), lib.IsWorkday(d), fix.IsWorkday(d))
		}
		n++
	}
	if n != 2191 {
		t.Fatalf("checked %d days", n)
	}
}

func TestAddWorkdays(t *testing.T) {
	c := New(nil)
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-09-25", 15, "2026-10-22"}, // 中秋 and 国庆, with Saturday 10-10 worked
		{"2026-09-25", 1, "2026-09-28"},
		{"2026-10-09", 1, "2026-10-10"}, // a make-up Saturday counts
		{"2026-12-01", 15, "2026-12-22"},
		{"2026-12-01", 0, "2026-12-01"},
	} {
		if got := c.AddWorkdays(day(tc.from), tc.n).Format(time.DateOnly); got != tc.want {
			t.Errorf("%d working days after %s = %s, want %s", tc.n, tc.from, got, tc.want)
		}
	}
	if c.IsWorkday(day("2026-10-01")) || !c.IsWorkday(day("2026-09-20")) || c.IsWorkday(day("2026-09-19")) {
		t.Fatal("National Day 2026 wrong")
	}
}

// TestLoadedYearReplacesLibrary: a loaded year's days alone decide: a
// holiday the library does not know, and the library's holidays of that
// year forgotten; other years untouched.
func TestLoadedYearReplacesLibrary(t *testing.T) {
	days, err := Parse(strings.NewReader("# 2027 (test)\n2027-01-04 holiday 测试\n2027-01-09 workday 测试\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := New(days)
	if c.IsWorkday(day("2027-01-04")) || !c.IsWorkday(day("2027-01-09")) || !c.IsWorkday(day("2027-01-01")) {
		t.Fatal("loaded 2027 not used")
	}
	if c.IsWorkday(day("2026-10-01")) || c.Source(2027) != "loaded" || c.Source(2026) != "library" || c.Source(2028) != "unconfirmed" {
		t.Fatal("other years changed")
	}
	if New(nil).IsWorkday(day("2027-01-01")) {
		t.Fatal("library 2027-01-01 should be 元旦")
	}
}

func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		"2026-13-01 holiday":                     "第1行",
		"2026-10-01 休假":                          "类型",
		"\n2026-10-08 workday":                   "第2行：调休上班日",
		"2026-10-01 holiday\n2026-10-01 holiday": "重复",
		"# nothing":                              "没有日期",
		"2026-10-01":                             "应为",
		"1999-10-01 holiday":                     "2000–2099",
	} {
		_, err := Parse(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
	if d, err := Parse(strings.NewReader("\ufeff2026-10-01 休 国庆节\n2026-10-10 班\n")); err != nil || len(d) != 2 || !d[1].Work || d[0].Name != "国庆节" {
		t.Fatalf("%v %v", d, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(fixture)
	f.Add([]byte("2027-01-01 holiday 元旦\n2027-01-09 workday\n"))
	f.Add([]byte("2026-10-10 班 \x00\u202e"))
	f.Fuzz(func(t *testing.T, b []byte) {
		days, err := Parse(bytes.NewReader(b))
		if err != nil {
			return
		}
		c := New(days)
		for _, d := range days {
			tm := day(d.Date) // every parsed date is valid
			if c.IsWorkday(tm) != d.Work && (d.Work || weekday(tm)) {
				t.Fatalf("%s: loaded %v, calendar says %v", d.Date, d.Work, c.IsWorkday(tm))
			}
		}
		if len(Years(days)) == 0 {
			t.Fatal("no years")
		}
	})
}
