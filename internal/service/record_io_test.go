package service_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// exportScope is who exports, what the export must hold and what it must
// never hold (another organisation's private drafts).
type exportScope struct {
	who       string
	a         *domain.Actor
	see, hide []string
}

// checkExportScope exports as each caller (CSV) and checks the titles.
func checkExportScope(t *testing.T, export func(a *domain.Actor, w io.Writer) error, cases []exportScope) {
	t.Helper()
	for _, c := range cases {
		var b bytes.Buffer
		if err := export(c.a, &b); err != nil {
			t.Fatal(err)
		}
		for _, s := range c.see {
			if !bytes.Contains(b.Bytes(), []byte(s)) {
				t.Errorf("%s: the export lacks %s", c.who, s)
			}
		}
		for _, s := range c.hide {
			if bytes.Contains(b.Bytes(), []byte(s)) {
				t.Errorf("%s: the export leaked %s", c.who, s)
			}
		}
	}
	if err := export(nil, &bytes.Buffer{}); err == nil {
		t.Error("the public exported")
	}
}

// importCase is one importer of a template: for its own organisation (org
// 0) or another's, submitting or not, and the error code it gets ("" for
// none).
type importCase struct {
	name   string
	a      *domain.Actor
	org    int64
	submit bool
	code   string
}

// checkImportPolicy imports the template as each case's importer.
func checkImportPolicy(t *testing.T, tpl []byte, imp func(ctx context.Context, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error), cases []importCase) {
	t.Helper()
	for _, c := range cases {
		_, err := imp(context.Background(), c.a, c.org, bytes.NewReader(tpl), sheetio.ImportOptions{FileName: "t.csv", Submit: c.submit})
		if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}
}

// templateLines is a registry's CSV template: its header and example row.
func templateLines(t *testing.T, write func(ctx context.Context, format sheetio.Format, w io.Writer) error) (tpl []byte, header, row string) {
	t.Helper()
	var b bytes.Buffer
	if err := write(context.Background(), sheetio.CSV, &b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\r\n")
	if len(lines) != 2 {
		t.Fatalf("template %q", lines)
	}
	return b.Bytes(), lines[0], lines[1]
}
