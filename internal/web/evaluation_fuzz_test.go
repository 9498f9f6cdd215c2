package web

import (
	"strconv"
	"testing"
)

// FuzzParseTenths: the scoring form's score reader never panics, accepts
// only digits with at most one decimal, and reads back what it accepted.
func FuzzParseTenths(f *testing.F) {
	for _, s := range []string{"87", "87.5", " 100 ", "0.0", "-1", "1e3", "87.55", ".5", "5.", "９０", "99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parseTenths(s)
		if !ok {
			return
		}
		if n < 0 || n > 99_999 {
			t.Fatalf("%q read as %d tenths", s, n)
		}
		whole, frac := n/10, n%10
		again, ok2 := parseTenths(strconv.FormatInt(whole, 10) + "." + strconv.FormatInt(frac, 10))
		if !ok2 || again != n {
			t.Fatalf("%q: %d does not read back (%d, %v)", s, n, again, ok2)
		}
	})
}

func TestParseTenths(t *testing.T) {
	for s, want := range map[string]int64{"87": 870, "87.5": 875, " 100 ": 1000, "0": 0} {
		if got, ok := parseTenths(s); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "-1", "1e3", "87.55", ".5", "5.", "九十", "12345"} {
		if _, ok := parseTenths(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
}
