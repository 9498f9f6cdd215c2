package domain

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestParseYuan(t *testing.T) {
	cases := []struct {
		in   string
		fen  int64
		fail string // substring of the error, "" when it parses
	}{
		{"0.01", 1, ""},
		{"1,234.50", 123450, ""},
		{"1,234", 123400, ""},
		{"1234", 123400, ""},
		{"0", 0, ""},
		{" 12.3 ", 1230, ""},
		{"100元", 10000, ""},
		{"007.10", 710, ""},
		{"9223372036854775.80", 922337203685477580, ""},
		{"1.005", 0, "最多保留两位小数"},
		{"-1", 0, "不能为负"},
		{"-0.01", 0, "不能为负"},
		{"+1", 0, "格式无效"},
		{"", 0, "不能为空"},
		{"1,2345", 0, "千位分隔符"},
		{"12,34.00", 0, "千位分隔符"},
		{",123", 0, "格式无效"},
		{"1.2.3", 0, "格式无效"},
		{".5", 0, "格式无效"},
		{"5.", 0, "格式无效"},
		{"1e3", 0, "格式无效"},
		{"１２", 0, "格式无效"},
		{"99999999999999999", 0, "过大"},
		{"9223372036854775.808", 0, "两位小数"},
	}
	for _, tc := range cases {
		fen, err := ParseYuan(tc.in)
		switch {
		case tc.fail == "" && (err != nil || fen != tc.fen):
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", tc.in, fen, err, tc.fen)
		case tc.fail != "" && (err == nil || !strings.Contains(ErrorMessage(err), tc.fail)):
			t.Errorf("ParseYuan(%q) = %d, %v; want error with %q", tc.in, fen, err, tc.fail)
		}
	}
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"0.01", "1,234.50", "1.005", "-1", "9223372036854775.80", "1,2345", "100元", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := ParseYuan(s)
		if err != nil {
			if ErrorCode(err) != EINVALID || ErrorMessage(err) == "" {
				t.Fatalf("ParseYuan(%q): error %v is not a user error", s, err)
			}
			return
		}
		if fen < 0 {
			t.Fatalf("ParseYuan(%q) = %d < 0", s, fen)
		}
		// The exact value, by rational arithmetic.
		clean := strings.ReplaceAll(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "元")), ",", "")
		r, ok := new(big.Rat).SetString(clean)
		if !ok {
			t.Fatalf("ParseYuan(%q) = %d but %q is not a number", s, fen, clean)
		}
		if r.Mul(r, big.NewRat(100, 1)).Cmp(big.NewRat(fen, 1)) != 0 {
			t.Fatalf("ParseYuan(%q) = %d, exact value is %s fen", s, fen, r.RatString())
		}
		if back, err := ParseYuan(FormatYuanPlain(fen)); err != nil || back != fen {
			t.Fatalf("FormatYuan(%d) = %q reads back as %d, %v", fen, FormatYuanPlain(fen), back, err)
		}
	})
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		fen  int64
		unit MoneyUnit
		want string
	}{
		{0, UnitAuto, "0.00元"},
		{1, UnitAuto, "0.01元"},
		{-5, UnitAuto, "-0.05元"},
		{999_999, UnitAuto, "9,999.99元"},          // last amount in 元
		{1_000_000, UnitAuto, "1.00万元"},           // 1万元
		{1_234_567, UnitAuto, "1.23万元"},           // 12,345.67元
		{1_235_000, UnitAuto, "1.24万元"},           // exactly half a cent of 万: away from zero
		{-1_235_000, UnitAuto, "-1.24万元"},         // and for debits
		{1_234_999, UnitAuto, "1.23万元"},           // just below half
		{9_999_994_999, UnitAuto, "9,999.99万元"},   // rounds down, stays in 万
		{9_999_995_000, UnitAuto, "1.00亿元"},       // would read 10,000.00万元
		{10_000_000_000, UnitAuto, "1.00亿元"},      // 1亿元
		{3_942_800_000_000, UnitAuto, "394.28亿元"}, // the demo's 2022 turnover
		{MaxTurnoverFen, UnitAuto, "10,000.00亿元"},
		{math.MaxInt64, UnitAuto, "922,337,203.69亿元"},
		{math.MinInt64, UnitAuto, "-922,337,203.69亿元"},
		{math.MinInt64, UnitYuan, "-92,233,720,368,547,758.08元"},
		{math.MaxInt64, UnitWan, "9,223,372,036,854.78万元"},
		{1_000_000, UnitYuan, "10,000.00元"},
		{123_456_789, UnitYuan, "1,234,567.89元"},
		{5_000, UnitWan, "0.01万元"}, // half of a 万 cent rounds up
		{4_999, UnitWan, "0.00万元"},
		{-4_999, UnitWan, "0.00万元"}, // no negative zero
		{0, UnitYi, "0.00亿元"},       // asked for explicitly, so shown
		{49_999_999_99, UnitYi, "0.50亿元"},
		{123_456_789_012_345, UnitYi, "12,345.68亿元"},
		{1_000_000, "lakh", "1.00万元"}, // unknown unit: by size
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_%s", tt.fen, tt.unit), func(t *testing.T) {
			if got := FormatMoney(tt.fen, tt.unit); got != tt.want {
				t.Fatalf("FormatMoney(%d, %s) = %s, want %s", tt.fen, tt.unit, got, tt.want)
			}
		})
	}
}

