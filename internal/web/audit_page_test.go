package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// TestAuditInPlainWords (walkthrough 14): the audit log names changed
// fields by their labels with the values before and after, actions by
// their labels and never by their codes; it filters by user, action and
// dates; the export holds exactly the filtered rows; both databases.
func TestAuditInPlainWords(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			ctx := context.Background()
			reg := service.ActorOf(fx.users["registrar"])
			if _, err := fx.svc.Contracts.Return(ctx, reg, fx.shared.ID, fx.shared.Version, "请补充验收标准"); err != nil {
				t.Fatal(err)
			}
			admin := newClient(t, fx.srv.URL)
			admin.login("admin")
			st, _, body := admin.do("GET", "/audit?action=contract.return", nil)
			if st != http.StatusOK {
				t.Fatalf("/audit?action=contract.return: %d", st)
			}
			rows := strings.Count(body, `data-action="contract.return"`)
			if rows != 1 || strings.Count(body, "<tr data-seq=") != rows {
				t.Fatalf("the action filter: %d rows of contract.return among %d", rows, strings.Count(body, "<tr data-seq="))
			}
			for _, want := range []string{"<th>状态</th>", fx.shared.Status.Label(), "退回补正", "<th>补正记录</th>"} {
				if !strings.Contains(body, want) {
					t.Errorf("the return's row lacks %q", want)
				}
			}
			for _, bad := range []string{"<code>status</code>", ">contract.return<", "<th>status</th>", "<th>version</th>", "<th>updated_at</th>"} {
				if strings.Contains(body, bad) {
					t.Errorf("the audit log shows developer words: %q", bad)
				}
			}
			// by user: only the registrar's rows
			_, _, body = admin.do("GET", "/audit?user=registrar", nil)
			if n := strings.Count(body, "<tr data-seq="); n == 0 || strings.Count(body, `data-actor="registrar"`) != n {
				t.Errorf("user filter: %d rows, %d by registrar", n, strings.Count(body, `data-actor="registrar"`))
			}
			// dates: today (the world's clock) has the return, tomorrow has nothing
			today := fx.w.Today()
			tomorrow := domain.DateOf(fx.w.Clock.Now().AddDate(0, 0, 1))
			if _, _, body = admin.do("GET", "/audit?action=contract.return&from="+today+"&to="+today, nil); strings.Count(body, "<tr data-seq=") != 1 {
				t.Errorf("from=to=today: want the return's row")
			}
			if _, _, body = admin.do("GET", "/audit?from="+tomorrow, nil); !strings.Contains(body, `id="audit-empty"`) {
				t.Errorf("from=tomorrow: want no rows")
			}
			for _, tt := range []struct{ q, want string }{
				{"from=2026-13-01", "开始日期应为 YYYY-MM-DD 格式的日期"},
				{"from=2026-12-02&to=2026-12-01", "结束日期不能早于开始日期"},
				{"action=contract.explode", "操作“contract.explode”无效"},
			} {
				if st, _, body := admin.do("GET", "/audit?"+tt.q, nil); st != http.StatusUnprocessableEntity || !strings.Contains(body, tt.want) {
					t.Errorf("/audit?%s: %d, want 422 %q", tt.q, st, tt.want)
				}
			}
			// the export honours the filters
			st, _, body = admin.do("GET", "/audit/export?format=csv&user=registrar", nil)
			if st != http.StatusOK {
				t.Fatalf("export: %d %.200q", st, body)
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			_, _, all := admin.do("GET", "/audit/export?format=csv", nil)
			allRecs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(all, "\ufeff"))).ReadAll()
			if len(recs) < 2 || len(recs) >= len(allRecs) {
				t.Fatalf("export by user: %d lines of %d", len(recs), len(allRecs))
			}
			for _, r := range recs[1:] {
				if r[2] != "registrar" {
					t.Errorf("export by user has a row by %q", r[2])
				}
			}
			_, _, ret := admin.do("GET", "/audit/export?format=csv&action=contract.return", nil)
			if !strings.Contains(ret, "状态："+fx.shared.Status.Label()+" → 退回补正") || strings.Contains(ret, "contract.return") || strings.Contains(ret, "corrections") {
				t.Errorf("the export's change is not in plain words: %.400q", ret)
			}
			if st, _, _ := admin.do("GET", "/audit/export?format=pdf", nil); st != http.StatusUnprocessableEntity {
				t.Errorf("export format=pdf: %d, want 422", st)
			}
			if st, _, _ := admin.do("GET", "/audit/export?format=xlsx&user=registrar", nil); st != http.StatusOK {
				t.Errorf("xlsx export: %d", st)
			}
		})
	}
}
