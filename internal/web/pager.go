package web

import "sort"

// Page jumps (walkthrough 21: 797 pages with only 上一页 and 下一页): the
// first and the last page, and a form going to page N that keeps the
// list's filters.

// FirstPage and LastPage are the links of the list's ends ("" on that end).
func (p pager) FirstPage() string {
	if p.Page <= 1 {
		return ""
	}
	return withQuery(p.Query, "page", "1")
}

func (p pager) LastPage() string {
	if p.Page >= p.Pages {
		return ""
	}
	return withQuery(p.Query, "page", itoa(p.Pages))
}

// Kept are the list's query parameters but the page, which the jump form
// carries as hidden fields.
func (p pager) Kept() []pagerParam {
	var out []pagerParam
	for k, vs := range p.Query {
		if k == "page" {
			continue
		}
		for _, v := range vs {
			out = append(out, pagerParam{k, v})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || out[i].Name == out[j].Name && out[i].Value < out[j].Value
	})
	return out
}

type pagerParam struct{ Name, Value string }

// Beyond reports a page past the list's end while the list has rows.
func (p pager) Beyond() bool { return p.Total > 0 && p.Page > p.Pages }

// FirstHref and LastHref link the list's ends whatever the current page.
func (p pager) FirstHref() string { return withQuery(p.Query, "page", "1") }
func (p pager) LastHref() string  { return withQuery(p.Query, "page", itoa(p.Pages)) }
