package contractio

import (
	"math"
	"strconv"
	"strings"
)

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
