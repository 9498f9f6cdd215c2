package domain

import (
	"math"
	"strconv"
	"strings"
)

// maxYuanDigits bounds the integer part so yuan×100 always fits an int64.
const maxYuanDigits = 16

// ParseYuan parses an amount in 元 with at most two decimals into fen,
// exactly (no floating point). Thousands separators are accepted when they
// group by three ("1,234.50"); signs, exponents and a third decimal are
// refused.
func ParseYuan(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "元"))
	if s == "" {
		return 0, Errorf(EINVALID, "金额不能为空")
	}
	if s[0] == '-' {
		return 0, Errorf(EINVALID, "金额不能为负数：%s", s)
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && frac == "" || intPart == "" {
		return 0, Errorf(EINVALID, "金额格式无效：%s（应为如 1234.56 的数字）", s)
	}
	digits, ok := ungroup(intPart)
	if !ok || !AllDigits(frac) {
		return 0, Errorf(EINVALID, "金额格式无效：%s（应为如 1234.56 的数字，千位分隔符须每三位一组）", s)
	}
	if len(frac) > 2 {
		return 0, Errorf(EINVALID, "金额最多保留两位小数（精确到分）：%s", s)
	}
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > maxYuanDigits {
		return 0, Errorf(EINVALID, "金额过大：%s", s)
	}
	var yuan int64
	if digits != "" {
		yuan, _ = strconv.ParseInt(digits, 10, 64)
	}
	fen := int64(0)
	if frac != "" {
		f, _ := strconv.ParseInt((frac + "0")[:2], 10, 64)
		fen = f
	}
	if yuan > (math.MaxInt64-fen)/100 {
		return 0, Errorf(EINVALID, "金额过大：%s", s)
	}
	return yuan*100 + fen, nil
}

// ungroup removes thousands separators, checking they group by three.
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, AllDigits(s)
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !AllDigits(groups[0]) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !AllDigits(g) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// AllDigits reports whether s consists of ASCII digits only.
func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatYuanPlain renders fen as plain yuan with two decimals ("1234.50"), the
// export's form: exact, and read back by ParseYuan.
func FormatYuanPlain(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign, u = "-", uint64(-fen)
	}
	return sign + strconv.FormatUint(u/100, 10) + "." + strconv.FormatUint(u%100/10, 10) + strconv.FormatUint(u%10, 10)
}
