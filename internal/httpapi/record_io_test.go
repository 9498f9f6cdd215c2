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
