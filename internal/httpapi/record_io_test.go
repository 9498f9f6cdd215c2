package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// TestRecordImportAPI: the unit's export imported over the API files the
// same number of drafts; a file with a bad row answers 422 with every bad
// row and stores nothing; skip_bad stores the good ones; a university
// naming another unit is refused.
func TestRecordImportAPI(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			fx.W.Achievement().Owner(fx.Orgs["university"]).Insert(t)
			fx.W.Achievement(func(x *domain.Achievement) { x.Title = "第二项成果" }).Owner(fx.Orgs["university"]).Published().Insert(t)
			res := fx.send(t, "tto", request{Method: "GET", Path: "/api/v1/achievements/export?format=csv&owner_org_id=" + fmt.Sprint(fx.Orgs["university"].ID)})
			if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") || !bytes.Contains(res.Body, []byte("第二项成果")) {
				t.Fatalf("export: %d %v %.300s", res.Status, res.Header, res.Body)
			}
			file := res.Body
			res = fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/achievements/import?format=csv", Body: file, Type: "text/csv"})
			var rep sheetio.Report
			res.decode(t, &rep)
			if res.Status != http.StatusOK || rep.Imported != 2 || len(rep.IDs) != 2 {
				t.Fatalf("import: %d %s", res.Status, res.Body)
			}
			bad := append(append([]byte{}, file...), []byte("\r\n,坏行,,,,,,,,,,,,,,,,,,,,,,\r\n")...)
			res = fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/achievements/import?format=csv", Body: bad, Type: "text/csv"})
			p := res.problem(t)
			var fail sheetio.Report
			res.decode(t, &fail)
			if res.Status != http.StatusUnprocessableEntity || !fail.Failed || fail.BadRows != 1 || fail.Errors[0].Row != 4 || p.Code == "" {
				t.Fatalf("bad import: %d %s", res.Status, res.Body)
			}
			res = fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/achievements/import?format=csv&skip_bad=1", Body: bad, Type: "text/csv"})
			res.decode(t, &rep)
			if res.Status != http.StatusOK || rep.Imported != 2 || rep.Skipped != 1 {
				t.Fatalf("skip_bad: %d %s", res.Status, res.Body)
			}
			_, n, err := fx.Svc.Achievements.List(context.Background(), fx.actor("tto"), domain.AchievementFilter{OwnerID: fx.Orgs["university"].ID})
			if err != nil || n != 6 {
				t.Errorf("the unit has %d achievements, want 2 + 2 + 2: %v", n, err)
			}
			res = fx.send(t, "tto", request{Method: "POST", Path: fmt.Sprintf("/api/v1/achievements/import?format=csv&org_id=%d", fx.Orgs["institute"].ID), Body: file, Type: "text/csv"})
			if res.Status != http.StatusForbidden {
				t.Errorf("import for another unit: %d %s", res.Status, res.Body)
			}
			// The template is a valid file in both formats.
			for _, f := range []string{"csv", "xlsx"} {
				res = fx.send(t, "enterprise", request{Method: "GET", Path: "/api/v1/needs/template?format=" + f})
				if res.Status != http.StatusOK || len(res.Body) < 100 {
					t.Fatalf("template %s: %d", f, res.Status)
				}
				imp := fx.send(t, "enterprise", request{Method: "POST", Path: "/api/v1/needs/import?format=" + f, Body: res.Body, Type: "application/octet-stream"})
				if imp.Status != http.StatusOK {
					t.Fatalf("template %s imported: %d %s", f, imp.Status, imp.Body)
				}
				var r sheetio.Report
				must(t, json.Unmarshal(imp.Body, &r))
				if r.Imported != 1 || r.Kind != "needs" {
					t.Errorf("template %s: %+v", f, r)
				}
			}
		})
	}
}

// TestChallengeEventImportAPI: the 榜单's and the events' templates import
// over the API as one draft each (both formats); a bad row answers 422
// naming the row and column and stores nothing; the export is the list's.
func TestChallengeEventImportAPI(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			for _, c := range []struct {
				kind, who, column string
				bad               func(row string) string
				count             func() int
			}{
				{"challenges", "enterprise", "榜额（元）", func(row string) string { return strings.Replace(row, ",3000000.00,", ",0,", 1) },
					func() int {
						_, n, err := fx.Svc.Challenges.List(context.Background(), fx.actor("enterprise"), domain.ChallengeFilter{Mine: true})
						must(t, err)
						return n
					}},
				{"events", "agency", "报名名额", func(row string) string { return strings.Replace(row, ",30,", ",0,", 1) },
					func() int {
						_, n, err := fx.Svc.Events.List(context.Background(), fx.actor("agency"), domain.TechEventFilter{OrganiserID: fx.actor("agency").OrgID}, false)
						must(t, err)
						return n
					}},
			} {
				before := c.count()
				for _, f := range []string{"csv", "xlsx"} {
					tpl := fx.send(t, c.who, request{Method: "GET", Path: "/api/v1/" + c.kind + "/template?format=" + f})
					if tpl.Status != http.StatusOK || len(tpl.Body) < 100 {
						t.Fatalf("%s template %s: %d", c.kind, f, tpl.Status)
					}
					res := fx.send(t, c.who, request{Method: "POST", Path: "/api/v1/" + c.kind + "/import?format=" + f, Body: tpl.Body, Type: "application/octet-stream"})
					var rep sheetio.Report
					res.decode(t, &rep)
					if res.Status != http.StatusOK || rep.Imported != 1 || rep.Kind != c.kind {
						t.Fatalf("%s template %s imported: %d %s", c.kind, f, res.Status, res.Body)
					}
				}
				var tpl bytes.Buffer
				if c.kind == "challenges" {
					must(t, fx.Svc.Challenges.Template(context.Background(), sheetio.CSV, &tpl))
				} else {
					must(t, fx.Svc.Events.Template(context.Background(), sheetio.CSV, &tpl))
				}
				lines := strings.Split(strings.TrimSpace(tpl.String()), "\r\n")
				file := []byte(lines[0] + "\r\n" + lines[1] + "\r\n" + c.bad(lines[1]) + "\r\n")
				res := fx.send(t, c.who, request{Method: "POST", Path: "/api/v1/" + c.kind + "/import?format=csv", Body: file, Type: "text/csv"})
				var fail sheetio.Report
				res.decode(t, &fail)
				if res.Status != http.StatusUnprocessableEntity || !fail.Failed || fail.BadRows != 1 || fail.Errors[0].Row != 3 || fail.Errors[0].Field != c.column {
					t.Fatalf("%s bad import: %d %s", c.kind, res.Status, res.Body)
				}
				if n := c.count(); n != before+2 {
					t.Errorf("%s: %d records after two imports of one and a failed one, want %d", c.kind, n, before+2)
				}
				res = fx.send(t, c.who, request{Method: "GET", Path: "/api/v1/" + c.kind + "/export?format=csv"})
				if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || bytes.Count(res.Body, []byte("\r\n")) < 3 {
					t.Fatalf("%s export: %d %.300s", c.kind, res.Status, res.Body)
				}
			}
		})
	}
}
