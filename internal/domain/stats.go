package domain

import (
	"encoding/json"
	"fmt"
	"math/big"
)

// PctChange returns (cur−prev)/prev as a percentage with two decimals,
// rounded half away from zero, computed in integers; nil when prev is 0.
func PctChange(cur, prev int64) *json.Number {
	if prev == 0 {
		return nil
	}
	return Pct(cur-prev, prev)
}

// Pct returns num/den as a percentage with two decimals (exact integer
// arithmetic, half away from zero); nil when den is 0.
func Pct(num, den int64) *json.Number {
	if den == 0 {
		return nil
	}
	neg := (num < 0) != (den < 0)
	if num < 0 {
		num = -num
	}
	if den < 0 {
		den = -den
	}
	// hundredths of a percent = round(num*10000/den), in big integers so
	// sums of fen of any size cannot overflow.
	n := new(big.Int).Mul(big.NewInt(num), big.NewInt(10000))
	n.Add(n, big.NewInt(den/2))
	h := n.Quo(n, big.NewInt(den)).Int64()
	s := fmt.Sprintf("%d.%02d", h/100, h%100)
	if neg && h != 0 {
		s = "-" + s
	}
	out := json.Number(s)
	return &out
}
