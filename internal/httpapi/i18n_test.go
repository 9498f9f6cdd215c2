package httpapi_test

import (
	"strings"
	"testing"

	"kechuang/internal/httpx"
)

// TestProblemsFollowTheLanguage: a problem+json answer's detail and field
// errors are English when the client asks for English (Accept-Language or
// ?lang=), Chinese otherwise, with the same code, field and status.
func TestProblemsFollowTheLanguage(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			bad := map[string]any{"seller": map[string]any{"org_id": fx.Orgs["university"].ID},
				"buyer":     map[string]any{"name": "某公司", "uscc": "91210100MA0000000X", "region_code": "2101", "type": "enterprise"},
				"signed_on": "2023-02-30", "term_start": "2023-03-01", "term_end": "2023-03-01", "category": "development",
				"sub_type": "entrusted_dev", "form": "written", "tech_field": "electronics", "turnover_fen": 0}
			en := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/contracts", JSON: bad, Header: map[string]string{"Accept-Language": "en-GB,en;q=0.9,zh;q=0.3"}})
			zh := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/contracts", JSON: bad})
			var pe, pz httpx.Problem
			en.decode(t, &pe)
			zh.decode(t, &pz)
			if en.Status != 422 || pe.Code != pz.Code || pe.Field != pz.Field || len(pe.Errors) != len(pz.Errors) || len(pe.Errors) < 3 {
				t.Fatalf("English and Chinese answers differ beyond the text:\n%s\n%s", en.Body, zh.Body)
			}
			if !strings.Contains(pe.Detail, "Contract title is required") || !strings.Contains(pe.Detail, "more errors") || hasHan(pe.Detail) {
				t.Errorf("English detail %q", pe.Detail)
			}
			if !strings.Contains(pz.Detail, "合同名称必填") {
				t.Errorf("default detail %q is not the Chinese one", pz.Detail)
			}
			for i, e := range pe.Errors {
				if e.Field != pz.Errors[i].Field || e.Message == pz.Errors[i].Message {
					t.Errorf("errors[%d]: %+v against %+v", i, e, pz.Errors[i])
				}
			}
			if got := en.Header.Get("Content-Language"); got != "en" {
				t.Errorf("Content-Language %q", got)
			}

			// a nested message: the party label inside a credit-code error
			var uscc string
			for _, e := range pe.Errors {
				if e.Field == "buyer.uscc" {
					uscc = e.Message
				}
			}
			if !strings.HasPrefix(uscc, "Buyer: ") || hasHan(strings.ReplaceAll(uscc, "统一社会信用代码", "")) {
				t.Errorf("buyer.uscc in English: %q", uscc)
			}

			// ?lang= wins over the header, and anonymous errors follow too
			res := fx.send(t, "", request{Method: "GET", Path: "/api/v1/contracts?lang=en", NoAuth: true, Header: map[string]string{"Accept-Language": "zh-CN"}})
			var p httpx.Problem
			res.decode(t, &p)
			if res.Status != 401 || p.Detail != "Please sign in first" {
				t.Errorf("anonymous ?lang=en: %d %q", res.Status, p.Detail)
			}
			res = fx.send(t, "", request{Method: "GET", Path: "/api/v1/nowhere", NoAuth: true, Header: map[string]string{"Accept-Language": "en"}})
			res.decode(t, &p)
			if p.Detail != "No such endpoint: /api/v1/nowhere" {
				t.Errorf("unknown endpoint in English: %q", p.Detail)
			}
		})
	}
}
