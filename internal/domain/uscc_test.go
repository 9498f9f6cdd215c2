package domain

import (
	"fmt"
	"strings"
	"testing"
)

// Real credit codes published by their holders.
var knownUSCC = []string{"91350100M000100Y43", "91310000775785552L", "9144030071526726XG"}

func TestValidateUSCCKnown(t *testing.T) {
	for _, c := range knownUSCC {
		if err := ValidateUSCC(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
		if got := MakeUSCC(c[:17]); got != c {
			t.Errorf("MakeUSCC(%s) = %s", c[:17], got)
		}
	}
}

func TestValidateUSCCIllegalChars(t *testing.T) {
	base := knownUSCC[0]
	for pos := range 18 {
		for _, ch := range "IOZSV" {
			code := base[:pos] + string(ch) + base[pos+1:]
			t.Run(fmt.Sprintf("Pos%02d%c", pos+1, ch), func(t *testing.T) {
				err := ValidateUSCC(code)
				if err == nil {
					t.Fatalf("%s accepted", code)
				}
				e := err.(*Error)
				wantPos := fmt.Sprintf("第%d位“%c”", pos+1, ch)
				if e.Code != EINVALID || e.Field != "uscc" || !strings.Contains(e.Message, wantPos) {
					t.Fatalf("%s: %v, want message naming %s", code, err, wantPos)
				}
			})
		}
	}
}

func TestValidateUSCCMessages(t *testing.T) {
	cases := []struct {
		name, code, want string
	}{
		{"WrongCheckChar", "91350100M000100Y44", "校验位错误：应为3，实际为4"},
		{"WrongCheckLetter", "91310000775785552M", "应为L，实际为M"},
		{"Short", "91350100M000100Y4", "应为18位，实际为17位"},
		{"Long", "91350100M000100Y433", "应为18位，实际为19位"},
		{"Empty", "", "应为18位，实际为0位"},
		{"Lowercase", "91350100m000100Y43", "第9位“m”"},
		{"Hyphen", "91350100-000100Y43", "第9位“-”"},
		{"FullWidthNotNormalised", "９１３５０１００Ｍ０００１００Ｙ４３", "第1位“９”"},
		{"ChineseEighteen", "统一社会信用代码统一社会信用代码一二", "第1位“统”"},
		{"EightChinese", "统一社会信用代码", "实际为8位"}, // 24 bytes, 8 characters
		{"SixChinese", "统一社会信用", "实际为6位"},     // 18 bytes, 6 characters
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateUSCC(tc.code)
			if err == nil || !strings.Contains(ErrorMessage(err), tc.want) {
				t.Fatalf("ValidateUSCC(%q) = %v, want message containing %q", tc.code, err, tc.want)
			}
		})
	}
}

func TestNormalizeUSCC(t *testing.T) {
	cases := map[string]string{
		"９１３５０１００Ｍ０００１００Ｙ４３":      "91350100M000100Y43",
		"  91350100m000100y43 \n": "91350100M000100Y43",
		"９１３５０１００m０００１００ｙ４３":      "91350100M000100Y43",
	}
	for in, want := range cases {
		got := NormalizeUSCC(in)
		if got != want {
			t.Errorf("NormalizeUSCC(%q) = %q, want %q", in, got, want)
		}
		if err := ValidateUSCC(got); err != nil {
			t.Errorf("normalised %q invalid: %v", got, err)
		}
	}
}

func TestUSCCCheckCharBadPrefix(t *testing.T) {
	for _, p := range []string{"", "9135010", "91350100M000100YI", "91350100M000100Y43"} {
		if _, ok := USCCCheckChar(p); ok {
			t.Errorf("USCCCheckChar(%q) ok", p)
		}
	}
}

// FuzzUSCC: ValidateUSCC never panics, and MakeUSCC of any valid 17-char
// prefix validates; a valid code is exactly MakeUSCC of its prefix.
func FuzzUSCC(f *testing.F) {
	for _, c := range knownUSCC {
		f.Add(c)
		f.Add(c[:17])
	}
	f.Add("９１３５０１００Ｍ０００１００Ｙ４３")
	f.Add("统一社会信用代码统一社会信用代码一二")
	f.Add("\xff\xfe0000000000000000")
	f.Fuzz(func(t *testing.T, s string) {
		for _, in := range []string{s, NormalizeUSCC(s)} {
			err := ValidateUSCC(in)
			if err == nil {
				if MakeUSCC(in[:17]) != in {
					t.Fatalf("valid %q is not MakeUSCC of its prefix", in)
				}
			} else if ErrorMessage(err) == "" || ErrorCode(err) != EINVALID {
				t.Fatalf("ValidateUSCC(%q) = %v without a message", in, err)
			}
		}
		if len(s) >= 17 {
			p := s[:17]
			if _, ok := USCCCheckChar(p); ok {
				if err := ValidateUSCC(MakeUSCC(p)); err != nil {
					t.Fatalf("MakeUSCC(%q) invalid: %v", p, err)
				}
			}
		}
	})
}
