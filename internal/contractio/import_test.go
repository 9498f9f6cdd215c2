package contractio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
)

// seedContracts fills a fixture with registered contracts made through the
// workflow (2023), a draft, and historical contracts imported from a file
// (2021–2022, one signed under the pre-2021 categories).
func seedContracts(t *testing.T, fx *fixture) {
	t.Helper()
	fx.register(t, "registrar", fx.sampleContract("智能焊接机器人开发", "enterprise", 50_000_000), 40_000_000)
	c := fx.sampleContract("远程诊断软件许可", "external", 12_345_678)
	c.Category, c.SubType, c.ChainCode, c.BrokerID, c.CostItems = "license", "other_license", "", fx.Orgs["agency"].ID, nil
	fx.register(t, "registrar", c, 0)
	c = fx.sampleContract("=SUM(A1) 公式开头的标题", "enterprise2", 900_000_00)
	c.CostItems = append(c.CostItems, domain.CostItem{Kind: "prototype", Description: "试验装置", UnitPriceFen: 100_000, Quantity: 3})
	fx.register(t, "registrar", c, 1)
	e := fx.sampleContract("企业自报合同", "enterprise2", 3_000_000)
	e.Seller = domain.Party{OrgID: fx.Orgs["enterprise"].ID}
	fx.register(t, "enterprise", e, 600_000) // 技术性收入 at most the 技术交易额
	d := fx.sampleContract("尚未提交的草稿", "enterprise", 10_000)
	d.CostItems = nil
	if _, err := fx.Svc.Contracts.Create(context.Background(), fx.Actors["registrar"], d); err != nil {
		t.Fatal(err)
	}
	hist := table(
		validRow(nil),
		validRow(map[string]string{"登记号": "2021210100000120", "合同名称": "历史专利许可（旧分类）", "签订日期": "2020-11-20", "起始日期": "2020-12-01",
			"终止日期": "2022-12-01", "合同类别": "技术转让", "子类": "专利实施许可", "登记日期": "2021-01-15", "产业链": "",
			"非技术性费用": "样品样机、试验装置（技术载体）:样机:10,000.00:3; 原材料:试剂\\;耗材:0.50:1000", "技术交易额（元）": "1224067.89"}),
		validRow(map[string]string{"登记号": "2022210100000009", "合同名称": "外地买方咨询", "买方名称": "大连某研究所", "买方统一社会信用代码": usccN(901),
			"买方行政区划代码": "210200", "买方主体类型": "科研机构", "合同类别": "consulting", "子类": "consulting", "技术领域": "energy",
			"中介机构统一社会信用代码": storetest.AgencyUSCC, "合同成交额（元）": "0.01", "技术性收入（元）": "0"}),
	)
	rep, err := fx.importAs(t, "registrar", contractio.CSV, toCSV(t, hist), false)
	if err != nil {
		t.Fatalf("historical import: %v %+v", err, rep)
	}
}

func statsJSON(t *testing.T, fx *fixture, year int) string {
	t.Helper()
	st, err := fx.Svc.Contracts.Stats(context.Background(), year)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(st)
	return string(b)
}

// nextRegNo registers a new contract and returns its number: it shows
// where the registry's sequence stands.
func nextRegNo(t *testing.T, fx *fixture) string {
	return fx.register(t, "registrar", fx.sampleContract("序号检查", "enterprise", 100_000_00), 0).RegNo
}

