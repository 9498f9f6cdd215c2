package domain

import (
	"strings"
	"testing"
)

// TestCleanEmail: a bare address is kept trimmed; anything else is refused
// naming the field email.
func TestCleanEmail(t *testing.T) {
	for in, want := range map[string]string{"": "", "  ": "", " a@b.cn ": "a@b.cn", "first.last+tag@sub.example.com": "first.last+tag@sub.example.com"} {
		if got, err := CleanEmail(in); err != nil || got != want {
			t.Errorf("CleanEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"a", "a@", "@b.cn", "a@@b.cn", "a@b", "张三 <a@b.cn>", "a@b.cn, c@d.cn", strings.Repeat("a", 250) + "@b.cn", "a@b.cn\nBcc: x@y.cn"} {
		if _, err := CleanEmail(bad); err == nil {
			t.Errorf("CleanEmail(%q) accepted", bad)
		} else if e, ok := err.(*Error); !ok || e.Field != "email" {
			t.Errorf("CleanEmail(%q): %v does not name email", bad, err)
		}
	}
}

// FuzzCleanEmail: no input panics; an accepted address has no space or
// line break (it goes into a mail header) and is stable.
func FuzzCleanEmail(f *testing.F) {
	f.Add("a@b.cn")
	f.Add("张三 <a@b.cn>")
	f.Add("a@b.cn\r\nBcc: x@y.cn")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanEmail(s)
		if err != nil || got == "" {
			return
		}
		if strings.ContainsAny(got, " \r\n\t<>,") || len(got) > MaxEmail {
			t.Fatalf("accepted %q as %q", s, got)
		}
		if again, err := CleanEmail(got); err != nil || again != got {
			t.Fatalf("not stable: %q → %q (%v)", got, again, err)
		}
	})
}
