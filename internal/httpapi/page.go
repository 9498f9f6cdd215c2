package httpapi

import (
	"net/http"
	"reflect"
	"strconv"

	"kechuang/internal/domain"
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
	return p, nil
}

// Offset is the row offset of the page.
func (p Page) Offset() int { return (p.Page - 1) * p.PerPage }

// ListBody is the envelope of every list.
type ListBody struct {
	Items   any `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// List wraps a slice in the list envelope; a nil slice becomes [].
func (p Page) List(items any, total int) ListBody {
	if v := reflect.ValueOf(items); v.Kind() == reflect.Slice && v.IsNil() {
		items = reflect.MakeSlice(v.Type(), 0, 0).Interface()
	}
	return ListBody{Items: items, Total: total, Page: p.Page, PerPage: p.PerPage}
}