func TestRoundTrip(t *testing.T) {
	for _, ns := range storesFor(t) {
		src := newFixture(t, ns.Name, ns.Store)
		seedContracts(t, src)
		want := src.all(t)
		if len(want) != 8 {
			t.Fatalf("seeded %d contracts, want 8", len(want))
		}
		for _, f := range formats {
			t.Run(ns.Name+"/"+string(f), func(t *testing.T) {
				file := src.export(t, "registrar", f)
				dst := newFixture(t, ns.Name, freshStore(t, ns.Name))
				rep, err := dst.importAs(t, "registrar", f, file, false)
				if err != nil {
					t.Fatalf("import: %v\n%s", err, strings.Join(rep.Lines(), "\n"))
				}
				if rep.Imported != len(want) || rep.Skipped != 0 || len(rep.Errors) != 0 {
					t.Fatalf("report %+v", rep)
				}
				sameContracts(t, want, dst.all(t))
				for _, y := range []int{2021, 2022, 2023} {
					if a, b := statsJSON(t, src, y), statsJSON(t, dst, y); a != b {
						t.Errorf("stats %d differ:\nsrc %s\ndst %s", y, a, b)
					}
				}
				if !reflect.DeepEqual(src.rollup(t), dst.rollup(t)) {
					t.Error("rollups differ")
				}
				// The imported numbers raised the sequence: the next
				// registration continues after the highest one.
				if got := nextRegNo(t, dst); got != "2023210100000005" {
					t.Errorf("next registration number %s, want 2023210100000005", got)
				}
			})
		}
	}
}

func TestBadRowsStoreNothing(t *testing.T) {
	for _, fx := range fixtures(t) {
		seedContracts(t, fx)
		for _, f := range formats {
			t.Run(fx.DB+"/"+string(f), func(t *testing.T) {
				prefix := map[contractio.Format]string{contractio.CSV: "20222101000002", contractio.XLSX: "20222101000003"}[f]
				badUSCC := storetest.EntUSCC[:17] + "0"
				if storetest.EntUSCC[17] == '0' {
					badUSCC = storetest.EntUSCC[:17] + "1"
				}
				rows := table(
					validRow(map[string]string{"登记号": prefix + "01", "合同名称": "好行一"}),
					validRow(map[string]string{"登记号": prefix + "02", "合同名称": "坏行一", "买方统一社会信用代码": badUSCC}),
					validRow(map[string]string{"登记号": prefix + "03", "合同名称": "好行二"}),
					validRow(map[string]string{"登记号": prefix + "04", "合同名称": "坏行二", "合同成交额（元）": "1.005"}),
				)
				// Blank lines are not rows of data but keep their numbers.
				rows = append(rows[:3], append([][]string{make([]string, len(rows[0]))}, rows[3:]...)...)
				data := encode(t, f, rows)
				before, rollBefore := fx.count(t), fx.rollup(t)

				rep, err := fx.importAs(t, "registrar", f, data, false)
				if err == nil || !rep.Failed {
					t.Fatalf("want failure, got %v %+v", err, rep)
				}
				want := []contractio.RowError{
					{Row: 3, Field: "买方统一社会信用代码", Message: fmt.Sprintf("统一社会信用代码校验位错误：应为%c，实际为%c", storetest.EntUSCC[17], badUSCC[17])},
					{Row: 6, Field: "合同成交额（元）", Message: "金额最多保留两位小数（精确到分）：1.005"},
				}
				if !reflect.DeepEqual(rep.Errors, want) {
					t.Fatalf("errors\n got %+v\nwant %+v", rep.Errors, want)
				}
				if rep.Imported != 0 || rep.BadRows != 2 {
					t.Errorf("report %+v", rep)
				}
				if got := rep.Errors[0].String(); !strings.HasPrefix(got, "第 3 行，字段“买方统一社会信用代码”：统一社会信用代码校验位错误：应为") {
					t.Errorf("line %q", got)
				}
				if after := fx.count(t); after != before {
					t.Errorf("%d contracts stored from a failed file", after-before)
				}
				if !reflect.DeepEqual(fx.rollup(t), rollBefore) {
					t.Error("rollup changed by a failed import")
				}

				rep, err = fx.importAs(t, "registrar", f, data, true)
				if err != nil || rep.Imported != 2 || rep.Skipped != 2 || len(rep.Errors) != 2 {
					t.Fatalf("skip-bad: %v %+v", err, rep)
				}
				if after := fx.count(t); after != before+2 {
					t.Errorf("skip-bad stored %d, want 2", after-before)
				}
				if reflect.DeepEqual(fx.rollup(t), rollBefore) {
					t.Error("rollup unchanged by imported registered contracts")
				}
			})
		}
	}
}

