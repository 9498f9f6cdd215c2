// Package search turns text into the tokens of the catalogue's full-text
// index and a typed query into the same tokens (DESIGN.md §2: Chinese
// catalogue search). Every text is first normalised with textnorm.Key
// (full-width letters and digits folded, case folded, NFC).
//
// A text becomes, in order:
//   - for each run of Chinese characters, its bigrams (深度学习 → 深度 度学
//     学习), so that any 2+ character substring of a title or abstract is a
//     phrase of consecutive bigrams and is found whatever the segmenter
//     thinks of it (names, new terms and other out-of-dictionary runs), and
//     the run's last character alone (a 1-character query then finds every
//     occurrence: as the first character of a bigram or as a last
//     character);
//   - for each run of other letters and digits, the word (lidar, 5g, 2024);
//   - then the words of three or more characters that gse's search-mode
//     segmentation (simplified-Chinese dictionary plus the domain
//     dictionary of this package) finds in the text: they are not needed to
//     match, they raise the rank of texts that hold the query's words as
//     words.
//
// A query becomes an AND of terms, one per run: a Chinese run is the
// phrase of its bigrams, a 1-character run or an ASCII word a prefix. The
// query is bounded (MaxQueryRunes, MaxTerms, MaxPhrase) so that nothing an
// anonymous request types costs more than a few index lookups.
package search

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"kechuang/internal/textnorm"
)

// Version names the tokeniser: the stored index was built by this version
// or must be rebuilt (kechuang search reindex; serve does it when the
// stored version differs). Bump it whenever Tokens changes its output.
const Version = 2

// Bounds of a query.
const (
	MaxQueryRunes = 64 // runes of the query kept, the rest ignored
	MaxTerms      = 6  // terms (runs) kept, the rest ignored
	MaxPhrase     = 12 // bigrams of a phrase kept (a 13-character run)
	maxWordRunes  = 32 // an ASCII word longer than this is cut
)

//go:embed domain_dict.txt
var domainDict string

var (
	segOnce sync.Once
	seg     *gse.Segmenter
	segOff  bool
)

// segmenter loads gse's simplified-Chinese dictionary and the domain
// dictionary once per process, on first use (~1.3 s, ~130 MB).
func segmenter() *gse.Segmenter {
	segOnce.Do(func() {
		if segOff {
			return
		}
		s := new(gse.Segmenter)
		s.SkipLog = true
		if err := s.LoadDictEmbed("zh_s"); err != nil {
			return // bigrams alone still match everything; ranking loses the words
		}
		for _, line := range strings.Split(domainDict, "\n") {
			w := strings.TrimSpace(line)
			if w == "" || strings.HasPrefix(w, "#") {
				continue
			}
			s.AddToken(w, 2000, "n")
		}
		seg = s
	})
	return seg
}

// Segmenter is the process's one gse segmenter (simplified-Chinese
// dictionary plus the domain dictionary), loaded on first use, or nil if
// it is disabled or failed to load. The matching engine cuts with it too,
// so the dictionary is held once.
func Segmenter() *gse.Segmenter { return segmenter() }

// DomainWords are the words of the domain dictionary.
func DomainWords() []string {
	var out []string
	for _, line := range strings.Split(domainDict, "\n") {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			out = append(out, w)
		}
	}
	return out
}

// DisableSegmenter makes the words step a no-op for the whole process (a
// test or a benchmark that wants bigrams only). It must be called before
// the first Tokens.
func DisableSegmenter() { segOff = true }

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// run is a maximal sequence of Chinese characters (han) or of other
// letters and digits.
type run struct {
	han   bool
	runes []rune
}

func runs(s string) []run {
	var out []run
	for _, r := range s {
		switch {
		case isHan(r):
			if n := len(out); n > 0 && out[n-1].han && out[n-1].runes != nil {
				out[n-1].runes = append(out[n-1].runes, r)
			} else {
				out = append(out, run{han: true, runes: []rune{r}})
			}
		case isWordRune(r):
			if n := len(out); n > 0 && !out[n-1].han && out[n-1].runes != nil {
				out[n-1].runes = append(out[n-1].runes, r)
			} else {
				out = append(out, run{runes: []rune{r}})
			}
		default:
			if n := len(out); n > 0 && out[n-1].runes != nil {
				out = append(out, run{}) // a separator ends the run
			}
		}
	}
	kept := out[:0]
	for _, r := range out {
		if r.runes != nil {
			kept = append(kept, r)
		}
	}
	return kept
}

