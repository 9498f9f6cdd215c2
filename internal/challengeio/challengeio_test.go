package challengeio

import (
	"io"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/sheetio/sheetiotest"
)

var testLookup = &Lookup{Chains: []domain.Chain{{Code: "robot", Name: "机器人"}, {Code: "ic", Name: "集成电路"}},
	ChainCodes: []string{"robot", "ic"}, Today: "2022-03-15", Rules: domain.DefaultChallengeRules()}

var codec = sheetiotest.Codec[domain.Challenge]{
	Decode: func(r io.Reader, f sheetio.Format, maxRows int, fn func(int, *domain.Challenge, []RowError) error) ([]RowError, error) {
		return Decode(r, f, testLookup, maxRows, fn)
	},
	Table:    func(xs []*domain.Challenge) *sheetio.Table { return Table(xs, testLookup) },
	Template: func(f sheetio.Format, w io.Writer) error { return Template(f, testLookup, w) },
	Valid: func(x *domain.Challenge) error {
		return x.Validate(testLookup.ChainCodes, testLookup.Today, testLookup.Rules)
	},
}

// sample are two challenges as the export reads them: every importable
// field set on the first (an indicator of four parts, a source need, an
// amount with fen), the optional ones empty on the second, and the
// export-only ones filled.
func sample() []*domain.Challenge {
	return []*domain.Challenge{{
		ID: 3, Title: "新能源汽车电驱系统高功率密度碳化硅控制器攻关",
		Problem: "电驱系统控制器功率密度不足，碳化硅功率模块依赖进口，需攻克设计与封装关键技术。",
		Indicators: []domain.ChallengeIndicator{{Indicator: "功率密度", Target: "≥45", Unit: "kW/L", Method: "第三方检测"},
			{Indicator: "最高效率", Target: "≥99", Unit: "%"}, {Indicator: "寿命", Target: "10年", Method: "加速老化试验"}},
		Eligibility: "在本市注册的高校、科研院所或企业。", BudgetFen: 3_000_000_01, GovShareFen: 1_000_000_00,
		Deadline: "2022-12-31", ChainCode: "robot", NeedID: 17,
		Publisher: "enterprise", OwnerName: "沈阳新能源汽车有限公司", Status: domain.ChallengeSelected,
		ConfirmedOn: "2022-01-05", PublishedOn: "2022-01-10", ClosedOn: "2022-02-10", WinnerName: "东北大学", SelectedOn: "2022-03-01",
	}, {
		ID: 4, Title: "芯片封装散热方案", Problem: "大功率芯片封装热阻过高，需要一种新的散热结构，可在现有产线上实施。",
		Indicators:  []domain.ChallengeIndicator{{Indicator: "热阻", Target: "≤0.2", Unit: "K/W"}},
		Eligibility: "不限", BudgetFen: 50_000_00, Deadline: "2023-01-01", ChainCode: "ic", Status: domain.ChallengeDraft,
	}}
}

// imported is what an import keeps of x: the importable fields.
func imported(x *domain.Challenge) *domain.Challenge {
	return &domain.Challenge{Title: x.Title, Problem: x.Problem, Indicators: x.Indicators, Eligibility: x.Eligibility,
		BudgetFen: x.BudgetFen, GovShareFen: x.GovShareFen, Deadline: x.Deadline, ChainCode: x.ChainCode, NeedID: x.NeedID}
}

func TestRoundTrip(t *testing.T) { codec.RoundTrip(t, sample(), imported) }

func TestTemplate(t *testing.T) { codec.TemplateValid(t) }

func TestGBK(t *testing.T) { codec.GBK(t, sample()[0]) }

// TestEveryFieldHasAColumn: each field the domain's validation names is
// answered for by an importable column (a record's errors are named by
// column, never by no one).
func TestEveryFieldHasAColumn(t *testing.T) {
	err := (&domain.Challenge{Indicators: []domain.ChallengeIndicator{{}}, NeedID: -1, GovShareFen: -1}).Validate([]string{"x"}, "2022-01-01", testLookup.Rules)
	for _, e := range Codec(testLookup).RowErrors(2, err) {
		if e.Field == "" {
			t.Errorf("no column answers for %q", e.Message)
		}
	}
}

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
		bad("3000000.01", "3000000.001"), // 3: 榜额 three decimals
		bad("2022-12-31", "2022-03-01"),  // 4: deadline before today
		bad("2022-12-31", "2022-02-30"),  // 5: no such day
		bad("功率密度|≥45|kW/L|第三方检测", "功率密度|≥45|kW/L|第三方检测|多"), // 6: indicator of five parts
		bad("1000000.00", "4000000.00"),    // 7: government share above the 榜额
		bad("1000000.00", "3000000.01"),    // 8: above the 榜额 (and the cap)
		bad(",机器人,", ",航天,"),               // 9: no such chain
		bad(",17,", ",十七,"),                // 10: need id
		bad("功率密度|≥45|kW/L|第三方检测", "|≥45"), // 11: an indicator without a name
		strings.Replace(good, "新能源汽车电驱系统高功率密度碳化硅控制器攻关", "", 1), // 12: no title
	}, map[int]string{3: ColBudget, 4: ColDeadline, 5: ColDeadline, 6: ColIndicators, 7: ColGovShare, 8: ColGovShare,
		9: ColChain, 10: ColNeed, 11: ColIndicators, 12: ColTitle})
	// A file without a required column, with an unknown one, names row 1.
	codec.BadRows(t, strings.Replace(header, ColDeadline, "截止", 1), []string{good}, map[int]string{1: "截止"})
}