func TestDuplicateRegNo(t *testing.T) {
	for _, fx := range fixtures(t) {
		seedContracts(t, fx) // holds 2022210100000007
		rows := table(
			validRow(map[string]string{"登记号": "2022210100000500"}),
			validRow(map[string]string{"登记号": "2022210100000500", "合同名称": "重复"}),
			validRow(map[string]string{"登记号": "2022210100000007", "合同名称": "库中已有"}),
		)
		rep, err := fx.importAs(t, "registrar", contractio.CSV, toCSV(t, rows), false)
		if err == nil {
			t.Fatalf("%s: duplicates accepted", fx.DB)
		}
		want := []contractio.RowError{
			{Row: 3, Field: "登记号", Message: "登记号 2022210100000500 与第 2 行重复"},
			{Row: 4, Field: "登记号", Message: "登记号 2022210100000007 已存在于系统中"},
		}
		if !reflect.DeepEqual(rep.Errors, want) {
			t.Errorf("%s: errors %+v", fx.DB, rep.Errors)
		}
	}
}

// TestRowRules checks one problem at a time: the row fails, naming the
// column and the reason.
func TestRowRules(t *testing.T) {
	cases := []struct {
		name  string
		over  map[string]string
		field string
		msg   string
	}{
		{"ErrTitleMissing", map[string]string{"合同名称": ""}, "合同名称", "必填"},
		{"ErrAmountNegative", map[string]string{"合同成交额（元）": "-1"}, "合同成交额（元）", "金额不能为负数"},
		{"ErrAmountZero", map[string]string{"合同成交额（元）": "0"}, "合同成交额（元）", "合同成交额须大于0"},
		{"ErrAmountGrouping", map[string]string{"合同成交额（元）": "12,34.00"}, "合同成交额（元）", "千位分隔符"},
		{"ErrIncomeOverTurnover", map[string]string{"技术性收入（元）": "2,000,000"}, "技术性收入（元）", "不能超过技术交易额"},
		{"ErrSameParty", map[string]string{"买方统一社会信用代码": storetest.UnivUSCC}, "买方统一社会信用代码", "买方与卖方不能是同一主体"},
		{"ErrRegionFormat", map[string]string{"卖方行政区划代码": "21010"}, "卖方行政区划代码", "6位数字"},
		{"ErrRegionUnknownLocal", map[string]string{"买方行政区划代码": "210199"}, "买方行政区划代码", "行政区划代码 210199 不存在"},
		// Codes of real provinces that are not divisions (accepted before the national table was checked).
		{"ErrRegionUnknownBeijing", map[string]string{"买方行政区划代码": "110199"}, "买方行政区划代码", "行政区划代码 110199 不存在"},
		{"ErrRegionUnknownJiangsu", map[string]string{"卖方行政区划代码": "329999"}, "卖方行政区划代码", "行政区划代码 329999 不存在"},
		{"ErrRegionNoProvince", map[string]string{"买方行政区划代码": "999999"}, "买方行政区划代码", "行政区划代码 999999 不存在"},
		{"ErrPartyType", map[string]string{"卖方主体类型": "个体户"}, "卖方主体类型", "应为企业法人"},
		{"ErrBrokerNotAgency", map[string]string{"中介机构统一社会信用代码": storetest.EntUSCC}, "中介机构统一社会信用代码", "技术转移机构"},
		{"ErrDate", map[string]string{"签订日期": "2022-02-30"}, "签订日期", "不是有效日期"},
		{"ErrTermEnd", map[string]string{"终止日期": "2022-01-01"}, "终止日期", "不能早于"},
		{"ErrLicenseBefore2021", map[string]string{"签订日期": "2020-06-01", "起始日期": "2020-06-01", "合同类别": "技术许可", "子类": "专利实施许可"}, "合同类别", "自2021年1月1日起单列"},
		{"ErrSubType", map[string]string{"子类": "技术培训"}, "子类", "没有子类"},
		{"ErrField", map[string]string{"技术领域": "量子"}, "技术领域", "无效"},
		{"ErrChain", map[string]string{"产业链": "航母"}, "产业链", "不存在"},
		{"ErrCostsFormat", map[string]string{"非技术性费用": "设备:100"}, "非技术性费用", "格式无效"},
		{"ErrCostsKind", map[string]string{"非技术性费用": "房租:办公室:100:1"}, "非技术性费用", "类别“房租”无效"},
		{"ErrCostsOverTurnover", map[string]string{"非技术性费用": "设备:机床:2,000,000:1"}, "非技术性费用", "超过合同成交额"},
		{"ErrTechMismatch", map[string]string{"技术交易额（元）": "1.00"}, "技术交易额（元）", "技术交易额应为 1234567.89"},
		{"ErrStatusSubmitted", map[string]string{"状态": "待受理"}, "状态", "只能导入“已登记”或“草稿”"},
		{"ErrStatusAccepted", map[string]string{"状态": "已受理"}, "状态", "只能导入“已登记”或“草稿”"},
		{"ErrStatusUnknown", map[string]string{"状态": "作废"}, "状态", "无效"},
		{"ErrRegisteredNoNumber", map[string]string{"登记号": ""}, "登记号", "必须填写登记号"},
		{"ErrDraftWithNumber", map[string]string{"状态": "草稿"}, "登记号", "草稿不能有登记号"},
		{"ErrRegNoFormat", map[string]string{"登记号": "2022-21010000007"}, "登记号", "16位数字"},
		{"ErrRegNoRegistry", map[string]string{"登记号": "2022210200000007"}, "登记号", "行政区划代码 210100"},
		{"ErrRegNoFuture", map[string]string{"登记号": "2030210100000007", "登记日期": "2030-01-05"}, "登记号", "年份 2030 无效"},
		{"ErrRegisteredOnYear", map[string]string{"登记日期": "2023-01-05"}, "登记日期", "不一致"},
		{"ErrRegisteredBeforeSigning", map[string]string{"登记日期": "2022-02-01"}, "登记日期", "早于签订日期"},
		{"ErrRegisteredOral", map[string]string{"合同形式": "口头"}, "合同形式", "口头形式的合同不予登记"},
		{"ErrRegisteredSeals", map[string]string{"印章一致": "否"}, "印章一致", "印章不一致"},
		// Walkthrough #2: a signing date after today (2023-06-15) or before 1980.
		{"ErrSignedAfterToday", map[string]string{"状态": "草稿", "登记号": "", "登记日期": "", "签订日期": "2030-01-01", "起始日期": "2030-01-01", "终止日期": "2031-01-01"}, "签订日期", "不能晚于今天"},
		{"ErrSignedBefore1980", map[string]string{"状态": "草稿", "登记号": "", "登记日期": "", "签订日期": "1900-01-01", "起始日期": "1900-01-01"}, "签订日期", "1980-01-01"},
	}
	for _, fx := range fixtures(t) {
		for _, tc := range cases {
			t.Run(fx.DB+"/"+tc.name, func(t *testing.T) {
				rep, err := fx.importAs(t, "registrar", contractio.CSV, toCSV(t, table(validRow(tc.over))), false)
				if err == nil {
					t.Fatalf("row accepted")
				}
				found := false
				for _, e := range rep.Errors {
					if e.Row != 2 {
						t.Errorf("error on row %d: %+v", e.Row, e)
					}
					found = found || e.Field == tc.field && strings.Contains(e.Message, tc.msg)
				}
				if !found {
					t.Fatalf("errors %+v, want one for %s containing %q", rep.Errors, tc.field, tc.msg)
				}
			})
		}
		t.Run(fx.DB+"/ValidVariants", func(t *testing.T) {
			rows := table(
				validRow(map[string]string{"登记号": "", "状态": "", "登记日期": "", "合同名称": "草稿（无状态列值）"}),
				validRow(map[string]string{"登记号": "2022210100000401", "状态": "", "签订日期": "2022/3/1", "起始日期": "2022年3月1日",
					"合同成交额（元）": "100元", "技术交易额（元）": "100.00", "技术性收入（元）": "0", "卖方统一社会信用代码": strings.ToLower(storetest.UnivUSCC), "合同类别": "development", "子类": "entrusted_dev",
					"技术领域": "manufacturing", "产业链": "robot", "合同形式": "written", "印章一致": "true", "卖方主体类型": "university"}),
			)
			rep, err := fx.importAs(t, "registrar", contractio.CSV, toCSV(t, rows), false)
			if err != nil {
				t.Fatalf("%v %+v", err, rep.Errors)
			}
			for _, c := range fx.all(t) {
				if c.RegNo == "2022210100000401" && (c.SignedOn != "2022-03-01" || c.TurnoverFen != 10000 || c.Seller.OrgID != fx.Orgs["university"].ID) {
					t.Errorf("parsed %+v", c)
				}
				if c.Title == "草稿（无状态列值）" && (c.Status != domain.ContractDraft || c.OwnerOrgID != fx.Orgs["registry"].ID) {
					t.Errorf("draft %+v", c)
				}
			}
		})
	}
}

