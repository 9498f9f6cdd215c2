package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"kechuang/internal/rules"
	"kechuang/internal/testutil"
)

// enterpriseAssessPageRows: the tier statistics are public; the batch run
// is the bureau's and the administrator's; a firm's verdicts are seen and
// reassessed by those who see and file for the firm.
func enterpriseAssessPageRows() []pageRow {
	staff := []string{"admin", "bureau"}
	firm := []string{"admin", "bureau", "enterprise"}
	return []pageRow{
		{Pattern: "GET /stats/enterprises", Public: true, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "GET", Path: "/stats/enterprises?year=2025"}
		}},
		{Pattern: "GET /enterprises/assessments", Allow: staff, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "GET", Path: "/enterprises/assessments?year=2025"}
		}},
		{Pattern: "POST /enterprises/assessments", Allow: staff, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			fx.svc.EnterpriseAssess.Wait() // the run before has ended: each caller may start one
			return pageRequest{Method: "POST", Path: "/enterprises/assessments", Form: url.Values{"year": {"2031"}}}
		}},
		{Pattern: "GET /enterprises/assessments/export", Allow: staff, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "GET", Path: "/enterprises/assessments/export?year=2025&rule_set=sme&format=csv"}
		}},
		{Pattern: "POST /enterprises/assessments/pool-intake", Allow: staff, Want: pageRedirect, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "POST", Path: "/enterprises/assessments/pool-intake", Form: url.Values{"rule": {"new_tech"}, "year": {"2025"}}}
		}},
		{Pattern: "GET /enterprises/{id}/assessments", Allow: firm, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "GET", Path: fmt.Sprintf("/enterprises/%d/assessments?policies=2025", pageFirm(t, fx).ID)}
		}},
		{Pattern: "POST /enterprises/{id}/assessments/{year}", Allow: firm, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/enterprises/%d/assessments/2025", pageFirm(t, fx).ID)}
		}},
	}
}

// TestEnterpriseRunPage: the bureau starts the 2025 run from the page; the
// page then shows the run finished, the tier figures, the verdict table,
// the firms of a verdict and their export; the firm's page explains each
// verdict, and the registry's firm page shows them in its slot; the public
// statistics page shows the year.
func TestEnterpriseRunPage(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			x := pageFirm(t, fx)
			big := func(f *rules.Facts) { n := int64(600); f.Employees = &n }
			other := fx.w.Enterprise().Unlinked("沈阳乙科技有限公司").Filed(2025, big).Insert(t)
			st, loc, body := fx.send(t, "bureau", pageRequest{Method: "POST", Path: "/enterprises/assessments", Form: url.Values{"year": {"2025"}}})
			if st != 303 || !strings.Contains(loc, "ok=enterprise_assess_started") {
				t.Fatalf("start: %d %s %s", st, loc, body)
			}
			fx.svc.EnterpriseAssess.Wait()
			st, _, body = fx.send(t, "bureau", pageRequest{Method: "GET", Path: "/enterprises/assessments?year=2025&rule_set=sme&verdict=pass"})
			if st != 200 {
				t.Fatalf("page: %d", st)
			}
			for _, want := range []string{`id="run-list"`, `<td class="num" data-label="已评价">2 / 2</td>`, `data-kpi="tech"><div class="kpi-label">科技型企业</div><div class="kpi-value">1</div>`,
				fmt.Sprintf(`data-enterprise="%d"`, x.ID), `id="export-csv"`, `id="intake-form"`} {
				if !strings.Contains(body, want) {
					t.Errorf("run page lacks %s", want)
				}
			}
			if strings.Contains(body, fmt.Sprintf(`data-enterprise="%d"`, other.ID)) || strings.Contains(body, `id="run-start"`) == false {
				t.Errorf("the sme passes list the too-big firm, or the start button is missing")
			}
			st, _, csv := fx.send(t, "bureau", pageRequest{Method: "GET", Path: "/enterprises/assessments/export?year=2025&rule_set=sme&verdict=not_eligible&format=csv"})
			if st != 200 || !strings.Contains(csv, "沈阳乙科技有限公司") || strings.Contains(csv, x.Name) {
				t.Errorf("export: %d %s", st, csv)
			}
			st, _, body = fx.send(t, "enterprise", pageRequest{Method: "GET", Path: fmt.Sprintf("/enterprises/%d/assessments", x.ID)})
			if st != 200 || !strings.Contains(body, `id="year-2025"`) || !strings.Contains(body, `class="assess-checks"`) {
				t.Errorf("firm page: %d", st)
			}
			st, _, body = fx.send(t, "enterprise", pageRequest{Method: "GET", Path: fmt.Sprintf("/enterprises/%d", x.ID)})
			if st != 200 || !strings.Contains(body, `id="enterprise-assess-panel"`) || !strings.Contains(body, `<tr data-year="2025">`) || !strings.Contains(body, `id="assess-explain"`) {
				t.Errorf("the registry's firm page lacks the verdicts: %d", st)
			}
			st, _, body = fx.send(t, "anonymous", pageRequest{Method: "GET", Path: "/stats/enterprises?year=2025"})
			if st != 200 || !strings.Contains(body, `<tr data-year="2025">`) || !strings.Contains(body, `id="enterprise-tiers-data"`) {
				t.Errorf("stats page: %d", st)
			}
			// 2025 is the only year of records: no change against 2024 is claimed
			if !strings.Contains(body, `<td class="num" data-label="比上年新增"><span class="muted" title="上一年没有评价记录，无从比较">—</span></td>`) {
				t.Errorf("the first year of records shows an increase")
			}
			st, _, _ = fx.send(t, "anonymous", pageRequest{Method: "GET", Path: "/stats/enterprises?year=abc"})
			if st != 422 {
				t.Errorf("bad year: %d", st)
			}
		})
	}
}
