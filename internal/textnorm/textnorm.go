// Package textnorm is Kechuang's one text normaliser: what people type or
// paste (full-width digits and letters from a Chinese input method,
// half-width katakana, decomposed accents, stray spaces, mixed case)
// becomes one canonical form, so that forms, imports, search and matching
// compare like with like. It is built on golang.org/x/text (width, cases,
// unicode/norm) rather than on hand-made code-point ranges.
//
// Clean is for values that are stored and shown (names, amounts, codes):
// it keeps case. Key is for comparing and indexing: it also folds case and
// collapses white space. Inspect and Validate report characters that have
// no business in a field (control, format and bidirectional characters,
// invalid UTF-8): another module decides whether to refuse them.
//
// The domain package may not import internal packages, so its credit-code
// normaliser calls golang.org/x/text/width directly: FoldWidth here is that
// same call, and a test holds the two to the same output.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// FoldWidth maps characters to their canonical width: full-width ASCII
// (１２３ＡＢＣ，．) and the ideographic space to their ASCII forms,
// half-width katakana to full-width. Chinese characters are unchanged.
func FoldWidth(s string) string { return width.Fold.String(s) }

// FoldCase applies Unicode full case folding (ß→ss, Ａ→ａ, Σ/ς→σ), the form
// for caseless comparison. A Caser holds state, so each call makes one.
func FoldCase(s string) string { return strings.Map(cherokeeFold, cases.Fold().String(s)) }

// cherokeeFold corrects x/text's folding of Cherokee, which swaps the two
// cases (so folding twice undoes it; our fuzz target found it). Unicode's
// CaseFolding.txt folds Cherokee to the capitals, which came first (8.0
// added the small letters U+AB70–ABBF and U+13F8–13FD).
func cherokeeFold(r rune) rune {
	switch {
	case r >= 0xAB70 && r <= 0xABBF:
		return r - 0xAB70 + 0x13A0
	case r >= 0x13F8 && r <= 0x13FD:
		return r - 8
	}
	return r
}

// NFC returns s in Unicode normalisation form C (composed: e + ◌́ → é).
func NFC(s string) string { return norm.NFC.String(s) }

// Clean is the stored form of a typed value: valid UTF-8 (bad bytes become
// U+FFFD), width folded, NFC, and trimmed of white space at both ends
// (the ideographic space included). Case is kept.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	return strings.TrimSpace(NFC(FoldWidth(s)))
}

// Key is the comparison form: Clean, then case folded, with every run of
// white space inside collapsed to one ASCII space. Two values with the
// same Key are the same to a reader.
func Key(s string) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	// Width first (half-width ﾊﾞ becomes ハ + U+3099), case folding next,
	// NFC last so the result is composed whatever folding produced.
	s = NFC(FoldCase(FoldWidth(s)))
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
