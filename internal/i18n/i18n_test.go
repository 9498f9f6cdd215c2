package i18n_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

func TestNegotiate(t *testing.T) {
	for _, c := range []struct {
		name, query, cookie, accept string
		want                        i18n.Lang
	}{
		{"default", "", "", "", i18n.ZH},
		{"accept en", "", "", "en-US,en;q=0.9", i18n.EN},
		{"accept zh", "", "", "zh-CN,zh;q=0.9,en;q=0.8", i18n.ZH},
		{"q-values pick en", "", "", "zh;q=0.4,en;q=0.8", i18n.EN},
		{"q-values pick zh", "", "", "en;q=0.3,zh-Hans;q=0.9", i18n.ZH},
		{"unsupported", "", "", "fr-FR,de;q=0.8", i18n.ZH},
		{"unsupported then en", "", "", "fr-FR,en;q=0.5", i18n.EN},
		{"garbage header", "", "", ";;;q=x", i18n.ZH},
		{"cookie over header", "", "en", "zh-CN", i18n.EN},
		{"cookie zh over header", "", "zh-CN", "en", i18n.ZH},
		{"bad cookie falls to header", "", "klingon", "en", i18n.EN},
		{"query over cookie", "en", "zh-CN", "zh-CN", i18n.EN},
		{"query zh over cookie", "zh", "en", "en", i18n.ZH},
		{"query en-GB", "en-GB", "", "", i18n.EN},
		{"unsupported query falls to cookie", "fr", "en", "", i18n.EN},
		{"nonsense query", "%%%", "", "", i18n.ZH},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/stats?lang="+c.query, nil)
			if c.cookie != "" {
				r.AddCookie(&http.Cookie{Name: i18n.Cookie, Value: c.cookie})
			}
			if c.accept != "" {
				r.Header.Set("Accept-Language", c.accept)
			}
			if got := i18n.Negotiate(r); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

// TestMiddleware: ?lang= sets the cookie and the context; without it no
// cookie is written and the context follows the negotiation.
func TestMiddleware(t *testing.T) {
	var seen i18n.Lang
	h := i18n.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = i18n.FromContext(r.Context()) }), true)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/contracts?lang=en", nil))
	cookies := rec.Result().Cookies()
	if seen != i18n.EN || len(cookies) != 1 || cookies[0].Name != i18n.Cookie || cookies[0].Value != "en" || !cookies[0].Secure || cookies[0].Path != "/" {
		t.Fatalf("?lang=en: context %s, cookies %+v", seen, cookies)
	}
	rec = httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/contracts", nil)
	r.Header.Set("Accept-Language", "en")
	h.ServeHTTP(rec, r)
	if seen != i18n.EN || len(rec.Result().Cookies()) != 0 || rec.Header().Get("Content-Language") != "en" {
		t.Fatalf("Accept-Language en: context %s, cookies %v", seen, rec.Result().Cookies())
	}
	if got := i18n.FromContext(context.Background()); got != i18n.ZH {
		t.Errorf("empty context: %s", got)
	}
}

func TestT(t *testing.T) {
	if got := i18n.T(i18n.EN, "合同不存在"); got != "No such contract" {
		t.Errorf("en: %q", got)
	}
	if got := i18n.T(i18n.ZH, "机构 %d 不存在", 12345); got != "机构 12345 不存在" {
		t.Errorf("zh keeps fmt's digits: %q", got)
	}
	if got := i18n.T(i18n.EN, "机构 %d 不存在", 2026); got != "No such organisation: 2026" {
		t.Errorf("en keeps fmt's digits: %q", got)
	}
	if got := i18n.T(i18n.EN, "某公司"); got != "某公司" {
		t.Errorf("data without an entry stays as it is: %q", got)
	}
	if got := i18n.TC(i18n.EN, "button", "不予登记"); got != "Refuse registration (不予登记)" {
		t.Errorf("tc: %q", got)
	}
	if got, want := i18n.T(i18n.EN, "不予登记"), "Refused"; got != want {
		t.Errorf("status: %q", got)
	}
	if got := i18n.TC(i18n.ZH, "button", "不予登记"); got != "不予登记" {
		t.Errorf("tc zh: %q", got)
	}
	args := []any{domain.Msg("卖方"), 3}
	if got := i18n.T(i18n.EN, "%s（另有 %d 处错误）", args...); got != "Seller (and 3 more errors)" {
		t.Errorf("nested text: %q", got)
	}
	if _, ok := args[0].(domain.Text); !ok {
		t.Error("T wrote into the caller's arguments")
	}
}

