package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
)

// FuzzParseForm: whatever the body, the form parser never panics, refuses
// with a message naming a field, and a form it accepts holds no name or
// value with invalid UTF-8 or a control (tab and line breaks aside),
// format or bidirectional character (M6); the contract form's own parser
// never panics on what it accepts.
func FuzzParseForm(f *testing.F) {
	f.Add([]byte("title=%E5%90%88%E5%90%8C&turnover_yuan=100&seller_org_id=1"))
	f.Add([]byte("title=%00"))
	f.Add([]byte("title=%ff&x=%E2%80%AE"))
	f.Add([]byte("comment=a%0Ab%09c"))
	f.Add([]byte("%zz=1"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/contracts/new", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		err := parseForm(httptest.NewRecorder(), r, 1<<20)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
				t.Fatalf("refusal %v (code %s)", err, domain.ErrorCode(err))
			}
			return
		}
		for k, vs := range r.PostForm {
			if ps := textnorm.Inspect(k, textnorm.Options{}); len(ps) > 0 {
				t.Fatalf("accepted the name %q holding %v", k, ps[0])
			}
			for _, v := range vs {
				if ps := textnorm.Inspect(v, textnorm.Options{Multiline: true}); len(ps) > 0 {
					t.Fatalf("accepted %s=%q holding %v", k, v, ps[0])
				}
			}
		}
		parseContractForm(r, &domain.User{ID: 1, Role: domain.RoleTTO, OrgID: 1})
	})
}
