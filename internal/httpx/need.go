package httpx

import (
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// NeedFilterOf parses a need list's filters (the API's and the pages'
// query strings); the service checks their values.
func NeedFilterOf(q url.Values) (domain.NeedFilter, error) {
	f := domain.NeedFilter{
		Status: domain.NeedStatus(q.Get("status")), State: q.Get("state"), ChainCode: q.Get("chain_code"),
		Stage: q.Get("stage"), Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"),
	}
	var err error
	if f.MinBudget, err = nonNegative(q, "min_budget_fen"); err != nil {
		return f, domain.FieldErrorf("min_budget_fen", "预算下限应为不小于0的整数（分）")
	}
	if f.MaxBudget, err = nonNegative(q, "max_budget_fen"); err != nil {
		return f, domain.FieldErrorf("max_budget_fen", "预算上限应为不小于0的整数（分）")
	}
	if f.OwnerID, err = nonNegative(q, "owner_org_id"); err != nil {
		return f, domain.FieldErrorf("owner_org_id", "单位编号无效")
	}
	return f, nil
}

// nonNegative reads an optional integer ≥ 0 (absent: 0).
func nonNegative(q url.Values, key string) (int64, error) {
	s := q.Get(key)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err == nil && n < 0 {
		err = strconv.ErrRange
	}
	return n, err
}
