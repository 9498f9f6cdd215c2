package sheetio

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/domain"
)

// The cell syntax every record codec shares: a list cell holds its items
// separated by "；" (or ";", or a line break), and an item of several
// parts separates them with "|" (or "｜"): "王明|教授|负责人；李华|副教授".
// Yes/no cells are 是/否; amounts are 元 with at most two decimals, parsed
// exactly to fen; dates are YYYY-MM-DD (2022/3/1 and 2022年3月1日 are
// accepted, and xlsx date cells).

// ListSep and PartSep are what an export writes between a list's items
// and an item's parts.
const (
	ListSep = "；"
	PartSep = "|"
)

// SplitList splits a list cell into its trimmed, non-empty items.
func SplitList(v string) []string {
	f := strings.FieldsFunc(v, func(r rune) bool { return r == '；' || r == ';' || r == '\n' || r == '\r' })
	out := make([]string, 0, len(f))
	for _, s := range f {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// SplitParts splits a list item into its n trimmed parts (missing ones
// empty); ok is false when it has more than n.
func SplitParts(item string, n int) ([]string, bool) {
	f := strings.Split(strings.ReplaceAll(item, "｜", "|"), "|")
	out := make([]string, n)
	for i, s := range f {
		if i >= n {
			return out, false
		}
		out[i] = strings.TrimSpace(s)
	}
	return out, true
}

// JoinList writes a list cell.
func JoinList(items []string) string { return strings.Join(items, ListSep) }

// JoinParts writes a list item of several parts, dropping empty trailing
// parts.
func JoinParts(parts ...string) string {
	for len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, PartSep)
}

// Code reads an enumerated cell by label or code ("" when empty, ok
// false when it is neither).
func Code[T ~string](e *domain.Enum[T], v string) (T, bool) {
	if v == "" {
		return "", true
	}
	for _, it := range e.All() {
		if v == it.Label || strings.EqualFold(v, string(it.Code)) {
			return it.Code, true
		}
	}
	return "", false
}

// Labels lists an enum's labels joined by "、" (for notes and messages).
func Labels[T ~string](e *domain.Enum[T]) string {
	var out []string
	for _, it := range e.All() {
		out = append(out, it.Label)
	}
	return strings.Join(out, "、")
}

// ParseYesNo reads a 是/否 cell (empty is 否).
func ParseYesNo(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "否", "n", "no", "false", "0":
		return false, nil
	case "是", "y", "yes", "true", "1":
		return true, nil
	}
	return false, domain.Errorf(domain.EINVALID, "“%s”无效，应为“是”或“否”", v)
}

// YesNoCell writes a 是/否 cell.
func YesNoCell(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// ParseYuan reads an amount in 元 into fen exactly (empty is 0). An xlsx
// number cell arrives as Excel's binary value ("1234.5599999999999") and
// is taken at the 15 digits Excel shows.
func ParseYuan(v string, xlsx bool) (int64, error) {
	if v == "" {
		return 0, nil
	}
	if xlsx {
		v = excelNumber(v)
	}
	return domain.ParseYuan(v)
}

// YuanCell writes an amount in fen as plain 元 ("" for 0 when blank0).
func YuanCell(fen int64, blank0 bool) string {
	if fen == 0 && blank0 {
		return ""
	}
	return domain.FormatYuanPlain(fen)
}

// excelNumber undoes Excel's binary storage of a typed number: only
// numbers with more than 15 significant digits or an exponent are touched.
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

var (
	dateRE   = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)
	serialRE = regexp.MustCompile(`^\d{1,7}(\.\d+)?$`)
)

// ParseDate reads a date cell into YYYY-MM-DD (empty stays empty).
func ParseDate(v string, xlsx bool) (string, error) {
	if v == "" {
		return "", nil
	}
	if d, ok := parseDate(v, xlsx); ok {
		return d, nil
	}
	return "", domain.Errorf(domain.EINVALID, "“%s”不是有效日期，应为 YYYY-MM-DD 格式", v)
}

func parseDate(v string, xlsx bool) (string, bool) {
	if before, after, ok := strings.Cut(v, " "); ok && (after == "00:00:00" || after == "0:00:00" || after == "00:00") {
		v = before
	}
	if xlsx && serialRE.MatchString(v) {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 61 || f >= 2958466 {
			return "", false
		}
		t, err := excelize.ExcelDateToTime(f, false)
		if err != nil {
			return "", false
		}
		return t.Format(time.DateOnly), true
	}
	m := dateRE.FindStringSubmatch(v)
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// ParseInt reads a whole number cell (empty is 0; an xlsx "6.0" is 6).
func ParseInt(v string, min, max int) (int, error) {
	if v == "" {
		return 0, nil
	}
	s := strings.TrimSuffix(v, ".0")
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, domain.Errorf(domain.EINVALID, "“%s”无效，应为 %d 至 %d 的整数", v, min, max)
	}
	return n, nil
}

// ParsePercent reads a share in per cent with at most one decimal ("70",
// "62.5", "70%") into per-mille, exactly (empty is 0).
func ParsePercent(v string) (int, error) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(v, "%"), "％"))
	if s == "" {
		return 0, nil
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || !domain.AllDigits(whole) || dot && (len(frac) != 1 || !domain.AllDigits(frac)) || len(whole) > 3 {
		return 0, domain.Errorf(domain.EINVALID, "“%s”无效，应为 0 至 100 的百分比，最多一位小数（如 70 或 62.5）", v)
	}
	n, _ := strconv.Atoi(whole)
	p := n * 10
	if dot {
		p += int(frac[0] - '0')
	}
	if p > 1000 {
		return 0, domain.Errorf(domain.EINVALID, "“%s”超过 100%%", v)
	}
	return p, nil
}

// PercentCell writes a per-mille share as per cent ("70", "62.5"; "" for 0 when blank0).
func PercentCell(p int, blank0 bool) string {
	if p == 0 && blank0 {
		return ""
	}
	if p%10 == 0 {
		return strconv.Itoa(p / 10)
	}
	return strconv.Itoa(p/10) + "." + strconv.Itoa(p%10)
}
