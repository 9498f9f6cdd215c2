package web

import (
	"net/url"
	"testing"

	"kechuang/internal/domain"
)

// FuzzParseChallengeForm: whatever the form, the 建榜 form's parser never
// panics, refuses only with a field error, keeps every indicator row as
// typed, and what it accepts validates without panicking; the step forms'
// amount and count readers do the same.
func FuzzParseChallengeForm(f *testing.F) {
	f.Add("title=x&indicator_0=a&target_0=1&budget_yuan=3000000&gov_share_yuan=1000000&deadline=2099-01-01&chain_code=robot")
	f.Add("budget_yuan=1e9&gov_share_yuan=-3&need_id=abc")
	f.Add("need_id=9223372036854775808&method_4=x&payment_yuan=0.001&key_tech_solved=-1")
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		x, typed, err := parseChallengeForm(form)
		if len(typed.Indicators) != challengeIndicatorRows {
			t.Fatalf("%d indicator rows kept", len(typed.Indicators))
		}
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorField(err) == "" {
				t.Fatalf("refusal %v", err)
			}
		} else {
			_ = x.Validate(nil, "2026-12-01", domain.DefaultChallengeRules())
		}
		var v domain.Validator
		yuanField(&v, form, "payment_yuan", "payment_fen", "x")
		intField(&v, form, "key_tech_solved", "x")
		if err := v.Err(); err != nil && (domain.ErrorCode(err) != domain.EINVALID || domain.ErrorField(err) == "") {
			t.Fatalf("step refusal %v", err)
		}
	})
}
