package rules

import (
	"fmt"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Rat is an exact ratio: N/D with D > 0, or (for values whose terms do not
// fit in an int64, such as the growth formula's products of fen) a big.Rat.
// Thresholds are never compared as floats: 1500.01/30000.20 is exactly 5%.
type Rat struct {
	N, D int64
	b    *big.Rat // non-nil: the value, N and D unused
}

// R is the ratio n/d (d may be negative; d == 0 gives the undefined ratio,
// which compares false with everything).
func R(n, d int64) Rat {
	if d < 0 {
		if n == -1<<63 || d == -1<<63 {
			return Rat{b: new(big.Rat).SetFrac(big.NewInt(n), big.NewInt(d))}
		}
		n, d = -n, -d
	}
	return Rat{N: n, D: d}
}

func (r Rat) defined() bool { return r.b != nil || r.D != 0 }

func (r Rat) big() *big.Rat {
	if r.b != nil {
		return r.b
	}
	return new(big.Rat).SetFrac(big.NewInt(r.N), big.NewInt(r.D))
}

// Cmp compares two defined ratios exactly: -1, 0, +1.
func (r Rat) Cmp(s Rat) int {
	if r.b == nil && s.b == nil {
		return cmp128(r.N, s.D, s.N, r.D)
	}
	return r.big().Cmp(s.big())
}

// cmp128 compares a*b with c*d in 128 bits.
func cmp128(a, b, c, d int64) int {
	x, y := mul128(a, b), mul128(c, d)
	return x.cmp(y)
}

type i128 struct {
	neg    bool
	hi, lo uint64
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

func mul128(a, b int64) i128 {
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	return i128{neg: (a < 0) != (b < 0) && (hi|lo) != 0, hi: hi, lo: lo}
}

func (x i128) cmp(y i128) int {
	if x.neg != y.neg {
		if x.neg {
			return -1
		}
		return 1
	}
	m := 1
	if x.neg {
		m = -1
	}
	switch {
	case x.hi != y.hi:
		if x.hi < y.hi {
			return -m
		}
		return m
	case x.lo != y.lo:
		if x.lo < y.lo {
			return -m
		}
		return m
	}
	return 0
}

// Float is for display only.
func (r Rat) Float() float64 {
	if r.b != nil {
		f, _ := r.b.Float64()
		return f
	}
	if r.D == 0 {
		return 0
	}
	return float64(r.N) / float64(r.D)
}

// Pct formats the ratio as a percentage with two decimals (rounded down,
// for display; thresholds use Cmp).
func (r Rat) Pct() string {
	if !r.defined() {
		return "—"
	}
	const lim = 1 << 48 // N × 10000 fits in an int64
	if r.b == nil && r.N > -lim && r.N < lim {
		// rounded half away from zero, as big.Rat.FloatString
		n := abs64(r.N) * 10000
		q, rem := n/uint64(r.D), n%uint64(r.D)
		if 2*rem >= uint64(r.D) {
			q++
		}
		sign := ""
		if r.N < 0 {
			sign = "-"
		}
		frac := strconv.FormatUint(q%100, 10)
		if len(frac) < 2 {
			frac = "0" + frac
		}
		return sign + strconv.FormatUint(q/100, 10) + "." + frac + "%"
	}
	return new(big.Rat).Mul(r.big(), big.NewRat(100, 1)).FloatString(2) + "%"
}

func (r Rat) String() string {
	if !r.defined() {
		return "—"
	}
	if r.b == nil && r.D == 1 {
		return strconv.FormatInt(r.N, 10)
	}
	return r.big().RatString()
}

// MulFloor is floor(x × r) for a non-negative amount, exactly (0 if r is
// undefined).
func MulFloor(x int64, r Rat) int64 {
	if !r.defined() {
		return 0
	}
	v := new(big.Int).Mul(big.NewInt(x), r.big().Num())
	v.Quo(v, r.big().Denom())
	if !v.IsInt64() {
		return 0
	}
	return v.Int64()
}

// ParseRat reads "60%", "2.5%", "1.728", "3/5" or "7" exactly.
func ParseRat(s string) (Rat, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSuffix(t, "%")
	r, ok := new(big.Rat).SetString(t)
	if !ok || t == "" {
		return Rat{}, fmt.Errorf("%q is not a number, a percentage or a fraction", s)
	}
	if pct {
		r.Quo(r, big.NewRat(100, 1))
	}
	if r.Num().IsInt64() && r.Denom().IsInt64() {
		return R(r.Num().Int64(), r.Denom().Int64()), nil
	}
	return Rat{b: r}, nil
}

// growthRate is the 高企 成长性 formula with its edge rules (POLICY_RULES
// §2.4): v holds the year-end values oldest first, one to three years of
// actual operation. ok=false means the formula gives 0 points whatever the
// bands (the second year is 0).
func growthRate(v []int64) (g Rat, zero bool) {
	switch len(v) {
	case 0, 1:
		return R(0, 1), true // one year of operation: growth 0
	case 2: // practice for two years: v2/v1 − 1
		if v[0] == 0 {
			return R(0, 1), true
		}
		return sub1(new(big.Rat).SetFrac(big.NewInt(v[1]), big.NewInt(v[0]))), false
	}
	v1, v2, v3 := v[len(v)-3], v[len(v)-2], v[len(v)-1]
	if v2 == 0 { // 第二年末为 0 → 0 分
		return R(0, 1), true
	}
	if v1 == 0 { // 第一年末为 0 → 按后两年计算
		return sub1(new(big.Rat).SetFrac(big.NewInt(v3), big.NewInt(v2))), false
	}
	a := new(big.Rat).SetFrac(big.NewInt(v2), big.NewInt(v1))
	a.Add(a, new(big.Rat).SetFrac(big.NewInt(v3), big.NewInt(v2)))
	a.Quo(a, big.NewRat(2, 1))
	return sub1(a), false
}

func sub1(a *big.Rat) Rat {
	a.Sub(a, big.NewRat(1, 1))
	if a.Num().IsInt64() && a.Denom().IsInt64() {
		return R(a.Num().Int64(), a.Denom().Int64())
	}
	return Rat{b: a}
}

type big_Rat = big.Rat

func fromBig(r *big.Rat) Rat {
	if r.Num().IsInt64() && r.Denom().IsInt64() {
		return R(r.Num().Int64(), r.Denom().Int64())
	}
	return Rat{b: r}
}
