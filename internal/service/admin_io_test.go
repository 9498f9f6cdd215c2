package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"kechuang/internal/adminio"
	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/store/storetest"
)

func TestAdminImportExport(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := adminWorld(t, w)
		orgs := "机构名称,机构类型,统一社会信用代码,行政区划代码\n" +
			"沈阳导入一号有限公司,企业," + storetest.USCC(301) + ",210106\n" +
			"沈阳导入二号研究院,科研院所,," + storetest.Heping + "\n" +
			"坏行,企业,,999999\n"
		opt := adminio.Options{FileName: "orgs.csv"}
		rep, err := w.svc.Admin.ImportOrgs(ctx, admin, strings.NewReader(orgs), opt)
		if err == nil || rep == nil || !rep.Failed || rep.Imported != 0 || rep.BadRows != 1 || rep.Errors[0].Row != 4 {
			t.Fatalf("all or nothing: %+v, %v", rep, err)
		}
		if _, total, _ := w.svc.Admin.Orgs(ctx, admin, domain.OrgFilter{Query: "导入"}); total != 0 {
			t.Fatalf("a failed import stored %d organisations", total)
		}
		opt.SkipBad = true
		rep, err = w.svc.Admin.ImportOrgs(ctx, admin, strings.NewReader(orgs), opt)
		if err != nil || rep.Imported != 2 || rep.Skipped != 1 || rep.SHA256 == "" {
			t.Fatalf("skip bad: %+v, %v", rep, err)
		}
		if _, err := w.svc.Admin.ImportOrgs(ctx, w.univ, strings.NewReader(orgs), opt); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("tto imported: %v", err)
		}
		if got := w.auditActions(t, "org_import", rep.SHA256); len(got) != 1 || got[0] != "org.import" {
			t.Fatalf("audit %v", got)
		}
		// Any current code of the national table; one it lacks is refused by row.
		other := "机构名称,机构类型,统一社会信用代码,行政区划代码\n苏州导入有限公司,企业,,320583\n坏区划,企业,,329999\n"
		rep, err = w.svc.Admin.ImportOrgs(ctx, admin, strings.NewReader(other), adminio.Options{FileName: "orgs2.csv", SkipBad: true})
		if err != nil || rep.Imported != 1 || len(rep.Errors) != 1 || rep.Errors[0].Row != 3 || !strings.Contains(rep.Errors[0].Message, "行政区划代码 329999 不存在") {
			t.Fatalf("regions of imported organisations: %+v, %v", rep, err)
		}

		users := "用户名,姓名,角色,所属机构统一社会信用代码,所属机构名称,初始密码\n" +
			"daoru,导入用户,企业," + storetest.USCC(301) + ",,import-pass-1\n" +
			"nopass,无密码,高校院所,,沈阳导入二号研究院,\n"
		rep, err = w.svc.Admin.ImportUsers(ctx, admin, strings.NewReader(users), adminio.Options{FileName: "users.csv"})
		if err != nil || rep.Imported != 2 {
			t.Fatalf("users: %+v, %v", rep, err)
		}
		if _, _, err := w.svc.Auth.Login(ctx, "daoru", "import-pass-1", "10.0.0.9"); err != nil {
			t.Fatalf("imported user: %v", err)
		}
		if _, _, err := w.svc.Auth.Login(ctx, "nopass", "", "10.0.0.9"); err == nil {
			t.Fatal("an imported user without a password logged in")
		}
		bad := "用户名,姓名,角色,所属机构名称,初始密码\nshort,短,企业,沈阳导入一号有限公司,123\n"
		rep, err = w.svc.Admin.ImportUsers(ctx, admin, strings.NewReader(bad), adminio.Options{FileName: "u.csv"})
		if err == nil || rep.Errors[0].Field != adminio.ColUserPassword {
			t.Fatalf("short password: %+v, %v", rep, err)
		}

		var b bytes.Buffer
		n, err := w.svc.Admin.ExportUsers(ctx, admin, domain.UserFilter{Query: "导入"}, sheetio.CSV, &b)
		if err != nil || n != 1 || !strings.Contains(b.String(), "daoru") || strings.Contains(b.String(), "import-pass") {
			t.Fatalf("export %d, %v: %s", n, err, b.String())
		}
		b.Reset()
		if _, err := w.svc.Admin.ExportOrgs(ctx, admin, domain.OrgFilter{}, sheetio.XLSX, &b); err != nil || b.Len() == 0 {
			t.Fatalf("export orgs: %v", err)
		}
		if _, err := w.svc.Admin.ExportUsers(ctx, w.bureau, domain.UserFilter{}, sheetio.CSV, &b); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("bureau exported users: %v", err)
		}
	})
}
