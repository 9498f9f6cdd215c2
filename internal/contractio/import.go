package contractio

import (
	"errors"
	"fmt"
	"io"

	"kechuang/internal/domain"
)

// MaxAPIRows limits a file uploaded through the API; the CLI has no limit.
const MaxAPIRows = 200_000

// Options controls an import.
type Options struct {
	Format   Format // "" picks by FileName, then by content
	FileName string
	SkipBad  bool // import the good rows and report the bad ones
	MaxRows  int  // 0 = unlimited
}

// Report is the outcome of an import (the API's JSON body).
type Report struct {
	File     string     `json:"file"`
	SHA256   string     `json:"sha256"`
	Rows     int        `json:"rows"` // non-blank data rows read
	Imported int        `json:"imported"`
	Skipped  int        `json:"skipped"`  // bad rows left out under skip-bad
	BadRows  int        `json:"bad_rows"` // rows with at least one problem
	Failed   bool       `json:"failed"`   // nothing was stored
	Errors   []RowError `json:"errors"`
	// Warnings are facts the registrar should check in rows that were
	// accepted (a performance term starting before the signing date).
	Warnings []RowError `json:"warnings"`
}

// RowWarnings are the warnings of an accepted row of c (validated), by
// column.
func RowWarnings(row int, c *domain.Contract) []RowError {
	var out []RowError
	for _, f := range c.Flags {
		if f == domain.FlagTermBeforeSigning {
			out = append(out, RowError{Row: row, Field: colTermStart, Message: domain.FlagText(f).String()})
		}
	}
	return out
}

// Lines renders the report for the command line, one problem a line.
func (r *Report) Lines() []string {
	out := make([]string, 0, len(r.Errors)+len(r.Warnings)+1)
	for _, e := range r.Errors {
		out = append(out, e.String())
	}
	for _, e := range r.Warnings {
		out = append(out, "提示："+e.String())
	}
	switch {
	case r.Failed:
		out = append(out, fmt.Sprintf("导入失败：共 %d 行数据，%s，未导入任何数据", r.Rows, r.badSummary()))
	case r.Skipped > 0:
		out = append(out, fmt.Sprintf("已导入 %d 条合同，跳过 %d 行错误数据", r.Imported, r.Skipped))
	default:
		out = append(out, fmt.Sprintf("已导入 %d 条合同", r.Imported))
	}
	return out
}

func (r *Report) badSummary() string {
	if n := r.badRows(); n > 0 {
		return fmt.Sprintf("%d 行有错误", n)
	}
	return "文件有错误"
}

func (r *Report) badRows() int {
	seen := map[int]bool{}
	for _, e := range r.Errors {
		if e.Row > 1 {
			seen[e.Row] = true
		}
	}
	return len(seen)
}

// Decode reads a contract file row by row, converting each data row with
// l and handing it to fn with its problems. Problems of the whole file (not
// a spreadsheet, a bad header, too many rows) come back as row errors with
// failed set; err is only an error of fn or of reading.
func Decode(r io.Reader, format Format, l *Lookup, maxRows int, fn func(row int, c *domain.Contract, errs []RowError) error) (fileErrs []RowError, err error) {
	var src rowSource
	if format == XLSX {
		src, err = newXLSXSource(r)
	} else {
		src, err = newCSVSource(r)
	}
	if err == nil {
		defer src.Close()
		err = parseFile(src, l, format == XLSX, maxRows, fn)
	}
	var fe *fileError
	var he *headerError
	switch {
	case errors.As(err, &fe):
		return []RowError{{Row: fe.Row, Message: fe.Msg}}, nil
	case errors.As(err, &he):
		return he.errs, nil
	}
	return nil, err
}

// FailedError is the error returned with a report when nothing was stored.
func FailedError(r *Report) error {
	return domain.Errorf(domain.EINVALID, "导入失败：%s，未导入任何数据", r.badSummary())
}

// BadRowCount counts the rows with at least one problem.
func (r *Report) BadRowCount() int { return r.badRows() }
