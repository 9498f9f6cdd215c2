package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestRegionFields: the contract form's party region and the organisation
// form's region take any code of the national table and refuse any other
// (110199, 329999 and 999999 were accepted while only the province was
// checked), without JavaScript; the page offers the city's districts as
// the quick list, not the whole table, and names a known code.
func TestRegionFields(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			w := storetest.New(t, ns.Store)
			srv, _ := server(t, w.St)
			login := func(key string) *client {
				c := newClient(t, srv.URL)
				if st, loc, _ := c.do("POST", "/login", url.Values{"username": {w.Users[key].Username}, "password": {storetest.Password}}); st != http.StatusSeeOther {
					t.Fatalf("login %s: %d %s", key, st, loc)
				}
				return c
			}
			origin := []string{"Origin", srv.URL}
			tto := login("tto")
			st, _, page := tto.do("GET", "/contracts/new", nil)
			if st != 200 || !strings.Contains(page, "data-region-picker") || !strings.Contains(page, `<datalist id="city-regions">`) ||
				!strings.Contains(page, `<option value="210112">浑南区</option>`) {
				t.Fatalf("the contract form has no region picker with the city's districts: %d", st)
			}
			if n := strings.Count(page, "<option value=\"2101"); n != 1+len(w.City.Districts) || strings.Contains(page, `value="320583"`) {
				t.Errorf("the quick list has %d of the city's options (want %d) or other regions", n, 1+len(w.City.Districts))
			}
			form := func(region string) url.Values {
				return url.Values{"title": {"区划测试技术开发合同" + region}, "contract_no": {"RG-1"},
					"signed_on": {"2023-03-01"}, "term_start": {"2023-03-01"}, "term_end": {"2024-02-29"},
					"category": {"development"}, "sub_type": {"entrusted_dev"}, "form": {"written"}, "seals_match": {"1"},
					"tech_field": {"manufacturing"}, "turnover_yuan": {"250000.00"},
					"seller_mode": {"org"}, "seller_org_id": {strconv.FormatInt(w.Univ.ID, 10)},
					"buyer_mode": {"external"}, "buyer_name": {"外地装备有限公司"}, "buyer_uscc": {w.USCC()},
					"buyer_region": {region}, "buyer_type": {string(domain.PartyEnterprise)}}
			}
			for _, bad := range []string{"110199", "329999", "999999"} {
				st, _, body := tto.do("POST", "/contracts/new", form(bad), origin...)
				if st != http.StatusUnprocessableEntity || !strings.Contains(body, "行政区划代码 "+bad+" 不存在") {
					t.Errorf("buyer region %s: %d, want 422 saying it does not exist", bad, st)
				}
			}
			st, loc, _ := tto.do("POST", "/contracts/new", form("320583"), origin...)
			if st != http.StatusSeeOther {
				t.Fatalf("buyer region 320583 (昆山市): %d", st)
			}
			if _, _, edit := tto.do("GET", strings.TrimSuffix(loc, "?ok=created")+"/edit", nil); !strings.Contains(edit, "江苏省 苏州市 昆山市") {
				t.Errorf("the edit form does not name the buyer's region 320583")
			}

			admin := login("admin")
			if _, _, page := admin.do("GET", "/admin/orgs/new", nil); !strings.Contains(page, "data-region-picker") || !strings.Contains(page, `id="city-regions"`) {
				t.Errorf("the organisation form has no region picker")
			}
			org := url.Values{"name": {"苏州区划测试有限公司"}, "kind": {"enterprise"}, "uscc": {w.USCC()}}
			for _, bad := range []string{"110199", "329999", "999999"} {
				org.Set("region_code", bad)
				st, _, body := admin.do("POST", "/admin/orgs/new", org, origin...)
				if st != http.StatusUnprocessableEntity || !strings.Contains(body, "行政区划代码 "+bad+" 不存在") || !strings.Contains(body, `value="`+bad+`"`) {
					t.Errorf("org region %s: %d, want 422 keeping the typed code", bad, st)
				}
			}
			org.Set("region_code", "320583")
			if st, loc, _ := admin.do("POST", "/admin/orgs/new", org, origin...); st != http.StatusSeeOther {
				t.Errorf("org region 320583: %d %s", st, loc)
			}
			if _, _, list := admin.do("GET", "/admin/orgs?q="+url.QueryEscape("苏州区划测试"), nil); !strings.Contains(list, "江苏省 苏州市 昆山市") {
				t.Errorf("the organisation list does not name 320583")
			}
		})
	}
}
