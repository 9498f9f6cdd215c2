package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/rules"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
	"kechuang/internal/web"
)

// assessServer is the handler stack with a FactsSource that knows one
// filing (2022) of every caller.
func assessServer(t *testing.T, fake bool) (*httptest.Server, *storetest.World) {
	t.Helper()
	st := testutil.Stores(t)[0].Store
	w := storetest.New(t, st)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, log)
	k := httpx.New(svc.Auth, log)
	api, err := httpapi.New(svc, k)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(svc, k, log)
	if err != nil {
		t.Fatal(err)
	}
	if !fake {
		pages.Facts = svc.Enterprises // as web.New does
	} else {
		pages.Facts = web.FactsSourceFunc(func(_ context.Context, a *domain.Actor, year int) (*rules.Facts, error) {
			if year != 2022 {
				return nil, nil
			}
			fs, err := rules.ParseJSON([]byte(`{"name":"已填报企业","assessed_on":"2023-05-20","employees":80,"tech_staff":7,"total_assets_fen":123456}`))
			return &fs[0], err
		})
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	pages.Routes(mux)
	srv := httptest.NewServer(k.Wrap(mux))
	t.Cleanup(srv.Close)
	return srv, w
}

var assessForm = url.Values{
	"name": {"沈阳样例"}, "registered_on": {"2016-04-12"}, "assessed_on": {"2023-05-20"}, "employees": {"80"}, "tech_staff": {"7"},
	"total_assets_fen": {"30000000"}, "conversions_3y": {"10"}, "ip_class1": {"1"}, "ip_class2": {"3"}, "ip_self_developed": {"true"},
	"flags_resident_enterprise": {"true"}, "flags_excluded_industry": {"false"}, "flags_major_incident": {"false"},
	"flags_abnormal_or_dishonest_list": {"false"}, "flags_serious_fraud": {"false"}, "flags_core_ip_owned": {"true"}, "flags_in_supported_domain": {"true"},
	"direct_hnte_certificate_valid": {"false"}, "direct_national_award_top3": {"false"}, "direct_provincial_rd_institution": {"false"}, "direct_led_standard": {"false"},
	"y1_year": {"2020"}, "y1_sales_revenue_fen": {"40000000"}, "y1_total_income_fen": {"40000000"}, "y1_rd_expense_fen": {"2000000"}, "y1_rd_domestic_fen": {"2000000"},
	"y1_net_assets_fen": {"10000000"}, "y1_hightech_revenue_fen": {"26666666.66"}, "y1_cost_total_fen": {"32000000"}, "y1_tech_activity_fen": {"2000000"}, "y1_employees": {"80"},
	"y2_year": {"2021"}, "y2_sales_revenue_fen": {"50000000"}, "y2_total_income_fen": {"50000000"}, "y2_rd_expense_fen": {"2500000"}, "y2_rd_domestic_fen": {"2500000"},
	"y2_net_assets_fen": {"12000000"}, "y2_hightech_revenue_fen": {"33333333.33"}, "y2_cost_total_fen": {"40000000"}, "y2_tech_activity_fen": {"2500000"}, "y2_employees": {"80"},
	"y3_year": {"2022"}, "y3_sales_revenue_fen": {"60000000"}, "y3_total_income_fen": {"60000000"}, "y3_rd_expense_fen": {"3000000"}, "y3_rd_domestic_fen": {"3000000"},
	"y3_net_assets_fen": {"15000000"}, "y3_hightech_revenue_fen": {"40000000"}, "y3_cost_total_fen": {"48000000"}, "y3_tech_activity_fen": {"3000000"}, "y3_employees": {"80"},
	"hnte_event": {"first"},
}

