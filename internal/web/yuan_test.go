package web

import (
	"strings"
	"testing"

	"kechuang/internal/domain"
)

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		fen  int64
		okay bool
	}{
		{"0", 0, true},
		{"1", 100, true},
		{"1.5", 150, true},
		{"1.05", 105, true},
		{"0.01", 1, true},
		{".5", 50, true},
		{"1,234,567.89", 123456789, true},
		{" 1234 元", 123400, true},
		{"１２３４．５６", 123456, true},
		{"9999999999999999.99", 999999999999999999, true},
		{"92233720368547758.07", 0, false}, // beyond 16 digits of 元
		{"92233720368547758.08", 0, false},
		{"100000000000000000000", 0, false},
		{"", 0, false},
		{".", 0, false},
		{"1.", 0, false},
		{"1.234", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1e3", 0, false},
		{"12a", 0, false},
		{"1.2.3", 0, false},
		{"0.1", 10, true},
		{"1，234.50", 123450, true},
		{"1,2345", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			fen, ok := ParseYuan(tt.in)
			if ok != tt.okay || fen != tt.fen {
				t.Fatalf("ParseYuan(%q) = %d, %v; want %d, %v", tt.in, fen, ok, tt.fen, tt.okay)
			}
		})
	}
}

func TestYuanInputRoundTrip(t *testing.T) {
	for _, fen := range []int64{1, 99, 100, 123456789, domain.MaxTurnoverFen} {
		got, ok := ParseYuan(yuanInput(fen, false))
		if !ok || got != fen {
			t.Fatalf("round trip %d: got %d, %v", fen, got, ok)
		}
	}
	if yuanInput(0, true) != "" {
		t.Fatal("zero should render blank")
	}
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"1", "1.05", "1,234.56", "", ".", "１２", "9999999999999999999", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, ok := ParseYuan(s)
		if !ok {
			return
		}
		if fen < 0 {
			t.Fatalf("negative %d from %q", fen, s)
		}
		// What parses renders back to the same amount.
		if back, ok2 := ParseYuan(yuanInput(fen, false)); !ok2 || back != fen {
			t.Fatalf("%q → %d → %q → %d", s, fen, yuanInput(fen, false), back)
		}
		if strings.ContainsAny(s, "eE-+") {
			t.Fatalf("accepted %q", s)
		}
	})
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "０": 0, " ２５ ": 25, "999999999999999": 999999999999999} {
		if n, ok := ParseCount(in); !ok || n != want {
			t.Errorf("ParseCount(%q) = %d, %v; want %d", in, n, ok, want)
		}
	}
	for _, in := range []string{"", "-1", "+1", "1,000", "1.0", "1e3", "1000000000000000", "一"} {
		if n, ok := ParseCount(in); ok {
			t.Errorf("ParseCount(%q) = %d, want refused", in, n)
		}
	}
}

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"1", "0", "", "999999999999999", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, ok := ParseCount(s); ok && n < 0 {
			t.Fatalf("negative %d from %q", n, s)
		}
	})
}

func TestChangedFieldsOfWithheldDraft(t *testing.T) {
	red := []byte(`{"redacted":"草稿内容仅对所属机构可见"}`)
	if got := changedFields(red, []byte(`{"status":"submitted","title":"x"}`)); got != nil {
		t.Fatalf("withheld before: %v", got)
	}
	if got := changedFields([]byte(`{"status":"draft"}`), []byte(`{"status":"submitted"}`)); len(got) != 1 || got[0] != "status" {
		t.Fatalf("plain change: %v", got)
	}
}
