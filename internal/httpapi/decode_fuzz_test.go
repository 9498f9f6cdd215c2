package httpapi

import (
	"bytes"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// FuzzDecodeContract feeds arbitrary bytes to the strict decoder with the
// contract body type: it must return an error or a value, never panic, and
// errors must carry a user message.
func FuzzDecodeContract(f *testing.F) {
	f.Add([]byte(`{"title":"x","turnover_fen":100,"cost_items":[{"kind":"equipment","unit_price_fen":1,"quantity":2}]}`))
	f.Add([]byte(`{"title":1}`))
	f.Add([]byte(`{"nope":true}`))
	f.Add([]byte(`{} {}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c domain.Contract
		err := httpx.DecodeJSON(bytes.NewReader(b), &c)
		if err != nil && domain.ErrorMessage(err) == "" {
			t.Fatalf("error without message: %v", err)
		}
		if err == nil {
			_ = c.Validate() // validation must not panic on any decoded value
		}
	})
}

func FuzzDecodeAction(f *testing.F) {
	f.Add([]byte(`{"version":1,"tech_income_fen":5,"note":"ok"}`))
	f.Add([]byte(`{"version":"1"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a RegisterBody
		if err := httpx.DecodeJSON(bytes.NewReader(b), &a); err != nil && domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("unexpected code %s", domain.ErrorCode(err))
		}
	})
}
