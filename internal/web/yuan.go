package web

import (
	"strings"

	"kechuang/internal/domain"
)

// ParseYuan reads an amount in 元 as a user types it into a form: it
// accepts what people type — full-width digits, the Chinese comma as a
// thousands separator, ".5" — and then parses exactly with
// domain.ParseYuan (no floats, at most two decimals, no sign).
func ParseYuan(s string) (int64, bool) {
	s = strings.TrimSpace(domain.NormalizeUSCC(s)) // full-width → half-width
	s = strings.ReplaceAll(s, "，", ",")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	fen, err := domain.ParseYuan(s)
	return fen, err == nil
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
	return domain.FormatYuanPlain(fen)
}
