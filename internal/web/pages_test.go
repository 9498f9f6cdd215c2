package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// The page handlers at the HTTP level: the paths a browser test would take
// long to reach (rate limit, refusals, returns, cross-origin posts).

type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request and returns the status, the Location and the body.
func (c *client) do(method, path string, form url.Values, header ...string) (int, string, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

func (c *client) login(user string) {
	c.t.Helper()
	if st, loc, _ := c.do("POST", "/login", url.Values{"username": {user}, "password": {demo.Password}}); st != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d %s", user, st, loc)
	}
}

func TestPages(t *testing.T) {
	for _, ns := range demoStores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			srv, svc := server(t, ns.Store)
			seed(t, svc)
			ctx := context.Background()
			neu := service.ActorOf(user(t, svc, "neu"))
			registrar := service.ActorOf(user(t, svc, "registrar"))
			submitted := func(title string, accept bool) *domain.Contract {
				c, err := svc.Contracts.Create(ctx, neu, &domain.Contract{Title: title, Seller: domain.Party{OrgID: neu.OrgID},
					Buyer:    domain.Party{Name: "大连港湾装备有限公司", USCC: domain.MakeUSCC("91210200000000077"), RegionCode: "210200", Type: domain.PartyEnterprise},
					SignedOn: "2026-11-01", TermStart: "2026-11-01", TermEnd: "2027-10-31", Category: "service", SubType: "service",
					Form: "written", SealsMatch: true, Field: "energy", TurnoverFen: 30_000_000})
				if err == nil {
					_, err = svc.Contracts.UploadDocument(ctx, neu, c.ID, "c.pdf", []byte("%PDF-1.4\n%%EOF\n"))
				}
				if err == nil {
					c, err = svc.Contracts.Submit(ctx, neu, c.ID, 0)
				}
				if err == nil && accept {
					c, err = svc.Contracts.Accept(ctx, registrar, c.ID, c.Version)
				}
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			c1, c2 := submitted("储能电站运维技术服务", true), submitted("风电场功率预测技术服务", true)
			c3, c4 := submitted("口头约定的调试服务", false), submitted("热网调度算法技术服务", false)
			id1, id2 := "/contracts/"+strconv.FormatInt(c1.ID, 10), "/contracts/"+strconv.FormatInt(c2.ID, 10)
			id3, id4 := "/contracts/"+strconv.FormatInt(c3.ID, 10), "/contracts/"+strconv.FormatInt(c4.ID, 10)
			v := func(c *domain.Contract, kv ...string) url.Values {
				f := url.Values{"version": {strconv.FormatInt(c.Version, 10)}}
				for i := 0; i+1 < len(kv); i += 2 {
					f.Set(kv[i], kv[i+1])
				}
				return f
			}
			reg := newClient(t, srv.URL)
			reg.login("registrar")
			anon := newClient(t, srv.URL)
			expert := newClient(t, srv.URL)
			expert.login("expert")
			tests := []struct {
				name       string
				c          *client
				method     string
				path       string
				form       url.Values
				header     []string
				wantStatus int
				want       string // in the Location for redirects, else in the body
			}{
				{"StaticCSS", anon, "GET", "/static/app.css", nil, nil, 200, ".kpi"},
				{"Favicon", anon, "GET", "/static/favicon.svg", nil, nil, 200, "<svg"},
				{"StaticECharts", anon, "GET", "/static/vendor/echarts.min.js", nil, nil, 200, "echarts"},
				{"RootToStats", anon, "GET", "/", nil, nil, 302, "/stats"},
				{"StatsBadYear", anon, "GET", "/stats?year=abc", nil, nil, 422, "年份"},
				{"StatsUnitByReader", anon, "GET", "/stats?unit=wan", nil, nil, 200, `<option value="wan" selected>万元</option>`},
				{"StatsUnknownUnitIsAuto", anon, "GET", "/stats?unit=lakh", nil, nil, 200, `<option value="auto" selected>自动</option>`},
				{"AnonymousFormToLogin", anon, "GET", "/contracts/new", nil, nil, 303, "/login?next=%2Fcontracts%2Fnew"},
				{"UnsafeNextIgnored", anon, "GET", "/login?next=//evil.example/", nil, nil, 200, `name="next" value=""`},
				{"ExpertListsOnlyAssigned", expert, "GET", "/contracts", nil, nil, 200, "只能查看指派给您评审的技术合同"},
				{"ExpertCannotFile", expert, "GET", "/contracts/new", nil, nil, 403, "不能申请登记技术合同"},
				{"CrossOriginPostRefused", reg, "POST", id1 + "/return", v(c1, "comment", "x"), []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, 403, ""},
				{"ReturnNeedsComment", reg, "POST", id1 + "/return", v(c1), nil, 422, "请填写补正意见"},
				{"RegisterBadIncome", reg, "POST", id1 + "/register", v(c1, "tech_income_yuan", "12.345"), nil, 422, "核定技术性收入应为"},
				{"RegisterIncomeAboveTurnover", reg, "POST", id1 + "/register", v(c1, "tech_income_yuan", "300000.01"), nil, 422, "核定技术交易额不能为负，也不能超过申报的技术交易额"}, // the demo is under the 2026 regime
				{"RefuseNeedsGround", reg, "POST", id1 + "/refuse", v(c1), nil, 422, "请选择不予登记的理由"},
				{"RefuseOtherNeedsNote", reg, "POST", id1 + "/refuse", v(c1, "ground", "other"), nil, 422, "须填写说明"},
				{"MissingVersion", reg, "POST", id1 + "/return", url.Values{"comment": {"补充附件"}}, nil, 422, "缺少合同版本号"},
				{"MissingVersionOnEdit", reg, "POST", id1 + "/edit", url.Values{"title": {"x"}}, nil, 422, "缺少合同版本号"},
				{"StaleVersion", reg, "POST", id1 + "/return", v(&domain.Contract{Version: 1}, "comment", "补充附件"), nil, 409, "已被他人修改"},
				{"Return", reg, "POST", id1 + "/return", v(c1, "comment", "请补充技术服务成果的验收标准"), nil, 303, "?ok=returned"},
				{"ReturnedShowsComment", reg, "GET", id1, nil, nil, 200, "请补充技术服务成果的验收标准"},
				{"CorrectionNotice", reg, "GET", id1 + "/notice/correction", nil, nil, 200, "请补充技术服务成果的验收标准"},
				{"NoIntakeNoticeUnlessRejected", reg, "GET", id1 + "/notice/intake", nil, nil, 409, "没有不予受理通知书"},
				{"UnknownNotice", reg, "GET", id1 + "/notice/bogus", nil, nil, 404, ""},
				{"RefuseGroundOfOtherRegime", reg, "POST", id2 + "/refuse", v(c2, "ground", "not_technology"), nil, 422, "请选择不予登记的理由"},
				{"Refuse", reg, "POST", id2 + "/refuse", v(c2, "ground", "unclear_subject", "note", "属于一般劳务"), nil, 303, "?ok=refused"},
				{"RefusedShowsGround", reg, "GET", id2, nil, nil, 200, "合同标的不明确"},
				{"RefusalNotice", reg, "GET", id2 + "/notice/refusal", nil, nil, 200, "不予登记通知书"},
				{"IntakeShowsRegime", reg, "GET", id3, nil, nil, 200, `id="accept-form"`},
				{"RejectNeedsGround", reg, "POST", id3 + "/reject", v(c3), nil, 422, "请选择不予受理的理由"},
				{"RegisterBeforeAcceptance", reg, "POST", id4 + "/register", v(c4, "tech_income_yuan", "1.00"), nil, 409, "待受理"},
				{"Reject", reg, "POST", id3 + "/reject", v(c3, "ground", "oral", "note", "未提交书面合同"), nil, 303, "?ok=rejected"},
				{"IntakeNotice", reg, "GET", id3 + "/notice/intake", nil, nil, 200, "以口头形式订立的合同"},
				{"Accept", reg, "POST", id4 + "/accept", v(c4), nil, 303, "?ok=accepted"},
				{"AcceptedShowsWorkingDays", reg, "GET", id4, nil, nil, 200, "受理后15个工作日"},
				{"NoCertificateUnlessRegistered", reg, "GET", id2 + "/certificate", nil, nil, 409, "只有已登记的合同"},
				{"QueueNoLongerHasThem", reg, "GET", "/registry/queue?q=" + url.QueryEscape("技术服务"), nil, nil, 200, "登记队列"},
				{"VerifyForm", anon, "GET", "/certificates", nil, nil, 200, `id="verify-form"`},
				{"VerifyUnknown", anon, "GET", "/certificates?reg_no=2026210100999999", nil, nil, 404, "不存在"},
				{"VerifyMalformed", anon, "GET", "/certificates?reg_no=abc", nil, nil, 404, "16位数字"},
				{"VerifyBidiRefused", anon, "GET", "/certificates?reg_no=%E2%80%AEabc", nil, nil, 422, "reg_no"},
				{"BadFilter", reg, "GET", "/contracts?status=bogus", nil, nil, 422, "状态“bogus”无效"},
				{"BadSort", reg, "GET", "/contracts?sort=password", nil, nil, 422, "不支持按“password”排序"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					tt.c.t = t
					st, loc, body := tt.c.do(tt.method, tt.path, tt.form, tt.header...)
					if st != tt.wantStatus {
						t.Fatalf("%s %s: status %d, want %d (Location %q)", tt.method, tt.path, st, tt.wantStatus, loc)
					}
					got := body
					if st/100 == 3 {
						got = loc
					}
					if !strings.Contains(got, tt.want) {
						t.Fatalf("%s %s: %q not found in %.300q", tt.method, tt.path, tt.want, got)
					}
				})
			}
			t.Run("ImportAuditAccount", func(t *testing.T) { testAdminPages(t, srv, svc, ns.Store.URL()) })
			t.Run("RegimeGaps", func(t *testing.T) { testRegimeGaps(t, srv, svc) })
			t.Run("LoginRateLimit", func(t *testing.T) {
				c := newClient(t, srv.URL)
				var st int
				var body string
				for range 6 {
					st, _, body = c.do("POST", "/login", url.Values{"username": {"agency"}, "password": {"not-the-password"}})
				}
				if st != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多") {
					t.Fatalf("6th bad login: %d %.200q", st, body)
				}
			})
			t.Run("Logout", func(t *testing.T) {
				c := newClient(t, srv.URL)
				c.login("neu")
				if st, _, _ := c.do("GET", "/contracts", nil); st != 200 {
					t.Fatalf("logged in /contracts: %d", st)
				}
				if st, loc, _ := c.do("POST", "/logout", url.Values{}); st != 303 || loc != "/login" {
					t.Fatalf("logout: %d %s", st, loc)
				}
				if st, _, _ := c.do("GET", "/contracts", nil); st != 303 {
					t.Fatalf("after logout /contracts: %d, want a redirect to the login page", st)
				}
			})
		})
	}
}
