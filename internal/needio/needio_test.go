package needio

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

var testLookup = &Lookup{Chains: []domain.Chain{{Code: "robot", Name: "机器人"}, {Code: "ic", Name: "集成电路"}},
	ChainCodes: []string{"robot", "ic"}, Today: "2022-03-15"}

func sample() []*domain.Need {
	return []*domain.Need{{
		ID: 3, Title: "镁合金轮毂轻量化成形工艺", Problem: "现有铝合金轮毂重量偏高，希望采用镁合金替代并解决成形开裂与耐腐蚀问题。",
		Indicators:   []domain.NeedIndicator{{Indicator: "抗拉强度", Target: "≥300", Unit: "MPa"}, {Indicator: "成本", Target: "不高于现有"}},
		BudgetMinFen: 500_000_00, BudgetMaxFen: 2_000_000_01, Deadline: "2022-12-31", ChainCode: "robot",
		Keywords: []string{"镁合金", "轮毂"}, Stage: "pilot", Modes: []string{"develop", "transfer"}, ContactName: "张伟", ContactPhone: "024-23456789",
	}, {
		ID: 4, Title: "芯片封装散热方案", Problem: "大功率芯片封装热阻过高，需要一种新的散热结构，可在现有产线上实施。",
		Indicators: []domain.NeedIndicator{{Indicator: "热阻", Target: "≤0.2", Unit: "K/W"}}, Deadline: "2023-01-01",
		Keywords: []string{}, Modes: []string{"consult"}, ContactName: "李娜", ContactPhone: "13800000000",
	}}
}

func imported(x *domain.Need) *domain.Need {
	y := *x
	y.ID = 0
	return &y
}

func decodeAll(t *testing.T, b []byte, format sheetio.Format) ([]*domain.Need, []RowError) {
	t.Helper()
	return codec.DecodeAll(t, b, format)
}

func TestRoundTrip(t *testing.T) {
	for _, f := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
		var b bytes.Buffer
		if err := Table(sample(), testLookup).Write(f, &b); err != nil {
			t.Fatal(err)
		}
		xs, errs := decodeAll(t, b.Bytes(), f)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", f, errs)
		}
		for i, want := range sample() {
			if i >= len(xs) || !reflect.DeepEqual(xs[i], imported(want)) {
				t.Errorf("%s row %d:\n got %+v\nwant %+v", f, i+2, xs[i], imported(want))
			}
		}
	}
}

func TestTemplate(t *testing.T) {
	for _, f := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
		var b bytes.Buffer
		if err := Template(f, testLookup, &b); err != nil {
			t.Fatal(err)
		}
		if xs, errs := decodeAll(t, b.Bytes(), f); len(errs) > 0 || len(xs) != 1 {
			t.Fatalf("%s: %v %+v", f, errs, xs)
		}
	}
}

func TestBadRows(t *testing.T) {
	var b bytes.Buffer
	if err := Table(sample()[:1], testLookup).Write(sheetio.CSV, &b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\r\n")
	good := lines[1]
	bad := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("%q not in %q", old, good)
		}
		return strings.Replace(good, old, new, 1)
	}
	rows := []string{
		good,
		bad("2000000.01", "2000000.001"), // 3: 最高预算 three decimals
		bad("2022-12-31", "2022-03-01"),  // 4: deadline before today
		bad("2022-12-31", "2022-02-30"),  // 5: no such day
		bad("抗拉强度|≥300|MPa", "抗拉强度|≥300|MPa|多"), // 6: indicator of four parts
		bad("技术开发；技术转让", "技术开发；入股"),             // 7: mode
		bad("024-23456789", "电话"),               // 8: phone
		bad("500000.00", "3000000.00"),          // 9: min above max
	}
	xs, errs := decodeAll(t, []byte(lines[0]+"\n"+strings.Join(rows, "\n")+"\n"), sheetio.CSV)
	if len(xs) != 1 {
		t.Errorf("%d good rows, want 1", len(xs))
	}
	want := map[int]string{3: ColBudgetMax, 4: ColDeadline, 5: ColDeadline, 6: ColIndicators, 7: "合作方式", 8: ColPhone, 9: ColBudgetMax}
	got := map[int]string{}
	for _, e := range errs {
		got[e.Row] = e.Field
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors %v\n got %v\nwant %v", errs, got, want)
	}
}

// TestGBK: a CSV saved by Excel on Chinese Windows (GB18030) reads the same.
func TestGBK(t *testing.T) {
	var b bytes.Buffer
	if err := Table(sample()[:1], testLookup).Write(sheetio.CSV, &b); err != nil {
		t.Fatal(err)
	}
	gbk, err := gb18030(strings.TrimPrefix(b.String(), "\ufeff"))
	if err != nil {
		t.Fatal(err)
	}
	xs, errs := decodeAll(t, gbk, sheetio.CSV)
	if len(errs) > 0 || len(xs) != 1 || xs[0].Title != sample()[0].Title {
		t.Fatalf("%v %+v", errs, xs)
	}
}
