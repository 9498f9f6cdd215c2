// Package i18n is Kechuang's message catalogue and language negotiation:
// zh-CN first and complete, English second.
//
// Message ids are the zh-CN source strings themselves (gettext style), so
// zh-CN is complete by construction and code reads in the language the
// bureau works in; en.json maps each id to its English text, keeping the
// printf verbs in the same order. The language of a request comes from
// ?lang= (which also sets a cookie), then the cookie, then Accept-Language
// through an x/text/language Matcher, and defaults to zh-CN.
//
// Formatting is fmt's, not golang.org/x/text/message's Printer: that
// printer localises every %d, so a year came out as "2,026", an id or a row
// number as "12,345", and the zh-CN texts would have changed under the
// users and tests that rely on them. Numbers that should read per
// language (dates, amounts) have their own formatters in format.go.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"sync"

	"golang.org/x/text/language"

	"kechuang/internal/domain"
)

// Lang is a supported language, as its BCP 47 tag.
type Lang string

// The supported languages; the first is the default.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{ZH, EN}

// Cookie is the name of the cookie that remembers a chosen language.
const Cookie = "kc_lang"

var matcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// match returns the supported language closest to the tags, if any is
// close enough: the Matcher answers English with confidence No for a
// language it cannot match (French), which must mean "default" here.
func match(tags ...language.Tag) (Lang, bool) {
	if len(tags) == 0 {
		return ZH, false
	}
	_, i, c := matcher.Match(tags...)
	if c == language.No {
		return ZH, false
	}
	return Langs[i], true
}

// Parse returns the supported language named by s ("en", "en-GB", "zh",
// "zh-CN", …); ok is false for anything else.
func Parse(s string) (Lang, bool) {
	if s == "" || len(s) > 35 {
		return ZH, false
	}
	t, err := language.Parse(s)
	if err != nil {
		return ZH, false
	}
	return match(t)
}

// Negotiate picks the language of a request: ?lang=, then the cookie, then
// Accept-Language, then zh-CN.
func Negotiate(r *http.Request) Lang {
	if l, ok := Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(Cookie); err == nil {
		if l, ok := Parse(c.Value); ok {
			return l
		}
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil {
		return ZH
	}
	l, _ := match(tags...)
	return l
}

type ctxKey struct{}

// WithLang returns ctx carrying l.
func WithLang(ctx context.Context, l Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the request's language, zh-CN when none was set.
func FromContext(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return ZH
}

// Middleware negotiates each request's language into its context and, when
// ?lang= chose one, remembers it in a cookie for the pages that follow.
func Middleware(next http.Handler, secure bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := Negotiate(r)
		if _, ok := Parse(r.URL.Query().Get("lang")); ok {
			http.SetCookie(w, &http.Cookie{Name: Cookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
				Secure: secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		}
		w.Header().Set("Content-Language", string(l))
		next.ServeHTTP(w, r.WithContext(WithLang(r.Context(), l)))
	})
}

// en.json is the spine's catalogue; en/<module>.json are the modules'
// own, so a module adds its English in its own file (one entry per id
// across all files: a duplicate is a programming error).
//
//go:embed en.json en
var enFS embed.FS

// english is the English catalogue, parsed on first use (no init work).
var english = sync.OnceValue(func() map[string]string {
	m, err := loadCatalogue(enFS)
	if err != nil {
		panic("i18n: " + err.Error()) // embedded; TestCatalogue parses it
	}
	return m
})

// loadCatalogue merges en.json and en/*.json.
func loadCatalogue(fsys fs.FS) (map[string]string, error) {
	files, err := fs.Glob(fsys, "en/*.json")
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, name := range append([]string{"en.json"}, files...) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		part := map[string]string{}
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("%s: %q is already in the catalogue", name, k)
			}
			m[k] = v
		}
	}
	return m, nil
}

// English returns the English text of msgid and whether the catalogue has it.
func English(msgid string) (string, bool) {
	s, ok := english()[msgid]
	return s, ok
}

// Entries returns the English catalogue (for the catalogue tests).
func Entries() map[string]string { return english() }

// T renders msgid in l with args. A missing English entry falls back to the
// zh-CN text (the tests keep that from happening); an argument that is a
// domain.Text is rendered in l too.
func T(l Lang, msgid string, args ...any) string {
	format := msgid
	if l == EN {
		if s, ok := English(msgid); ok {
			format = s
		}
	}
	if len(args) == 0 {
		return format
	}
	copied := false
	for i, a := range args {
		if t, ok := a.(domain.Text); ok {
			if !copied {
				args, copied = slices.Clone(args), true // never write into the caller's Args
			}
			args[i] = Text(l, t)
		}
	}
	return fmt.Sprintf(format, args...)
}

// TC is T for a message whose English depends on where it stands (a
// button's verb against a status's adjective: 不予登记 is "Refuse
// registration" on the button, "Refused" as a status). Its English entry's
// key is "context|msgid"; zh-CN is the msgid, as always.
func TC(l Lang, context, msgid string, args ...any) string {
	if l == EN {
		if _, ok := English(context + "|" + msgid); ok {
			msgid = context + "|" + msgid
		}
	}
	return T(l, msgid, args...)
}

// Text renders a domain message in l.
func Text(l Lang, t domain.Text) string { return T(l, t.Format, t.Args...) }

// Name is the language's own name, for a language switch.
func Name(l Lang) string {
	if l == EN {
		return "English"
	}
	return "中文"
}
