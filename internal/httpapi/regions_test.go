package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
)

// TestRegionsAPI: GET /api/v1/meta/regions answers the national table —
// the city and its districts by default (for another configured city too),
// a division's children, the provinces, a bounded search — to anyone.
func TestRegionsAPI(t *testing.T) {
	t.Parallel()
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			get := func(query string) []domain.Region {
				t.Helper()
				res := fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/meta/regions" + query})
				if res.Status != http.StatusOK {
					t.Fatalf("%s: %d %s", query, res.Status, res.Body)
				}
				var body struct{ Items []domain.Region }
				res.decode(t, &body)
				return body.Items
			}
			codes := func(rs []domain.Region) []string {
				var out []string
				for _, r := range rs {
					out = append(out, r.Code)
				}
				return out
			}
			city := get("")
			if len(city) != 1+len(fx.W.City.Districts) || city[0].Code != storetest.CityCode || city[0].Name != "沈阳市" {
				t.Fatalf("default = %v, want 沈阳市 and its %d districts", codes(city), len(fx.W.City.Districts))
			}
			for _, d := range fx.W.City.Districts {
				if !slices.Contains(codes(city), d.Code) {
					t.Errorf("district %s %s missing from the default answer", d.Code, d.Name)
				}
			}
			if r := city[1]; r.Parent != storetest.CityCode || r.Level != domain.LevelCounty || !strings.HasPrefix(r.FullName, "辽宁省 沈阳市 ") {
				t.Errorf("a district = %+v", r)
			}
			sz := get("?parent_code=320500")
			if !slices.Contains(codes(sz), "320508") || !slices.Contains(codes(sz), "320583") || slices.Contains(codes(sz), "320500") {
				t.Errorf("children of 320500 = %v", codes(sz))
			}
			provinces := get("?parent_code=" + domain.CountryCode)
			if len(provinces) < 31 || provinces[0].Code != "110000" || provinces[0].Level != domain.LevelProvince {
				t.Errorf("provinces = %v", codes(provinces))
			}
			if ks := get("?q=" + url.QueryEscape("昆山")); len(ks) == 0 || ks[0].Code != "320583" || ks[0].FullName != "江苏省 苏州市 昆山市" {
				t.Errorf("q=昆山 = %+v", ks)
			}
			// The exact code first; the city's own before other provinces'.
			if rs := get("?q=210112"); len(rs) != 1 || rs[0].Name != "浑南区" {
				t.Errorf("q=210112 = %v", codes(rs))
			}
			if rs := get("?q=" + url.QueryEscape("和平区")); len(rs) < 2 || rs[0].Code != "210102" {
				t.Errorf("q=和平区 = %v, want the city's 210102 first", codes(rs))
			}
			// Bounded: a one-character search of every district stops at the limit.
			if rs := get("?q=" + url.QueryEscape("区")); len(rs) != domain.MaxRegionResults {
				t.Errorf("q=区 gave %d, want the limit %d", len(rs), domain.MaxRegionResults)
			}
			if rs := get("?q=999"); len(rs) != 0 {
				t.Errorf("q=999 = %v", codes(rs))
			}
			for _, bad := range []string{"?parent_code=abc", "?q=" + strings.Repeat("x", 21)} {
				res := fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/meta/regions" + bad})
				if res.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s: %d, want 422", bad, res.Status)
				}
			}
			// Another city: its own districts by default.
			must(t, fx.St.SetSetting(context.Background(), "city_code", "320500"))
			if rs := get(""); len(rs) < 5 || rs[0].Name != "苏州市" || !slices.Contains(codes(rs), "320508") || !slices.Contains(codes(rs), "320583") {
				t.Errorf("苏州's default = %v", codes(rs))
			}
			must(t, fx.St.SetSetting(context.Background(), "city_code", "500000"))
			if rs := get(""); len(rs) < 30 || rs[0].Name != "重庆市" || !slices.Contains(codes(rs), "500101") || !slices.Contains(codes(rs), "500229") {
				t.Errorf("重庆's default = %v", codes(rs))
			}
		})
	}
}
