package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/contractio"
	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
)

// The import, audit and account pages at the HTTP level: who may open
// them, and what each form does with good and bad input.

// upload posts a multipart form with one file, as the import form does.
func (c *client) upload(path, name string, content []byte, fields ...string) (int, string, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(content)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// importCSV is a contract file: a draft with a wrong seller credit code on
// row 2 (when bad) and a good draft on row 3, titled title.
func importCSV(t testing.TB, title string, bad bool) []byte {
	t.Helper()
	row := func(title, sellerUSCC string) map[string]string {
		return map[string]string{"合同名称": title, "卖方名称": "沈阳导入测试科技有限公司", "卖方统一社会信用代码": sellerUSCC,
			"卖方行政区划代码": "210102", "卖方主体类型": "企业法人", "买方名称": "沈阳导入测试装备有限公司",
			"买方统一社会信用代码": domain.MakeUSCC("91210106MA0TEXT12"), "买方行政区划代码": "210106", "买方主体类型": "企业法人",
			"签订日期": "2022-05-01", "起始日期": "2022-05-01", "终止日期": "2023-04-30", "合同类别": "技术开发", "子类": "委托开发",
			"合同形式": "书面", "印章一致": "是", "技术领域": "先进制造", "合同成交额（元）": "250,000.00", "状态": "草稿"}
	}
	good := domain.MakeUSCC("91210102MA0TEXT11")
	first := good
	if bad {
		first = good[:17] + map[bool]string{true: "1", false: "2"}[good[17] == '2'] // wrong check digit
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	h := contractio.Headers()
	w.Write(h)
	for _, r := range []map[string]string{row(title+"（第2行）", first), row(title, good)} {
		line := make([]string, len(h))
		for i, c := range h {
			line[i] = r[c]
		}
		w.Write(line)
	}
	w.Flush()
	return b.Bytes()
}

// ensureBureau makes sure a bureau account exists (the fallback seed has none).
func ensureBureau(t *testing.T, svc *service.Service) {
	t.Helper()
	if _, err := svc.Admin.UserByUsername(context.Background(), domain.SystemActor(), "bureau"); err == nil {
		return
	}
	admin := user(t, svc, "admin")
	err := svc.Admin.CreateUser(context.Background(), domain.SystemActor(), &domain.User{Username: "bureau", DisplayName: "科技局成果处",
		Role: domain.RoleBureau, OrgID: admin.OrgID}, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
}

func countTitled(t *testing.T, svc *service.Service, title string) int {
	t.Helper()
	_, n, err := svc.Contracts.List(context.Background(), service.ActorOf(user(t, svc, "registrar")), domain.ContractFilter{Query: title, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testAdminPages runs on TestPages' server and database.
func testAdminPages(t *testing.T, srv *httptest.Server, svc *service.Service, storeURL string) {
	ensureBureau(t, svc)
	clients := map[string]*client{"anonymous": newClient(t, srv.URL)}
	for _, name := range []string{"admin", "bureau", "registrar", "expert", "neu", "enterprise", "agency"} {
		clients[name] = newClient(t, srv.URL)
		clients[name].login(name)
	}
	t.Run("Permissions", func(t *testing.T) {
		// status by role: 303 = to the login page.
		want := map[string]map[string]int{
			"/contracts/import": {"anonymous": 303, "admin": 200, "registrar": 200, "bureau": 403, "expert": 403, "neu": 403, "enterprise": 403, "agency": 403},
			"/audit":            {"anonymous": 303, "admin": 200, "bureau": 200, "registrar": 403, "expert": 403, "neu": 403, "enterprise": 403, "agency": 403},
			"/account":          {"anonymous": 303, "admin": 200, "bureau": 200, "registrar": 200, "expert": 200, "neu": 200, "enterprise": 200, "agency": 200},
		}
		nav := map[string]string{"/contracts/import": `id="nav-import"`, "/audit": `id="nav-audit"`, "/account": `id="nav-account"`}
		for path, roles := range want {
			for role, status := range roles {
				t.Run(strings.TrimPrefix(path, "/")+"/"+role, func(t *testing.T) {
					c := clients[role]
					c.t = t
					st, loc, body := c.do("GET", path, nil)
					if st != status {
						t.Fatalf("%s as %s: %d, want %d", path, role, st, status)
					}
					if st == 303 && loc != "/login?next="+url.QueryEscape(path) {
						t.Fatalf("%s as %s: to %q, want the login page coming back", path, role, loc)
					}
					if st == 403 && !strings.Contains(body, "无权访问") {
						t.Fatalf("%s as %s: 403 without the friendly page: %.300q", path, role, body)
					}
					if role == "anonymous" {
						return
					}
					// The navigation offers exactly the pages the user may open
					// (the contracts list of any role, to keep it to one request).
					_, _, home := c.do("GET", "/account", nil)
					if got := strings.Contains(home, nav[path]); got != (status == 200) {
						t.Fatalf("%s as %s: nav item shown = %v, page status %d", path, role, got, status)
					}
				})
			}
		}
		for role, c := range clients {
			if role == "anonymous" || role == "expert" {
				continue
			}
			c.t = t
			_, _, body := c.do("GET", "/contracts", nil)
			if got, want := strings.Contains(body, `id="import-contracts"`), role == "admin" || role == "registrar"; got != want {
				t.Errorf("/contracts as %s: 导入 button shown = %v", role, got)
			}
			if !strings.Contains(body, `href="/account" id="account-link"`) {
				t.Errorf("/contracts as %s: the user name does not link to /account", role)
			}
		}
	})

	t.Run("Import", func(t *testing.T) {
		reg, exp := clients["registrar"], clients["expert"]
		reg.t, exp.t = t, t
		title := "网页导入测试合同"
		tests := []struct {
			name       string
			c          *client
			file       string
			content    []byte
			fields     []string
			wantStatus int
			want       []string
			stored     int // contracts titled title afterwards
		}{
			{"NoFile", reg, "", nil, nil, 422, []string{"请选择要上传的文件"}, 0},
			{"OldExcel", reg, "合同.xls", []byte("\xd0\xcf\x11\xe0"), nil, 422, []string{"不支持旧版 Excel"}, 0},
			{"PDFNotASheet", reg, "合同.pdf", []byte("%PDF-1.4\n%%EOF\n"), nil, 422, []string{"不是 xlsx 或 CSV 文件"}, 0}, // walkthrough #19
			{"ExpertForbidden", exp, "合同.csv", importCSV(t, title, false), nil, 403, []string{"不能批量导入"}, 0},
			{"BadRowNothingStored", reg, "合同.csv", importCSV(t, title, true), nil, 422,
				[]string{`id="import-failed"`, "导入失败，未导入任何数据", `<tr data-row="2">`, "卖方统一社会信用代码", "校验位", `id="count-imported">0<`}, 0},
			{"SkipBad", reg, "合同.csv", importCSV(t, title, true), []string{"skip_bad", "1"}, 200,
				[]string{`id="import-partial"`, "已导入 1 条合同，跳过 1 行错误数据", `id="import-partial-link"`, // walkthrough #22: the link also when rows were skipped
					`<tr data-row="2">`, `id="skip-bad" checked`}, 1},
			{"AllGood", reg, "合同.csv", importCSV(t, title+"B", false), nil, 200,
				[]string{`id="import-ok"`, "已导入 2 条合同", `id="import-no-errors"`}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.c.t = t
				st, _, body := tt.c.upload("/contracts/import", tt.file, tt.content, tt.fields...)
				if st != tt.wantStatus {
					t.Fatalf("status %d, want %d: %.400q", st, tt.wantStatus, body)
				}
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("%q not on the page", w)
					}
				}
				// The count includes the bad row's title: it is never stored.
				if n := countTitled(t, svc, title); n != tt.stored {
					t.Errorf("%d contracts titled %s, want %d", n, title, tt.stored)
				}
			})
		}
		anon := clients["anonymous"]
		anon.t = t
		if st, loc, _ := anon.upload("/contracts/import", "合同.csv", importCSV(t, title, false)); st != 303 || !strings.HasPrefix(loc, "/login") {
			t.Errorf("anonymous import: %d %s", st, loc)
		}
	})

	t.Run("Audit", func(t *testing.T) {
		b := clients["bureau"]
		b.t = t
		c, err := svc.Contracts.Create(context.Background(), service.ActorOf(user(t, svc, "neu")), &domain.Contract{Title: "审计页测试合同",
			Seller: domain.Party{OrgID: user(t, svc, "neu").OrgID}, Buyer: domain.Party{Name: "大连港湾装备有限公司",
				USCC: domain.MakeUSCC("91210200000000077"), RegionCode: "210200", Type: domain.PartyEnterprise},
			SignedOn: "2026-11-01", TermStart: "2026-11-01", TermEnd: "2027-10-31", Category: "service", SubType: "service",
			Form: "written", SealsMatch: true, Field: "energy", TurnoverFen: 30_000_000})
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(c.ID, 10)
		tests := []struct {
			name, path string
			wantStatus int
			want, not  []string
		}{
			{"Intact", "/audit", 200, []string{`id="audit-verify" data-ok="true"`, "哈希链完整", "批量导入合同"}, nil},
			{"FilterContract", "/audit?entity=contract&entity_id=" + id, 200,
				// neu's draft: the bureau sees the row, never the draft's contents.
				[]string{"创建合同草稿", `href="/contracts/` + id + `"`, "<details>", "草稿内容仅对所属机构可见", "共 1 条"}, []string{`data-action="contract.import"`, "审计页测试合同"}},
			// (every action's label is in the action filter's options: the rows are told by data-action)
			{"FilterImport", "/audit?entity=contract_import", 200, []string{`data-action="contract.import"`, "合同导入"}, []string{`data-action="contract.create"`}},
			{"Empty", "/audit?entity=contract&entity_id=999999999", 200, []string{`id="audit-empty"`}, nil},
			{"BadPage", "/audit?page=0", 422, []string{"页码应为正整数"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b.t = t
				st, _, body := b.do("GET", tt.path, nil)
				if st != tt.wantStatus {
					t.Fatalf("%s: %d, want %d", tt.path, st, tt.wantStatus)
				}
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s: %q not on the page", tt.path, w)
					}
				}
				for _, w := range tt.not {
					if strings.Contains(body, w) {
						t.Errorf("%s: %q on the page", tt.path, w)
					}
				}
			})
		}
		t.Run("Tampered", func(t *testing.T) {
			b.t = t
			storetest.Exec(t, storeURL, `UPDATE audit_log SET actor_name = 'someone' WHERE seq = 2`)
			_, _, body := b.do("GET", "/audit", nil)
			if !strings.Contains(body, `id="audit-verify" data-ok="false" data-broken-at="2"`) ||
				!regexp.MustCompile(`alert-error[^>]*id="audit-verify"`).MatchString(body) || !strings.Contains(body, "哈希链断裂：自第 2 条记录起") {
				t.Fatalf("tampered chain not reported in red at seq 2: %.600q", body[max(0, strings.Index(body, "<main")):])
			}
		})
	})

	t.Run("Account", func(t *testing.T) {
		c := clients["enterprise"]
		c.t = t
		st, _, body := c.do("GET", "/account", nil)
		me := user(t, svc, "enterprise")
		for _, w := range []string{me.DisplayName, me.OrgName, domain.RoleEnterprise.Label(), "kc_…", srv.URL + "/api/v1/contracts"} {
			if st != 200 || !strings.Contains(body, w) {
				t.Errorf("/account: %d, %q missing", st, w)
			}
		}
		t.Run("TokenNameRequired", func(t *testing.T) {
			c.t = t
			if st, _, body := c.do("POST", "/account/tokens", url.Values{"name": {"  "}}); st != 422 || !strings.Contains(body, "令牌名称必填") {
				t.Fatalf("empty token name: %d", st)
			}
		})
		t.Run("TokenShownOnceAndWorks", func(t *testing.T) {
			c.t = t
			st, _, body := c.do("POST", "/account/tokens", url.Values{"name": {"统计脚本"}})
			m := regexp.MustCompile(`id="token-secret" value="(kc_[A-Za-z0-9_-]+)"`).FindStringSubmatch(body)
			if st != 200 || m == nil {
				t.Fatalf("create token: %d, no secret on the page", st)
			}
			if !strings.Contains(body, `Bearer `+m[1]+`" `+srv.URL+`/api/v1/contracts`) || !strings.Contains(body, "只显示这一次") {
				t.Errorf("no curl example with the secret, or no copy hint: %s", body[strings.Index(body, `id="curl-example"`):][:300])
			}
			api := newClient(t, srv.URL)
			if st, _, _ := api.do("GET", "/api/v1/contracts", nil, "Authorization", "Bearer "+m[1]); st != 200 {
				t.Fatalf("API with the new token: %d", st)
			}
			again := tokenRow(t, c, "统计脚本")
			if strings.Contains(again, m[1]) {
				t.Fatal("the secret is shown again")
			}
			if strings.Contains(again, "从未使用") || !strings.Contains(again, "作废") {
				t.Errorf("the used token's row: %q", again)
			}
		})
		t.Run("TokenListAndRevoke", func(t *testing.T) {
			c.t = t
			ctx := context.Background()
			secret, tok, err := svc.Auth.CreateToken(ctx, service.ActorOf(me), "备用脚本<b>")
			if err != nil {
				t.Fatal(err)
			}
			_, theirs, err := svc.Auth.CreateToken(ctx, service.ActorOf(user(t, svc, "agency")), "他人令牌")
			if err != nil {
				t.Fatal(err)
			}
			row := tokenRow(t, c, "备用脚本&lt;b&gt;")
			if !strings.Contains(row, "从未使用") || !strings.Contains(row, `action="/account/tokens/`+strconv.FormatInt(tok.ID, 10)+`/revoke"`) ||
				!strings.Contains(row, "data-confirm=\"确定作废令牌") {
				t.Fatalf("unused token's row lacks 从未使用 or a confirmed revoke form: %q", row)
			}
			if _, _, page := c.do("GET", "/account", nil); strings.Contains(page, "他人令牌") {
				t.Fatal("another user's token is listed")
			}
			revoke := func(id int64) (int, string, string) {
				return c.do("POST", "/account/tokens/"+strconv.FormatInt(id, 10)+"/revoke", url.Values{})
			}
			if st, _, body := revoke(theirs.ID); st != 404 || !strings.Contains(body, "API令牌不存在") {
				t.Fatalf("revoking another user's token: %d", st)
			}
			if st, loc, _ := revoke(tok.ID); st != 303 || !strings.Contains(loc, "?ok=token_revoked") {
				t.Fatalf("revoke: %d %q", st, loc)
			}
			if _, _, page := c.do("GET", "/account?ok=token_revoked", nil); strings.Contains(page, "备用脚本") || !strings.Contains(page, "令牌已作废") {
				t.Fatal("the revoked token is still listed, or no confirmation")
			}
			api := newClient(t, srv.URL)
			if st, _, _ := api.do("GET", "/api/v1/contracts", nil, "Authorization", "Bearer "+secret); st != 401 {
				t.Fatalf("API with the revoked token: %d, want 401", st)
			}
			if st, _, _ := revoke(tok.ID); st != 404 {
				t.Fatalf("revoking twice: %d", st)
			}
			anon := clients["anonymous"]
			anon.t = t
			if st, loc, _ := anon.do("POST", "/account/tokens/"+strconv.FormatInt(theirs.ID, 10)+"/revoke", url.Values{}); st != 303 || !strings.HasPrefix(loc, "/login") {
				t.Errorf("anonymous revoke: %d %s", st, loc)
			}
		})
		t.Run("PasswordRateLimit", func(t *testing.T) {
			e := clients["expert"]
			e.t = t
			form := func(current string) url.Values {
				return url.Values{"current_password": {current}, "new_password": {"expert-new-2026"}, "new_password2": {"expert-new-2026"}}
			}
			for i := range 5 {
				if st, _, body := e.do("POST", "/account/password", form("not-my-password")); st != 422 || !strings.Contains(body, "当前密码不正确") {
					t.Fatalf("wrong current #%d: %d", i+1, st)
				}
			}
			st, _, body := e.do("POST", "/account/password", form(demo.Password))
			if st != 429 || !strings.Contains(body, "次数过多") || !strings.Contains(body, `id="password-error"`) {
				t.Fatalf("after five wrong passwords: %d %.300q", st, body)
			}
			if u := user(t, svc, "expert"); !password.Check(u.PasswordHash, demo.Password) {
				t.Fatal("the password changed while rate-limited")
			}
		})
		elsewhere := newClient(t, srv.URL) // the same user in another browser
		elsewhere.login("enterprise")
		newPW := "new-password-2026"
		tests := []struct {
			name                  string
			current, next, repeat string
			wantStatus            int
			want                  string
		}{
			{"NoCurrent", "", newPW, newPW, 422, "请填写当前密码"},
			{"WrongCurrent", "not-my-password", newPW, newPW, 422, "当前密码不正确"},
			{"TooShort", demo.Password, "short", "short", 422, "新密码至少8位"},
			{"Mismatch", demo.Password, newPW, newPW + "x", 422, "两次输入的新密码不一致"},
			{"SameAsCurrent", demo.Password, demo.Password, demo.Password, 422, "新密码不能与当前密码相同"},
			{"Changed", demo.Password, newPW, newPW, 303, "/account?ok=password"},
		}
		for _, tt := range tests {
			t.Run("Password"+tt.name, func(t *testing.T) {
				c.t = t
				st, loc, body := c.do("POST", "/account/password", url.Values{"current_password": {tt.current}, "new_password": {tt.next}, "new_password2": {tt.repeat}})
				got := body
				if st == 303 {
					got = loc
				}
				if st != tt.wantStatus || !strings.Contains(got, tt.want) {
					t.Fatalf("%d, want %d with %q: %.300q", st, tt.wantStatus, tt.want, got)
				}
			})
		}
		if _, _, body := c.do("GET", "/account?ok=password", nil); !strings.Contains(body, "密码已修改") {
			t.Error("no confirmation after changing the password")
		}
		if st, _, _ := c.do("GET", "/account", nil); st != 200 {
			t.Errorf("the session that changed the password: %d, want 200", st)
		}
		elsewhere.t = t
		if st, loc, _ := elsewhere.do("GET", "/account", nil); st != 303 || !strings.HasPrefix(loc, "/login") {
			t.Errorf("another session of the user after the change: %d %q, want the login page", st, loc)
		}
		fresh := newClient(t, srv.URL)
		if st, _, _ := fresh.do("POST", "/login", url.Values{"username": {"enterprise"}, "password": {demo.Password}}); st == 303 {
			t.Error("the old password still logs in")
		}
		if st, _, _ := fresh.do("POST", "/login", url.Values{"username": {"enterprise"}, "password": {newPW}}); st != 303 {
			t.Errorf("the new password does not log in: %d", st)
		}
		anon := clients["anonymous"]
		anon.t = t
		if st, loc, _ := anon.do("POST", "/account/password", url.Values{"current_password": {"x"}}); st != 303 || !strings.HasPrefix(loc, "/login") {
			t.Errorf("anonymous password change: %d %s", st, loc)
		}
	})
}

// tokenRow returns the /account table row of the token named name.
func tokenRow(t *testing.T, c *client, name string) string {
	t.Helper()
	st, _, body := c.do("GET", "/account", nil)
	if st != 200 {
		t.Fatalf("/account: %d", st)
	}
	i := strings.Index(body, "<td>"+name+"</td>")
	if i < 0 {
		t.Fatalf("token %q not listed on /account", name)
	}
	row := body[i:]
	if j := strings.Index(row, "</tr>"); j >= 0 {
		row = row[:j]
	}
	return row
}
