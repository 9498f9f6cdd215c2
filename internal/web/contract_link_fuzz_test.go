package web

import (
	"errors"
	"net/url"
	"regexp"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// FuzzContractLinks: the contract form's source rows never panic; every
// link parsed has a positive id or an error under its own key, and the
// shape check names only link fields.
func FuzzContractLinks(f *testing.F) {
	f.Add("achievement", "12", "need", "#7")
	f.Add("", "0", "bogus", "-3")
	f.Add("achievement", "99999999999999999999", "need", " 5 ")
	key := regexp.MustCompile(`^links(\[\d+\]\.(kind|ref_id))?$`)
	f.Fuzz(func(t *testing.T, k1, r1, k2, r2 string) {
		errs := map[string]string{}
		links := parseContractLinks(url.Values{"link_kind": {k1, k2}, "link_ref": {r1, r2}}, i18n.EN, errs)
		if len(links) > 2 {
			t.Fatalf("%d links from two rows", len(links))
		}
		for i, l := range links {
			if l.RefID <= 0 && errs["links["+itoa(i)+"].ref_id"] == "" {
				t.Fatalf("link %d without an id and without an error: %+v", i, l)
			}
		}
		for k := range errs {
			if !key.MatchString(k) {
				t.Fatalf("error key %q", k)
			}
		}
		if err := domain.CheckContractLinks(links); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				t.Fatalf("not a domain error: %v", err)
			}
			for _, fe := range de.Fields {
				if !key.MatchString(fe.Field) {
					t.Fatalf("field %q", fe.Field)
				}
			}
		}
	})
}
