package domain

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// 统一社会信用代码 (GB 32100-2015): 18 characters from the alphabet below
// (no I, O, Z, S, V); the 18th is a check character computed mod 31 with the
// weights 3^(i) mod 31.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeUSCC upper-cases a code and turns full-width characters into
// half-width ones, as users paste both. It calls golang.org/x/text/width
// itself, the same fold as textnorm.FoldWidth (a textnorm test holds them
// equal), because domain imports no internal package.
func NormalizeUSCC(s string) string {
	return strings.ToUpper(strings.TrimSpace(width.Fold.String(s)))
}

// USCCCheckChar returns the check character for the first 17 characters of
// code, or false if one of them is outside the alphabet.
func USCCCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], true
}

// ValidateUSCC reports why code is not a valid 统一社会信用代码, or nil.
func ValidateUSCC(code string) error {
	// Count and report characters, not bytes: pasted codes may hold
	// full-width or Chinese characters (18 bytes is not 18 characters).
	if n := utf8.RuneCountInString(code); n != 18 {
		return FieldErrorf("uscc", "统一社会信用代码应为18位，实际为%d位", n)
	}
	for i, r := range []rune(code) {
		if r >= utf8.RuneSelf || strings.IndexByte(usccAlphabet, byte(r)) < 0 {
			return FieldErrorf("uscc", "统一社会信用代码第%d位“%c”不是合法字符（不使用I、O、Z、S、V）", i+1, r)
		}
	}
	want, _ := USCCCheckChar(code[:17])
	if code[17] != want {
		return FieldErrorf("uscc", "统一社会信用代码校验位错误：应为%c，实际为%c", want, code[17])
	}
	return nil
}

// MakeUSCC completes a 17-character prefix with its check character; the
// demo city uses it to make valid codes.
func MakeUSCC(first17 string) string {
	c, ok := USCCCheckChar(first17)
	if !ok {
		panic("domain: MakeUSCC: bad prefix " + first17)
	}
	return first17 + string(c)
}
