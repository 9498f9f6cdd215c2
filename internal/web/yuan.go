package web

import (
	"math"
	"strings"

	"kechuang/internal/domain"
)

// ParseYuan converts a decimal amount in 元 as typed by a user ("1234.5",
// "1,234.56", full-width digits) to fen exactly, from the digits, never
// through a float. It accepts at most two decimals and no sign; an empty
// string is an error too, so the caller names the field.
func ParseYuan(s string) (int64, bool) {
	s = strings.TrimSpace(domain.NormalizeUSCC(s)) // full-width → half-width
	s = strings.TrimSuffix(s, "元")
	s = strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), "，", "")
	s = strings.TrimSpace(s)
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") || len(frac) > 2 || (hasDot && frac == "") {
		return 0, false
	}
	var fen int64
	for _, part := range []string{whole, frac + strings.Repeat("0", 2-len(frac))} {
		for i := 0; i < len(part); i++ {
			d := part[i]
			if d < '0' || d > '9' {
				return 0, false
			}
			if fen > (math.MaxInt64-int64(d-'0'))/10 {
				return 0, false
			}
			fen = fen*10 + int64(d-'0')
		}
	}
	return fen, true
}

// ParseCount parses a positive whole quantity.
func ParseCount(s string) (int64, bool) {
	s = strings.TrimSpace(domain.NormalizeUSCC(s))
	if s == "" || len(s) > 15 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// yuanInput renders fen for an input box: plain digits, two decimals, no
// separators, "" for zero when blankZero.
func yuanInput(fen int64, blankZero bool) string {
	if fen == 0 && blankZero {
		return ""
	}
	s := domain.FormatYuan(fen)
	return strings.TrimSuffix(strings.ReplaceAll(s, ",", ""), "元")
}
