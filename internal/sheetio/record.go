package sheetio

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"kechuang/internal/domain"
)

// A record codec is a registry's sheet described once, as a table of
// columns bound to its record type: the import (Decode), the export
// (Table) and the template (Template) are all read off the table. A
// module's codec package (achievementio, needio, …) is that table, the
// cell syntax of its lists, and a Decode that validates each record
// against the domain; everything else is here.

// Column is one column of a record sheet.
type Column[T any] struct {
	Header   string
	Required bool   // must be in the header row on import
	Note     string // what the cell holds (the template's 说明 sheet, the import page)
	Example  string // the template's example row
	Kind     Kind   // how xlsx holds the cell on export
	Width    float64
	// Fields are the domain validation fields this column answers for
	// (a field "team" also covers "team[0].name"), so a record's
	// validation errors are named by column.
	Fields []string
	// Get is the cell of x on export.
	Get func(x *T) string
	// Set reads the cell v into x on import (xlsx: v is a raw xlsx value,
	// a date may be an Excel serial); the error's message names the
	// problem. nil: the column is written on export and ignored on import.
	Set func(x *T, v string, xlsx bool) error
}

// Codec is a registry's record sheet.
type Codec[T any] struct {
	Sheet   string // the xlsx sheet's name
	Columns []Column[T]
	New     func() *T // a record with the defaults of an import
}

// Headers lists the column headers in order.
func (c *Codec[T]) Headers() []string {
	out := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		out[i] = col.Header
	}
	return out
}

