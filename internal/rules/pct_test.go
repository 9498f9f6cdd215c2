package rules

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestPctAgreesWithBig: the int64 fast path formats as big.Rat does.
func TestPctAgreesWithBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := [][2]int64{{1, 3}, {2, 3}, {1, 8}, {-1, 8}, {-1, 100000}, {5, 100000}, {3, 100}, {1500001, 30000020}, {0, 7}, {1<<47 + 5, 3}}
	for i := 0; i < 20000; i++ {
		cases = append(cases, [2]int64{rng.Int64N(2_000_000) - 1_000_000, rng.Int64N(1_000_000) + 1})
	}
	for _, c := range cases {
		r := R(c[0], c[1])
		want := new(big.Rat).Mul(big.NewRat(c[0], c[1]), big.NewRat(100, 1)).FloatString(2) + "%"
		if got := r.Pct(); got != want {
			t.Fatalf("%d/%d: Pct %q, big.Rat %q", c[0], c[1], got, want)
		}
	}
}