func TestHeaderProblems(t *testing.T) {
	fx := fixtures(t)[0]
	h := contractio.Headers()
	cases := []struct {
		name string
		data []byte
		want []contractio.RowError
	}{
		{"Empty", []byte(""), []contractio.RowError{{Row: 1, Message: "文件为空：第一行应为列名（请使用导入模板）"}}},
		{"MissingColumn", toCSV(t, [][]string{h[2:]}), []contractio.RowError{{Row: 1, Field: "合同名称", Message: "缺少必需的列“合同名称”"}}},
		{"UnknownColumn", toCSV(t, [][]string{append(append([]string{}, h...), "备注")}), []contractio.RowError{{Row: 1, Field: "备注", Message: "未知的列“备注”（第 30 列），列名须与模板一致"}}},
		{"BadQuote", append(toCSV(t, [][]string{h}), []byte("\"abc\"x,1\n")...), []contractio.RowError{{Row: 2, Message: "CSV 格式错误（extraneous or missing \" in quoted-field），请检查引号是否成对"}}},
		{"NotXLSX", []byte("PK\x03\x04garbage"), []contractio.RowError{{Row: 0, Message: "不是有效的 Excel（.xlsx）文件"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := fx.Svc.Contracts.Import(context.Background(), fx.Actors["registrar"], bytes.NewReader(tc.data), contractio.Options{SkipBad: true})
			if err == nil || !rep.Failed {
				t.Fatalf("accepted: %+v", rep)
			}
			if !reflect.DeepEqual(rep.Errors, tc.want) {
				t.Errorf("errors %+v", rep.Errors)
			}
		})
	}
}

func TestTemplateReimports(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, f := range formats {
			var b bytes.Buffer
			chains, _ := fx.St.Chains(context.Background())
			if err := contractio.Template(f, chains, &b); err != nil {
				t.Fatal(err)
			}
			rep, err := fx.importAs(t, "registrar", f, b.Bytes(), false)
			if err != nil || rep.Imported != 0 || rep.Rows != 0 || len(rep.Errors) != 0 {
				t.Errorf("%s/%s: template re-import: %v %+v", fx.DB, f, err, rep)
			}
		}
	}
}