// TestAssessPages: the form assesses every tier with reasons and the next
// tier's exact advice; a bad amount is refused naming the field; the
// calculator lists every policy with [A] amounts marked; the template
// downloads and uploads back; a FactsSource prefills the form.
func TestAssessPages(t *testing.T) {
	srv, world := assessServer(t, true)
	c := newClient(t, srv.URL)
	st, _, body := c.do("POST", "/assess", assessForm, "Origin", srv.URL)
	if st != 200 {
		t.Fatalf("POST /assess: %d\n%s", st, body)
	}
	for _, want := range []string{`id="tier-sme" data-verdict="fail"`, `id="tier-hnte" data-verdict="not_eligible"`, `data-check="tech_staff"`,
		`id="advice-sme"`, "科技人员数需再增加 1 可达 E 档", `value="沈阳样例"`, `value="26666666.66"`} {
		if !strings.Contains(body, want) {
			t.Errorf("self-check lacks %q", want)
		}
	}
	bad := url.Values{"assessed_on": {"2023-05-20"}, "y1_year": {"2022"}, "y1_sales_revenue_fen": {"1.234"}}
	if st, _, body := c.do("POST", "/assess", bad, "Origin", srv.URL); st != 422 || !strings.Contains(body, "y1_sales_revenue_fen") || !strings.Contains(body, `value="1.234"`) {
		t.Errorf("a three-decimal amount: %d", st)
	}
	st, _, body = c.do("POST", "/assess/policies", assessForm, "Origin", srv.URL)
	if st != 200 || !strings.Contains(body, `data-policy="sy_first_hnte_rd_subsidy" data-status="eligible"`) || !strings.Contains(body, "badge-assumed") ||
		!strings.Contains(body, `data-policy="sy_buyer_contract_subsidy" data-status="missing"`) {
		t.Errorf("policies: %d", st)
	}
	if !strings.Contains(body, "30.00万元") { // 10% of 300万元 R&D, under the 50万元 cap
		i := strings.Index(body, `data-policy="sy_first_hnte_rd_subsidy"`)
		t.Errorf("the first-time R&D subsidy's amount is not shown: %s", body[i:i+600])
	}
	// the template, uploaded back, is read like the CLI reads it
	res, err := http.Get(srv.URL + "/assess/template.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	xlsx, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "facts-template.xlsx")
	fw.Write(xlsx)
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/assess", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", srv.URL)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `value="沈阳示例科技有限公司"`) || !strings.Contains(string(b), `id="tier-sme"`) {
		t.Errorf("template uploaded back: %d", res.StatusCode)
	}
	// prefill: a logged-in caller loads the filing of 2022
	if st, loc, _ := c.do("POST", "/login", url.Values{"username": {world.Users["enterprise"].Username}, "password": {storetest.Password}}, "Origin", srv.URL); st != http.StatusSeeOther {
		t.Fatalf("login: %d %s", st, loc)
	}
	st, _, body = c.do("GET", "/assess?year=2022", nil)
	if st != 200 || !strings.Contains(body, `value="已填报企业"`) || !strings.Contains(body, `value="1234.56"`) {
		t.Errorf("prefill: %d", st)
	}
}

// TestAssessPrefillFromRegistry: the enterprise's own filing in the
// registry fills the self-check (Enterprises.FactsFor, wired by web.New);
// a year it did not file leaves the form empty.
func TestAssessPrefillFromRegistry(t *testing.T) {
	srv, world := assessServer(t, false)
	four := func(f *rules.Facts) { // FACTS.md: up to the 4 most recent years
		y := f.Years[0]
		y.Year--
		f.Years = append([]rules.Year{y}, f.Years...)
	}
	firm := world.Enterprise().Filed(2022, four).Insert(t)
	c := newClient(t, srv.URL)
	if st, loc, _ := c.do("POST", "/login", url.Values{"username": {world.Users["enterprise"].Username}, "password": {storetest.Password}}, "Origin", srv.URL); st != http.StatusSeeOther {
		t.Fatalf("login: %d %s", st, loc)
	}
	st, _, body := c.do("GET", "/assess?year=2022", nil)
	if st != 200 || !strings.Contains(body, `value="`+firm.Name+`"`) || !strings.Contains(body, `value="`+firm.USCC+`"`) {
		t.Errorf("prefill from the registry: %d", st)
	}
	for _, y := range []string{"2018", "2021"} { // the oldest and the newest of the four years
		if !strings.Contains(body, `value="`+y+`"`) {
			t.Errorf("the filed year %s is not in the form", y)
		}
	}
	if _, _, body := c.do("GET", "/assess?year=2019", nil); strings.Contains(body, `value="`+firm.USCC+`"`) {
		t.Error("a year not filed was prefilled")
	}
}

