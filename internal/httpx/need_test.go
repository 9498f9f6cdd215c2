package httpx

import (
	"net/url"
	"testing"

	"kechuang/internal/domain"
)

func TestNeedFilterOf(t *testing.T) {
	f, err := NeedFilterOf(url.Values{"q": {" 焊点 "}, "state": {"open"}, "min_budget_fen": {"100"}, "max_budget_fen": {"200"}, "owner_org_id": {"7"}})
	if err != nil || f.Query != "焊点" || f.State != "open" || f.MinBudget != 100 || f.MaxBudget != 200 || f.OwnerID != 7 {
		t.Fatalf("%+v, %v", f, err)
	}
	for _, key := range []string{"min_budget_fen", "max_budget_fen", "owner_org_id"} {
		for _, bad := range []string{"-1", "1.5", "x", "99999999999999999999"} {
			if _, err := NeedFilterOf(url.Values{key: {bad}}); domain.ErrorField(err) != key {
				t.Errorf("%s=%s: %v", key, bad, err)
			}
		}
	}
}

// FuzzNeedFilterOf: whatever the query string, the filter parser never
// panics and refuses only with a field error.
func FuzzNeedFilterOf(f *testing.F) {
	f.Add("q=%E7%84%8A&state=open&min_budget_fen=1&max_budget_fen=2")
	f.Add("min_budget_fen=-1")
	f.Add("owner_org_id=9223372036854775808")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if _, err := NeedFilterOf(q); err != nil && (domain.ErrorCode(err) != domain.EINVALID || domain.ErrorField(err) == "") {
			t.Fatalf("refusal %v", err)
		}
	})
}