// TestXLSXCells feeds cells as Excel stores what users type: dates as
// serial numbers and amounts as binary floating point.
func TestXLSXCells(t *testing.T) {
	fx := fixtures(t)[0]
	rows := table(validRow(map[string]string{"签订日期": "44621", "起始日期": "44621.0", "合同成交额（元）": "1234.5599999999999",
		"技术性收入（元）": "0.30000000000000004", "登记号": "2022210100000600"}),
		validRow(map[string]string{"合同成交额（元）": "1.0049999999999999", "登记号": "2022210100000601"}))
	rep, err := fx.importAs(t, "registrar", contractio.XLSX, toXLSX(t, rows), true)
	if err != nil || rep.Imported != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Row != 3 || !strings.Contains(rep.Errors[0].Message, "两位小数") {
		t.Errorf("errors %+v", rep.Errors)
	}
	for _, c := range fx.all(t) {
		if c.RegNo == "2022210100000600" && (c.SignedOn != "2022-03-01" || c.TermStart != "2022-03-01" || c.TurnoverFen != 123456 || c.TechIncomeFen != 30) {
			t.Errorf("parsed %+v", c)
		}
	}
}

func TestGBKAndBOM(t *testing.T) {
	fx := fixtures(t)[0]
	plain := toCSV(t, table(validRow(map[string]string{"登记号": "2022210100000700", "合同名称": "编码测试GBK"})))
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(plain)
	if err != nil {
		t.Fatal(err)
	}
	bom := append([]byte("\ufeff"), toCSV(t, table(validRow(map[string]string{"登记号": "2022210100000701", "合同名称": "编码测试BOM"})))...)
	for name, data := range map[string][]byte{"gbk": gbk, "bom": bom} {
		if rep, err := fx.importAs(t, "registrar", contractio.CSV, data, false); err != nil || rep.Imported != 1 {
			t.Errorf("%s: %v %+v", name, err, rep)
		}
	}
	titles := map[string]bool{}
	for _, c := range fx.all(t) {
		titles[c.Title] = true
	}
	if !titles["编码测试GBK"] || !titles["编码测试BOM"] {
		t.Errorf("titles %v", titles)
	}
}

