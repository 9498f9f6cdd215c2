package i18n

import (
	"fmt"
	"strings"
	"time"

	"kechuang/internal/domain"
)

var enMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Date renders a YYYY-MM-DD date: 2026年12月1日 or 1 Dec 2026. Anything
// else is returned as it is.
func Date(l Lang, s string) string {
	t, err := domain.ParseDate(s)
	if err != nil {
		return s
	}
	return DateOf(l, t)
}

// DateOf renders the calendar day of t (in t's own location).
func DateOf(l Lang, t time.Time) string {
	if l == EN {
		return fmt.Sprintf("%d %s %d", t.Day(), enMonths[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// DateTime renders a moment to the minute (in t's own location): zh-CN keeps
// the compact 2026-12-01 09:30 of the registry's tables.
func DateTime(l Lang, t time.Time) string {
	if l == EN {
		return DateOf(l, t) + t.Format(" 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// Int renders a count: 8,416 in English; zh-CN keeps the bare 8416 of the
// bureau's tables.
func Int(l Lang, n int64) string {
	if l == EN {
		if n < 0 {
			return "-" + group(-n)
		}
		return group(n)
	}
	return fmt.Sprint(n)
}

// Units of amounts, in fen.
const (
	fenWan     = 100 * 10_000        // 万元
	fenYi      = 100 * 100_000_000   // 亿元
	fenMillion = 100 * 1_000_000     // CNY m
	fenBillion = 100 * 1_000_000_000 // CNY bn
)

// Yuan renders an exact amount: 1,234.56元 or CNY 1,234.56.
func Yuan(l Lang, fen int64) string {
	s := domain.FormatYuan(fen)
	if l == EN {
		return "CNY " + strings.TrimSuffix(s, "元")
	}
	return s
}

// Amount renders an amount in the unit its size calls for, to two decimals
// rounded half up: 394.28亿元, 35.60万元 or 800.00元; in English CNY 39.43 bn,
// CNY 12.35 m, or the exact amount below a million. An amount that rounds
// up to the next unit is shown in it (1.00亿元, not 10,000.00万元).
func Amount(l Lang, fen int64) string {
	if l == EN {
		switch {
		case reaches(fen, fenBillion, fenMillion):
			return "CNY " + scaled(fen, fenBillion, true) + " bn"
		case reaches(fen, fenMillion, 100):
			return "CNY " + scaled(fen, fenMillion, true) + " m"
		}
		return Yuan(l, fen)
	}
	return domain.FormatMoney(fen, domain.UnitAuto)
}

// Money renders an amount in the reader's chosen unit (domain.MoneyUnit):
// in Chinese exactly as domain.FormatMoney; in English 元 stays the exact
// amount and 万元/亿元, units an English reader does not count in, read
// as Amount's millions and billions.
func Money(l Lang, fen int64, unit domain.MoneyUnit) string {
	if l != EN {
		return domain.FormatMoney(fen, unit)
	}
	if unit == domain.UnitYuan {
		return Yuan(l, fen)
	}
	return Amount(l, fen)
}

// reaches reports whether |fen| shown in the smaller unit would round to
// at least one of unit.
func reaches(fen, unit, smaller int64) bool {
	return abs(fen) >= unit-smaller/200
}

// Yi renders a headline amount: the bureau reports in 亿元 throughout
// (as domain.FormatYi, without its overflow for sums beyond 9×10^16 fen),
// while an English reader does not think in 亿 and gets Amount's billions
// and millions.
func Yi(l Lang, fen int64) string {
	if l == EN {
		return Amount(l, fen)
	}
	return domain.FormatMoney(fen, domain.UnitYi)
}

// scaled renders fen/unit with two decimals, rounded half away from zero,
// in integers (no float, no overflow for any int64), with thousands
// separators when grouped.
func scaled(fen, unit int64, grouped bool) string {
	a := abs(fen)
	q, r := a/unit, a%unit
	h := q*100 + (r*100+unit/2)/unit // r*100 < 100*unit fits easily
	sign := ""
	if fen < 0 && h != 0 {
		sign = "-"
	}
	whole := fmt.Sprint(h / 100)
	if grouped {
		whole = group(h / 100)
	}
	return fmt.Sprintf("%s%s.%02d", sign, whole, h%100)
}

// group puts thousands separators into n ≥ 0.
func group(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
