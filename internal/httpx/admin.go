package httpx

import (
	"net/url"
	"strconv"

	"kechuang/internal/domain"
)

// The administration module's list filters, shared by the API and the
// pages (like ContractFilterOf).

// OrgFilterOf parses the organisation list's filters (shared with the pages).
func OrgFilterOf(q url.Values) domain.OrgFilter {
	return domain.OrgFilter{Kind: domain.OrgKind(q.Get("kind")), Query: q.Get("q"), Status: domain.ActiveStatus(q.Get("status")), Sort: q.Get("sort")}
}

// UserFilterOf parses the user list's filters (shared with the pages).
func UserFilterOf(q url.Values) (domain.UserFilter, error) {
	f := domain.UserFilter{Role: domain.Role(q.Get("role")), Query: q.Get("q"), Status: domain.ActiveStatus(q.Get("status")), Sort: q.Get("sort")}
	if s := q.Get("org_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			return f, domain.FieldErrorf("org_id", "机构 ID 应为正整数")
		}
		f.OrgID = id
	}
	return f, nil
}
