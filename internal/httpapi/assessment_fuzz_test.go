package httpapi

import (
	"errors"
	"testing"

	"kechuang/internal/rules"
)

// FuzzAssessmentRequest feeds arbitrary bodies to the assessment request
// decoder (the wrapped or plain form, then the facts parser and the
// engine): an error names a field, never a panic.
func FuzzAssessmentRequest(f *testing.F) {
	f.Add("sme", []byte(`{"assessed_on":"2023-05-20","employees":80,"tech_staff":20}`))
	f.Add("", []byte(`{"rules":"all","facts":[{"assessed_on":"2023-05-20"},{}]}`))
	f.Add("hnte", []byte(`[{"years":[{"year":2022,"sales_revenue_fen":-1}]}]`))
	f.Add("sme", []byte(`{"expert_scores":{"rd_management":99},"assessed_on":"2023-01-01"}`))
	f.Add("x", []byte(`{"facts":1}`))
	f.Add("all", []byte(`{"registered_on":"2024-02-30","assessed_on":"2023-02-29"}`))
	sets, err := rules.LoadDir(rules.Embedded())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, query string, body []byte) {
		ids, facts, err := assessmentInput(query, body)
		if err != nil {
			return
		}
		chosen, err := rules.SelectSets(sets, ids)
		if err != nil {
			return
		}
		firms, err := rules.ParseJSON(facts)
		var ie *rules.InputError
		if err != nil {
			if !errors.As(err, &ie) || ie.Field == "" {
				t.Fatalf("parse error without a field: %v", err)
			}
			return
		}
		if len(firms) > 20 {
			return
		}
		if _, err := rules.AssessAll(chosen, firms); err != nil && !errors.As(err, &ie) {
			t.Fatalf("assessment failed without an input error: %v", err)
		}
	})
}
