package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // a prefix of the tokens (the gse words follow)
		has  []string // tokens that must be somewhere
	}{
		{"深度学习", []string{"深度", "度学", "学习", "习"}, nil},
		{"ＬｉＤＡＲ雷达", []string{"lidar", "雷达", "达"}, nil},                      // full-width, case
		{"5G基站 v2.0", []string{"5g", "基站", "站", "v2", "0"}, nil},            // mixed ASCII
		{"镍钴锰酸锂正极", []string{"镍钴", "钴锰", "锰酸", "酸锂", "锂正", "正极", "极"}, nil}, // out of dictionary
		{"一种飞行器控制器", nil, []string{"飞行器", "控制器"}},                           // gse words of 3+
		{"光", []string{"光"}, nil},
		{"", nil, nil},
		{"!!!", nil, nil},
	} {
		got := Tokens(tc.in)
		if len(got) < len(tc.want) || !slices.Equal(got[:len(tc.want)], tc.want) {
			t.Errorf("Tokens(%q) = %q, want prefix %q", tc.in, got, tc.want)
		}
		for _, h := range tc.has {
			if !slices.Contains(got, h) {
				t.Errorf("Tokens(%q) = %q, lacks %q", tc.in, got, h)
			}
		}
		for _, tok := range got {
			if tok == "" || strings.ContainsAny(tok, " \"'\\*:()") {
				t.Errorf("Tokens(%q): bad token %q", tc.in, tok)
			}
		}
	}
}

func TestParseQuery(t *testing.T) {
	q := ParseQuery("  深度学习　ＬｉＤＡＲ 光 ")
	want := []Term{{Phrase: []string{"深度", "度学", "学习"}}, {Phrase: []string{"lidar"}, Prefix: true}, {Phrase: []string{"光"}, Prefix: true}}
	if len(q.Terms) != len(want) {
		t.Fatalf("terms %+v", q.Terms)
	}
	for i := range want {
		if !slices.Equal(q.Terms[i].Phrase, want[i].Phrase) || q.Terms[i].Prefix != want[i].Prefix {
			t.Errorf("term %d = %+v, want %+v", i, q.Terms[i], want[i])
		}
	}
	if !ParseQuery(" ，。 ").Empty() {
		t.Error("punctuation only should be empty")
	}
	// bounded whatever is typed
	long := ParseQuery(strings.Repeat("材料科学与工程 ab ", 200))
	if len(long.Terms) > MaxTerms {
		t.Errorf("unbounded: %d terms", len(long.Terms))
	}
	for _, tm := range ParseQuery(strings.Repeat("很", 500)).Terms {
		if len(tm.Phrase) > MaxPhrase {
			t.Errorf("phrase of %d", len(tm.Phrase))
		}
	}
	dup := ParseQuery("学习 学习")
	if len(dup.Terms) != 1 {
		t.Errorf("duplicate terms kept: %+v", dup.Terms)
	}
}

// A query for any substring of 2+ Chinese characters of a text is a phrase
// of consecutive tokens of that text.
func TestSubstringIsPhrase(t *testing.T) {
	text := "一种基于平方和优化的飞行器大角度机动镇定控制器设计方法"
	toks := Tokens(text)
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		for j := i + 2; j <= len(rs) && j-i <= MaxPhrase+1; j++ {
			q := ParseQuery(string(rs[i:j]))
			if len(q.Terms) != 1 || !containsRun(toks, q.Terms[0].Phrase) {
				t.Fatalf("%q not found as a phrase in %q", string(rs[i:j]), toks)
			}
		}
	}
}

func containsRun(toks, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(phrase)], phrase) {
			return true
		}
	}
	return false
}

func FuzzQuery(f *testing.F) {
	segmenter() // load the dictionary before the inputs: a worker loading it looks hung
	for _, s := range []string{"深度学习", "ＬｉＤＡＲ", "5G基站 v2.0", "\"'*:()&|!", "a\x00b", strings.Repeat("材料", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		if len(q.Terms) > MaxTerms {
			t.Fatalf("unbounded query %+v", q)
		}
		for _, tm := range q.Terms {
			if len(tm.Phrase) == 0 || len(tm.Phrase) > MaxPhrase {
				t.Fatalf("phrase %q", tm.Phrase)
			}
			for _, tok := range tm.Phrase {
				if !validToken(tok) {
					t.Fatalf("bad query token %q from %q", tok, s)
				}
			}
		}
		for _, tm := range q.Terms {
			for _, tok := range tm.Words {
				if !validToken(tok) {
					t.Fatalf("bad query word %q from %q", tok, s)
				}
			}
		}
		for _, tok := range append(Tokens(s), BodyTokens(s)...) {
			if !validToken(tok) {
				t.Fatalf("bad index token %q from %q", tok, s)
			}
		}
	})
}

func validToken(tok string) bool {
	if tok == "" || !utf8.ValidString(tok) {
		return false
	}
	for _, r := range tok {
		if !isWordRune(r) {
			return false
		}
	}
	return true
}
