package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

func TestEnterpriseImport(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Enterprises
		ent := w.city.Ent
		other := w.city.USCC()
		file := "统一社会信用代码,企业名称,所在区县,产业链,成立日期\n" +
			ent.USCC + ",沈阳海龟医疗科技有限公司,浑南区,,2016-04-12\n" +
			other + ",沈阳阿尔法材料有限公司,210102,,2019-03-01\n" +
			"91210100MA0Y6KJG4X,沈阳坏代码有限公司,浑南区,,2019-03-01\n" +
			other + ",重复企业,浑南区,,2019-03-01\n"
		opt := sheetio.ImportOptions{FileName: "企业.csv"}
		if _, err := svc.Import(ctx, w.ent, strings.NewReader(file), opt); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("an enterprise imports the registry: %v", err)
		}
		rep, err := svc.Import(ctx, w.bureau, strings.NewReader(file), opt)
		if err == nil || !rep.Failed || rep.BadRows != 2 || rep.Errors[0].Row != 4 || rep.Errors[1].Row != 5 {
			t.Fatalf("bad rows: %+v %v", rep, err)
		}
		if xs, _, _ := svc.List(ctx, w.bureau, domain.EnterpriseFilter{}); len(xs) != 0 {
			t.Fatalf("a failed import stored %d firms", len(xs))
		}
		opt.SkipBad = true
		if rep, err = svc.Import(ctx, w.bureau, strings.NewReader(file), opt); err != nil || rep.Imported != 2 {
			t.Fatalf("skip bad: %+v %v", rep, err)
		}
		mine, err := svc.Mine(ctx, w.ent)
		if err != nil || mine.OrgID != ent.ID {
			t.Fatalf("the imported firm is not linked to its organisation: %+v %v", mine, err)
		}

		// The facts: the template's columns, one firm a row.
		var tpl bytes.Buffer
		if err := svc.FactsTemplate(ctx, sheetio.CSV, &tpl); err != nil {
			t.Fatal(err)
		}
		header := strings.SplitN(strings.TrimPrefix(tpl.String(), "\ufeff"), "\r\n", 2)[0]
		if !strings.Contains(header, "第1个会计年度 研发费用（元）") || !strings.Contains(header, "居民企业") {
			t.Fatalf("facts header %s", header)
		}
		facts := "统一社会信用代码,评价日期,职工总数,科技人员数,资产总额（元）,第1个会计年度 会计年度,第1个会计年度 研发费用（元）\n" +
			ent.USCC + ",2022-05-20,80,20,15000000.01,2021,1500000\n" +
			other + ",2022-05-20,10,20,,,\n" + // more R&D staff than staff
			"91210100MA0Y6KJG4M,2022-05-20,1,1,,,\n" // not in the registry
		opt = sheetio.ImportOptions{FileName: "数据.csv"}
		rep, err = svc.ImportFacts(ctx, w.bureau, strings.NewReader(facts), opt)
		if err == nil || rep.BadRows != 2 || rep.Errors[0].Field != "科技人员数" || rep.Errors[1].Field != "统一社会信用代码" {
			t.Fatalf("facts bad rows: %+v %v", rep, err)
		}
		opt.SkipBad = true
		if rep, err = svc.ImportFacts(ctx, w.bureau, strings.NewReader(facts), opt); err != nil || rep.Imported != 1 {
			t.Fatalf("facts skip bad: %+v %v", rep, err)
		}
		f, err := svc.Filing(ctx, w.ent, mine.ID, 2022)
		if err != nil || !strings.Contains(string(f.Facts), `"total_assets_fen":1500000001`) || f.FiledBy != 0 {
			t.Fatalf("imported filing %+v %v", f, err)
		}
		// The export reads back as the import's rows.
		var out bytes.Buffer
		if n, err := svc.ExportFacts(ctx, w.bureau, domain.EnterpriseFilter{}, 2022, sheetio.CSV, &out); err != nil || n != 1 {
			t.Fatalf("export: %d %v", n, err)
		}
		if !strings.Contains(out.String(), "15000000.01") {
			t.Errorf("export %s", out.String())
		}
		if rep, err = svc.ImportFacts(ctx, w.bureau, bytes.NewReader(out.Bytes()), sheetio.ImportOptions{FileName: "导出.csv"}); err != nil || rep.Imported != 1 {
			t.Fatalf("re-import of the export: %+v %v", rep, err)
		}
		evs, _ := svc.Events(ctx, w.bureau, mine.ID)
		if last := evs[len(evs)-1]; last.Action != "refile" {
			t.Errorf("the re-import is a correction: %+v", last)
		}
		var reg bytes.Buffer
		if n, err := svc.Export(ctx, w.bureau, domain.EnterpriseFilter{}, sheetio.CSV, &reg); err != nil || n != 2 || !strings.Contains(reg.String(), "沈阳阿尔法材料有限公司") {
			t.Errorf("registry export %d %v %s", n, err, reg.String())
		}
	})
}
