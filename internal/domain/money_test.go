package domain

import (
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
