package httpx

import (
	"net/url"
	"testing"

	"kechuang/internal/domain"
)

func TestTechEventFilterOf(t *testing.T) {
	f, up, err := TechEventFilterOf(url.Values{"status": {"held"}, "kind": {"roadshow"}, "chain_code": {"robot"}, "year": {"2022"},
		"organiser_org_id": {"7"}, "upcoming": {"1"}})
	if err != nil || f.Status != "held" || f.Kind != "roadshow" || f.ChainCode != "robot" || f.Year != 2022 || f.OrganiserID != 7 || !up {
		t.Fatalf("%+v, %v, %v", f, up, err)
	}
	for key, bad := range map[string]string{"year": "二〇二二", "organiser_org_id": "-1", "upcoming": "yes"} {
		if _, _, err := TechEventFilterOf(url.Values{key: {bad}}); domain.ErrorField(err) != key {
			t.Errorf("%s=%s: %v", key, bad, err)
		}
	}
}

// FuzzTechEventFilterOf: whatever the query string, the filter parser
// never panics, refuses only with a field error, and what it accepts the
// domain's check refuses only with a field error.
func FuzzTechEventFilterOf(f *testing.F) {
	f.Add("status=held&kind=roadshow&year=2022&upcoming=1")
	f.Add("year=99999999999999999999")
	f.Add("organiser_org_id=9223372036854775808&upcoming=x")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		x, _, err := TechEventFilterOf(q)
		if err == nil {
			err = x.Validate()
		}
		if err != nil && (domain.ErrorCode(err) != domain.EINVALID || domain.ErrorField(err) == "") {
			t.Fatalf("refusal %v", err)
		}
	})
}
