package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

// TestCatalogueSearchCountCapped: the API's count of a search stops at
// domain.SearchCountCap with total_capped, its pages end there (422 naming
// page, in English when asked; the needs' search too), and a list without a
// query counts on.
func TestCatalogueSearchCountCapped(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			n := domain.SearchCountCap + 5
			fx.W.PublishedAchievements(t, n, "风电叶片检测方法")
			type list struct {
				Items       []domain.Achievement `json:"items"`
				Total       int                  `json:"total"`
				TotalCapped bool                 `json:"total_capped"`
			}
			get := func(path string) (int, list, string) {
				t.Helper()
				res := fx.send(t, "anonymous", request{Method: "GET", Path: path, NoAuth: true, Header: map[string]string{"Accept-Language": "en"}})
				var l list
				if res.Status == http.StatusOK {
					must(t, json.Unmarshal(res.Body, &l))
				}
				return res.Status, l, string(res.Body)
			}
			q := "/api/v1/achievements?q=" + url.QueryEscape("风电")
			if st, l, _ := get(q); st != http.StatusOK || l.Total != domain.SearchCountCap || !l.TotalCapped || len(l.Items) != 20 {
				t.Errorf("search: %d total %d capped %v items %d, want %d capped", st, l.Total, l.TotalCapped, len(l.Items), domain.SearchCountCap)
			}
			if st, l, _ := get(q + "+1004"); st != http.StatusOK || l.Total != 1 || l.TotalCapped {
				t.Errorf("a narrow search: %d total %d capped %v, want 1 exactly", st, l.Total, l.TotalCapped)
			}
			if st, l, _ := get(fmt.Sprintf("%s&per_page=100&page=%d", q, domain.SearchCountCap/100)); st != http.StatusOK || len(l.Items) != 100 {
				t.Errorf("the search's last page: %d, %d items", st, len(l.Items))
			}
			want := fmt.Sprintf("A search lists only its newest %d matches", domain.SearchCountCap)
			for _, deep := range []string{
				fmt.Sprintf("%s&per_page=100&page=%d", q, domain.SearchCountCap/100+1),
				fmt.Sprintf("/api/v1/needs?q=%s&page=%d", url.QueryEscape("风电"), domain.SearchCountCap/20+1),
			} {
				if st, _, body := get(deep); st != http.StatusUnprocessableEntity || !strings.Contains(body, `"page"`) || !strings.Contains(body, want) {
					t.Errorf("%s: %d %s, want 422 naming page", deep, st, body)
				}
			}
			if st, l, _ := get("/api/v1/achievements"); st != http.StatusOK || l.Total < n || l.TotalCapped {
				t.Errorf("the catalogue without a query: %d total %d capped %v, want at least %d, exact", st, l.Total, l.TotalCapped, n)
			}
		})
	}
}
