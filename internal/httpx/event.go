package httpx

import (
	"net/url"
	"strconv"

	"kechuang/internal/domain"
)

// TechEventFilterOf parses an event list's filters (the API's and the
// pages' query strings); the service checks their values. It reports
// whether only upcoming events are asked for (upcoming=1).
func TechEventFilterOf(q url.Values) (domain.TechEventFilter, bool, error) {
	f := domain.TechEventFilter{Status: domain.TechEventStatus(q.Get("status")), Kind: q.Get("kind"), ChainCode: q.Get("chain_code")}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			return f, false, domain.FieldErrorf("year", "年份应为四位数字")
		}
		f.Year = y
	}
	var err error
	if f.OrganiserID, err = nonNegative(q, "organiser_org_id"); err != nil {
		return f, false, domain.FieldErrorf("organiser_org_id", "主办单位编号无效")
	}
	upcoming := false
	switch q.Get("upcoming") {
	case "", "0", "false":
	case "1", "true":
		upcoming = true
	default:
		return f, false, domain.FieldErrorf("upcoming", "upcoming 应为 1 或 0")
	}
	return f, upcoming, nil
}
