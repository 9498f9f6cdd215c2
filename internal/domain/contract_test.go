package domain

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func validContract() *Contract {
	return &Contract{
		Title:    "工业机器人视觉定位技术开发合同",
		Seller:   Party{Name: "东北大学", USCC: "91350100M000100Y43", RegionCode: "210102", Type: PartyUniversity},
		Buyer:    Party{Name: "某科技有限公司", USCC: "91310000775785552L", RegionCode: "310115", Type: PartyEnterprise},
		SignedOn: "2022-03-01", TermStart: "2022-03-01", TermEnd: "2023-02-28",
		Category: "development", SubType: "entrusted_dev", Form: "written", SealsMatch: true,
		Field: "manufacturing", TurnoverFen: 1_000_000_00,
	}
}

func TestCategoriesAtCutover(t *testing.T) {
	cases := []struct {
		name, signed, cat, sub string
		field, msgPart         string // "" when valid
	}{
		{"LegacyLicenseRefused", "2020-12-31", "license", "patent_license", "category", "自2021年1月1日起单列"},
		{"LegacyPatentLicenseUnderTransfer", "2020-12-31", "transfer", "patent_license", "", ""},
		{"LegacyNoOtherTransfer", "2020-12-31", "transfer", "other_transfer", "sub_type", "没有子类"},
		{"NewLicense", "2021-01-01", "license", "patent_license", "", ""},
		{"NewPatentLicenseNotUnderTransfer", "2021-01-01", "transfer", "patent_license", "sub_type", "技术转让"},
		{"NewOtherTransfer", "2021-01-01", "transfer", "other_transfer", "", ""},
		{"Unknown", "2022-01-01", "barter", "x", "category", "无效"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckCategory(tc.signed, tc.cat, tc.sub)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Field != tc.field || !strings.Contains(e.Message, tc.msgPart) {
				t.Fatalf("got %v, want field %s with %q", err, tc.field, tc.msgPart)
			}
		})
	}
	codes := func(cs []Category) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return out
	}
	if got := codes(CategoriesAt("2021-01-01")); !slices.Equal(got, AllCategoryCodes) {
		t.Errorf("2021 categories = %v", got)
	}
	if got := codes(CategoriesAt("2020-12-31")); len(got) != 4 || slices.Contains(got, "license") {
		t.Errorf("legacy categories = %v", got)
	}
}

