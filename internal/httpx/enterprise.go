package httpx

import (
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// EnterpriseFilterOf parses a registry list's filters (the API's and the
// pages' query strings): district, chain, q, year with filed=yes|no, sort;
// the service checks their values.
func EnterpriseFilterOf(q url.Values) (domain.EnterpriseFilter, error) {
	f := domain.EnterpriseFilter{District: q.Get("district"), Chain: q.Get("chain"), Query: strings.TrimSpace(q.Get("q")),
		Filed: q.Get("filed"), Sort: q.Get("sort")}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			return f, domain.FieldErrorf("year", "年度应为四位数字")
		}
		f.Year = y
	}
	return f, nil
}
