package web

import (
	"regexp"
	"strings"
	"testing"
)

// TestListsReadAsCardsOnAPhone (walkthrough finding 13): the lists a
// registrar and an administrator work through on a phone are card tables
// (app.css turns a .table-cards row into a card below 760 px, each cell
// under its data-label), and every cell of such a table carries the label
// of its column or is the card's title or action. The screenshots at 390
// and 1440 px were looked at by hand; this keeps the markup from drifting.
func TestListsReadAsCardsOnAPhone(t *testing.T) {
	cards := map[string]string{
		"templates/contract/list.html":  "contracts-table",
		"templates/contract/queue.html": "queue-table",
		"templates/contract/form.html":  "cost-table",
		"templates/audit/log.html":      "audit-table",
	}
	td := regexp.MustCompile(`<td\b[^>]*>`)
	nested := regexp.MustCompile(`(?s)<table class="audit-diff">.*?</table>`)
	for file, id := range cards {
		b, err := templateFS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s := nested.ReplaceAllString(string(b), "") // a table inside a cell (the audit log's diff) is the cell's content
		open := regexp.MustCompile(`<table class="[^"]*\btable-cards\b[^"]*" id="` + id + `">`).FindStringIndex(s)
		if open == nil {
			t.Errorf("%s: #%s is not a card table (class table-cards)", file, id)
			continue
		}
		body := s[open[1]:]
		body = body[:strings.Index(body, "</table>")]
		cells := td.FindAllString(body, -1)
		if len(cells) == 0 {
			t.Errorf("%s: #%s has no cells", file, id)
		}
		for _, c := range cells {
			if !strings.Contains(c, "data-label=") && !strings.Contains(c, "card-title") && !strings.Contains(c, "card-action") && !strings.Contains(c, "colspan") {
				t.Errorf("%s: #%s: a cell without its column's label: %s", file, id, c)
			}
		}
	}
	css, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range []string{".table-cards thead { display: none; }", "content: attr(data-label)", ".cert-table tr { display: grid;"} {
		if !strings.Contains(string(css), rule) {
			t.Errorf("app.css lacks the phone rule %q", rule)
		}
	}
}
