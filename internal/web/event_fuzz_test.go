package web

import (
	"net/url"
	"testing"

	"kechuang/internal/domain"
)

// FuzzParseEventForm: whatever the form, the event form's parser and the
// record forms' id reader never panic, refuse only with a field error, and
// what they accept validates without panicking.
func FuzzParseEventForm(f *testing.F) {
	f.Add("title=x&kind=roadshow&date=2099-01-01&place=p&capacity=30")
	f.Add("capacity=-1&date=2024-02-30&kind=party")
	f.Add("capacity=99999999999999999999&achievement_id=0&org_id=abc&enterprise_org_id=%20")
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		x, _, err := parseEventForm(form)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorField(err) != "capacity" {
				t.Fatalf("refusal %v", err)
			}
		} else {
			_ = x.Validate(nil)
		}
		for _, key := range []string{"achievement_id", "enterprise_org_id", "org_id"} {
			n, err := eventFormInt(form, key)
			if err != nil && (domain.ErrorCode(err) != domain.EINVALID || domain.ErrorField(err) != key) {
				t.Fatalf("%s refusal %v", key, err)
			}
			if err == nil && n < 0 {
				t.Fatalf("%s = %d", key, n)
			}
		}
	})
}
