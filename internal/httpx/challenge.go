package httpx

import (
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// ChallengeFilterOf parses a challenge list's filters (the API's and the
// pages' query strings); the service checks their values.
func ChallengeFilterOf(q url.Values) (domain.ChallengeFilter, error) {
	f := domain.ChallengeFilter{Status: domain.ChallengeStatus(q.Get("status")), ChainCode: strings.TrimSpace(q.Get("chain_code")),
		Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Mine: q.Get("mine") == "1"}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 2000 || y > 2100 {
			return f, domain.FieldErrorf("year", "年份应在2000至2100之间")
		}
		f.Year = y
	}
	var err error
	if f.OwnerID, err = nonNegative(q, "owner_org_id"); err != nil {
		return f, domain.FieldErrorf("owner_org_id", "单位编号无效")
	}
	return f, nil
}
