package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"kechuang/internal/search"
	"kechuang/internal/textnorm"
)

// Kind is the family of an index term: a gse word or a CJK bigram. The two
// are scored as separate BM25F "fields" (a word of two characters and the
// same bigram are different terms).
type Kind uint8

const (
	Word   Kind = iota // gse word (search-mode cut), or an ASCII word
	Bigram             // two consecutive Chinese characters, or an ASCII word
)

func (k Kind) String() string {
	if k == Bigram {
		return "bigram"
	}
	return "word"
}

// Field is a part of a document: title, keywords, abstract.
type Field uint8

const (
	Title Field = iota
	Keywords
	Abstract
	numFields
)

var fieldNames = [numFields]string{"title", "keywords", "abstract"}

func (f Field) String() string {
	if f < numFields {
		return fieldNames[f]
	}
	return "?"
}

// Normalize is the engine's text normalisation: textnorm.Key (width and
// case folded, NFC, white space collapsed), then the common traditional
// characters mapped to their simplified forms (a table of one-to-one
// pairs: cheap, and enough for a Taiwanese or Hong Kong partner's title
// to meet the catalogue's wording; ambiguous characters are left alone).
func Normalize(s string) string {
	k := textnorm.Key(s)
	if !hasTrad(k) {
		return k
	}
	return strings.Map(func(r rune) rune {
		if s, ok := t2s[r]; ok {
			return s
		}
		return r
	}, k)
}

func hasTrad(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 {
			if _, ok := t2s[r]; ok {
				return true
			}
		}
	}
	return false
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// maxTermRunes bounds a term (an ASCII run, a gse word).
const maxTermRunes = 24

// Analyzer turns a text into the engine's terms. The zero value uses the
// process's gse segmenter (search.Segmenter) and the built-in stop words.
type Analyzer struct {
	// NoSegmenter makes the word terms the bigrams and ASCII words only (a
	// test that does not want to load the dictionary).
	NoSegmenter bool
	// HMM lets gse guess out-of-dictionary words (about a third slower;
	// the bigrams find such words anyway).
	HMM bool
	// Cut uses gse's plain cut instead of its search mode (no sub-words of
	// long words: cheaper, see docs/match.md for what it costs).
	Cut bool
}

// Terms are the terms of one text of one kind, in text order, stop words
// dropped.
type Terms struct {
	Words, Bigrams []string
}

// Analyze normalises and cuts a document's text: its words (stop words
// dropped) and its bigrams.
func (a Analyzer) Analyze(text string) Terms {
	k := Normalize(text)
	var t Terms
	for _, seg := range a.segments(k) {
		for _, w := range a.words(seg) {
			if !isStop(w) {
				t.Words = append(t.Words, w)
			}
		}
		t.Bigrams = append(t.Bigrams, bigramsOf([]string{seg})...)
	}
	return t
}

// AnalyzeQuery is Analyze for a query: the stop words (a need's
// boilerplate: 我单位、希望、需要…) are also cut out before the bigrams are
// formed, so they join no bigram with their neighbours.
func (a Analyzer) AnalyzeQuery(text string) Terms {
	k := Normalize(text)
	var t Terms
	for _, seg := range a.segments(k) {
		for _, w := range a.words(seg) {
			if !isStop(w) {
				t.Words = append(t.Words, w)
			}
		}
		t.Bigrams = append(t.Bigrams, bigramsOf(stripStops(a, seg))...)
	}
	return t
}

// segments splits a normalised text at punctuation and white space into
// runs of letters and digits (Chinese mixed with ASCII allowed).
func (a Analyzer) segments(k string) []string {
	return strings.FieldsFunc(k, func(r rune) bool { return !isWordRune(r) && r != '.' && r != '-' })
}

// words are gse's search-mode words of a segment of two or more runes
// that hold a letter, digit or Chinese character; ASCII runs are kept
// whole.
func (a Analyzer) words(seg string) []string {
	var out []string
	seg = strings.Trim(seg, ".-")
	if seg == "" {
		return nil
	}
	s := search.Segmenter()
	if a.NoSegmenter || s == nil {
		return appendBigrams(out, seg)
	}
	var cut []string
	if a.Cut {
		cut = s.Cut(seg, a.HMM)
	} else {
		cut = s.CutSearch(seg, a.HMM)
	}
	for _, w := range cut {
		w = strings.Trim(w, ".-")
		n := utf8.RuneCountInString(w)
		if n == 0 || n > maxTermRunes {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if n == 1 && isHan(r) {
			continue // a single character carries too little; the bigrams have it
		}
		if !strings.ContainsFunc(w, isWordRune) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// bigramsOf are the bigrams of the Chinese runs of the pieces and the
// ASCII words whole.
func bigramsOf(pieces []string) []string {
	var out []string
	for _, p := range pieces {
		out = appendBigrams(out, p)
	}
	return out
}

// appendBigrams appends the bigrams of a piece's Chinese runs and its
// other runs whole (clipped), as runsOf cuts them, each a substring of
// the piece (no allocation per term: the index clones the keys it keeps).
func appendBigrams(out []string, p string) []string {
	start, han := -1, false // the current run: its first byte and kind
	flush := func(end int) {
		if start < 0 {
			return
		}
		r := p[start:end]
		if !han {
			if r = strings.Trim(r, ".-"); r != "" {
				out = append(out, clipString(r))
			}
			return
		}
		// the bigrams: r[b0:b2], r[b1:b3], …
		b0, b1 := 0, -1
		for i := range r {
			if i == 0 {
				continue
			}
			if b1 >= 0 {
				out = append(out, r[b0:i])
				b0 = b1
			}
			b1 = i
		}
		if b1 >= 0 {
			out = append(out, r[b0:])
		}
	}
	for i, c := range p {
		h := isHan(c)
		if !h && !isWordRune(c) && c != '.' && c != '-' {
			flush(i)
			start = -1
			continue
		}
		if start >= 0 && h == han {
			continue
		}
		flush(i)
		start, han = i, h
	}
	flush(len(p))
	return out
}

// clipString is clip of a string: its first maxTermRunes runes.
func clipString(s string) string {
	n := 0
	for i := range s {
		if n == maxTermRunes {
			return s[:i]
		}
		n++
	}
	return s
}

// stripStops cuts a segment at its stop words (as gse cuts them): the
// pieces between them.
func stripStops(a Analyzer, seg string) []string {
	s := search.Segmenter()
	if a.NoSegmenter || s == nil || !strings.ContainsFunc(seg, isHan) {
		return []string{seg}
	}
	var out []string
	var b strings.Builder
	for _, w := range s.Cut(seg, a.HMM) {
		if isStop(w) {
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
			continue
		}
		b.WriteString(w)
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}
