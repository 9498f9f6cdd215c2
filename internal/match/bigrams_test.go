package match

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The reference cut of the bigrams (the engine's before appendBigrams):
// runes copied per run, a string allocated per bigram.

func refClip(rs []rune) string {
	if len(rs) > maxTermRunes {
		rs = rs[:maxTermRunes]
	}
	return string(rs)
}

type run struct {
	han   bool
	runes []rune
}

// runsOf splits a segment into runs of Chinese characters and of other
// letters and digits.
func refRunsOf(seg string) []run {
	var out []run
	for _, r := range seg {
		h := isHan(r)
		if !h && !isWordRune(r) && r != '.' && r != '-' {
			out = append(out, run{})
			continue
		}
		if n := len(out); n > 0 && out[n-1].runes != nil && out[n-1].han == h {
			out[n-1].runes = append(out[n-1].runes, r)
			continue
		}
		out = append(out, run{han: h, runes: []rune{r}})
	}
	kept := out[:0]
	for _, r := range out {
		if r.runes != nil {
			if !r.han {
				r.runes = []rune(strings.Trim(string(r.runes), ".-"))
				if len(r.runes) == 0 {
					continue
				}
			}
			kept = append(kept, r)
		}
	}
	return kept
}

func refBigramRunes(rs []rune) []string {
	if len(rs) < 2 {
		return nil // a lone character is no term
	}
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

func refBigramsOf(p string) []string {
	var out []string
	for _, r := range refRunsOf(p) {
		if r.han {
			out = append(out, refBigramRunes(r.runes)...)
		} else {
			out = append(out, refClip(r.runes))
		}
	}
	return out
}

func checkBigrams(t *testing.T, s string) {
	if got, want := appendBigrams(nil, s), refBigramsOf(s); !slices.Equal(got, want) {
		t.Fatalf("appendBigrams(%q) = %q, want %q", s, got, want)
	}
}

// TestAppendBigramsAsBefore checks the substring cut against the
// reference on random mixes of Chinese, ASCII, '.', '-', punctuation,
// long runs and invalid bytes.
func TestAppendBigramsAsBefore(t *testing.T) {
	alphabet := []string{"印", "染", "废", "水", "a", "B", "7", ".", "-", "，", " ", "é", "\xff", "𠀀", "ｘ", strings.Repeat("z", 30)}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		checkBigrams(t, b.String())
	}
}

func FuzzAppendBigrams(f *testing.F) {
	for _, s := range []string{"", "印染废水", "lidar mrp-2 传感器", "..a-.", "中.文", "x\xffy"} {
		f.Add(s)
	}
	f.Fuzz(checkBigrams)
}