func TestCompute(t *testing.T) {
	cases := []struct {
		name      string
		turnover  int64
		items     []CostItem
		wantTech  int64
		wantFlags []string
		errField  string
	}{
		{"NoCosts", 100_00, nil, 100_00, nil, ""},
		{"EquipmentDeducted", 100_00, []CostItem{{Kind: "equipment", UnitPriceFen: 10_00, Quantity: 3}}, 70_00, nil, ""},
		{"MaterialsAndOther", 100_00, []CostItem{{Kind: "materials", UnitPriceFen: 5_00, Quantity: 2}, {Kind: "other", UnitPriceFen: 1, Quantity: 1}}, 89_99, nil, ""},
		{"TwoPrototypesKept", 100_00, []CostItem{{Kind: "prototype", UnitPriceFen: 20_00, Quantity: 2}}, 100_00, nil, ""},
		{"ThreePrototypesOneDeducted", 100_00, []CostItem{{Kind: "prototype", UnitPriceFen: 20_00, Quantity: 3}}, 80_00, []string{FlagPrototypeOverQuantity}, ""},
		{"DeductionsEqualTurnover", 100_00, []CostItem{{Kind: "equipment", UnitPriceFen: 100_00, Quantity: 1}}, 0, nil, ""},
		{"DeductionsOverTurnover", 100_00, []CostItem{{Kind: "equipment", UnitPriceFen: 50_00, Quantity: 2}, {Kind: "parts", UnitPriceFen: 1, Quantity: 1}}, 0, nil, "cost_items"},
		{"ItemOverflow", MaxTurnoverFen, []CostItem{{Kind: "equipment", UnitPriceFen: math.MaxInt64 / 2, Quantity: 3}}, 0, nil, "cost_items[0]"},
		{"SumOverflow", MaxTurnoverFen, []CostItem{{Kind: "equipment", UnitPriceFen: math.MaxInt64 / 2, Quantity: 1}, {Kind: "equipment", UnitPriceFen: math.MaxInt64 / 2, Quantity: 1}, {Kind: "parts", UnitPriceFen: 10, Quantity: 1}}, 0, nil, "cost_items"},
		{"ZeroQuantity", 100_00, []CostItem{{Kind: "equipment", UnitPriceFen: 1, Quantity: 0}}, 0, nil, "cost_items[0]"},
		{"NegativePrice", 100_00, []CostItem{{Kind: "equipment", UnitPriceFen: 1, Quantity: 1}, {Kind: "equipment", UnitPriceFen: -1, Quantity: 1}}, 0, nil, "cost_items[1]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Contract{TurnoverFen: tc.turnover, CostItems: tc.items, Flags: []string{"stale"}}
			err := c.Compute()
			if tc.errField != "" {
				e, ok := err.(*Error)
				if !ok || e.Field != tc.errField || e.Code != EINVALID {
					t.Fatalf("got %v, want an error naming %s", err, tc.errField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.TechTransactionFen != tc.wantTech || !slices.Equal(c.Flags, tc.wantFlags) {
				t.Fatalf("tech %d flags %v, want %d %v", c.TechTransactionFen, c.Flags, tc.wantTech, tc.wantFlags)
			}
		})
	}
	t.Run("OverTurnoverMessage", func(t *testing.T) {
		c := &Contract{TurnoverFen: 100_00, CostItems: []CostItem{{Kind: "equipment", UnitPriceFen: 150_00, Quantity: 1}}}
		if err := c.Compute(); err == nil || !strings.Contains(ErrorMessage(err), "150.00元") || !strings.Contains(ErrorMessage(err), "100.00元") {
			t.Fatalf("message = %v", err)
		}
	})
}

func TestValidateNamesFields(t *testing.T) {
	if err := validContract().Validate(); err != nil {
		t.Fatalf("valid contract refused: %v", err)
	}
	cases := []struct {
		name   string
		mutate func(c *Contract)
		fields []string
	}{
		{"Title", func(c *Contract) { c.Title = "" }, []string{"title"}},
		{"TitleLong", func(c *Contract) { c.Title = strings.Repeat("合", 201) }, []string{"title"}},
		{"ContractNo", func(c *Contract) { c.ContractNo = strings.Repeat("x", 65) }, []string{"contract_no"}},
		{"SellerName", func(c *Contract) { c.Seller.Name = "" }, []string{"seller.name"}},
		{"SellerUSCC", func(c *Contract) { c.Seller.USCC = "91350100M000100Y44" }, []string{"seller.uscc"}},
		{"BuyerRegion", func(c *Contract) { c.Buyer.RegionCode = "21010" }, []string{"buyer.region_code"}},
		{"BuyerType", func(c *Contract) { c.Buyer.Type = "alien" }, []string{"buyer.type"}},
		{"SameParty", func(c *Contract) { c.Buyer.USCC = c.Seller.USCC }, []string{"buyer.uscc"}},
		{"SignedOn", func(c *Contract) { c.SignedOn = "2022-02-30" }, []string{"signed_on"}},
		{"TermEndBeforeStart", func(c *Contract) { c.SignedOn = "2022-01-01"; c.TermEnd = "2022-02-01" }, []string{"term_end"}},
		{"TermEndBeforeBoth", func(c *Contract) { c.TermEnd = "2022-02-01" }, []string{"term_end", "term_end"}},
		{"TermStart", func(c *Contract) { c.TermStart = "yesterday" }, []string{"term_start"}},
		{"Category", func(c *Contract) { c.Category = "license"; c.SignedOn = "2020-06-01"; c.TermStart = "2020-06-01" }, []string{"category"}},
		{"SubType", func(c *Contract) { c.SubType = "training" }, []string{"sub_type"}},
		{"Form", func(c *Contract) { c.Form = "email" }, []string{"form"}},
		{"Field", func(c *Contract) { c.Field = "astrology" }, []string{"tech_field"}},
		{"TurnoverZero", func(c *Contract) { c.TurnoverFen = 0 }, []string{"turnover_fen"}},
		{"TurnoverHuge", func(c *Contract) { c.TurnoverFen = MaxTurnoverFen + 1; c.TechIncomeFen = 0 }, []string{"turnover_fen"}},
		{"TechIncome", func(c *Contract) { c.TechIncomeFen = c.TurnoverFen + 1 }, []string{"tech_income_fen"}},
		{"CostKind", func(c *Contract) { c.CostItems = []CostItem{{Kind: "bribe", UnitPriceFen: 1, Quantity: 1}} }, []string{"cost_items[0].kind"}},
		{"CostQuantity", func(c *Contract) {
			c.CostItems = []CostItem{{Kind: "parts", UnitPriceFen: 1, Quantity: 1}, {Kind: "parts", UnitPriceFen: -5, Quantity: 0}}
		}, []string{"cost_items[1].quantity", "cost_items[1].unit_price_fen"}},
		{"CostsOverTurnover", func(c *Contract) {
			c.CostItems = []CostItem{{Kind: "equipment", UnitPriceFen: c.TurnoverFen + 1, Quantity: 1}}
		}, []string{"cost_items"}},
		{"Several", func(c *Contract) { c.Title = ""; c.Form = ""; c.Field = "" }, []string{"title", "form", "tech_field"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := validContract()
			tc.mutate(c)
			err := c.Validate()
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID {
				t.Fatalf("Validate = %v, want EINVALID naming %v", err, tc.fields)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
				if f.Message == "" {
					t.Errorf("field %s without message", f.Field)
				}
			}
			if !slices.Equal(got, tc.fields) || e.Field != tc.fields[0] {
				t.Fatalf("fields %v (first %s), want %v; message %s", got, e.Field, tc.fields, e.Message)
			}
		})
	}
}

func TestClock(t *testing.T) {
	c := &Contract{Status: ContractAccepted}
	c.StartClock("2022-01-20", DefaultRegimeRules(), nil) // the 2000 regime needs no calendar
	if c.DueOn != "2022-02-19" || c.Regime != Regime2000 {
		t.Fatalf("DueOn = %s, regime %s", c.DueOn, c.Regime)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(15 * time.Hour) }
	cases := []struct {
		today   string
		left    int
		overdue bool
	}{
		{"2022-01-20", 30, false}, {"2022-02-18", 1, false}, {"2022-02-19", 0, false}, {"2022-02-20", -1, true}, {"2022-06-01", -102, true},
	}
	for _, tc := range cases {
		if got := c.DaysLeft(day(tc.today)); got != tc.left {
			t.Errorf("DaysLeft(%s) = %d, want %d", tc.today, got, tc.left)
		}
		if got := c.Overdue(day(tc.today)); got != tc.overdue {
			t.Errorf("Overdue(%s) = %v", tc.today, got)
		}
	}
	registered := &Contract{Status: ContractRegistered, AcceptedOn: "2022-01-20", DueOn: "2022-02-19"}
	if registered.Overdue(day("2023-01-01")) {
		t.Error("a decided contract is never overdue")
	}
	if (&Contract{Status: ContractDraft}).DaysLeft(day("2022-01-01")) != 0 {
		t.Error("a draft has no due date")
	}
	leap := &Contract{}
	leap.StartClock("2024-02-10", DefaultRegimeRules(), nil)
	if got := leap.DueOn; got != "2024-03-11" {
		t.Errorf("leap-year DueOn = %s", got)
	}
}

func TestRegNoAndFormatting(t *testing.T) {
	if got := RegNoFor(2022, "210100", 7); got != "2022210100000007" {
		t.Errorf("RegNoFor = %s", got)
	}
	if got := RegNoFor(2023, "210112", 123456); got != "2023210112123456" || len(got) != 16 {
		t.Errorf("RegNoFor = %s", got)
	}
	yuan := map[int64]string{0: "0.00元", 5: "0.05元", 123456789: "1,234,567.89元", -100: "-1.00元", 100_000_00: "100,000.00元"}
	for fen, want := range yuan {
		if got := FormatYuan(fen); got != want {
			t.Errorf("FormatYuan(%d) = %s, want %s", fen, got, want)
		}
	}
	yi := map[int64]string{394_28_000_000_00: "394.28亿元", 50_000_000_00: "0.50亿元", 49_999_999_99: "0.50亿元", 0: "0.00亿元", -150_000_000_00: "-1.50亿元"}
	for fen, want := range yi {
		if got := FormatYi(fen); got != want {
			t.Errorf("FormatYi(%d) = %s, want %s", fen, got, want)
		}
	}
}

func TestLabels(t *testing.T) {
	if ContractRefused.Label() != "不予登记" || !ValidRefusalGround("oral") || ValidRefusalGround("whim") || RefusalLabel("seals_mismatch") == "seals_mismatch" {
		t.Error("labels")
	}
	if RefusalGrounds.Len() != 14 {
		t.Errorf("%d refusal grounds, want the 9 of the FAQ, oral, and the 2026 regime's 4 new ones", RefusalGrounds.Len())
	}
	if PartyTypeOf(OrgPilotBase) != PartyEnterprise || PartyTypeOf(OrgBureau) != PartyOther {
		t.Error("PartyTypeOf")
	}
}

// The clock counts China's days whatever the server's zone: at 02:00 in
// China on 1 April (18:00 UTC on 31 March), a contract accepted on 1 March
// (due 31 March) is one day overdue.
func TestDaysLeftInChinaTime(t *testing.T) {
	c := &Contract{Status: ContractAccepted, AcceptedOn: "2022-03-01", DueOn: "2022-03-31"}
	now := time.Date(2022, 3, 31, 18, 0, 0, 0, time.UTC)
	if got := c.DaysLeft(now); got != -1 {
		t.Fatalf("DaysLeft = %d, want -1", got)
	}
	if !c.Overdue(now) {
		t.Fatal("should be overdue in China time")
	}
}
