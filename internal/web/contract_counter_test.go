package web_test

import (
	"context"
	"encoding/csv"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// hrefOf returns the (unescaped) href of the element with id in a page.
func hrefOf(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`href="([^"]*)"[^>]*id="` + regexp.QuoteMeta(id) + `"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link #%s in the page", id)
	}
	return html.UnescapeString(m[1])
}

// TestExportHonoursListFilters: the list's export links carry the list's
// filters as parameters of their own and export exactly the list's rows
// (walkthrough finding 1: the filters were escaped into one parameter
// name, and the export held every contract).
func TestExportHonoursListFilters(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			for i, day := range []string{"2025-06-01", "2025-06-02", "2025-06-03"} { // 技术开发
				fx.contract().Registered(day, int64(10+i)).Insert(t)
			}
			fx.w.Contract(func(c *domain.Contract) {
				c.Title, c.Category, c.SubType = "技术服务合同（筛选）", "service", "service"
			}).Registered("2025-07-01", 20).Insert(t)
			reg := newClient(t, fx.srv.URL)
			reg.login("registrar")
			list := "/contracts?status=registered&year=2025&category=service"
			st, _, body := reg.do("GET", list, nil)
			if st != 200 {
				t.Fatalf("list: %d", st)
			}
			rows := strings.Count(body, `<tr data-id=`)
			if rows != 1 {
				t.Fatalf("the filtered list has %d rows, want 1", rows)
			}
			// The totals above the list are the filter's (walkthrough #21).
			if m := regexp.MustCompile(`id="list-totals" data-count="(\d+)" data-turnover="(\d+)"`).FindStringSubmatch(body); m == nil || m[1] != "1" || m[2] != "10000000" {
				t.Fatalf("totals above the list: %v", m)
			}
			for _, id := range []string{"export-csv", "export-xlsx"} {
				href := hrefOf(t, body, id)
				u, err := url.Parse(href)
				if err != nil {
					t.Fatal(err)
				}
				q := u.Query()
				if q.Get("status") != "registered" || q.Get("year") != "2025" || q.Get("category") != "service" {
					t.Fatalf("%s link %q does not carry the list's filters", id, href)
				}
			}
			st, _, out := reg.do("GET", hrefOf(t, body, "export-csv"), nil)
			if st != 200 {
				t.Fatalf("export: %d %s", st, out)
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := len(recs) - 1; got != rows {
				t.Fatalf("the export has %d rows, the list %d", got, rows)
			}
		})
	}
}

// TestFormDates: the filing form refuses a signing date after today (the
// fixture's 2026-12-01) naming the field, and files a term starting before
// the signing date with a warning the filer sees on the contract and in
// the edit form (walkthrough #2).
func TestFormDates(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			neu := newClient(t, fx.srv.URL)
			neu.login("neu")
			f := fx.contractForm("tto")
			f.Set("signed_on", "2030-01-01")
			f.Set("term_start", "2030-01-01")
			f.Set("term_end", "2031-01-01")
			st, _, body := neu.do("POST", "/contracts/new", f)
			if st != 422 || !strings.Contains(body, "签订日期不能晚于今天（2026-12-01）") {
				t.Fatalf("future signing date: %d", st)
			}
			f = fx.contractForm("tto")
			f.Set("term_start", "2026-10-01") // signed 2026-11-01
			st, loc, _ := neu.do("POST", "/contracts/new", f)
			if st != 303 || !strings.HasPrefix(loc, "/contracts/") {
				t.Fatalf("term before signing: %d %s", st, loc)
			}
			path := strings.SplitN(loc, "?", 2)[0]
			if _, _, body = neu.do("GET", path, nil); !strings.Contains(body, `data-flag="term_before_signing"`) {
				t.Fatal("the contract page does not warn of the term starting before signing")
			}
			if _, _, body = neu.do("GET", path+"/edit", nil); !strings.Contains(body, `id="warn-term-start"`) {
				t.Fatal("the edit form does not warn of the term starting before signing")
			}
		})
	}
}

// TestFormDuplicate: filing the same 合同编号 between the same parties twice
// is refused beside 合同编号 with a link to the existing filing
// (walkthrough #7).
func TestFormDuplicate(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			neu := newClient(t, fx.srv.URL)
			neu.login("neu")
			f := fx.contractForm("tto")
			st, loc, _ := neu.do("POST", "/contracts/new", f)
			if st != 303 {
				t.Fatalf("first filing: %d", st)
			}
			first := strings.SplitN(loc, "?", 2)[0]
			st, _, body := neu.do("POST", "/contracts/new", f)
			if st != 422 || !strings.Contains(body, "请勿重复申请登记") {
				t.Fatalf("duplicate filing: %d", st)
			}
			if !strings.Contains(body, `id="duplicate-link"><a href="`+first+`"`) {
				t.Fatalf("no link to the existing filing %s", first)
			}
		})
	}
}

// TestDeleteAndWithdrawPages: the owner's draft page offers 删除草稿, which
// deletes it; the owner's submitted filing offers 撤回申请; the registrar's
// page of the same filing offers neither.
func TestDeleteAndWithdrawPages(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			neu := newClient(t, fx.srv.URL)
			neu.login("neu")
			draft := fx.contract().Insert(t)
			path := "/contracts/" + strconv.FormatInt(draft.ID, 10)
			if _, _, body := neu.do("GET", path, nil); !strings.Contains(body, `id="delete-contract"`) || strings.Contains(body, `id="withdraw-contract"`) {
				t.Fatal("a draft's page does not offer deletion (or offers withdrawal)")
			}
			st, loc, _ := neu.do("POST", path+"/delete", url.Values{"version": {strconv.FormatInt(draft.Version, 10)}})
			if st != 303 || loc != "/contracts?ok=deleted" {
				t.Fatalf("delete: %d %s", st, loc)
			}
			if st, _, _ := neu.do("GET", path, nil); st != 404 {
				t.Fatalf("the deleted draft answers %d", st)
			}
			sub := fx.submitted(t)
			path = "/contracts/" + strconv.FormatInt(sub.ID, 10)
			if _, _, body := neu.do("GET", path, nil); !strings.Contains(body, `id="withdraw-contract"`) || strings.Contains(body, `id="delete-contract"`) {
				t.Fatal("a submitted filing's page does not offer withdrawal to its applicant")
			}
			reg := newClient(t, fx.srv.URL)
			reg.login("registrar")
			if _, _, body := reg.do("GET", path, nil); strings.Contains(body, `id="withdraw-contract"`) {
				t.Fatal("the registrar is offered the applicant's withdrawal")
			}
			st, loc, _ = neu.do("POST", path+"/withdraw", url.Values{"version": {strconv.FormatInt(sub.Version, 10)}})
			if st != 303 || !strings.HasSuffix(loc, "?ok=withdrawn") {
				t.Fatalf("withdraw: %d %s", st, loc)
			}
		})
	}
}

// TestStaleTab: an action or an edit from a tab showing an older version
// says plainly, at the top of the page, that it did not happen, in zh-CN
// and in English, and changes nothing (walkthrough #10).
func TestStaleTab(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			c := fx.submitted(t)
			path := "/contracts/" + strconv.FormatInt(c.ID, 10)
			seen := strconv.FormatInt(c.Version, 10)
			reg := newClient(t, fx.srv.URL)
			reg.login("registrar")
			if st, _, _ := reg.do("POST", path+"/return", url.Values{"version": {seen}, "comment": {"请补充验收标准"}}); st != 303 { // tab A
				t.Fatalf("return: %d", st)
			}
			st, _, body := reg.do("POST", path+"/register", url.Values{"version": {seen}, "tech_income_yuan": {"1000.00"}}) // tab B
			if st != 409 || !strings.Contains(body, `id="action-error">此合同已被他人修改，您的操作未执行，请刷新后重试<`) {
				t.Fatalf("stale register: %d, no plain message at the top", st)
			}
			_, _, body = reg.do("POST", path+"/refuse", url.Values{"version": {seen}, "ground": {"other"}, "note": {"x"}}, "Accept-Language", "en")
			if !strings.Contains(body, "Your action was NOT carried out") {
				t.Fatal("the English page does not say the action did not happen")
			}
			now, err := fx.svc.Contracts.Get(context.Background(), domain.SystemActor(), c.ID)
			if err != nil || now.Status != domain.ContractReturned || now.RegNo != "" {
				t.Fatalf("after the stale actions: %+v %v", now, err)
			}
			neu := newClient(t, fx.srv.URL)
			neu.login("neu")
			f := fx.contractForm("tto")
			f.Set("version", seen)
			st, _, body = neu.do("POST", path+"/edit", f)
			if st != 409 || !strings.Contains(body, "此合同已被他人修改，您的操作未执行，请刷新后重试") {
				t.Fatalf("stale edit: %d %s", st, regexp.MustCompile(`class="(ferr|alert[^"]*)"[^>]*>[^<]*`).FindAllString(body, -1))
			}
		})
	}
}

