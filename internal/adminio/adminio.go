// Package adminio is the administration module's file codec: organisations
// and users as rows of an xlsx or CSV file (Chinese column headers, any
// column order), converted to domain values with every problem named by
// row and column, and back. It is pure: what it must know of the database
// comes in a Lookup, and the import use case (service/admin_io.go) stores
// the rows in one transaction.
package adminio

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// MaxAPIRows limits a file uploaded through the API or the pages.
const MaxAPIRows = 20_000

// Column is one column of a sheet.
type Column struct {
	Header     string
	Required   bool // must be in the header row on import
	ExportOnly bool // written on export, ignored on import
	Note       string
}

// RowError is one problem of an import (sheetio.RowError, shared by every codec).
type RowError = sheetio.RowError

// Options controls an import.
type Options struct {
	Format   sheetio.Format // "" picks by FileName, then by content
	FileName string
	SkipBad  bool // import the good rows and report the bad ones
	MaxRows  int  // 0 = unlimited
}

// Report is the outcome of an import (the API's JSON body).
type Report struct {
	Kind     string     `json:"kind"` // orgs or users
	File     string     `json:"file"`
	SHA256   string     `json:"sha256"`
	Rows     int        `json:"rows"`
	Imported int        `json:"imported"`
	Skipped  int        `json:"skipped"`
	BadRows  int        `json:"bad_rows"`
	Failed   bool       `json:"failed"` // nothing was stored
	Errors   []RowError `json:"errors"`
}

func (r *Report) noun() string {
	if r.Kind == "users" {
		return "个用户"
	}
	return "个机构"
}

// Lines renders the report for the command line, one problem a line.
func (r *Report) Lines() []string {
	out := make([]string, 0, len(r.Errors)+1)
	for _, e := range r.Errors {
		out = append(out, e.String())
	}
	switch {
	case r.Failed:
		out = append(out, fmt.Sprintf("导入失败：共 %d 行数据，%d 行有错误，未导入任何数据", r.Rows, r.BadRows))
	case r.Skipped > 0:
		out = append(out, fmt.Sprintf("已导入 %d %s，跳过 %d 行错误数据", r.Imported, r.noun(), r.Skipped))
	default:
		out = append(out, fmt.Sprintf("已导入 %d %s", r.Imported, r.noun()))
	}
	return out
}

// CountBadRows sets BadRows from the errors.
func (r *Report) CountBadRows() {
	seen := map[int]bool{}
	for _, e := range r.Errors {
		seen[e.Row] = true
	}
	r.BadRows = len(seen)
}

// FailedError is the error returned with a report when nothing was stored.
func FailedError(r *Report) error {
	return domain.Errorf(domain.EINVALID, "导入失败：%d 行有错误，未导入任何数据", r.BadRows)
}

// header maps column headers to cell positions.
type header map[string]int

func bindHeader(cols []Column, cells []string, row int) (header, []RowError) {
	h := header{}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.Header] = true
	}
	var errs []RowError
	for i, c := range cells {
		name := strings.TrimSuffix(strings.TrimSpace(c), "*")
		if name == "" {
			continue
		}
		if !known[name] {
			errs = append(errs, RowError{Row: row, Field: name, Message: fmt.Sprintf("未知的列“%s”（请使用导出文件的列名）", name)})
			continue
		}
		if _, dup := h[name]; dup {
			errs = append(errs, RowError{Row: row, Field: name, Message: fmt.Sprintf("列“%s”出现了两次", name)})
		}
		h[name] = i
	}
	for _, c := range cols {
		if _, ok := h[c.Header]; c.Required && !ok {
			errs = append(errs, RowError{Row: row, Field: c.Header, Message: fmt.Sprintf("缺少必填列“%s”", c.Header)})
		}
	}
	return h, errs
}

// cell returns the trimmed cell of a column ("" when absent).
func (h header) cell(cells []string, col string) string {
	i, ok := h[col]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// decode reads the file row by row: the header, then each non-blank row
// handed to fn with its cells. File problems come back as row errors.
func decode(r io.Reader, format sheetio.Format, sheet string, cols []Column, maxRows int,
	fn func(row int, h header, cells []string) error) ([]RowError, error) {
	var src sheetio.Rows
	var err error
	if format == sheetio.XLSX {
		src, err = sheetio.NewXLSXReader(r, sheet)
	} else {
		src, err = sheetio.NewCSVReader(r)
	}
	if err == nil {
		defer src.Close()
		var fe []RowError
		fe, err = rows(src, cols, maxRows, fn)
		if fe != nil || err == nil {
			return fe, err
		}
	}
	var ferr *sheetio.FileError
	if errors.As(err, &ferr) {
		return []RowError{{Row: ferr.Row, Message: ferr.Msg}}, nil
	}
	return nil, err
}

func rows(src sheetio.Rows, cols []Column, maxRows int, fn func(row int, h header, cells []string) error) ([]RowError, error) {
	var h header
	data := 0
	for {
		cells, row, err := src.Next()
		if errors.Is(err, io.EOF) {
			if h == nil {
				return []RowError{{Row: 1, Field: "", Message: "文件为空：第一行应为列名"}}, nil
			}
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if h == nil {
			var errs []RowError
			if h, errs = bindHeader(cols, cells, row); errs != nil {
				return errs, nil
			}
			continue
		}
		if blank(cells) {
			continue
		}
		if data++; maxRows > 0 && data > maxRows {
			return []RowError{{Row: row, Field: "", Message: fmt.Sprintf("文件超过 %d 行数据，请拆分后分批导入", maxRows)}}, nil
		}
		if err := fn(row, h, cells); err != nil {
			return nil, err
		}
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// rowErrors turns a domain validation error into the row's problems,
// naming columns instead of JSON fields.
func rowErrors(row int, err error, columnOf map[string]string) []RowError {
	var e *domain.Error
	if !errors.As(err, &e) {
		return []RowError{{Row: row, Field: "", Message: domain.ErrorMessage(err)}}
	}
	fields := e.Fields
	if len(fields) == 0 {
		fields = []domain.FieldError{{Field: e.Field, Message: e.Message}}
	}
	out := make([]RowError, 0, len(fields))
	for _, f := range fields {
		out = append(out, RowError{Row: row, Field: columnOf[f.Field], Message: f.Message})
	}
	return out
}

func headers(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Header
	}
	return out
}
