package httpapi

import (
	"bytes"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// FuzzDecodeTechEvent feeds arbitrary bytes to the strict decoder with the
// event module's bodies: an error with a user message or values whose
// validation never panics.
func FuzzDecodeTechEvent(f *testing.F) {
	f.Add([]byte(`{"kind":"roadshow","title":"x","date":"2099-01-01","place":"p","capacity":30}`))
	f.Add([]byte(`{"capacity":-1,"date":"2024-02-30"}`))
	f.Add([]byte(`{"achievement_id":"1","enterprise_org_id":2,"signed_on":"2099-13-01","mode":"gift"}`))
	f.Add([]byte(`{"org_id":1,"kind":"matching","note":"\u202e"}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, b []byte) {
		var x domain.TechEvent
		if err := httpx.DecodeJSON(bytes.NewReader(b), &x); err != nil && domain.ErrorMessage(err) == "" {
			t.Fatalf("error without message: %v", err)
		} else if err == nil {
			_ = x.Validate([]string{"robot"})
		}
		ev := &domain.TechEvent{Date: "2023-01-01"}
		var y domain.Intention
		if err := httpx.DecodeJSON(bytes.NewReader(b), &y); err != nil && domain.ErrorMessage(err) == "" {
			t.Fatalf("error without message: %v", err)
		} else if err == nil {
			_ = y.Validate(ev, "2026-12-01")
		}
		var s domain.ServiceRecord
		if err := httpx.DecodeJSON(bytes.NewReader(b), &s); err != nil && domain.ErrorMessage(err) == "" {
			t.Fatalf("error without message: %v", err)
		} else if err == nil {
			_ = s.Validate()
		}
		var r domain.EventRegistration
		if err := httpx.DecodeJSON(bytes.NewReader(b), &r); err != nil && domain.ErrorMessage(err) == "" {
			t.Fatalf("error without message: %v", err)
		} else if err == nil {
			_ = r.Validate()
		}
	})
}
