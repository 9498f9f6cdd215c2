package eventio

import (
	"io"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/sheetio/sheetiotest"
)

var testLookup = &Lookup{Chains: []domain.Chain{{Code: "robot", Name: "机器人"}, {Code: "ic", Name: "集成电路"}},
	ChainCodes: []string{"robot", "ic"}, Today: "2022-03-15"}

var codec = sheetiotest.Codec[domain.TechEvent]{
	Decode: func(r io.Reader, f sheetio.Format, maxRows int, fn func(int, *domain.TechEvent, []RowError) error) ([]RowError, error) {
		return Decode(r, f, testLookup, maxRows, fn)
	},
	Table:    func(xs []*domain.TechEvent) *sheetio.Table { return Table(xs, testLookup) },
	Template: func(f sheetio.Format, w io.Writer) error { return Template(f, testLookup, w) },
	Valid:    func(x *domain.TechEvent) error { return x.Validate(testLookup.ChainCodes) },
}

// sample are two events as the export reads them: every importable field
// set on the first, the optional ones empty on the second, and the
// export-only ones filled.
func sample() []*domain.TechEvent {
	return []*domain.TechEvent{{
		ID: 3, Kind: "matchmaking", Title: "集成电路产需对接会", Date: "2022-04-20", Place: "沈阳市浑南区科技服务中心",
		ChainCode: "ic", Capacity: 120, Description: "企业需求发布，高校院所现场对接。\n第二段介绍。",
		OrganiserName: "沈阳技术转移中心", Status: domain.TechEventHeld, Registered: 40, Pitches: 6, Intentions: 3, Services: 38,
		Summary: "签订意向3项。",
	}, {
		ID: 4, Kind: "roadshow", Title: "智能制造科技成果路演", Date: "2021-12-01", Place: "线上", Capacity: 1,
		Status: domain.TechEventCancelled, CancelReason: "场地调整",
	}}
}

// imported is what an import keeps of x: the importable fields.
func imported(x *domain.TechEvent) *domain.TechEvent {
	return &domain.TechEvent{Kind: x.Kind, Title: x.Title, Date: x.Date, Place: x.Place, ChainCode: x.ChainCode,
		Capacity: x.Capacity, Description: x.Description}
}

func TestRoundTrip(t *testing.T) { codec.RoundTrip(t, sample(), imported) }

func TestTemplate(t *testing.T) { codec.TemplateValid(t) }

func TestGBK(t *testing.T) { codec.GBK(t, sample()[0]) }

// TestEveryFieldHasAColumn: each field the domain's validation names is
// answered for by an importable column.
func TestEveryFieldHasAColumn(t *testing.T) {
	err := (&domain.TechEvent{ChainCode: "nope", Description: strings.Repeat("长", 5001)}).Validate([]string{"x"})
	errs := Codec(testLookup).RowErrors(2, err)
	if len(errs) < 6 {
		t.Fatalf("%v", errs)
	}
	for _, e := range errs {
		if e.Field == "" {
			t.Errorf("no column answers for %q", e.Message)
		}
	}
}

func TestBadRows(t *testing.T) {
	x := sample()[0]
	x.Description = "企业需求发布，高校院所现场对接。" // one line of CSV
	header, good := codec.CSVLines(t, x)
	bad := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("%q not in %q", old, good)
		}
		return strings.Replace(good, old, new, 1)
	}
	codec.BadRows(t, header, []string{
		good,
		bad(",对接会,", ",座谈会,"),           // 3: no such kind
		bad("2022-04-20", "2022-04-31"), // 4: no such day
		bad("2022-04-20", ""),           // 5: no date
		bad(",集成电路,", ",航天,"),           // 6: no such chain
		bad(",120,", ",5001,"),          // 7: capacity too large
		bad(",120,", ",0,"),             // 8: no place to take
		bad(",120,", ",三十,"),            // 9: not a number
		bad("沈阳市浑南区科技服务中心", ""),         // 10: no place
		bad("集成电路产需对接会", ""),            // 11: no title
		bad(",对接会,", ",matchmaking,"),   // the code is read too
		bad(",集成电路,", ",,"),             // every chain
	}, map[int]string{3: ColKind, 4: ColDate, 5: ColDate, 6: ColChain, 7: ColCapacity, 8: ColCapacity, 9: ColCapacity,
		10: ColPlace, 11: ColTitle})
	codec.BadRows(t, strings.Replace(header, ColCapacity+",", "", 1), []string{}, map[int]string{1: ColCapacity})
}
