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
	sign, mag := "", uint64(fen)
	if fen < 0 {
		sign, mag = "-", -mag
	}
	return sign + decimal(strconv.FormatUint(mag/100, 10), mag)
}

// decimal appends the two decimals of cents to the integer digits.
func decimal(intDigits string, cents uint64) string {
	return intDigits + "." + strconv.FormatUint(cents%100/10, 10) + strconv.FormatUint(cents%10, 10)
}

// MoneyUnit is the unit an amount is shown in: 元 exact to the fen, or 万元
// and 亿元 with two decimals. UnitAuto picks by size.
type MoneyUnit string

const (
	UnitAuto MoneyUnit = "auto"
	UnitYuan MoneyUnit = "yuan"
	UnitWan  MoneyUnit = "wan"
	UnitYi   MoneyUnit = "yi"
)

// MoneyUnits lists the units a reader may choose, with their labels.
var MoneyUnits = NewEnum(
	Item[MoneyUnit]{UnitAuto, "自动"}, Item[MoneyUnit]{UnitYuan, "元"},
	Item[MoneyUnit]{UnitWan, "万元"}, Item[MoneyUnit]{UnitYi, "亿元"},
)

// ParseMoneyUnit reads a reader's unit choice by code ("wan") or label
// ("万元"); anything else is UnitAuto and false.
func ParseMoneyUnit(s string) (MoneyUnit, bool) {
	s = strings.TrimSpace(s)
	if u := MoneyUnit(s); MoneyUnits.Valid(u) {
		return u, true
	}
	if u, ok := MoneyUnits.Code(s); ok {
		return u, true
	}
	return UnitAuto, false
}

// fen per hundredth of a unit: 1万元 = 10⁶ fen, 1亿元 = 10¹⁰ fen.
const (
	fenPerWanCent = 10_000
	fenPerYiCent  = 100_000_000
	fenPerWan     = 100 * fenPerWanCent
)

// FormatMoney renders fen in unit with two decimals, thousands separators
// and the unit's name: "1,234.56元", "12.35万元", "394.28亿元". 万元 and
// 亿元 round half away from zero, computed on the magnitude as an unsigned
// integer division, so every int64 (MinInt64 included) renders exactly and
// no float can misround a boundary. UnitAuto (and an unknown unit) shows
// 元 below 1万元, 万元 below 1亿元 after rounding (9,999.995万元 reads
// 1.00亿元, never 10,000.00万元), else 亿元: an amount never reads 0.00亿元.
func FormatMoney(fen int64, unit MoneyUnit) string {
	mag := uint64(fen)
	if fen < 0 {
		mag = -mag // two's complement: exact for MinInt64 too
	}
	if !MoneyUnits.Valid(unit) || unit == UnitAuto {
		unit = autoUnit(mag)
	}
	cents, name := mag, "元"
	switch unit {
	case UnitWan:
		cents, name = roundDiv(mag, fenPerWanCent), "万元"
	case UnitYi:
		cents, name = roundDiv(mag, fenPerYiCent), "亿元"
	}
	sign := ""
	if fen < 0 && cents > 0 { // a tiny debit rounds to 0.00, not -0.00
		sign = "-"
	}
	return sign + decimal(groupThousands(strconv.FormatUint(cents/100, 10)), cents) + name
}

func autoUnit(mag uint64) MoneyUnit {
	switch {
	case mag < fenPerWan:
		return UnitYuan
	case roundDiv(mag, fenPerWanCent) < 10_000_00:
		return UnitWan
	}
	return UnitYi
}

// roundDiv is n/d rounded half up; n ≤ 2⁶³ and d ≤ 10⁸, so n + d/2 never
// overflows a uint64.
func roundDiv(n, d uint64) uint64 { return (n + d/2) / d }

// groupThousands puts a comma every three digits from the right.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// FormatYuan renders fen as 元 with two decimals and thousands separators,
// exactly: FormatMoney(fen, UnitYuan).
func FormatYuan(fen int64) string { return FormatMoney(fen, UnitYuan) }

// FormatYi renders fen as 亿元 with two decimals: FormatMoney(fen, UnitYi).
func FormatYi(fen int64) string { return FormatMoney(fen, UnitYi) }

// ParseWan parses an amount in 万元 with at most six decimals (one fen)
// into fen, exactly, as ParseYuan does for 元: "123.4567" is 1,234,567元.
func ParseWan(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "万元"))
	intPart, frac, hasDot := strings.Cut(s, ".")
	if len(frac) > 6 {
		return 0, Errorf(EINVALID, "金额最多保留六位小数（万元，精确到分）：%s", s)
	}
	if !hasDot {
		frac = ""
	}
	// 万元 with six decimals is 元 with two: move the point four places.
	if intPart == "" || hasDot && frac == "" || s[0] == '-' {
		return ParseYuan(s) // the refusals of a malformed number
	}
	digits, ok := ungroup(intPart)
	if !ok {
		return 0, Errorf(EINVALID, "金额格式无效：%s（应为如 123.45 的数字，千位分隔符须每三位一组）", s)
	}
	frac += strings.Repeat("0", 6-len(frac))
	yuan := digits + frac[:4] + "." + frac[4:]
	fen, err := ParseYuan(yuan)
	if err != nil {
		return 0, Errorf(EINVALID, "金额格式无效：%s（应为如 123.45 的数字，单位万元）", s)
	}
	return fen, nil
}
