package httpx

import (
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// AchievementFilterOf parses an achievement list's filters (the API's and
// the pages' query strings); the service checks their values.
func AchievementFilterOf(q url.Values) (domain.AchievementFilter, error) {
	f := domain.AchievementFilter{
		Status: domain.AchievementStatus(q.Get("status")), ChainCode: q.Get("chain_code"), Stage: q.Get("stage"),
		Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"),
	}
	if s := q.Get("min_trl"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 9 {
			return f, domain.FieldErrorf("min_trl", "最低成熟度应为1至9级")
		}
		f.MinTRL = n
	}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1980 || y > 2200 {
			return f, domain.FieldErrorf("year", "年份无效")
		}
		f.Year = y
	}
	if s := q.Get("owner_org_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, domain.FieldErrorf("owner_org_id", "单位编号无效")
		}
		f.OwnerID = id
	}
	return f, nil
}
