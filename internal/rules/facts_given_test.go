package rules

import "testing"

// TestContractsGiven: "contracts": [] says the firm has no contracts (a
// fact), an absent member or null says nothing (missing).
func TestContractsGiven(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{`{"contracts": []}`, true},
		{`{"contracts": [{"kind": "development", "signed_on": "2025-01-02", "price_fen": 100, "received_fen": 100, "seller_kind": "university"}]}`, true},
		{`{}`, false},
		{`{"contracts": null}`, false},
		{`{"contracts": [], "contracts": null}`, false},
		{`{"contracts": null, "contracts": []}`, true},
	} {
		fs, err := ParseJSON([]byte(c.in))
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := fs[0].ContractsGiven; got != c.want {
			t.Errorf("%s: given %v, want %v", c.in, got, c.want)
		}
	}
}
