// Package sheetiotest holds the checks every record codec's tests make
// (challengeio, eventio, …): the export imported again gives the same
// records in both formats, the template's example row is a valid record,
// a GBK CSV reads as UTF-8 does, and the fuzz target's body.
package sheetiotest

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"kechuang/internal/sheetio"
)

// Codec is one record codec as its package exposes it.
type Codec[T any] struct {
	Decode   func(r io.Reader, format sheetio.Format, maxRows int, fn func(row int, x *T, errs []sheetio.RowError) error) ([]sheetio.RowError, error)
	Table    func(xs []*T) *sheetio.Table
	Template func(format sheetio.Format, w io.Writer) error
	// Valid is the domain's validation a row without problems passes.
	Valid func(x *T) error
}

// Formats are the two file formats.
var Formats = []sheetio.Format{sheetio.CSV, sheetio.XLSX}

// DecodeAll reads b, returning the good records and every problem.
func (c Codec[T]) DecodeAll(t testing.TB, b []byte, format sheetio.Format) ([]*T, []sheetio.RowError) {
	t.Helper()
	var xs []*T
	var all []sheetio.RowError
	fe, err := c.Decode(bytes.NewReader(b), format, 0, func(row int, x *T, errs []sheetio.RowError) error {
		all = append(all, errs...)
		if len(errs) == 0 {
			xs = append(xs, x)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return xs, append(fe, all...)
}

// Export is the records written as format.
func (c Codec[T]) Export(t testing.TB, xs []*T, format sheetio.Format) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.Table(xs).Write(format, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// RoundTrip: xs exported and imported again, in both formats, are
// imported(x) each (what an import keeps of x), in order.
func (c Codec[T]) RoundTrip(t *testing.T, xs []*T, imported func(x *T) *T) {
	t.Helper()
	for _, f := range Formats {
		got, errs := c.DecodeAll(t, c.Export(t, xs, f), f)
		if len(errs) > 0 || len(got) != len(xs) {
			t.Fatalf("%s: %d records, %v", f, len(got), errs)
		}
		for i, x := range xs {
			if want := imported(x); !reflect.DeepEqual(got[i], want) {
				t.Errorf("%s row %d:\n got %+v\nwant %+v", f, i+2, got[i], want)
			}
		}
	}
}

// TemplateValid: the template reads, in both formats, as one valid record.
func (c Codec[T]) TemplateValid(t *testing.T) {
	t.Helper()
	for _, f := range Formats {
		var b bytes.Buffer
		if err := c.Template(f, &b); err != nil {
			t.Fatal(err)
		}
		if xs, errs := c.DecodeAll(t, b.Bytes(), f); len(errs) > 0 || len(xs) != 1 {
			t.Fatalf("%s: %v %+v", f, errs, xs)
		}
	}
}

// CSVLines is x exported as CSV: its header and its row.
func (c Codec[T]) CSVLines(t *testing.T, x *T) (header, row string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(c.Export(t, []*T{x}, sheetio.CSV))), "\r\n")
	if len(lines) != 2 {
		t.Fatalf("export of one record: %q", lines)
	}
	return strings.TrimPrefix(lines[0], "\ufeff"), lines[1]
}

// BadRows decodes header and rows (row i is file row i+2) and checks the
// columns named for each row: want maps a row to the column of its first
// problem; a row not in want must pass.
func (c Codec[T]) BadRows(t *testing.T, header string, rows []string, want map[int]string) {
	t.Helper()
	xs, errs := c.DecodeAll(t, []byte(header+"\n"+strings.Join(rows, "\n")+"\n"), sheetio.CSV)
	n := 0
	for i := range rows {
		if _, bad := want[i+2]; !bad {
			n++
		}
	}
	if _, file := want[1]; file {
		n = 0 // a file problem stops the reading
	}
	if len(xs) != n {
		t.Errorf("%d good rows, want %d", len(xs), n)
	}
	got := map[int]string{}
	for _, e := range errs {
		if _, ok := got[e.Row]; !ok {
			got[e.Row] = e.Field
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors %v\n got %v\nwant %v", errs, got, want)
	}
}

// GBK: a CSV saved by Excel on Chinese Windows (GB18030) reads as the
// UTF-8 export does.
func (c Codec[T]) GBK(t *testing.T, x *T) {
	t.Helper()
	utf8 := c.Export(t, []*T{x}, sheetio.CSV)
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(bytes.TrimPrefix(utf8, []byte("\ufeff")))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := c.DecodeAll(t, utf8, sheetio.CSV)
	got, errs := c.DecodeAll(t, gbk, sheetio.CSV)
	if bytes.Equal(gbk, utf8) || len(errs) > 0 || len(got) != 1 || !reflect.DeepEqual(got, want) {
		t.Fatalf("%v\n got %+v\nwant %+v", errs, got, want)
	}
}

// Seed adds the fuzz corpus: xs exported and the template, in both
// formats, and the extra CSV files.
func (c Codec[T]) Seed(f *testing.F, xs []*T, extra ...string) {
	for _, format := range Formats {
		var b bytes.Buffer
		c.Table(xs).Write(format, &b)
		f.Add(b.Bytes(), format == sheetio.XLSX)
		b.Reset()
		c.Template(format, &b)
		f.Add(b.Bytes(), format == sheetio.XLSX)
	}
	for _, s := range extra {
		f.Add([]byte(s), false)
	}
}

// Fuzz is the fuzz target's body: arbitrary bytes, as CSV or xlsx, never
// panic; every problem names a row (≥ 0) and says something; a row
// without problems passes the domain's validation.
func (c Codec[T]) Fuzz(t *testing.T, data []byte, xlsx bool) {
	format := sheetio.CSV
	if xlsx {
		format = sheetio.XLSX
	}
	fileErrs, err := c.Decode(bytes.NewReader(data), format, 100, func(row int, x *T, errs []sheetio.RowError) error {
		for _, e := range errs {
			if e.Row != row || e.Message == "" {
				t.Fatalf("row %d: problem %+v", row, e)
			}
		}
		if len(errs) == 0 {
			if err := c.Valid(x); err != nil {
				t.Fatalf("row %d passed but %v", row, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	for _, e := range fileErrs {
		if e.Row < 0 || e.Message == "" {
			t.Fatalf("file problem %+v", e)
		}
	}
}
