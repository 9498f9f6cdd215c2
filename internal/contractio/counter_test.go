package contractio_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// TestImportWarnsTermBeforeSigning: a row whose performance term starts
// before its signing date is imported, with a warning naming 起始日期 in the
// report (walkthrough #2: warned, not refused).
func TestImportWarnsTermBeforeSigning(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			rows := table(validRow(map[string]string{"起始日期": "2022-01-01"}), validRow(map[string]string{"登记号": "2022210100000008", "合同名称": "历史合同B"}))
			rep, err := fx.importAs(t, "registrar", contractio.CSV, toCSV(t, rows), false)
			if err != nil {
				t.Fatalf("%v %+v", err, rep.Errors)
			}
			if rep.Imported != 2 || len(rep.Warnings) != 1 || rep.Warnings[0].Row != 2 || rep.Warnings[0].Field != "起始日期" ||
				!strings.Contains(rep.Warnings[0].Message, "早于签订日期") {
				t.Fatalf("imported %d, warnings %+v", rep.Imported, rep.Warnings)
			}
		})
	}
}

// TestXLSXExportCells: an xlsx export holds amounts as numbers formatted
// #,##0.00 and dates as date cells (walkthrough #6), the 登记号 as text;
// the CSV export is unchanged text.
func TestXLSXExportCells(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			c := fx.register(t, "registrar", fx.sampleContract("单元格类型", "enterprise", 1_234_567_89), 1_000_000_00)
			f, err := excelize.OpenReader(bytes.NewReader(fx.export(t, "registrar", contractio.XLSX)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			col := map[string]string{}
			for i, h := range contractio.Headers() {
				col[h], _ = excelize.ColumnNumberToName(i + 1)
			}
			cell := func(h string) string { return col[h] + "2" }
			sheet := contractio.SheetName
			want := []struct{ header, raw, shown, format string }{
				{"合同成交额（元）", "1234567.89", "1,234,567.89", sheetio.YuanFormat},
				{"技术交易额（元）", domain.FormatYuanPlain(c.TechTransactionFen), "", sheetio.YuanFormat},
				{"技术性收入（元）", "1000000.00", "1,000,000.00", sheetio.YuanFormat},
				{"签订日期", "44986", "2023-03-01", sheetio.DateFormat},
				{"登记日期", "", c.RegisteredOn, sheetio.DateFormat},
			}
			for _, w := range want {
				typ, _ := f.GetCellType(sheet, cell(w.header))
				if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
					t.Errorf("%s is a text cell", w.header)
				}
				raw, _ := f.GetCellValue(sheet, cell(w.header), excelize.Options{RawCellValue: true})
				if w.raw != "" && raw != w.raw {
					t.Errorf("%s holds %q, want %q", w.header, raw, w.raw)
				}
				shown, _ := f.GetCellValue(sheet, cell(w.header))
				if w.shown != "" && shown != w.shown {
					t.Errorf("%s shows %q, want %q", w.header, shown, w.shown)
				}
				id, _ := f.GetCellStyle(sheet, cell(w.header))
				st, err := f.GetStyle(id)
				if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != w.format {
					t.Errorf("%s style %+v, want number format %s", w.header, st, w.format)
				}
			}
			if typ, _ := f.GetCellType(sheet, cell("登记号")); typ != excelize.CellTypeInlineString {
				t.Errorf("登记号 is not text: %v", typ)
			}
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(fx.export(t, "registrar", contractio.CSV), []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, r := range recs[1:] {
				found = found || slices.Contains(r, "1234567.89") && slices.Contains(r, "2023-03-01")
			}
			if !found {
				t.Error("the CSV export no longer writes amounts and dates as plain text")
			}
		})
	}
}

// TestImportDuplicates: importing the same file twice adds nothing the
// second time, each row reported as a duplicate of the stored contract;
// a row repeating an earlier row of its file is reported too (walkthrough
// #7).
func TestImportDuplicates(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			file := toCSV(t, table(
				validRow(map[string]string{"状态": "草稿", "登记号": "", "登记日期": "", "合同编号": "H-2025-002", "合同名称": "草稿导入：数控系统二次开发"}),
				validRow(map[string]string{"状态": "草稿", "登记号": "", "登记日期": "", "合同编号": "H-2025-003"}),
			))
			rep, err := fx.importAs(t, "registrar", contractio.CSV, file, false)
			if err != nil || rep.Imported != 2 {
				t.Fatalf("first import: %v %+v", err, rep)
			}
			before := len(fx.all(t))
			rep, err = fx.importAs(t, "registrar", contractio.CSV, file, true)
			if err != nil || rep.Imported != 0 || rep.Skipped != 2 || len(rep.Errors) != 2 {
				t.Fatalf("second import: %v %+v", err, rep)
			}
			for _, e := range rep.Errors {
				if e.Field != "合同编号" || !strings.Contains(e.Message, "与系统中已有的合同重复") {
					t.Errorf("error %+v", e)
				}
			}
			if n := len(fx.all(t)); n != before {
				t.Fatalf("the second import stored %d contracts", n-before)
			}
			rep, err = fx.importAs(t, "registrar", contractio.CSV, toCSV(t, table(
				validRow(map[string]string{"状态": "草稿", "登记号": "", "登记日期": "", "合同编号": "H-2025-010"}),
				validRow(map[string]string{"状态": "草稿", "登记号": "", "登记日期": "", "合同编号": "H-2025-010", "合同名称": "同号同方"}),
			)), false)
			if err == nil || len(rep.Errors) != 1 || rep.Errors[0].Row != 3 || !strings.Contains(rep.Errors[0].Message, "与第 2 行是同一份合同") {
				t.Fatalf("in-file duplicate: %v %+v", err, rep)
			}
		})
	}
}
