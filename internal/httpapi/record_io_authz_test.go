package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"kechuang/internal/httpx"
	"kechuang/internal/sheetio"
)

// recordIOSchemaTypes pairs the record import's schemas with their Go types.
var recordIOSchemaTypes = map[string][]any{
	"RecordImportReport": {sheetio.Report{}}, "RecordImportProblem": {httpx.Problem{}, sheetio.Report{}},
}

// recordTemplate is a module's import template as CSV: a header and one
// valid example row.
func recordTemplate(t *testing.T, write func(ctx context.Context, format sheetio.Format, w *bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(context.Background(), sheetio.CSV, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// recordIOAuthzRows: the exports and templates need a login; the import
// is the module's filer for its own unit (the 榜单's: an enterprise or the
// bureau; the events': their organisers), or the administrator naming one
// (org_id), never the public.
func recordIOAuthzRows() []authzRow {
	importAs := func(path, adminOrg string, tpl func(t *testing.T, fx *fixture) []byte) func(*testing.T, *fixture, string) request {
		return func(t *testing.T, fx *fixture, role string) request {
			q := "?format=csv"
			if role == "admin" {
				q += fmt.Sprintf("&org_id=%d", fx.Orgs[adminOrg].ID)
			}
			return request{Method: "POST", Path: path + q, Body: tpl(t, fx), Type: "text/csv"}
		}
	}
	tplOf := func(write func(fx *fixture) func(ctx context.Context, f sheetio.Format, w io.Writer) error) func(t *testing.T, fx *fixture) []byte {
		return func(t *testing.T, fx *fixture) []byte {
			return recordTemplate(t, func(ctx context.Context, f sheetio.Format, w *bytes.Buffer) error { return write(fx)(ctx, f, w) })
		}
	}
	achievements := tplOf(func(fx *fixture) func(context.Context, sheetio.Format, io.Writer) error {
		return fx.Svc.Achievements.Template
	})
	needs := tplOf(func(fx *fixture) func(context.Context, sheetio.Format, io.Writer) error { return fx.Svc.Needs.Template })
	challenges := tplOf(func(fx *fixture) func(context.Context, sheetio.Format, io.Writer) error {
		return fx.Svc.Challenges.Template
	})
	events := tplOf(func(fx *fixture) func(context.Context, sheetio.Format, io.Writer) error {
		return fx.Svc.Events.Template
	})
	return []authzRow{
		{Pattern: "GET /api/v1/achievements/export", Allow: loggedIn},
		{Pattern: "GET /api/v1/achievements/template", Allow: loggedIn},
		{Pattern: "POST /api/v1/achievements/import", Allow: []string{"admin", "tto"}, Prepare: importAs("/api/v1/achievements/import", "university", achievements)},
		{Pattern: "GET /api/v1/needs/export", Allow: loggedIn},
		{Pattern: "GET /api/v1/needs/template", Allow: loggedIn},
		{Pattern: "POST /api/v1/needs/import", Allow: []string{"admin", "enterprise"}, Prepare: importAs("/api/v1/needs/import", "enterprise", needs)},
		{Pattern: "GET /api/v1/challenges/export", Allow: loggedIn},
		{Pattern: "GET /api/v1/challenges/template", Allow: loggedIn},
		{Pattern: "POST /api/v1/challenges/import", Allow: []string{"admin", "bureau", "enterprise"}, Prepare: importAs("/api/v1/challenges/import", "enterprise", challenges)},
		{Pattern: "GET /api/v1/events/export", Allow: loggedIn},
		{Pattern: "GET /api/v1/events/template", Allow: loggedIn},
		{Pattern: "POST /api/v1/events/import", Allow: []string{"admin", "bureau", "tto", "pilot_base", "agency"}, Prepare: importAs("/api/v1/events/import", "university", events)},
	}
}
