package web_test

import (
	"net/url"
	"testing"
)

// assessPageRows: the self-check, the policy calculator and the template
// are public, like the rules; nothing is stored.
func assessPageRows() []pageRow {
	form := func(path string) func(*testing.T, *pageFixture, string) pageRequest {
		return func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "POST", Path: path, Form: url.Values{"assessed_on": {"2023-05-20"}, "employees": {"80"}, "tech_staff": {"20"}}}
		}
	}
	return []pageRow{
		{Pattern: "GET /assess", Public: true},
		{Pattern: "POST /assess", Public: true, Prepare: form("/assess")},
		{Pattern: "GET /assess/policies", Public: true},
		{Pattern: "POST /assess/policies", Public: true, Prepare: form("/assess/policies")},
		{Pattern: "GET /assess/template.xlsx", Public: true},
	}
}
