package httpapi

import (
	"bytes"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// FuzzDecodeNeed feeds arbitrary bytes to the strict decoder with the need
// body type: an error with a user message or a value whose validation
// never panics.
func FuzzDecodeNeed(f *testing.F) {
	f.Add([]byte(`{"title":"x","problem":"p","indicators":[{"indicator":"a","target":"1"}],"budget_min_fen":1,"budget_max_fen":2,"deadline":"2099-01-01","cooperation_modes":["develop"]}`))
	f.Add([]byte(`{"indicators":null,"deadline":"2024-02-30"}`))
	f.Add([]byte(`{"budget_max_fen":"1"}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, b []byte) {
		var x domain.Need
		err := httpx.DecodeJSON(bytes.NewReader(b), &x)
		if err != nil && domain.ErrorMessage(err) == "" {
			t.Fatalf("error without message: %v", err)
		}
		if err == nil {
			_ = x.Validate([]string{"robotics"}, "2026-12-01")
		}
	})
}
