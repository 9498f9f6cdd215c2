// Package sheetio reads and writes the spreadsheet files of every registry's
// import and export: CSV (UTF-8 with or without BOM, or GB18030 as Excel
// saves it on Chinese Windows; formula-looking cells escaped) and xlsx
// (streamed rows, a zip-bomb limit, panics of the xlsx library turned into
// file errors). The codecs (contractio, adminio) turn rows into domain
// values; this package knows only cells and row numbers.
package sheetio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"kechuang/internal/domain"
)

// Format is a file format of the import and export.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf picks the format: the explicit one, else the file name's
// extension, else the content (a zip file is xlsx).
func FormatOf(explicit, name string, head []byte) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(explicit)) {
	case "csv":
		return CSV, nil
	case "xlsx":
		return XLSX, nil
	case "":
	default:
		return "", domain.FieldErrorf("format", "文件格式应为 csv 或 xlsx，而不是“%s”", explicit)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return CSV, nil
	case ".xlsx":
		return XLSX, nil
	case ".xls":
		return "", domain.FieldErrorf("format", "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV")
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return XLSX, nil
	}
	// A PDF or an image is not a sheet: say so, rather than a missing
	// column for each of the template's (walkthrough #19).
	for _, magic := range [][]byte{[]byte("%PDF-"), []byte("\x89PNG"), []byte("\xff\xd8\xff"), []byte("GIF8")} {
		if bytes.HasPrefix(head, magic) {
			return "", domain.FieldErrorf("format", "不是 xlsx 或 CSV 文件，请上传按导入模板填写的 .xlsx 或 .csv 文件")
		}
	}
	return CSV, nil
}

// Rows yields a sheet's rows with the row number a spreadsheet shows.
type Rows interface {
	Next() (cells []string, row int, err error) // io.EOF at the end
	Close() error
}

// FileError is a problem with the whole file rather than one row; Msg is
// safe to show.
type FileError struct {
	Row int // 0 when no row can be named
	Msg string
}

func (e *FileError) Error() string { return e.Msg }

// FileErrorf returns a FileError with a formatted message.
func FileErrorf(row int, format string, args ...any) *FileError {
	return &FileError{Row: row, Msg: fmt.Sprintf(format, args...)}
}

// csvSource reads CSV as UTF-8 (with or without BOM) or, when the start of
// the file is not UTF-8, as GB18030 (a superset of GBK, what Excel saves as
// "CSV" on Chinese Windows).
type csvSource struct {
	r   *csv.Reader
	row int
}

// NewCSVReader reads CSV rows from r.
func NewCSVReader(r io.Reader) (Rows, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, FileErrorf(0, "读取文件失败")
	}
	var rd io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
	case !validUTF8Prefix(head):
		rd = simplifiedchinese.GB18030.NewDecoder().Reader(br)
	}
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvSource{r: cr}, nil
}

// validUTF8Prefix reports whether b is UTF-8 apart from a rune cut off at
// its end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

func (s *csvSource) Next() ([]string, int, error) {
	rec, err := s.r.Read()
	s.row++
	if errors.Is(err, io.EOF) {
		return nil, s.row, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, s.row, FileErrorf(s.row, "CSV 格式错误（%v），请检查引号是否成对", pe.Err)
		}
		return nil, s.row, FileErrorf(s.row, "读取文件失败")
	}
	for i, c := range rec {
		if !utf8.ValidString(c) {
			return nil, s.row, FileErrorf(s.row, "第 %d 列：文件编码无效（应为 UTF-8 或 GBK）", i+1)
		}
		rec[i] = UnescapeCSV(c)
	}
	return rec, s.row, nil
}

func (s *csvSource) Close() error { return nil }

// CSV cells that Excel would run as formulas are written with a leading
// apostrophe (see EscapeCSV); the import takes it off again.
func formulaLead(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0]))
}

// EscapeCSV protects a cell Excel would run as a formula.
func EscapeCSV(s string) string {
	if s != "" && (s[0] != '\'' && formulaLead(s) || s[0] == '\'' && formulaLead(s[1:])) {
		return "'" + s
	}
	return s
}

// UnescapeCSV undoes EscapeCSV.
func UnescapeCSV(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaLead(s[1:]) {
		return s[1:]
	}
	return s
}

// xlsxSource streams the rows of one sheet.
type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

// NewXLSXReader reads the rows of the named sheet of the workbook in r, or
// of its first sheet when it has none of that name.
func NewXLSXReader(r io.Reader, sheet string) (src Rows, err error) {
	defer recoverAs(&err, 0, "无法读取 Excel 文件")
	b, err := io.ReadAll(r) // excelize reads it all too; uploads are bounded before
	if err != nil {
		return nil, FileErrorf(0, "读取文件失败")
	}
	if err := checkUnzipSize(b); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true, UnzipSizeLimit: xlsxUnzipLimit})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(err.Error(), "zip") {
			return nil, FileErrorf(0, "不是有效的 Excel（.xlsx）文件")
		}
		return nil, FileErrorf(0, "无法读取 Excel 文件：%v", err)
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		list := f.GetSheetList()
		if len(list) == 0 {
			f.Close()
			return nil, FileErrorf(0, "Excel 文件中没有工作表")
		}
		sheet = list[0]
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, FileErrorf(0, "无法读取工作表“%s”", sheet)
	}
	return &xlsxSource{f: f, rows: rows}, nil
}

func (s *xlsxSource) Next() (cells []string, row int, err error) {
	defer recoverAs(&err, s.row+1, "Excel 文件内容损坏")
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, s.row + 1, FileErrorf(s.row+1, "Excel 文件内容损坏（%v）", err)
		}
		return nil, s.row + 1, io.EOF
	}
	s.row++
	cells, err = s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, s.row, FileErrorf(s.row, "Excel 文件内容损坏")
	}
	for i, c := range cells {
		if !utf8.ValidString(c) {
			return nil, s.row, FileErrorf(s.row, "第 %d 列：文本编码无效", i+1)
		}
	}
	return cells, s.row, nil
}

func (s *xlsxSource) Close() error {
	s.rows.Close()
	return s.f.Close()
}

// recoverAs turns a panic inside the third-party xlsx reader into a file
// error: a malformed upload must never take the server down.
func recoverAs(err *error, row int, msg string) {
	if r := recover(); r != nil {
		*err = FileErrorf(row, "%s", msg)
	}
}
