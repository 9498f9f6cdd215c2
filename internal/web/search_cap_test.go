package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/testutil"
)

// TestCatalogueSearchCountCapped: a search's count stops at
// domain.SearchCountCap (the ranked window): the pager says "more than
// 1000" and has 50 pages, a page past them is refused with the reason (in
// English when asked), and the same catalogue without a query counts on to
// a list's cap.
func TestCatalogueSearchCountCapped(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			n := domain.SearchCountCap + 5
			fx.w.PublishedAchievements(t, n, "风电叶片检测方法")
			anon := newClient(t, fx.srv.URL)
			q := "/achievements?q=" + url.QueryEscape("风电")
			st, _, body := anon.do("GET", q, nil)
			more := fmt.Sprintf("超过 %d 条，第 1–20 条", domain.SearchCountCap)
			if pages := fmt.Sprintf("第 1/%d 页", domain.SearchCountCap/20); st != http.StatusOK || !strings.Contains(body, more) || !strings.Contains(body, pages) {
				t.Errorf("search page 1: %d, want %q and %q", st, more, pages)
			}
			last := fmt.Sprintf("&page=%d", domain.SearchCountCap/20)
			if st, _, body = anon.do("GET", q+last, nil); st != http.StatusOK || !strings.Contains(body, "风电叶片检测方法") {
				t.Errorf("the last page of the search: %d", st)
			}
			deeper := fmt.Sprintf("&page=%d", domain.SearchCountCap/20+1)
			want := fmt.Sprintf("检索只列出最新的 %d 条匹配", domain.SearchCountCap)
			if st, _, body = anon.do("GET", q+deeper, nil); st != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
				t.Errorf("a page past the search's cap: %d, want 422 and %q", st, want)
			}
			wantEN := fmt.Sprintf("A search lists only its newest %d matches", domain.SearchCountCap)
			if st, _, body = anon.do("GET", q+deeper, nil, "Accept-Language", "en"); st != http.StatusUnprocessableEntity || !strings.Contains(body, wantEN) {
				t.Errorf("a page past the search's cap, in English: %d, want %q", st, wantEN)
			}
			if st, _, body = anon.do("GET", "/achievements", nil); st != http.StatusOK || strings.Contains(body, "超过 ") || !strings.Contains(body, fmt.Sprintf("共 %d 条", n)) {
				t.Errorf("the catalogue without a query: %d, want every one of %d counted", st, n)
			}
		})
	}
}
