package httpx

import (
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/search"
)

// Page is the pagination of a list request (?page=&per_page=).
type Page struct {
	Page    int
	PerPage int
}

// PageOf parses the pagination parameters, defaulting to page 1 of 20.
func PageOf(r *http.Request) (Page, error) {
	p := Page{Page: 1, PerPage: 20}
	q := r.URL.Query()
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			return p, domain.FieldErrorf("page", "页码应为正整数")
		}
		p.Page = n
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			return p, domain.FieldErrorf("per_page", "每页条数应为1到200之间的整数")
		}
		p.PerPage = n
	}
	if p.Offset() >= domain.ListCountCap {
		return p, domain.FieldErrorf("page", "列表只能翻到前 %d 条；请缩小筛选范围，或导出全部结果", domain.ListCountCap)
	}
	return p, nil
}

// CountCap is where the count of a list filtered by f stops, and how deep
// its pages reach: domain.SearchCountCap for a search (a filter whose
// SearchQuery holds a word: the store counts and ranks it through the
// index, newest matches first), domain.ListCountCap for any other list.
func CountCap(f any) int {
	if s, ok := f.(interface{ SearchQuery() string }); ok && !search.ParseQuery(s.SearchQuery()).Empty() {
		return domain.SearchCountCap
	}
	return domain.ListCountCap
}

// CheckDepth refuses a page of a search past its count's cap (PageOf
// refuses one past a list's).
func (p Page) CheckDepth(countCap int) error {
	if countCap < domain.ListCountCap && p.Offset() >= countCap {
		return domain.FieldErrorf("page", "检索只列出最新的 %d 条匹配；请增加检索词或筛选条件缩小范围", countCap)
	}
	return nil
}

// Offset is the row offset of the page.
func (p Page) Offset() int { return (p.Page - 1) * p.PerPage }

// List is the envelope of every paginated list.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	// TotalCapped says Total is the list's cap (domain.ListCountCap; a
	// search's domain.SearchCountCap) and there are more.
	TotalCapped bool `json:"total_capped,omitempty"`
	Page        int  `json:"page"`
	PerPage     int  `json:"per_page"`
}

// NewList wraps one page of items; nil becomes [] so clients never see null.
func NewList[T any](p Page, items []T, total int) List[T] {
	return NewCappedList(p, items, total, domain.ListCountCap)
}

// NewCappedList is NewList for a list whose count stops at countCap
// (CountCap).
func NewCappedList[T any](p Page, items []T, total, countCap int) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: min(total, countCap), TotalCapped: total > countCap, Page: p.Page, PerPage: p.PerPage}
}

// Items is the envelope of a short, unpaginated list.
type Items[T any] struct {
	Items []T `json:"items"`
}

// NewItems wraps a whole list; nil becomes [].
func NewItems[T any](items []T) Items[T] {
	if items == nil {
		items = []T{}
	}
	return Items[T]{Items: items}
}