func TestImportPermissionAndAudit(t *testing.T) {
	fx := fixtures(t)[0]
	data := toCSV(t, table(validRow(nil)))
	for _, who := range []string{"enterprise", "tto", "bureau", "expert"} {
		if _, err := fx.importAs(t, who, contractio.CSV, data, false); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s: %v", who, err)
		}
	}
	if _, err := fx.importAs(t, "admin", contractio.CSV, data, false); err != nil {
		t.Fatalf("admin: %v", err)
	}
	entries, _, err := fx.St.FindAudit(context.Background(), storeAuditFilter("contract_import"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.Contains(string(entries[0].After), `"imported":1`) || !strings.Contains(string(entries[0].After), `"sha256":"`) {
		t.Errorf("audit %+v", entries)
	}
}

// TestImportWritesHistory (walkthrough 22): every imported contract starts
// its history with one 批量导入 step by the importer, to the status it was
// imported in, on both databases.
func TestImportWritesHistory(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			ctx := context.Background()
			data := toCSV(t, table(validRow(nil)))
			if _, err := fx.importAs(t, "admin", contractio.CSV, data, false); err != nil {
				t.Fatal(err)
			}
			cs := fx.all(t)
			if len(cs) != 1 {
				t.Fatalf("%d contracts after the import, want 1", len(cs))
			}
			evs, err := fx.St.Events(ctx, "contract", cs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 1 || evs[0].Action != "import" || evs[0].To != string(cs[0].Status) || evs[0].ActorID != fx.Actors["admin"].UserID {
				t.Fatalf("history %+v, want one import step by the admin to %s", evs, cs[0].Status)
			}
		})
	}
}
