package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestNoInlineHandlers: the Content-Security-Policy forbids inline script,
// so an on…="…" attribute in a template never runs (the disable and revoke
// confirmations were silently skipped). A question before a form is sent is
// a data-confirm attribute, asked by static/app.js.
func TestNoInlineHandlers(t *testing.T) {
	inline := regexp.MustCompile(`\son[a-z]+\s*=\s*"`)
	confirms := 0
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if inline.MatchString(line) {
				t.Errorf("%s:%d: inline event handler (blocked by the CSP): %s", path, i+1, strings.TrimSpace(line))
			}
			confirms += strings.Count(line, "data-confirm=")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	js, err := fs.ReadFile(staticFS, "static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	if confirms > 0 && !strings.Contains(string(js), `getAttribute("data-confirm")`) {
		t.Errorf("%d forms carry data-confirm but app.js does not ask it", confirms)
	}
}
