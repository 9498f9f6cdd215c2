package textnorm_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
)

func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"FullWidthDigits", "１２３４．５６", "1234.56"},
		{"FullWidthLettersKeepCase", "ＡｂＣ", "AbC"},
		{"ChineseComma", "1，234", "1,234"},
		{"IdeographicSpaceTrimmed", "\u3000沈阳市\u3000", "沈阳市"},
		{"ChineseUnchanged", "东北大学技术转移中心", "东北大学技术转移中心"},
		{"HalfWidthKatakanaComposed", "ﾊﾞｲｵ", "バイオ"},
		{"DecomposedAccentComposed", "Cafe\u0301", "Café"},
		{"InvalidBytesReplaced", "a\xffb", "a\uFFFDb"},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textnorm.Clean(tt.in); got != tt.want {
				t.Fatalf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestKey(t *testing.T) {
	same := [][]string{
		{"ＡＢＣ 公司", "abc 公司", " Abc\u3000\u3000公司 "},
		{"STRASSE", "straße", "Straße"},
		{"ﾃｸﾉﾛｼﾞｰ", "テクノロジー"},
		{"e\u0301", "é", "É"},
		{"\u13B0", "\uAB80"}, // Cherokee folds to the capitals, stably
		{"\u13F0", "\u13F8"},
	}
	for _, group := range same {
		want := textnorm.Key(group[0])
		for _, s := range group[1:] {
			if got := textnorm.Key(s); got != want {
				t.Errorf("Key(%q) = %q, want %q (as Key(%q))", s, got, want, group[0])
			}
		}
	}
	if textnorm.Key("沈阳") == textnorm.Key("沈陽") {
		t.Error("Key must not merge simplified and traditional characters")
	}
}

func TestInspect(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		opt   textnorm.Options
		kinds []textnorm.Kind
	}{
		{"Clean", "技术合同 No.12", textnorm.Options{}, nil},
		{"NUL", "a\x00b", textnorm.Options{}, []textnorm.Kind{textnorm.Control}},
		{"DEL and C1", "a\x7fb\u0085", textnorm.Options{}, []textnorm.Kind{textnorm.Control, textnorm.Control}},
		{"NewlineInLine", "a\nb", textnorm.Options{}, []textnorm.Kind{textnorm.Control}},
		{"NewlineInNote", "a\r\n\tb", textnorm.Options{Multiline: true}, nil},
		{"EscapeInNote", "a\x1b[31m", textnorm.Options{Multiline: true}, []textnorm.Kind{textnorm.Control}},
		{"RLO", "invoice\u202Efdp.exe", textnorm.Options{}, []textnorm.Kind{textnorm.Bidi}},
		{"IsolatesAndMarks", "\u2066x\u2069\u200F\u061C", textnorm.Options{}, []textnorm.Kind{textnorm.Bidi, textnorm.Bidi, textnorm.Bidi, textnorm.Bidi}},
		{"ZeroWidthAndBOM", "\uFEFFa\u200Bb\u00AD", textnorm.Options{}, []textnorm.Kind{textnorm.Format, textnorm.Format, textnorm.Format}},
		{"InvalidUTF8", "ok\xc3(", textnorm.Options{}, []textnorm.Kind{textnorm.InvalidUTF8}},
		{"RealReplacementCharIsText", "a\uFFFDb", textnorm.Options{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := textnorm.Inspect(tt.in, tt.opt)
			var got []textnorm.Kind
			for _, p := range ps {
				got = append(got, p.Kind)
			}
			if len(got) != len(tt.kinds) {
				t.Fatalf("Inspect(%q) = %v, want kinds %v", tt.in, ps, tt.kinds)
			}
			for i := range got {
				if got[i] != tt.kinds[i] {
					t.Fatalf("Inspect(%q)[%d] = %v, want %v", tt.in, i, got[i], tt.kinds[i])
				}
			}
			if err := textnorm.Validate(tt.in, tt.opt); (err == nil) != (len(tt.kinds) == 0) {
				t.Fatalf("Validate(%q) = %v", tt.in, err)
			}
		})
	}
}

func TestProblemNamesThePosition(t *testing.T) {
	err := textnorm.Validate("合同\u202E名称", textnorm.Options{})
	p, ok := err.(textnorm.Problem)
	if !ok || p.Index != 3 || p.Offset != len("合同") || p.Rune != 0x202E {
		t.Fatalf("Validate = %#v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "第3个字符") || !strings.Contains(msg, "U+202E") || !strings.Contains(msg, "双向") {
		t.Fatalf("message %q", msg)
	}
}

// TestDomainUSCCFoldsLikeTextnorm holds domain.NormalizeUSCC, which calls
// x/text/width itself (domain imports no internal package), to FoldWidth.
func TestDomainUSCCFoldsLikeTextnorm(t *testing.T) {
	for _, s := range []string{"９１２１０１００ｍａ０ｘｕｎｐｑ１ｋ", " 91210100MA0XUNPQ1K\u3000", "ﾊﾞ１a", ""} {
		if got, want := domain.NormalizeUSCC(s), strings.ToUpper(strings.TrimSpace(textnorm.FoldWidth(s))); got != want {
			t.Errorf("NormalizeUSCC(%q) = %q, textnorm gives %q", s, got, want)
		}
	}
}

func FuzzNormalise(f *testing.F) {
	for _, s := range []string{"", "１２３４．５６", "ＡＢＣ 公司", "ﾊﾞｲｵ", "Straße", "e\u0301", "a\xffb", "\u202E", "\u3000x\u3000", "ǅ", "ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, k := textnorm.Clean(s), textnorm.Key(s)
		if !utf8.ValidString(c) || !utf8.ValidString(k) {
			t.Fatalf("invalid UTF-8 out of %q: %q %q", s, c, k)
		}
		if again := textnorm.Clean(c); again != c {
			t.Fatalf("Clean not idempotent on %q: %q then %q", s, c, again)
		}
		if again := textnorm.Key(k); again != k {
			t.Fatalf("Key not idempotent on %q: %q then %q", s, k, again)
		}
		if textnorm.Key(c) != k {
			t.Fatalf("Key(Clean(%q)) = %q, Key = %q", s, textnorm.Key(c), k)
		}
		prev := -1
		for _, p := range textnorm.Inspect(s, textnorm.Options{}) {
			if p.Offset <= prev || p.Offset >= len(s) || p.Index < 1 || p.Kind == 0 {
				t.Fatalf("Inspect(%q): bad problem %#v", s, p)
			}
			prev = p.Offset
		}
		if (textnorm.Validate(s, textnorm.Options{}) == nil) != (len(textnorm.Inspect(s, textnorm.Options{})) == 0) {
			t.Fatalf("Validate and Inspect disagree on %q", s)
		}
	})
}
