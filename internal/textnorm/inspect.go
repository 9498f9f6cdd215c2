package textnorm

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Kind is a class of character that does not belong in a text field.
type Kind int

const (
	InvalidUTF8 Kind = iota + 1 // bytes that are not UTF-8
	Control                     // C0/C1 controls (Cc), e.g. NUL, ESC, DEL
	Format                      // invisible format characters (Cf): ZWSP, ZWJ, BOM, soft hyphen
	Bidi                        // bidirectional controls (RLO, LRI, …): they reorder what is shown
)

func (k Kind) String() string {
	switch k {
	case InvalidUTF8:
		return "无效的UTF-8字节"
	case Control:
		return "控制字符"
	case Format:
		return "不可见的格式字符"
	case Bidi:
		return "双向文本控制字符"
	}
	return "未知"
}

// Problem is one offending character of a string.
type Problem struct {
	Offset int  // byte offset in the string
	Index  int  // 1-based character position, as a reader counts
	Rune   rune // the character; utf8.RuneError for invalid bytes
	Kind   Kind
}

// Error describes the problem in Chinese for the person who typed it.
func (p Problem) Error() string {
	if p.Kind == InvalidUTF8 {
		return fmt.Sprintf("第%d个字符处有%s", p.Index, p.Kind)
	}
	return fmt.Sprintf("第%d个字符 U+%04X 是%s", p.Index, p.Rune, p.Kind)
}

// Options say which otherwise refused characters a field accepts.
type Options struct {
	// Multiline accepts tab, line feed and carriage return (notes, comments).
	Multiline bool
}

// Inspect lists every control, format or bidirectional character and every
// invalid byte of s, in order. A bidi control is reported as Bidi even
// though it is also a format character.
func Inspect(s string, opt Options) []Problem {
	var out []Problem
	index := 0
	for off := 0; off < len(s); {
		r, size := utf8.DecodeRuneInString(s[off:])
		index++
		if k := classify(r, size, opt); k != 0 {
			out = append(out, Problem{Offset: off, Index: index, Rune: r, Kind: k})
		}
		off += size
	}
	return out
}

// Validate returns the first problem Inspect finds, or nil.
func Validate(s string, opt Options) error {
	if ps := Inspect(s, opt); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

func classify(r rune, size int, opt Options) Kind {
	switch {
	case r == utf8.RuneError && size <= 1:
		return InvalidUTF8
	case unicode.Is(unicode.Bidi_Control, r):
		return Bidi
	case unicode.Is(unicode.Cc, r):
		if opt.Multiline && (r == '\t' || r == '\n' || r == '\r') {
			return 0
		}
		return Control
	case unicode.Is(unicode.Cf, r):
		return Format
	}
	return 0
}