// TestError: a validation error keeps its zh-CN Message and renders, field
// by field, in English; a foreign error becomes the generic message.
func TestError(t *testing.T) {
	c := &domain.Contract{Title: "", Seller: domain.Party{Name: "甲", USCC: "123", RegionCode: "210100", Type: domain.PartyEnterprise},
		Buyer:    domain.Party{Name: "乙", USCC: domain.MakeUSCC("91210200000000077"), RegionCode: "210200", Type: domain.PartyEnterprise},
		SignedOn: "2026-11-01", TermStart: "2026-11-01", TermEnd: "2027-10-31", Category: "service", SubType: "service",
		Form: "written", Field: "energy", TurnoverFen: 100}
	err := c.Validate()
	zh := domain.ErrorMessage(err)
	e := i18n.Error(i18n.EN, err)
	if zh != "合同名称必填，且不超过200字（另有 1 处错误）" {
		t.Fatalf("zh-CN message changed: %q", zh)
	}
	if e.Message != "Contract title is required (at most 200 characters) (and 1 more errors)" || e.Field != "title" {
		t.Errorf("en: %q (%s)", e.Message, e.Field)
	}
	if len(e.Fields) != 2 || e.Fields[1].Field != "seller.uscc" || e.Fields[1].Message != "Seller: The unified social credit code (统一社会信用代码) has 18 characters, not 3" {
		t.Errorf("fields: %+v", e.Fields)
	}
	if domain.ErrorMessage(err) != zh {
		t.Error("rendering changed the original error")
	}
	if got := i18n.Error(i18n.ZH, err).Fields[1].Message; got != "卖方统一社会信用代码应为18位，实际为3位" {
		t.Errorf("zh field: %q", got)
	}
	if got := i18n.Message(i18n.EN, context.Canceled); got != "Internal error: please try again later" {
		t.Errorf("foreign error: %q", got)
	}
	hand := &domain.Error{Code: domain.ENOTFOUND, Message: "合同不存在"}
	if got := i18n.Message(i18n.EN, hand); got != "No such contract" {
		t.Errorf("hand-built error: %q", got)
	}
}

func TestDates(t *testing.T) {
	for _, c := range []struct {
		l        i18n.Lang
		in, want string
	}{
		{i18n.ZH, "2026-12-01", "2026年12月1日"}, {i18n.EN, "2026-12-01", "1 Dec 2026"},
		{i18n.EN, "2022-06-30", "30 Jun 2022"}, {i18n.ZH, "", ""}, {i18n.EN, "not a date", "not a date"},
	} {
		if got := i18n.Date(c.l, c.in); got != c.want {
			t.Errorf("Date(%s, %q) = %q, want %q", c.l, c.in, got, c.want)
		}
	}
	at := time.Date(2026, 12, 1, 9, 5, 0, 0, time.FixedZone("CST", 8*3600))
	if got := i18n.DateTime(i18n.ZH, at); got != "2026-12-01 09:05" {
		t.Errorf("zh DateTime %q", got)
	}
	if got := i18n.DateTime(i18n.EN, at); got != "1 Dec 2026 09:05" {
		t.Errorf("en DateTime %q", got)
	}
}

func TestAmounts(t *testing.T) {
	for _, c := range []struct {
		fen                int64
		zh, en, zhYi, enYi string
	}{
		{3_942_800_000_000, "394.28亿元", "CNY 39.43 bn", "394.28亿元", "CNY 39.43 bn"},
		{3_942_849_999_999, "394.28亿元", "CNY 39.43 bn", "394.28亿元", "CNY 39.43 bn"},
		{3_942_850_000_000, "394.29亿元", "CNY 39.43 bn", "394.29亿元", "CNY 39.43 bn"},
		{3_560_000_00, "356.00万元", "CNY 3.56 m", "0.04亿元", "CNY 3.56 m"},
		{80_000_00, "8.00万元", "CNY 80,000.00", "0.00亿元", "CNY 80,000.00"},
		{123_45, "123.45元", "CNY 123.45", "0.00亿元", "CNY 123.45"},
		{-250_000_000_00, "-2.50亿元", "CNY -250.00 m", "-2.50亿元", "CNY -250.00 m"},
		{99_999_999_99, "1.00亿元", "CNY 100.00 m", "1.00亿元", "CNY 100.00 m"},
		{99_999_499_99, "9,999.95万元", "CNY 100.00 m", "1.00亿元", "CNY 100.00 m"},
		{99_999_999_999, "10.00亿元", "CNY 1.00 bn", "10.00亿元", "CNY 1.00 bn"},
		{-1, "-0.01元", "CNY -0.01", "0.00亿元", "CNY -0.01"},
		{9_000_000_000_000_000_000, "900,000,000.00亿元", "CNY 90,000,000.00 bn", "900,000,000.00亿元", "CNY 90,000,000.00 bn"},
	} {
		if got := i18n.Amount(i18n.ZH, c.fen); got != c.zh {
			t.Errorf("Amount(zh, %d) = %q, want %q", c.fen, got, c.zh)
		}
		if got := i18n.Amount(i18n.EN, c.fen); got != c.en {
			t.Errorf("Amount(en, %d) = %q, want %q", c.fen, got, c.en)
		}
		if got := i18n.Yi(i18n.ZH, c.fen); got != c.zhYi {
			t.Errorf("Yi(zh, %d) = %q, want %q", c.fen, got, c.zhYi)
		}
		if got := i18n.Yi(i18n.EN, c.fen); got != c.enYi {
			t.Errorf("Yi(en, %d) = %q, want %q", c.fen, got, c.enYi)
		}
	}
	if got := i18n.Yuan(i18n.EN, 123_456_789); got != "CNY 1,234,567.89" {
		t.Errorf("Yuan en %q", got)
	}
	if got := i18n.Yuan(i18n.ZH, 123_456_789); got != "1,234,567.89元" {
		t.Errorf("Yuan zh %q", got)
	}
}