// Table is the records as a sheet (the export).
func (c *Codec[T]) Table(xs []*T) *Table {
	t := &Table{Sheet: c.Sheet, Header: c.Headers()}
	for _, col := range c.Columns {
		t.Widths, t.Kinds = append(t.Widths, col.Width), append(t.Kinds, col.Kind)
	}
	for _, x := range xs {
		row := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			row[i] = col.Get(x)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Template is the import template: the header row of the importable
// columns and one example row, which is a valid record.
func (c *Codec[T]) Template() *Table {
	t := &Table{Sheet: c.Sheet}
	var ex []string
	for _, col := range c.Columns {
		if col.Set == nil {
			continue
		}
		t.Header, ex = append(t.Header, col.Header), append(ex, col.Example)
		t.Widths = append(t.Widths, col.Width)
	}
	t.Rows = [][]string{ex}
	return t
}

// Notes is the template's 说明 sheet: each importable column, whether it
// is required, what it holds and an example.
func (c *Codec[T]) Notes() *Table {
	t := &Table{Sheet: "说明", Header: []string{"列名", "必填", "说明", "示例"}, Widths: []float64{18, 8, 70, 40}}
	for _, col := range c.Columns {
		if col.Set == nil {
			continue
		}
		req := ""
		if col.Required {
			req = "是"
		}
		t.Rows = append(t.Rows, []string{col.Header, req, col.Note, col.Example})
	}
	return t
}

// Decode reads a record file row by row: the header row binds the columns
// (any order; an unknown, doubled or missing required column is a problem
// of row 1), then each non-blank row is read into a new record and handed
// to fn with the problems of its cells. Problems of the file as a whole
// come back as row errors; err is an error of fn or of reading only.
func (c *Codec[T]) Decode(r io.Reader, format Format, maxRows int, fn func(row int, x *T, errs []RowError) error) ([]RowError, error) {
	var src Rows
	var err error
	if format == XLSX {
		src, err = NewXLSXReader(r, c.Sheet)
	} else {
		src, err = NewCSVReader(r)
	}
	if err == nil {
		defer src.Close()
		var fe []RowError
		fe, err = c.rows(src, format == XLSX, maxRows, fn)
		if fe != nil || err == nil {
			return fe, err
		}
	}
	var ferr *FileError
	if errors.As(err, &ferr) {
		return []RowError{{Row: ferr.Row, Message: ferr.Msg}}, nil
	}
	return nil, err
}

func (c *Codec[T]) rows(src Rows, xlsx bool, maxRows int, fn func(row int, x *T, errs []RowError) error) ([]RowError, error) {
	var pos []int // column → cell index (-1: absent)
	data := 0
	for {
		cells, row, err := src.Next()
		if errors.Is(err, io.EOF) {
			if pos == nil {
				return []RowError{{Row: 1, Message: "文件为空：第一行应为列名"}}, nil
			}
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if pos == nil {
			var errs []RowError
			if pos, errs = c.bind(cells, row); errs != nil {
				return errs, nil
			}
			continue
		}
		if blankRow(cells) {
			continue
		}
		if data++; maxRows > 0 && data > maxRows {
			return []RowError{{Row: row, Message: fmt.Sprintf("文件超过 %d 行数据，请拆分后分批导入", maxRows)}}, nil
		}
		x := c.New()
		var errs []RowError
		for i, col := range c.Columns {
			if col.Set == nil {
				continue
			}
			v := ""
			if p := pos[i]; p >= 0 && p < len(cells) {
				v = strings.TrimSpace(cells[p])
			}
			if err := col.Set(x, v, xlsx); err != nil {
				errs = append(errs, RowError{Row: row, Field: col.Header, Message: domain.ErrorMessage(asDomain(err))})
			}
		}
		if err := fn(row, x, errs); err != nil {
			return nil, err
		}
	}
}

// asDomain keeps a domain error and makes any other error's text one.
func asDomain(err error) error {
	var e *domain.Error
	if errors.As(err, &e) {
		return err
	}
	return domain.Errorf(domain.EINVALID, "%s", err.Error())
}

// bind maps the codec's columns to the header row's cells.
func (c *Codec[T]) bind(cells []string, row int) ([]int, []RowError) {
	byName := map[string]int{}
	for i, col := range c.Columns {
		byName[col.Header] = i
	}
	pos := make([]int, len(c.Columns))
	for i := range pos {
		pos[i] = -1
	}
	var errs []RowError
	for i, cell := range cells {
		name := strings.TrimSuffix(strings.TrimSpace(cell), "*")
		if name == "" {
			continue
		}
		j, ok := byName[name]
		switch {
		case !ok:
			errs = append(errs, RowError{Row: row, Field: name, Message: fmt.Sprintf("未知的列“%s”（请使用导入模板或导出文件的列名）", name)})
		case pos[j] >= 0:
			errs = append(errs, RowError{Row: row, Field: name, Message: fmt.Sprintf("列“%s”出现了两次", name)})
		default:
			pos[j] = i
		}
	}
	for i, col := range c.Columns {
		if col.Required && pos[i] < 0 {
			errs = append(errs, RowError{Row: row, Field: col.Header, Message: fmt.Sprintf("缺少必填列“%s”", col.Header)})
		}
	}
	return pos, errs
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// RowErrors turns a record's validation error into the row's problems,
// each named by the column that answers for its field (or by no column).
func (c *Codec[T]) RowErrors(row int, err error) []RowError {
	var e *domain.Error
	if !errors.As(err, &e) {
		return []RowError{{Row: row, Message: domain.ErrorMessage(err)}}
	}
	fields := e.Fields
	if len(fields) == 0 {
		fields = []domain.FieldError{{Field: e.Field, Message: e.Message}}
	}
	out := make([]RowError, 0, len(fields))
	for _, f := range fields {
		out = append(out, RowError{Row: row, Field: c.columnOf(f.Field), Message: f.Message})
	}
	return out
}

// columnOf is the header of the column answering for a validation field.
func (c *Codec[T]) columnOf(field string) string {
	best, n := "", 0
	for _, col := range c.Columns {
		for _, f := range col.Fields {
			if (field == f || strings.HasPrefix(field, f+"[") || strings.HasPrefix(field, f+".")) && len(f) > n {
				best, n = col.Header, len(f)
			}
		}
	}
	return best
}

// ColumnNote is one importable column as the import page documents it.
type ColumnNote struct {
	Header   string
	Required bool
	Note     string
	Example  string
}

// NotesOf lists a codec's importable columns.
func NotesOf[T any](c *Codec[T]) []ColumnNote {
	var out []ColumnNote
	for _, col := range c.Columns {
		if col.Set != nil {
			out = append(out, ColumnNote{col.Header, col.Required, col.Note, col.Example})
		}
	}
	return out
}

// WriteTemplate writes an import template: the data sheet (its header and
// example row) and, in xlsx, the notes sheet after it.
func WriteTemplate(format Format, data, notes *Table, w io.Writer) error {
	if format == XLSX {
		return WriteBook(w, data, notes)
	}
	return data.Write(CSV, w)
}

// MergeRowErrors adds to a row's cell problems the validation problems of
// the columns (and of the row as a whole) not already named.
func MergeRowErrors(cells, validation []RowError) []RowError {
	named := map[string]bool{}
	for _, e := range cells {
		named[e.Field] = true
	}
	for _, e := range validation {
		if !named[e.Field] {
			cells = append(cells, e)
		}
	}
	return cells
}
