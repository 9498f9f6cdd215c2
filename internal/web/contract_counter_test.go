package web_test

import (
	"encoding/csv"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/testutil"
)

// hrefOf returns the (unescaped) href of the element with id in a page.
func hrefOf(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`href="([^"]*)"[^>]*id="` + regexp.QuoteMeta(id) + `"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link #%s in the page", id)
	}
	return html.UnescapeString(m[1])
}

// TestExportHonoursListFilters: the list's export links carry the list's
// filters as parameters of their own and export exactly the list's rows
// (walkthrough finding 1: the filters were escaped into one parameter
// name, and the export held every contract).
func TestExportHonoursListFilters(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			for i, day := range []string{"2025-06-01", "2025-06-02", "2025-06-03"} { // 技术开发
				fx.contract().Registered(day, int64(10+i)).Insert(t)
			}
			fx.w.Contract(func(c *domain.Contract) {
				c.Title, c.Category, c.SubType = "技术服务合同（筛选）", "service", "service"
			}).Registered("2025-07-01", 20).Insert(t)
			reg := newClient(t, fx.srv.URL)
			reg.login("registrar")
			list := "/contracts?status=registered&year=2025&category=service"
			st, _, body := reg.do("GET", list, nil)
			if st != 200 {
				t.Fatalf("list: %d", st)
			}
			rows := strings.Count(body, `<tr data-id=`)
			if rows != 1 {
				t.Fatalf("the filtered list has %d rows, want 1", rows)
			}
			for _, id := range []string{"export-csv", "export-xlsx"} {
				href := hrefOf(t, body, id)
				u, err := url.Parse(href)
				if err != nil {
					t.Fatal(err)
				}
				q := u.Query()
				if q.Get("status") != "registered" || q.Get("year") != "2025" || q.Get("category") != "service" {
					t.Fatalf("%s link %q does not carry the list's filters", id, href)
				}
			}
			st, _, out := reg.do("GET", hrefOf(t, body, "export-csv"), nil)
			if st != 200 {
				t.Fatalf("export: %d %s", st, out)
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := len(recs) - 1; got != rows {
				t.Fatalf("the export has %d rows, the list %d", got, rows)
			}
		})
	}
}
