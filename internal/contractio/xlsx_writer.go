package contractio

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// xlsxWriter streams a workbook straight into w. excelize's StreamWriter
// spills rows to a temp file but then assembles the whole zip in memory
// (File.Write goes through WriteToBuffer), which for a million contracts
// is hundreds of MB. So excelize builds a skeleton workbook — styles,
// column widths, frozen header row — and the rows are written here as
// cells into the sheet's zip entry as they come: memory stays flat
// whatever the row count. Amounts are number cells (their exact decimal
// text as the value, formatted #,##0.00) and dates date cells (walkthrough
// #6); every other cell is an inline string, so 登记号 and credit codes
// keep their digits.
type xlsxWriter struct {
	zw     *zip.Writer
	bw     *bufio.Writer
	suffix []byte // the sheet XML after the rows
	rest   []*zip.File
	row    int
	cols   []string
	kinds  []sheetio.Kind
	styles sheetio.Styles
	bold   string // style id of the header row
}

// sheetPath is where excelize puts the first worksheet.
const sheetPath = "xl/worksheets/sheet1.xml"

var dimensionRE = regexp.MustCompile(`<dimension ref="[^"]*"\s*(/>|></dimension>)`)

func newXLSXWriter(w io.Writer) (*xlsxWriter, error) {
	skel, styles, err := skeleton()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(skel), int64(len(skel)))
	if err != nil {
		return nil, fmt.Errorf("contractio: xlsx skeleton: %w", err)
	}
	x := &xlsxWriter{zw: zip.NewWriter(w), styles: styles, bold: strconv.Itoa(styles.Header)}
	var sheet []byte
	for _, f := range zr.File {
		if f.Name != sheetPath {
			x.rest = append(x.rest, f)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		sheet, err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	// The row count is unknown while streaming; Excel does without the hint.
	sheet = dimensionRE.ReplaceAll(sheet, nil)
	sheet = bytes.Replace(sheet, []byte("<sheetData/>"), []byte("<sheetData></sheetData>"), 1)
	end := bytes.LastIndex(sheet, []byte("</sheetData>"))
	if end < 0 {
		return nil, fmt.Errorf("contractio: xlsx skeleton has no sheetData")
	}
	x.suffix = sheet[end:]
	fw, err := x.zw.CreateHeader(&zip.FileHeader{Name: sheetPath, Method: zip.Deflate})
	if err != nil {
		return nil, err
	}
	x.bw = bufio.NewWriterSize(fw, 64<<10)
	x.bw.Write(sheet[:end])
	for i := range Columns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		x.cols = append(x.cols, name)
		x.kinds = append(x.kinds, cellKinds[Columns[i].Header])
	}
	return x, nil
}

// skeleton is the workbook without rows: column widths, the frozen header
// and the cell styles, which it returns.
func skeleton() ([]byte, sheetio.Styles, error) {
	var none sheetio.Styles
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return nil, none, err
	}
	styles, err := sheetio.NewStyles(f)
	if err != nil {
		return nil, none, err
	}
	for i, c := range Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		width := 14.0
		switch c.Header {
		case colTitle, colSellerName, colBuyerName, colCosts:
			width = 30
		case ColRegNo, colSellerUSCC, colBuyerUSCC, colBroker:
			width = 22
		}
		if err := f.SetColWidth(SheetName, col, col, width); err != nil {
			return nil, none, err
		}
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, none, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, none, err
	}
	return b.Bytes(), styles, nil
}

// Write appends a row; the first is the header, in bold.
func (x *xlsxWriter) Write(cells []string) error {
	x.row++
	r := strconv.Itoa(x.row)
	style := ""
	if x.row == 1 {
		style = `" s="` + x.bold
	}
	x.bw.WriteString(`<row r="` + r + `">`)
	for i, s := range cells {
		if s == "" || i >= len(x.cols) {
			continue
		}
		if x.row > 1 {
			if n, ok := sheetio.NumberOf(x.kinds[i], s); ok {
				x.bw.WriteString(`<c r="` + x.cols[i] + r + `" s="` + strconv.Itoa(x.styles.Of(x.kinds[i])) + `"><v>` + n + `</v></c>`)
				continue
			}
		}
		if utf8.RuneCountInString(s) > excelize.TotalCellChars {
			return domain.Errorf(domain.ETOOLARGE, "第 %d 行有超过 Excel 单元格上限（%d 字）的内容，请改用 CSV 导出", x.row, excelize.TotalCellChars)
		}
		x.bw.WriteString(`<c r="` + x.cols[i] + r + style + `" t="inlineStr"><is><t xml:space="preserve">`)
		if err := xml.EscapeText(x.bw, []byte(s)); err != nil {
			return err
		}
		x.bw.WriteString(`</t></is></c>`)
	}
	_, err := x.bw.WriteString(`</row>`)
	return err
}

// Close ends the sheet and copies the skeleton's other parts.
func (x *xlsxWriter) Close() error {
	x.bw.Write(x.suffix)
	if err := x.bw.Flush(); err != nil {
		return err
	}
	for _, f := range x.rest {
		if err := x.zw.Copy(f); err != nil {
			return err
		}
	}
	return x.zw.Close()
}

func (x *xlsxWriter) Abort() {}
