package store

import (
	"fmt"
	"strings"
)

// splitStatements splits a migration into statements at each `;` outside
// quotes, comments and dollar-quoted bodies, so that a PostgreSQL function
// body ($$ … $$ or $tag$ … $tag$) needs nothing special. Everything between
// the line comments `-- +statement begin` and `-- +statement end` is one
// statement whatever it holds: an SQLite trigger (BEGIN …; …; END) needs
// that. Unterminated quotes, comments, bodies and blocks are errors, since a
// wrong split would run half a statement. (Backslash escapes in E'…'
// strings are not understood; write ” for a quote.)
func splitStatements(src string) ([]string, error) {
	sp := &splitter{src: src, blockAt: -1}
	for sp.i < len(src) {
		if err := sp.step(); err != nil {
			return nil, err
		}
	}
	if sp.blockAt >= 0 {
		return nil, fmt.Errorf("line %d: -- +statement begin has no -- +statement end", sp.line(sp.blockAt))
	}
	sp.flush(len(src))
	return sp.out, nil
}

// splitter is the state of splitStatements: src[start:i] is the statement
// so far, code tells whether it holds more than comments and space, and
// blockAt is the offset of an open `-- +statement begin`, or -1.
type splitter struct {
	src      string
	i, start int
	code     bool
	blockAt  int
	out      []string
}

const (
	markBegin = "-- +statement begin"
	markEnd   = "-- +statement end"
)

func (sp *splitter) step() error {
	rest := sp.src[sp.i:]
	switch c := rest[0]; {
	case strings.HasPrefix(rest, "--"):
		return sp.lineComment()
	case strings.HasPrefix(rest, "/*"):
		return sp.skipPast(sp.i+2, "*/", "/* comment")
	case c == '\'' || c == '"':
		sp.code = true
		return sp.skipPast(sp.i+1, rest[:1], "quoted text")
	case c == '$' && sp.dollarTag() != "":
		sp.code = true
		tag := sp.dollarTag()
		return sp.skipPast(sp.i+len(tag), tag, "dollar-quoted body "+tag)
	case c == ';' && sp.blockAt < 0:
		sp.i++
		sp.flush(sp.i)
	default:
		if !strings.ContainsRune(" \t\r\n", rune(c)) {
			sp.code = true
		}
		sp.i++
	}
	return nil
}

// lineComment skips a -- comment, acting on the block markers.
func (sp *splitter) lineComment() error {
	at := sp.i
	eol := strings.IndexByte(sp.src[at:], '\n')
	if eol < 0 {
		eol = len(sp.src)
	} else {
		eol += at + 1
	}
	sp.i = eol
	switch strings.ToLower(strings.Join(strings.Fields(sp.src[at:eol]), " ")) {
	case markBegin:
		if sp.blockAt >= 0 {
			return fmt.Errorf("line %d: -- +statement begin inside the block opened on line %d", sp.line(at), sp.line(sp.blockAt))
		}
		if sp.code {
			return fmt.Errorf("line %d: the statement before -- +statement begin lacks its ;", sp.line(at))
		}
		sp.blockAt, sp.start = at, eol
	case markEnd:
		if sp.blockAt < 0 {
			return fmt.Errorf("line %d: -- +statement end without -- +statement begin", sp.line(at))
		}
		sp.flush(at)
		sp.blockAt, sp.start = -1, eol
	}
	return nil
}

// skipPast moves past the first close at or after from.
func (sp *splitter) skipPast(from int, close, what string) error {
	n := strings.Index(sp.src[from:], close)
	if n < 0 {
		return fmt.Errorf("line %d: %s is not closed", sp.line(sp.i), what)
	}
	sp.i = from + n + len(close)
	return nil
}

// dollarTag returns the $tag$ (or $$) opening a dollar-quoted body at i, or
// "". A $ inside an identifier (PostgreSQL allows a$b) or before a digit
// (a $1 parameter) opens nothing.
func (sp *splitter) dollarTag() string {
	if sp.i > 0 && isIdentByte(sp.src[sp.i-1]) {
		return ""
	}
	for j := sp.i + 1; j < len(sp.src); j++ {
		c := sp.src[j]
		switch {
		case c == '$':
			return sp.src[sp.i : j+1]
		case !isIdentByte(c) || (j == sp.i+1 && c >= '0' && c <= '9'):
			return ""
		}
	}
	return ""
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// flush ends the statement at end; one made only of comments is dropped.
func (sp *splitter) flush(end int) {
	if sp.code {
		sp.out = append(sp.out, strings.TrimSpace(sp.src[sp.start:end]))
	}
	sp.start, sp.code = end, false
}

func (sp *splitter) line(at int) int { return strings.Count(sp.src[:at], "\n") + 1 }
