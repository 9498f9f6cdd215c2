package httpx

import (
	"net/url"
	"testing"

	"kechuang/internal/domain"
)

func TestChallengeFilterOf(t *testing.T) {
	f, err := ChallengeFilterOf(url.Values{"q": {" 碳化硅 "}, "year": {"2022"}, "chain_code": {"robot"}, "status": {"published"}, "mine": {"1"}})
	if err != nil || f.Query != "碳化硅" || f.Year != 2022 || f.ChainCode != "robot" || f.Status != domain.ChallengePublished || !f.Mine {
		t.Fatalf("%+v, %v", f, err)
	}
	for _, bad := range []string{"x", "1999", "2101", "99999999999999999999"} {
		if _, err := ChallengeFilterOf(url.Values{"year": {bad}}); domain.ErrorField(err) != "year" {
			t.Errorf("year=%s: %v", bad, err)
		}
	}
	if _, err := ChallengeFilterOf(url.Values{"owner_org_id": {"-1"}}); domain.ErrorField(err) != "owner_org_id" {
		t.Errorf("owner: %v", err)
	}
}

// FuzzChallengeFilterOf: whatever the query string, the filter parser
// never panics and refuses only with a field error.
func FuzzChallengeFilterOf(f *testing.F) {
	f.Add("q=%E7%A2%B3&year=2022&chain_code=robot&status=published")
	f.Add("year=-1")
	f.Add("owner_org_id=9223372036854775808&mine=1")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if _, err := ChallengeFilterOf(q); err != nil && (domain.ErrorCode(err) != domain.EINVALID || domain.ErrorField(err) == "") {
			t.Fatalf("refusal %v", err)
		}
	})
}
