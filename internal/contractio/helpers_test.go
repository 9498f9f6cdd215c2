package contractio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// validRow is a registered 2022 contract between the university and the
// enterprise of the fixture; tests override single cells.
var rowSeq int // atomic enough: the package's tests do not run rows in parallel

// Each row has a 合同编号 of its own, so rows are not duplicates of each
// other (domain.SameDeal) unless a test says so.
func validRow(over map[string]string) map[string]string {
	rowSeq++
	r := map[string]string{
		"登记号": "2022210100000007", "合同名称": "历史合同A", "合同编号": fmt.Sprintf("LS-%03d", rowSeq),
		"卖方名称": "东北大学", "卖方统一社会信用代码": storetest.UnivUSCC, "卖方行政区划代码": "210102", "卖方主体类型": "高等院校",
		"买方名称": "沈阳海龟医疗科技有限公司", "买方统一社会信用代码": storetest.EntUSCC, "买方行政区划代码": "210112", "买方主体类型": "企业法人",
		"中介机构统一社会信用代码": "", "签订日期": "2022-03-01", "起始日期": "2022-03-01", "终止日期": "2023-03-01",
		"合同类别": "技术开发", "子类": "委托开发", "合同形式": "书面", "印章一致": "是", "技术领域": "先进制造", "产业链": "机器人",
		"合同成交额（元）": "1,234,567.89", "非技术性费用": "", "技术交易额（元）": "", "技术性收入（元）": "100000",
		"状态": "已登记", "登记日期": "2022-04-01",
	}
	for k, v := range over {
		r[k] = v
	}
	return r
}

// table turns row maps into a sheet with the standard header.
func table(rows ...map[string]string) [][]string {
	h := contractio.Headers()
	out := [][]string{h}
	for _, r := range rows {
		line := make([]string, len(h))
		for i, c := range h {
			line[i] = r[c]
		}
		out = append(out, line)
	}
	return out
}

func toCSV(t testing.TB, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func toXLSX(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", contractio.SheetName)
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(contractio.SheetName, cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var formats = []contractio.Format{contractio.CSV, contractio.XLSX}

func encode(t testing.TB, f contractio.Format, rows [][]string) []byte {
	if f == contractio.XLSX {
		return toXLSX(t, rows)
	}
	return toCSV(t, rows)
}

func (fx *fixture) importAs(t testing.TB, actor string, f contractio.Format, data []byte, skipBad bool) (*contractio.Report, error) {
	t.Helper()
	return fx.Svc.Contracts.Import(context.Background(), fx.Actors[actor], bytes.NewReader(data),
		contractio.Options{Format: f, FileName: "test." + string(f), SkipBad: skipBad})
}

func (fx *fixture) export(t testing.TB, actor string, f contractio.Format) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := fx.Svc.Contracts.Export(context.Background(), fx.Actors[actor], storeFilter(), f, &b); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.Bytes()
}

func storeFilter() domain.ContractFilter { return domain.ContractFilter{} }

func storeAuditFilter(entity string) domain.AuditFilter { return domain.AuditFilter{Entity: entity} }

func storesFor(t *testing.T) []testutil.NamedStore { return testutil.Stores(t) }

// freshStore returns another empty store of the named kind.
func freshStore(t *testing.T, kind string) *store.Store {
	if kind == "postgres" {
		return testutil.OpenPostgres(t, testutil.PostgresDSN(t))
	}
	return testutil.OpenSQLite(t)
}
