package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
)

// chainPageRows are the chain's rows of the page authorisation matrix: the
// timelines of published records and the funnel are public; naming a
// contract's sources from its page is the registrar's.
func chainPageRows() []pageRow {
	return []pageRow{
		{Pattern: "GET /stats/chain", Public: true, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "GET", Path: "/stats/chain?year=2023"}
		}},
		{Pattern: "GET /achievements/{id}/timeline", Public: true, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := fx.w.Achievement().Published().Insert(t)
			return pageRequest{Method: "GET", Path: fmt.Sprintf("/achievements/%d/timeline", x.ID)}
		}},
		{Pattern: "GET /needs/{id}/timeline", Public: true, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := fx.w.Need().Published().Insert(t)
			return pageRequest{Method: "GET", Path: fmt.Sprintf("/needs/%d/timeline", x.ID)}
		}},
		{Pattern: "POST /contracts/{id}/links", Allow: []string{"registrar"}, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			c := fx.contract().Accepted().Insert(t)
			x := fx.w.Achievement().Published().Insert(t)
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/contracts/%d/links", c.ID), Form: url.Values{
				"version": {strconv.FormatInt(c.Version, 10)}, "link_kind": {"achievement"}, "link_ref": {strconv.FormatInt(x.ID, 10)}}}
		}},
	}
}