func bigrams(rs []rune) []string {
	if len(rs) < 2 {
		return []string{string(rs)}
	}
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

func word(rs []rune) string {
	if len(rs) > maxWordRunes {
		rs = rs[:maxWordRunes]
	}
	return string(rs)
}

// Tokens are the index tokens of a text, in order (see the package doc).
// Every token is a non-empty run of letters and digits.
func Tokens(text string) []string {
	k := textnorm.Key(text)
	var out []string
	hasHan := false
	for _, r := range runs(k) {
		if !r.han {
			out = append(out, word(r.runes))
			continue
		}
		hasHan = true
		out = append(out, bigrams(r.runes)...)
		if len(r.runes) >= 2 {
			out = append(out, string(r.runes[len(r.runes)-1]))
		}
	}
	if hasHan {
		out = append(out, words(k)...)
	}
	return out
}

// words are the segmenter's words of three or more Chinese characters
// (shorter ones are bigrams already), in order.
func words(k string) []string {
	s := segmenter()
	if s == nil {
		return nil
	}
	var out []string
	for _, w := range s.CutSearch(k, true) {
		if utf8.RuneCountInString(w) < 3 {
			continue
		}
		all := true
		for _, r := range w {
			if !isHan(r) {
				all = false
				break
			}
		}
		if all {
			out = append(out, w)
		}
	}
	return out
}

// BodyTokens are the index tokens of a record's longer texts (abstract,
// keywords, problem): each run of Chinese characters is segmented by gse
// (search mode) and gives its words of two or more characters, and the
// bigrams of every stretch of single-character segments (the
// out-of-dictionary fallback: a name, a new compound); ASCII words as in
// Tokens. Fewer tokens than all bigrams (an abstract is long), at the cost
// of finding a substring only where the segmenter cuts it as a word.
func BodyTokens(text string) []string {
	k := textnorm.Key(text)
	var out []string
	s := segmenter()
	for _, r := range runs(k) {
		if !r.han {
			out = append(out, word(r.runes))
			continue
		}
		out = append(out, hanBody(s, r.runes)...)
	}
	return out
}

// hanBody segments one run of Chinese characters (see BodyTokens).
func hanBody(s *gse.Segmenter, rs []rune) []string {
	if s == nil || len(rs) < 3 {
		return bigrams(rs)
	}
	var out []string
	var single []rune
	flush := func() {
		if len(single) > 0 {
			out = append(out, bigrams(single)...)
			single = single[:0]
		}
	}
	for _, w := range s.CutSearch(string(rs), true) {
		n := utf8.RuneCountInString(w)
		if n == 1 {
			single = append(single, []rune(w)...)
			continue
		}
		flush()
		out = append(out, w)
	}
	flush()
	return out
}

// Doc is what the index holds of one record: the tokens of its title
// (ranked higher) and of the rest of its text.
type Doc struct {
	Title, Body []string
}

// NewDoc tokenises a record's title (Tokens) and its other texts
// (BodyTokens).
func NewDoc(title string, body ...string) Doc {
	return Doc{Title: Tokens(title), Body: BodyTokens(strings.Join(body, " \n "))}
}

// Term is one condition of a query: the phrase of consecutive tokens (as
// a title holds them), or the prefix of one token; or else every one of
// Words (as a body holds them: BodyTokens of the term).
type Term struct {
	Phrase []string
	Prefix bool
	Words  []string
}

// Query is a parsed query: every term must match. (It carried Boost words
// for bm25 until the store's ranking stopped using bm25: store/search.go,
// searchPage.)
type Query struct {
	Terms []Term
}

// Empty reports whether the query has no term (it then matches everything).
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// ParseQuery turns what a user typed into a bounded query.
func ParseQuery(s string) Query {
	k := textnorm.Key(s)
	if utf8.RuneCountInString(k) > MaxQueryRunes {
		k = string([]rune(k)[:MaxQueryRunes])
	}
	var q Query
	seen := map[string]bool{}
	for _, r := range runs(k) {
		if len(q.Terms) == MaxTerms {
			break
		}
		var t Term
		switch {
		case !r.han:
			t = Term{Phrase: []string{word(r.runes)}, Prefix: true}
		case len(r.runes) == 1:
			t = Term{Phrase: []string{string(r.runes)}, Prefix: true}
		default:
			rs := r.runes
			if len(rs) > MaxPhrase+1 {
				rs = rs[:MaxPhrase+1]
			}
			t = Term{Phrase: bigrams(rs)}
			if ws := hanBody(segmenter(), rs); !slices.Equal(ws, t.Phrase) {
				t.Words = dedupe(ws)
			}
		}
		key := strings.Join(t.Phrase, " ")
		if t.Prefix {
			key += "*"
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		q.Terms = append(q.Terms, t)
	}
	return q
}

func dedupe(ws []string) []string {
	var out []string
	for _, w := range ws {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}
