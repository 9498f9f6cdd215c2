package httpx

import (
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// The contract module's query and upload rules, shared by the API and the
// pages. They are contract-specific and live here until the module has a
// transport package of its own.

// MaxImportBytes limits an uploaded contract file.
const MaxImportBytes = 50 << 20

// ContractFilterKeys are the query parameters ContractFilterOf reads: a
// list page hands exactly these to its export links, so an export is the
// list's rows.
var ContractFilterKeys = []string{"status", "year", "category", "tech_field", "q", "overdue", "sort"}

// ContractFilterOf parses the contract list filters of a query
// (?status=&year=&category=&tech_field=&q=&overdue=&sort=).
func ContractFilterOf(q url.Values) (domain.ContractFilter, error) {
	var f domain.ContractFilter
	for _, s := range q["status"] {
		for _, part := range strings.Split(s, ",") {
			st := domain.ContractStatus(part)
			if part == "" {
				continue
			}
			if st.Label() == part {
				return f, domain.FieldErrorf("status", "状态“%s”无效", part)
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1980 || y > 2200 {
			return f, domain.FieldErrorf("year", "年份无效")
		}
		f.Year = y
	}
	f.Category, f.Field, f.Query = q.Get("category"), q.Get("tech_field"), strings.TrimSpace(q.Get("q"))
	f.Overdue = q.Get("overdue") == "1" || q.Get("overdue") == "true"
	f.Sort = q.Get("sort")
	return f, nil
}