// TestFormatMoneyMatchesBigRat checks the integer rounding against exact
// rational arithmetic on amounts around every rounding boundary.
func TestFormatMoneyMatchesBigRat(t *testing.T) {
	for _, base := range []int64{0, 1_000_000, 9_999_995_000, 10_000_000_000, 123_456_789_000_000, math.MaxInt64 - 200_000_000} {
		for _, d := range []int64{-5_000_001, -5_000, -4_999, -1, 0, 1, 4_999, 5_000, 50_000_000, 49_999_999} {
			fen := base + d
			if d > 0 && fen < base { // overflow
				continue
			}
			for unit, div := range map[MoneyUnit]int64{UnitWan: fenPerWanCent, UnitYi: fenPerYiCent} {
				want := ratCents(fen, div)
				got := FormatMoney(fen, unit)
				if strings.ReplaceAll(strings.TrimSuffix(strings.TrimSuffix(got, "万元"), "亿元"), ",", "") != want {
					t.Fatalf("FormatMoney(%d, %s) = %s, want %s", fen, unit, got, want)
				}
			}
		}
	}
}

// ratCents is fen/div hundredths rounded half away from zero with big.Rat.
func ratCents(fen, div int64) string {
	r := new(big.Rat).SetFrac(big.NewInt(fen), big.NewInt(div))
	neg := r.Sign() < 0
	r.Abs(r)
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	s := new(big.Int).Quo(q, big.NewInt(100)).String() + "." + fmt.Sprintf("%02d", new(big.Int).Rem(q, big.NewInt(100)).Int64())
	if neg && q.Sign() > 0 {
		s = "-" + s
	}
	return s
}

func TestParseMoneyUnit(t *testing.T) {
	for in, want := range map[string]MoneyUnit{"wan": UnitWan, " 亿元 ": UnitYi, "元": UnitYuan, "auto": UnitAuto} {
		if got, ok := ParseMoneyUnit(in); !ok || got != want {
			t.Errorf("ParseMoneyUnit(%q) = %s, %v", in, got, ok)
		}
	}
	if got, ok := ParseMoneyUnit("万"); ok || got != UnitAuto {
		t.Errorf("ParseMoneyUnit(万) = %s, %v", got, ok)
	}
}

func TestParseWan(t *testing.T) {
	for in, want := range map[string]int64{"1": 1_000_000, "0.000001": 1, "123.4567": 123_456_700, "2,000": 2_000_000_000,
		"0": 0, "15万元": 15_000_000, " 1.5 ": 1_500_000} {
		if got, err := ParseWan(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1.0000001", "1e3", "abc", "1.", ".5", "1,00"} {
		if got, err := ParseWan(in); err == nil {
			t.Errorf("%q: %d, want an error", in, got)
		}
	}
}