// TestAssessContractsAndEveryFact: the form asks for every fact of the
// registry's catalogue (the 雏鹰 honours, financing, expert points) and
// lists technology contracts: a registered, well-performing contract with
// a recognised talent earns the buyer's subsidy (5% of its price); no
// rows and no "none" leaves the contracts missing; "none" says none; a
// row without its kind is refused naming its input, as typed.
func TestAssessContractsAndEveryFact(t *testing.T) {
	srv, _ := assessServer(t, true)
	c := newClient(t, srv.URL)
	st, _, body := c.do("GET", "/assess", nil)
	for _, want := range []string{`name="flags_contest_award"`, `name="flags_software_certificates"`, `name="funding_valuation_usd"`,
		`name="expert_ip_advanced"`, `name="c1_signed_on"`, `name="c6_seller_kind"`, `name="contracts_none"`} {
		if st != 200 || !strings.Contains(body, want) {
			t.Errorf("the form lacks %s (%d)", want, st)
		}
	}
	with := func(extra url.Values) url.Values {
		v := url.Values{}
		for k, x := range assessForm {
			v[k] = x
		}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	talent := url.Values{"c1_signed_on": {"2023-03-01"}, "c1_kind": {"transfer"}, "c1_seller_kind": {"talent"},
		"c1_price_fen": {"1000000.01"}, "c1_registered": {"true"}, "c1_good_benefit": {"true"}, "funding_valuation_usd": {"2000000000"},
		"subsidy_paid_this_year_fen": {"0"}}
	st, _, body = c.do("POST", "/assess/policies", with(talent), "Origin", srv.URL)
	i := strings.Index(body, `data-policy="sy_buyer_contract_subsidy"`)
	if st != 200 || i < 0 || !strings.HasPrefix(body[i:], `data-policy="sy_buyer_contract_subsidy" data-status="eligible"`) {
		j := max(0, i)
		t.Fatalf("a talent's registered contract: %d %s", st, body[j:min(len(body), j+1500)])
	}
	if row := body[i:min(len(body), i+800)]; !strings.Contains(row, "5.00万元") { // 5% of 1,000,000.01 元, to the fen: 50,000.00
		t.Errorf("the buyer's subsidy: %s", row)
	}
	for _, want := range []string{`value="1000000.01"`, `name="funding_valuation_usd" value="2000000000"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not keep %s", want)
		}
	}
	st, _, body = c.do("POST", "/assess/policies", with(url.Values{"contracts_none": {"true"}}), "Origin", srv.URL)
	if st != 200 || !strings.Contains(body, `data-policy="sy_buyer_contract_subsidy" data-status="not_eligible"`) || !strings.Contains(body, `id="f-contracts_none" name="contracts_none" value="true" checked`) {
		i := max(0, strings.Index(body, `data-policy="sy_buyer_contract_subsidy"`))
		t.Errorf("no contracts: %d %s", st, body[i:min(len(body), i+600)])
	}
	bad := with(url.Values{"c2_signed_on": {"2023-03-01"}, "c2_seller_kind": {"talent"}, "c2_price_fen": {"5000"}})
	if st, _, body := c.do("POST", "/assess/policies", bad, "Origin", srv.URL); st != 422 || !strings.Contains(body, "c2_kind") || !strings.Contains(body, `value="5000"`) {
		t.Errorf("a contract without its kind: %d", st)
	}
	both := with(url.Values{"contracts_none": {"true"}, "c1_signed_on": {"2023-03-01"}, "c1_kind": {"transfer"}, "c1_seller_kind": {"talent"}, "c1_price_fen": {"1"}})
	if st, _, body := c.do("POST", "/assess/policies", both, "Origin", srv.URL); st != 422 || !strings.Contains(body, "contracts_none") {
		t.Errorf("contracts and none: %d", st)
	}
}
