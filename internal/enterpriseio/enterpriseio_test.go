package enterpriseio

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/sheetio/sheetiotest"
)

var testLookup = &Lookup{
	Districts:  []domain.Region{{Code: "210102", Name: "和平区"}, {Code: "210112", Name: "浑南区"}},
	Chains:     []domain.Chain{{Code: "robot", Name: "机器人"}, {Code: "ic", Name: "集成电路"}},
	ChainCodes: []string{"robot", "ic"}, Today: "2023-06-15",
}

var codec = sheetiotest.Codec[domain.Enterprise]{
	Decode: func(r io.Reader, f sheetio.Format, maxRows int, fn func(int, *domain.Enterprise, []RowError) error) ([]RowError, error) {
		return Decode(r, f, testLookup, maxRows, fn)
	},
	Table:    func(xs []*domain.Enterprise) *sheetio.Table { return Table(xs, testLookup) },
	Template: func(f sheetio.Format, w io.Writer) error { return Template(f, testLookup, w) },
	Valid: func(x *domain.Enterprise) error {
		return x.Validate(testLookup.DistrictCodes(), testLookup.ChainCodes, testLookup.Today)
	},
}

func sample() []*domain.Enterprise {
	return []*domain.Enterprise{
		{ID: 3, USCC: ExampleUSCC, Name: "沈阳示例科技有限公司", District: "210112", Chain: "ic", RegisteredOn: "2016-04-12",
			OrgName: "沈阳示例科技有限公司", LastFiled: 2022},
		{ID: 4, USCC: "91210100MA0Y6KJG5Q", Name: "沈阳阿尔法材料有限公司", District: "210102", RegisteredOn: "2020-01-01"},
	}
}

func imported(x *domain.Enterprise) *domain.Enterprise {
	return &domain.Enterprise{USCC: x.USCC, Name: x.Name, District: x.District, Chain: x.Chain, RegisteredOn: x.RegisteredOn}
}

func TestRoundTrip(t *testing.T) {
	if err := domain.ValidateUSCC(sample()[1].USCC); err != nil {
		t.Fatal(err)
	}
	codec.RoundTrip(t, sample(), imported)
}

func TestTemplate(t *testing.T) { codec.TemplateValid(t) }

func TestGBK(t *testing.T) { codec.GBK(t, sample()[0]) }

func TestBadRows(t *testing.T) {
	header, good := codec.CSVLines(t, sample()[0])
	bad := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("%q not in %q", old, good)
		}
		return strings.Replace(good, old, new, 1)
	}
	codec.BadRows(t, header, []string{
		good,
		bad(ExampleUSCC, "91210100MA0Y6KJG4X"), // 3: check character
		bad(",浑南区,", ",朝阳区,"),                  // 4: not a district of the city
		bad(",浑南区,", ",110105,"),               // 5: a code outside the city
		bad(",集成电路,", ",航天,"),                  // 6: no such chain
		bad("2016-04-12", "2030-01-01"),        // 7: after today
		bad("2016-04-12", ""),                  // 8: no date
		bad(",沈阳示例科技有限公司,", ",,"),              // 9: no name
		bad(",浑南区,", ",210112,"),               // the code is read too
	}, map[int]string{3: ColUSCC, 4: ColDistrict, 5: ColDistrict, 6: ColChain, 7: ColRegistered, 8: ColRegistered, 9: ColName})
	codec.BadRows(t, strings.Replace(header, ColDistrict+",", "", 1), []string{}, map[int]string{1: ColDistrict})
}

// ——— the facts sheet ———

var facts = sheetiotest.Codec[FactsRow]{
	Decode: func(r io.Reader, f sheetio.Format, maxRows int, fn func(int, *FactsRow, []RowError) error) ([]RowError, error) {
		return DecodeFacts(r, f, testLookup.Today, maxRows, fn)
	},
	Table:    func(xs []*FactsRow) *sheetio.Table { return FactsTable(xs, testLookup.Today) },
	Template: func(f sheetio.Format, w io.Writer) error { return FactsTemplate(f, testLookup.Today, w) },
	Valid:    (*FactsRow).Valid,
}

