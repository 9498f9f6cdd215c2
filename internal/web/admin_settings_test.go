package web

import (
	"testing"

	"kechuang/internal/domain"
)

// FuzzParseTarget: no typed target value panics; an accepted amount, rate
// or count is non-negative and written back the way it reads.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"12.5", "3,456.789012", "65.25", "100", "0", "", "1e3", "-1", "１２", "99999999999999999999", ".5", "1.234"} {
		f.Add(s)
	}
	rate, _ := domain.TargetMetricOf("local_conversion_rate_bp")
	count, _ := domain.TargetMetricOf("platforms")
	f.Fuzz(func(t *testing.T, s string) {
		for unit := range amountUnits {
			if v, ok := parseAmount(s, unit); ok {
				if back, ok := parseAmount(formatAmount(v, unit), unit); v < 0 || !ok || back != v {
					t.Fatalf("%q %s: %d, back %d", s, unit, v, back)
				}
			}
		}
		for _, m := range []domain.TargetMetric{rate, count} {
			if v, ok := parseOther(m, s); ok {
				if back, ok := parseOther(m, formatOther(m, v)); v < 0 || !ok || back != v {
					t.Fatalf("%q %s: %d, back %d", s, m.Code, v, back)
				}
			}
		}
	})
}

func TestParseTarget(t *testing.T) {
	rate, _ := domain.TargetMetricOf("local_conversion_rate_bp")
	for s, want := range map[string]int64{"65.25": 6525, "65": 6500, "0.01": 1, "100": 10_000} {
		if v, ok := parseOther(rate, s); !ok || v != want {
			t.Errorf("rate %q = %d %v, want %d", s, v, ok, want)
		}
	}
	for _, s := range []string{"65.125", "-1", "abc", ""} {
		if v, ok := parseOther(rate, s); ok {
			t.Errorf("rate %q accepted as %d", s, v)
		}
	}
	if v, ok := parseAmount("1234.56", "yuan"); !ok || v != 123_456 {
		t.Errorf("1234.56 元 = %d %v", v, ok)
	}
	if _, ok := parseAmount("1.234", "yuan"); ok {
		t.Error("a third decimal of 元 accepted")
	}
}
