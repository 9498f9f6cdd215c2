package sheetio

import (
	"encoding/csv"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/domain"
)

// CSVWriter writes UTF-8 with a BOM (so Excel opens Chinese text
// correctly) and CRLF line ends; cells Excel would run as formulas are
// escaped.
type CSVWriter struct {
	w   *csv.Writer
	buf []string
}

// NewCSVWriter starts a CSV file on w.
func NewCSVWriter(w io.Writer) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &CSVWriter{w: cw}, nil
}

// Write adds a row.
func (c *CSVWriter) Write(cells []string) error {
	c.buf = c.buf[:0]
	for _, s := range cells {
		c.buf = append(c.buf, EscapeCSV(s))
	}
	return c.w.Write(c.buf)
}

// Close completes the file.
func (c *CSVWriter) Close() error { c.w.Flush(); return c.w.Error() }

// Abort releases the file without completing it.
func (c *CSVWriter) Abort() { c.w.Flush() }

// Table is a small sheet held in memory: a header row, the rows, and the
// column widths (0: a default). Registries of a few thousand rows (the
// organisations, the users) are written this way; the contract export,
// which may hold millions, streams instead (contractio).
type Table struct {
	Sheet  string
	Header []string
	Widths []float64
	Kinds  []Kind // how xlsx holds each column (missing: text)
	Rows   [][]string
}

// Write writes the table to w as CSV or as an xlsx workbook whose header
// row is bold and frozen and whose cells are text (credit codes and region
// codes keep their digits) except the columns Kinds makes numbers or dates.
func (t *Table) Write(format Format, w io.Writer) error {
	if format == XLSX {
		return t.writeXLSX(w)
	}
	cw, err := NewCSVWriter(w)
	if err != nil {
		return err
	}
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Close()
}

func (t *Table) writeXLSX(w io.Writer) error { return WriteBook(w, t) }

// WriteBook writes the tables as the sheets of one xlsx workbook, in
// order, each as Table.Write writes its one.
func WriteBook(w io.Writer, tables ...*Table) error {
	f := excelize.NewFile()
	defer f.Close()
	styles, err := NewStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Sheet)
		} else {
			_, err = f.NewSheet(t.Sheet)
		}
		if err != nil {
			return err
		}
		if err := t.writeSheet(f, styles); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

func (t *Table) writeSheet(f *excelize.File, styles Styles) error {
	if len(t.Rows) >= excelize.TotalRows {
		return domain.Errorf(domain.ETOOLARGE, "超过 Excel 单个工作表的行数上限（%d 行），请改用 CSV", excelize.TotalRows-1)
	}
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	for i := range t.Header {
		width := 16.0
		if i < len(t.Widths) && t.Widths[i] > 0 {
			width = t.Widths[i]
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, row := range append([][]string{t.Header}, t.Rows...) {
		cells := make([]any, len(row))
		for j, s := range row {
			if utf8.RuneCountInString(s) > excelize.TotalCellChars {
				return domain.Errorf(domain.ETOOLARGE, "第 %d 行有超过 Excel 单元格上限（%d 字）的内容，请改用 CSV", i+1, excelize.TotalCellChars)
			}
			cells[j] = t.cell(styles, i == 0, j, s)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// cell is the xlsx cell of column j holding s.
func (t *Table) cell(st Styles, header bool, j int, s string) excelize.Cell {
	if header {
		return excelize.Cell{StyleID: st.Header, Value: s}
	}
	k := Text
	if j < len(t.Kinds) {
		k = t.Kinds[j]
	}
	if n, ok := NumberOf(k, s); ok {
		f, err := strconv.ParseFloat(n, 64) // exact to 15 digits; amounts are below 1万亿元
		if err == nil {
			return excelize.Cell{StyleID: st.Of(k), Value: f}
		}
	}
	return excelize.Cell{StyleID: st.Text, Value: s}
}