// TestTimelineShowsEditDiff: the contract page's history shows the
// registrar's edit of the applicant's 成交额 as old → new (walkthrough #11).
func TestTimelineShowsEditDiff(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			c := fx.contract().Returned().Insert(t)
			in := *c
			in.TurnoverFen += 100_000_00
			if _, err := fx.svc.Contracts.Update(context.Background(), service.ActorOf(fx.users["registrar"]), c.ID, c.Version, &in); err != nil {
				t.Fatal(err)
			}
			neu := newClient(t, fx.srv.URL)
			neu.login("neu")
			_, _, body := neu.do("GET", "/contracts/"+strconv.FormatInt(c.ID, 10), nil)
			m := regexp.MustCompile(`<li data-field="turnover_fen">(.*?)</li>`).FindStringSubmatch(body)
			if m == nil || !strings.Contains(m[1], "100,000.00元 → <strong>200,000.00元</strong>") || !strings.Contains(body, "登记员代为修改申请人填报的内容") {
				t.Fatalf("the timeline does not show the change: %v", m)
			}
			// the actor by name and organisation, not by login (walkthrough #24)
			reg := fx.users["registrar"]
			if who := reg.DisplayName + "（" + reg.OrgName + "）"; !strings.Contains(body, who) {
				t.Errorf("the timeline does not name the registrar as %q", who)
			}
		})
	}
}

