package domain

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
