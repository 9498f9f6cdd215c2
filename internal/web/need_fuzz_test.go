package web

import (
	"net/url"
	"testing"

	"kechuang/internal/domain"
)

// FuzzParseNeedForm: whatever the form, the need form's parser never
// panics, refuses only with a field error, keeps every indicator row as
// typed, and what it accepts validates without panicking.
func FuzzParseNeedForm(f *testing.F) {
	f.Add("title=x&indicator_0=a&target_0=1&budget_min_yuan=500000&budget_max_yuan=1000000&deadline=2099-01-01&cooperation_modes=develop")
	f.Add("budget_min_yuan=1e9&budget_max_yuan=-3")
	f.Add("keywords=%E3%80%81%2C%3B&indicator_4=x")
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		x, typed, err := parseNeedForm(form)
		if len(typed.Indicators) != needIndicatorRows {
			t.Fatalf("%d indicator rows kept", len(typed.Indicators))
		}
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorField(err) == "" {
				t.Fatalf("refusal %v", err)
			}
			return
		}
		_ = x.Validate(nil, "2026-12-01")
	})
}