// TestFormRequiredAndTooLarge (walkthrough #19): an empty required date or
// amount says 必填, not that its format is wrong; an amount of more digits
// than any amount holds says it is too large, not that its format is.
func TestFormRequiredAndTooLarge(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			neu := newClient(t, fx.srv.URL)
			neu.login("neu")
			f := fx.contractForm("tto")
			f.Set("signed_on", "")
			f.Set("term_end", "")
			f.Set("turnover_yuan", "")
			st, _, body := neu.do("POST", "/contracts/new", f)
			for _, want := range []string{"请填写签订日期（必填）", "请填写合同终止日期（必填）", "请填写合同成交额（必填）"} {
				if st != 422 || !strings.Contains(body, want) {
					t.Errorf("empty fields: %d, %q missing", st, want)
				}
			}
			if strings.Contains(body, "应为 YYYY-MM-DD 格式") || strings.Contains(body, "最多两位小数") {
				t.Error("an empty field is reported as a format error")
			}
			f = fx.contractForm("tto")
			f.Set("turnover_yuan", "100000000000000000000")
			st, _, body = neu.do("POST", "/contracts/new", f)
			if st != 422 || !strings.Contains(body, "合同成交额过大：不能超过1万亿元") || strings.Contains(body, "最多两位小数") {
				t.Errorf("1e20 yuan: %d, not reported as too large", st)
			}
		})
	}
}
