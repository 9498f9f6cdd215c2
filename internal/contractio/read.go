package contractio

import (
	"io"

	"kechuang/internal/sheetio"
)

// The file formats and the row readers are sheetio's, shared with every
// registry's import; these names keep the contract codec's code unchanged.

// Format is a file format of the import and export.
type Format = sheetio.Format

const (
	CSV  = sheetio.CSV
	XLSX = sheetio.XLSX
)

// SheetName is the contract sheet of the xlsx files; the import reads it,
// or the first sheet when a workbook has none of that name.
const SheetName = "技术合同"

// FormatOf picks the format: the explicit one, else the file name's
// extension, else the content (a zip file is xlsx).
func FormatOf(explicit, name string, head []byte) (Format, error) {
	return sheetio.FormatOf(explicit, name, head)
}

type rowSource = sheetio.Rows

type fileError = sheetio.FileError

func fileErrorf(row int, format string, args ...any) *fileError {
	return sheetio.FileErrorf(row, format, args...)
}

func newCSVSource(r io.Reader) (rowSource, error) { return sheetio.NewCSVReader(r) }

func newXLSXSource(r io.Reader) (rowSource, error) { return sheetio.NewXLSXReader(r, SheetName) }

func escapeCSV(s string) string { return sheetio.EscapeCSV(s) }

func unescapeCSV(s string) string { return sheetio.UnescapeCSV(s) }