const sampleFacts = `{"uscc":"91210100MA0Y6KJG4M","name":"沈阳示例科技有限公司","registered_on":"2016-04-12","assessed_on":"2023-05-20",
"employees":80,"tech_staff":20,"total_assets_fen":1500000012,
"years":[{"year":2021,"sales_revenue_fen":3000000001,"rd_expense_fen":150000000,"employees":78},
{"year":2022,"sales_revenue_fen":3500000000,"rd_expense_fen":0}],
"ip":{"class1":1,"class2":3,"self_developed":true},"conversions_3y":10,
"flags":{"resident_enterprise":true,"serious_fraud":false},"direct":{"led_standard":false},
"funding":{"valuation_usd":1200000000,"listed":false},"expert_scores":{"conversion":15},"hnte_event":"first"}`

func factsSample(t testing.TB) []*FactsRow {
	x, err := NewFactsRow(ExampleUSCC, "沈阳示例科技有限公司", json.RawMessage(sampleFacts))
	if err != nil {
		t.Fatal(err)
	}
	y, err := NewFactsRow("91210100MA0Y6KJG5Q", "", json.RawMessage(`{"assessed_on":"2022-05-20"}`))
	if err != nil {
		t.Fatal(err)
	}
	return []*FactsRow{x, y}
}

// What an import keeps: every fact of the sheet (the registry's name,
// code and date come from the registry, not the row).
func factsImported(x *FactsRow) *FactsRow {
	out := &FactsRow{USCC: x.USCC, Name: x.Name, cells: map[string]any{}}
	for k, v := range x.cells {
		switch k {
		case "uscc", "name", "registered_on":
		default:
			out.cells[k] = v
		}
	}
	return out
}

func TestFactsRoundTrip(t *testing.T) { facts.RoundTrip(t, factsSample(t), factsImported) }

func TestFactsTemplate(t *testing.T) { facts.TemplateValid(t) }

func TestFactsGBK(t *testing.T) { facts.GBK(t, factsSample(t)[0]) }

// The money is kept to the fen (1500000012 fen is 15000000.12元 and back).
func TestFactsExactMoney(t *testing.T) {
	header, row := facts.CSVLines(t, factsSample(t)[0])
	if !strings.Contains(row, "15000000.12") || !strings.Contains(row, "30000000.01") {
		t.Fatalf("money cells in %s", row)
	}
	xs, errs := facts.DecodeAll(t, []byte(header+"\n"+row+"\n"), sheetio.CSV)
	if len(errs) > 0 || xs[0].cells["total_assets_fen"] != int64(1500000012) {
		t.Fatalf("%v %v", errs, xs)
	}
	raw, err := xs[0].JSON()
	if err != nil || !strings.Contains(string(raw), `"total_assets_fen":1500000012`) {
		t.Fatalf("%s %v", raw, err)
	}
}

func TestFactsBadRows(t *testing.T) {
	header, good := facts.CSVLines(t, factsSample(t)[0])
	cells := strings.Split(good, ",")
	heads := strings.Split(header, ",")
	col := func(h string) int {
		for i, x := range heads {
			if x == h {
				return i
			}
		}
		t.Fatalf("no column %s in %s", h, header)
		return -1
	}
	bad := func(h, v string) string {
		c := append([]string(nil), cells...)
		c[col(h)] = v
		return strings.Join(c, ",")
	}
	y2 := yearPrefix(1)
	facts.BadRows(t, header, []string{
		good,
		bad("评价日期", ""),                    // 3: no assessment date
		bad("职工总数", "-3"),                  // 4: negative
		bad("职工总数", "八十"),                  // 5: not a number
		bad("资产总额（元）", "1.234"),            // 6: a third decimal
		bad("居民企业", "也许"),                  // 7: not 是/否
		bad("科技人员数", "90"),                 // 8: more staff in R&D than staff
		bad(y2+"会计年度", "2020"),             // 9: years out of order
		bad("高企认定情形", "第二次"),               // 10: no such case
		bad(ColUSCC, "91210100MA0Y6KJG4X"), // 11: check character
		bad(yearPrefix(0)+"会计年度", ""),      // 12: figures without their year
	}, map[int]string{3: "评价日期", 4: "职工总数", 5: "职工总数", 6: "资产总额（元）", 7: "居民企业", 8: "科技人员数",
		9: y2 + "会计年度", 10: "高企认定情形", 11: ColUSCC, 12: yearPrefix(0) + "会计年度"})
	facts.BadRows(t, strings.Replace(header, "评价日期,", "", 1), []string{}, map[int]string{1: "评价日期"})
}
