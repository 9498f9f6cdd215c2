package contractio

import (
	"math"
	"strconv"
	"strings"

	"kechuang/internal/domain"
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
		return 0, domain.Errorf(domain.EINVALID, "金额不能为空")
	}
	if s[0] == '-' {
		return 0, domain.Errorf(domain.EINVALID, "金额不能为负数：%s", s)
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && frac == "" || intPart == "" {
		return 0, domain.Errorf(domain.EINVALID, "金额格式无效：%s（应为如 1234.56 的数字）", s)
	}
	digits, ok := ungroup(intPart)
	if !ok || !allDigits(frac) {
		return 0, domain.Errorf(domain.EINVALID, "金额格式无效：%s（应为如 1234.56 的数字，千位分隔符须每三位一组）", s)
	}
	if len(frac) > 2 {
		return 0, domain.Errorf(domain.EINVALID, "金额最多保留两位小数（精确到分）：%s", s)
	}
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > maxYuanDigits {
		return 0, domain.Errorf(domain.EINVALID, "金额过大：%s", s)
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
		return 0, domain.Errorf(domain.EINVALID, "金额过大：%s", s)
	}
	return yuan*100 + fen, nil
}

// ungroup removes thousands separators, checking they group by three.
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, allDigits(s)
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatYuan renders fen as plain yuan with two decimals ("1234.50"), the
// export's form: exact, and read back by ParseYuan.
func FormatYuan(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign, u = "-", uint64(-fen)
	}
	return sign + strconv.FormatUint(u/100, 10) + "." + strconv.FormatUint(u%100/10, 10) + strconv.FormatUint(u%10, 10)
}

// excelNumber undoes Excel's binary storage of a typed number: a raw cell
// value such as "1234.5599999999999" is what Excel shows as 1234.56 (it
// displays 15 significant digits). Only numbers with more than 15
// significant digits or an exponent are touched; the result is then parsed
// exactly by ParseYuan, so 1.005 typed in Excel still has three decimals.
func excelNumber(s string) string {
	sig := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			sig++
		}
	}
	if sig <= 15 && !strings.ContainsAny(s, "eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < 0 || f >= 1e17 {
		return s
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
