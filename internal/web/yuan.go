package web

import (
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
)

// ParseYuan reads an amount in 元 as a user types it into a form: it
// accepts what people type — full-width digits, the Chinese comma as a
// thousands separator (textnorm folds both to ASCII), ".5" — and then
// parses exactly with domain.ParseYuan (no floats, at most two decimals,
// no sign).
func ParseYuan(s string) (int64, bool) {
	s = textnorm.Clean(s)
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	fen, err := domain.ParseYuan(s)
	return fen, err == nil
}

// yuanTooLarge reports whether s is a well-formed amount refused only for
// its size (more digits than an amount holds).
func yuanTooLarge(s string) bool {
	_, err := domain.ParseYuan(textnorm.Clean(s))
	return err != nil && domain.ErrorText(err).Format == "金额过大：%s"
}

// maxCountDigits keeps a quantity far inside int64 so that unit price ×
// quantity is checked, not wrapped, downstream.
const maxCountDigits = 15

// ParseCount parses a whole quantity typed into a form (digits only, after
// width folding: no sign, no separators).
func ParseCount(s string) (int64, bool) {
	s = textnorm.Clean(s)
	if s == "" || len(s) > maxCountDigits || !domain.AllDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// yuanInput renders fen for an input box: plain digits, two decimals, no
// separators, "" for zero when blankZero.
func yuanInput(fen int64, blankZero bool) string {
	if fen == 0 && blankZero {
		return ""
	}
	return domain.FormatYuanPlain(fen)
}
