package domain

import "slices"

// EarliestDate is the first date a contract may carry: the registry's
// records begin with the technology-contract law of the 1980s, and an
// earlier date is a typing error (the probe stored 0001-01-01).
const EarliestDate = "1980-01-01"

// LatestTermDate bounds a contract's term: a term ending after it is a
// typing error (the probe stored 9999-12-31).
const LatestTermDate = "2099-12-31"

// CheckContractDates bounds the well-formed dates of a filing (Validate
// reports the others): nothing before EarliestDate or after
// LatestTermDate, and the signing date not after today (YYYY-MM-DD, in
// China).
func CheckContractDates(c *Contract, today string) error {
	var v Validator
	for _, d := range []struct{ field, value string }{{"signed_on", c.SignedOn}, {"term_start", c.TermStart}, {"term_end", c.TermEnd}} {
		if _, err := ParseDate(d.value); err == nil {
			v.Check(d.value >= EarliestDate && d.value <= LatestTermDate, d.field, "日期须在 %s 至 %s 之间", EarliestDate, LatestTermDate)
		}
	}
	if _, err := ParseDate(c.SignedOn); err == nil {
		v.Check(c.SignedOn <= today, "signed_on", "签订日期不能晚于今天（%s）", today)
	}
	return v.Err()
}

// provinces are the first two digits of GB/T 2260 codes in use (provinces,
// autonomous regions, municipalities, Taiwan, Hong Kong, Macao).
var provinces = []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
	"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}

// CheckPartyRegion checks the well-formed region code of a party that is
// not an organisation of the platform: of a province that exists,
// and, inside the city, one of the city's regions (known is the regions
// table; the platform does not carry the whole national list, so outside
// the city the province is what can be checked).
func CheckPartyRegion(field, code, cityCode string, known map[string]bool) error {
	switch {
	case !ValidRegionCode(code): // Validate reports the format
		return nil
	case !slices.Contains(provinces, code[:2]):
		return FieldErrorf(field, "行政区划代码 %s 不存在（应为6位 GB/T 2260 代码）", code)
	case IsLocal(cityCode, code) && len(known) > 0 && !known[code]:
		return FieldErrorf(field, "行政区划代码 %s 不是本市的区县", code)
	}
	return nil
}
