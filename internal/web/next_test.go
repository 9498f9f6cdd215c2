package web

import "testing"

// TestSafeNext: only a path of this site survives as the post-login
// target (M2: "/\t/evil.example" was followed by Chromium to another host).
func TestSafeNext(t *testing.T) {
	keep := []string{"/contracts", "/contracts/12?ok=created", "/contracts?q=%E4%B8%9C%E5%8C%97&page=2",
		"/contracts?q=东北", "/registry/queue#top"}
	for _, next := range keep {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}
	drop := []string{"", "contracts", "//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
		"/\n/evil.example", "/\r\n/evil.example", "/ /evil.example", "/\x00/evil.example", "/\x0b/evil.example",
		"/\x7f/evil.example", "/\u00a0/evil.example", "/\u3000/evil.example", "/\u200b/evil.example", "/\u202e/x",
		"/\xff/evil.example", "https://evil.example/", "javascript:alert(1)", "http:/evil.example", "/%2F/evil.example",
		"///evil.example", "/%zz"}
	for _, next := range drop {
		if got := safeNext(next); got != "" {
			t.Errorf("safeNext(%q) = %q, want it refused", next, got)
		}
	}
}
