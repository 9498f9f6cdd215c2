package web_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"kechuang/internal/sheetio"
)

// recordioPageRows: the import pages are the module's filers' (a
// university's officer for achievements, an enterprise for needs, an
// enterprise or the bureau for 榜单, the organisers for events) and the
// administrator's, who names the unit.
func recordioPageRows() []pageRow {
	upload := func(kind, org string, tpl func(fx *pageFixture, b *bytes.Buffer) error) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, caller string) pageRequest {
			var b bytes.Buffer
			if err := tpl(fx, &b); err != nil {
				t.Fatal(err)
			}
			rq := pageRequest{Method: "POST", Path: "/" + kind + "/import", FileField: "file", FileName: kind + ".csv", File: b.Bytes()}
			if caller == "admin" {
				id := fx.w.Univ.ID
				if org == "enterprise" {
					id = fx.w.Ent.ID
				}
				rq.Path += fmt.Sprintf("?org_id=%d", id) // FormValue reads the query too; the file takes the body
			}
			return rq
		}
	}
	achievements := func(fx *pageFixture, b *bytes.Buffer) error {
		return fx.svc.Achievements.Template(context.Background(), sheetio.CSV, b)
	}
	needs := func(fx *pageFixture, b *bytes.Buffer) error {
		return fx.svc.Needs.Template(context.Background(), sheetio.CSV, b)
	}
	challenges := func(fx *pageFixture, b *bytes.Buffer) error {
		return fx.svc.Challenges.Template(context.Background(), sheetio.CSV, b)
	}
	events := func(fx *pageFixture, b *bytes.Buffer) error {
		return fx.svc.Events.Template(context.Background(), sheetio.CSV, b)
	}
	filers := []string{"admin", "tto", "other_tto"}
	posters := []string{"admin", "enterprise"}
	publishers := []string{"admin", "bureau", "enterprise"}
	organisers := []string{"admin", "bureau", "tto", "pilot_base", "agency", "other_tto"}
	return []pageRow{
		{Pattern: "GET /achievements/import", Allow: filers},
		{Pattern: "POST /achievements/import", Allow: filers, Want: pageDone, Prepare: upload("achievements", "university", achievements)},
		{Pattern: "GET /needs/import", Allow: posters},
		{Pattern: "POST /needs/import", Allow: posters, Want: pageDone, Prepare: upload("needs", "enterprise", needs)},
		{Pattern: "GET /challenges/import", Allow: publishers},
		{Pattern: "POST /challenges/import", Allow: publishers, Want: pageDone, Prepare: upload("challenges", "enterprise", challenges)},
		{Pattern: "GET /events/import", Allow: organisers},
		{Pattern: "POST /events/import", Allow: organisers, Want: pageDone, Prepare: upload("events", "university", events)},
	}
}
