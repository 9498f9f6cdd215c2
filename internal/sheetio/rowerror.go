package sheetio

import "fmt"

// RowError is one problem of an import, shared by every registry's codec:
// the row as a spreadsheet numbers it (the header is row 1; 0 for the file
// as a whole), the column header and the reason.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e RowError) String() string {
	switch {
	case e.Row == 0:
		return "文件：" + e.Message
	case e.Field == "":
		return fmt.Sprintf("第 %d 行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第 %d 行，字段“%s”：%s", e.Row, e.Field, e.Message)
}
