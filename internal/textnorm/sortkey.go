package textnorm

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// pinyinArgs spell a character in pinyin with its tone as a digit
// ("shen3"), its most common reading first (go-pinyin's dictionary order).
var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Tone3
	return a
}()

// SortKey is the form a name sorts by as a Chinese reader expects, the
// same on every database (SQLite has no Chinese collation, and a
// PostgreSQL server's collation is whatever it was installed with): each
// Han character becomes its pinyin syllable with the tone digit, every
// other character its Key form, separated by spaces, so that byte order
// is 拼音 order — 安 (an1) before 北 (bei3) before 沈 (shen3), 西安 (xi1 an1)
// before 先 (xian1). The store keeps it beside each name it sorts by.
// Characters with several readings take the most common one.
func SortKey(s string) string {
	var b strings.Builder
	for _, r := range Key(s) {
		if unicode.Is(unicode.Han, r) {
			if py := spell(r); py != "" {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(py)
				b.WriteByte(' ')
				continue
			}
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// spellings caches each character's pinyin: go-pinyin applies its tone
// style with regular expressions on every call, which made the sort keys
// the larger part of a batched import's time (a profile of
// BenchmarkBulkInsertSQLite: 43 %). Names repeat a few thousand characters.
var spellings sync.Map // rune → string ("" when the character has none)

func spell(r rune) string {
	if v, ok := spellings.Load(r); ok {
		return v.(string)
	}
	py := ""
	if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 {
		py = p[0]
	}
	spellings.Store(r, py)
	return py
}
