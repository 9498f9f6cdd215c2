package sheetio_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/sheetio"
)

// TestTableKinds: a Table's xlsx holds amounts, dates and ids as numbers
// with their formats, codes as text, and text that is not of its column's
// kind as text (walkthrough #6); the CSV is the cells' text.
func TestTableKinds(t *testing.T) {
	tb := &sheetio.Table{Sheet: "表", Header: []string{"ID", "代码", "金额", "日期"},
		Kinds: []sheetio.Kind{sheetio.Int, sheetio.Text, sheetio.Yuan, sheetio.Date},
		Rows:  [][]string{{"7", "210102", "1234567.89", "2022-03-01"}, {"x", "0012", "12,00", "2022-02-30"}}}
	var b bytes.Buffer
	if err := tb.Write(sheetio.XLSX, &b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct {
		cell, raw, shown string
		number           bool
	}{
		{"A2", "7", "7", true}, {"B2", "210102", "210102", false}, {"C2", "1234567.89", "1,234,567.89", true}, {"D2", "44621", "2022-03-01", true},
		{"A3", "x", "x", false}, {"B3", "0012", "0012", false}, {"C3", "12,00", "12,00", false}, {"D3", "2022-02-30", "2022-02-30", false},
	} {
		typ, _ := f.GetCellType("表", c.cell)
		text := typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString
		raw, _ := f.GetCellValue("表", c.cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("表", c.cell)
		if text == c.number || raw != c.raw || shown != c.shown {
			t.Errorf("%s: type %v raw %q shown %q, want number=%v raw %q shown %q", c.cell, typ, raw, shown, c.number, c.raw, c.shown)
		}
	}
	b.Reset()
	if err := tb.Write(sheetio.CSV, &b); err != nil {
		t.Fatal(err)
	}
	if want := "\ufeffID,代码,金额,日期\r\n7,210102,1234567.89,2022-03-01\r\nx,0012,\"12,00\",2022-02-30\r\n"; b.String() != want {
		t.Errorf("csv %q", b.String())
	}
}
