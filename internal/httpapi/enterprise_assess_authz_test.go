package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/service"
)

// enterpriseAssessSchemaTypes pairs the assessments' schemas with their Go types.
var enterpriseAssessSchemaTypes = map[string][]any{
	"EnterpriseStats": {service.EnterpriseStats{}}, "EnterpriseTarget": {service.EnterpriseTarget{}},
	"EnterpriseAssessment": {domain.EnterpriseAssessment{}}, "FirmAssessVerdict": {service.FirmAssessVerdict{}},
	"FirmAssessYear": {service.FirmAssessYear{}}, "FirmAssessmentList": {httpapi.FirmAssessmentList{}},
	"FirmAssessed": {httpapi.FirmAssessed{}}, "RunBody": {httpapi.RunBody{}},
	"AssessmentRun": {domain.EnterpriseAssessmentRun{}}, "AssessmentRunList": {httpapi.AssessmentRunList{}},
}

func onAssessedFirm(verb, path string) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, _ string) request {
		x := entFirm(t, fx)
		return request{Method: verb, Path: strings.Replace(path, "{id}", fmt.Sprint(x.ID), 1)}
	}
}

func enterpriseAssessAuthzRows() []authzRow {
	firmReaders := []string{"admin", "bureau", "enterprise"}
	staff := []string{"admin", "bureau"}
	return []authzRow{
		{Pattern: "GET /api/v1/stats/enterprises", Public: true, Prepare: func(*testing.T, *fixture, string) request {
			return request{Method: "GET", Path: "/api/v1/stats/enterprises?year=2022"}
		}},
		{Pattern: "GET /api/v1/enterprises/{id}/assessments", Allow: firmReaders, Prepare: onAssessedFirm("GET", "/api/v1/enterprises/{id}/assessments")},
		{Pattern: "POST /api/v1/enterprises/{id}/assessments/{year}", Allow: firmReaders, Prepare: onAssessedFirm("POST", "/api/v1/enterprises/{id}/assessments/2022")},
		// A run of a year without filings ends at once; the one before is
		// waited for so that each allowed caller may start its own.
		{Pattern: "POST /api/v1/enterprise-assessment-runs", Allow: staff, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			fx.Svc.EnterpriseAssess.Wait()
			return request{Method: "POST", Path: "/api/v1/enterprise-assessment-runs", JSON: httpapi.RunBody{Year: 2031}}
		}},
		{Pattern: "GET /api/v1/enterprise-assessment-runs", Allow: staff, Prepare: func(*testing.T, *fixture, string) request {
			return request{Method: "GET", Path: "/api/v1/enterprise-assessment-runs?year=2022"}
		}},
		{Pattern: "GET /api/v1/enterprise-assessment-runs/{id}", Allow: staff, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			fx.Svc.EnterpriseAssess.Wait()
			r, err := fx.Svc.EnterpriseAssess.Run(t.Context(), domain.SystemActor(), 2032)
			if err != nil {
				t.Fatal(err)
			}
			return request{Method: "GET", Path: fmt.Sprintf("/api/v1/enterprise-assessment-runs/%d", r.ID)}
		}},
	}
}

// TestEnterpriseAssessAPI: the bureau runs 2022; the firm's verdicts are
// read back with their tiers; the public statistics count the firm once
// as a tech enterprise; a bad year is refused
// naming year; a run while one runs is refused.
func TestEnterpriseAssessAPI(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			x := entFirm(t, fx)
			res := fx.send(t, "bureau", request{Method: "POST", Path: "/api/v1/enterprise-assessment-runs", JSON: httpapi.RunBody{Year: 2022}})
			if res.Status != 202 {
				t.Fatalf("start run: %d %s", res.Status, res.Body)
			}
			fx.Svc.EnterpriseAssess.Wait()
			var runs httpapi.AssessmentRunList
			fx.send(t, "bureau", request{Method: "GET", Path: "/api/v1/enterprise-assessment-runs?year=2022"}).decode(t, &runs)
			if len(runs.Items) != 1 || runs.Items[0].Running || runs.Items[0].Done != 1 || runs.Items[0].FinishedAt == nil {
				t.Fatalf("runs: %+v", runs.Items)
			}
			var firm httpapi.FirmAssessmentList
			fx.send(t, "enterprise", request{Method: "GET", Path: fmt.Sprintf("/api/v1/enterprises/%d/assessments", x.ID)}).decode(t, &firm)
			if len(firm.Items) != 1 || len(firm.Items[0].Verdict) != len(domain.TierRuleSets) {
				t.Fatalf("firm: %+v", firm.Items)
			}
			var st service.EnterpriseStats
			fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/stats/enterprises?year=2022"}).decode(t, &st)
			tech := int64(0)
			for _, v := range firm.Items[0].Verdict {
				if (v.RuleSet == "sme" || v.RuleSet == "hnte") && v.Verdict == "pass" {
					tech = 1
				}
			}
			if st.TechEnterprises != tech || st.Assessed != 1 || st.PoolIntake != tech || st.TechEnterprisesAdded != tech {
				t.Errorf("stats: %+v (tech %d)", st, tech)
			}
			for _, q := range []string{"?year=abc", "?year=1979", "?year=2201"} {
				res := fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/stats/enterprises" + q})
				if p := res.problem(t); res.Status != 422 || p.Field != "year" {
					t.Errorf("%s: %d %+v", q, res.Status, p)
				}
			}
		})
	}
}
