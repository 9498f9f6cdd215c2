package sheetio

import (
	"regexp"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// plainYuan is an amount as domain.FormatYuanPlain writes it.
var plainYuan = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{1,2})?$`)

// Kind is how an xlsx cell holds a column's text (CSV writes the text
// either way). Amounts and dates are real numbers and dates in Excel, so
// SUM, pivot tables and date filters work on an export (walkthrough #6);
// codes (登记号, credit codes, region codes) stay text to keep their digits.
type Kind int

const (
	Text Kind = iota
	Yuan      // a plain amount in yuan with two decimals ("1234.50"): a number formatted #,##0.00
	Date      // YYYY-MM-DD: a date cell formatted yyyy-mm-dd
	Int       // a whole number (an id)
)

// Formats of the number and date cells.
const (
	YuanFormat = "#,##0.00"
	DateFormat = "yyyy-mm-dd"
)

// Styles are the workbook's cell styles by kind, and the header's.
type Styles struct {
	Header, Text, Yuan, Date, Int int
}

// NewStyles registers the styles in f.
func NewStyles(f *excelize.File) (Styles, error) {
	var s Styles
	var err error
	yuan, date := YuanFormat, DateFormat
	for _, st := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&s.Header, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.Text, &excelize.Style{NumFmt: 49}}, // "@": text
		{&s.Yuan, &excelize.Style{CustomNumFmt: &yuan}},
		{&s.Date, &excelize.Style{CustomNumFmt: &date}},
		{&s.Int, &excelize.Style{NumFmt: 1}}, // "0"
	} {
		if *st.id, err = f.NewStyle(st.style); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Of returns the style of a kind.
func (s Styles) Of(k Kind) int {
	switch k {
	case Yuan:
		return s.Yuan
	case Date:
		return s.Date
	case Int:
		return s.Int
	}
	return s.Text
}

// NumberOf returns the number an xlsx cell of kind k holds for text s, as
// the decimal text of the cell's value (exact: no float is formed), and
// false when s is written as text (kind Text, an empty cell, or text that
// is not of the kind).
func NumberOf(k Kind, s string) (string, bool) {
	switch k {
	case Yuan:
		return s, plainYuan.MatchString(s)
	case Int:
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return "", false
		}
		return s, true
	case Date:
		n, ok := DateSerial(s)
		return strconv.Itoa(n), ok
	}
	return "", false
}

// excelEpoch is day 0 of Excel's 1900 date system as it counts from
// 1900-03-01 on (its serial 60 is the 1900-02-29 that never was).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// DateSerial is the Excel serial day number of a YYYY-MM-DD date (from
// 1900-03-01, which every date of the registry is after).
func DateSerial(s string) (int, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) {
		return 0, false
	}
	return int(t.Sub(excelEpoch).Hours() / 24), true
}
