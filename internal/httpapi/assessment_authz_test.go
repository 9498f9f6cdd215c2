package httpapi_test

import (
	"testing"

	"kechuang/internal/httpapi"
	"kechuang/internal/rules"
)

// assessmentSchemaTypes pairs the assessment schemas with their Go types.
var assessmentSchemaTypes = map[string][]any{
	"AssessmentRequest": {httpapi.AssessmentRequest{}}, "Facts": {rules.Facts{}}, "FactsYear": {rules.Year{}},
	"FactsFunding": {rules.Funding{}}, "FactsContract": {rules.Contract{}},
	"AssessmentResult": {rules.Result{}}, "AssessmentCheck": {rules.CheckResult{}}, "AssessmentItem": {rules.ItemResult{}},
}

// assessmentFacts is a small complete firm (the sme cases' kind).
const assessmentFacts = `{"name":"沈阳示例科技有限公司","registered_on":"2016-04-12","assessed_on":"2023-05-20","employees":80,"tech_staff":20,
"total_assets_fen":1500000000,"years":[{"year":2022,"sales_revenue_fen":6000000000,"total_income_fen":6000000000,"cost_total_fen":4800000000,
"rd_expense_fen":300000000,"rd_domestic_fen":300000000,"net_assets_fen":1500000000,"hightech_revenue_fen":4000000000,"tech_activity_fen":300000000,"employees":80}],
"ip":{"class1":1,"class2":3,"self_developed":true},"conversions_3y":10,
"flags":{"resident_enterprise":true,"excluded_industry":false,"major_incident":false,"abnormal_or_dishonest_list":false,"serious_fraud":false,"core_ip_owned":true,"in_supported_domain":true},
"direct":{"hnte_certificate_valid":false,"national_award_top3":false,"provincial_rd_institution":false,"led_standard":false}}`

func assessmentAuthzRows() []authzRow {
	return []authzRow{
		// Public: the rules are public and nothing is stored; a budget per
		// caller, the body limit and the batch setting bound the cost.
		{Pattern: "POST /api/v1/assessments", Public: true, Prepare: func(*testing.T, *fixture, string) request {
			return request{Method: "POST", Path: "/api/v1/assessments?rules=sme", Body: []byte(assessmentFacts), Type: "application/json"}
		}},
	}
}
