package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"kechuang/internal/domain"
)

// FuzzChangeForm: whatever the change form holds, reading it never
// panics, refuses with a message naming a field, and the change it reads
// applies to the contract and validates without panicking; a field the
// form does not send is never changed.
func FuzzChangeForm(f *testing.F) {
	f.Add([]byte("version=3&term_end=2028-04-30&turnover_yuan=720000.00&reason=x"))
	f.Add([]byte("title=&seller_name=%E4%B8%9C&turnover_yuan=1e9"))
	f.Add([]byte("turnover_yuan=-1&term_start=2099-13-40"))
	f.Add([]byte("turnover_yuan=99999999999999999999"))
	base := &domain.Contract{Title: "合同", SignedOn: "2026-01-05", TermStart: "2026-01-05", TermEnd: "2027-01-04",
		Category: "development", SubType: "entrusted_dev", Form: "written", SealsMatch: true, Field: "materials", TurnoverFen: 60_000_000,
		Seller: domain.Party{Name: "东北大学", USCC: domain.MakeUSCC("12210000455758005"), RegionCode: "210102", Type: domain.PartyUniversity},
		Buyer:  domain.Party{Name: "沈阳某公司", USCC: domain.MakeUSCC("91210100MA0000002"), RegionCode: "210112", Type: domain.PartyEnterprise}}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/contracts/1/change-request", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := parseForm(httptest.NewRecorder(), r, 1<<20); err != nil {
			return
		}
		c := *base
		ch, err := changeFromForm(r, &c, &contractDetailPage{})
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
				t.Fatalf("refusal %v", err)
			}
			return
		}
		if _, ok := r.PostForm["title"]; !ok && ch.Title != nil {
			t.Fatal("changed a title the form did not send")
		}
		n := ch.ApplyTo(&c)
		_ = n.Validate()
		_ = domain.ContractChanges(&c, n)
		if c.TurnoverFen != base.TurnoverFen {
			t.Fatal("applying a change altered the original")
		}
	})
}
