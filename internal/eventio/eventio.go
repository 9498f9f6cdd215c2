// Package eventio is the event module's file codec: 路演/对接活动 as rows of
// an xlsx or CSV file (Chinese column headers, any column order),
// converted to domain values with every problem named by row and column,
// and back. It is a column table over sheetio.Codec; the import use case
// (service/event_io.go) stores the rows in one transaction.
//
// What a row cannot hold stays out of the file: the registrations, the
// achievements pitched, the intentions signed and the service records are
// the event's own pages' (the export gives their counts).
package eventio

import (
	"io"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// Sheet is the event sheet of the xlsx files.
const Sheet = "路演对接活动"

// MaxAPIRows limits a file uploaded through the API or the pages.
const MaxAPIRows = 5_000

// RowError is one problem of an import.
type RowError = sheetio.RowError

// Lookup is what converting rows needs from the database.
type Lookup struct {
	Chains     []domain.Chain // every chain of the city (a cell may give its code or name)
	ChainCodes []string       // the chains offered for new records (Validate)
	Today      string         // YYYY-MM-DD, China time (the template's example date)
}

// Column headers the service and the tests name.
const (
	ColTitle    = "活动名称"
	ColKind     = "活动类型"
	ColDate     = "活动日期"
	ColPlace    = "活动地点"
	ColChain    = "产业链"
	ColCapacity = "报名名额"
)

type col = sheetio.Column[domain.TechEvent]

const exportOnly = "导出时填写，导入时忽略"

// Codec is the event sheet for the city l describes.
func Codec(l *Lookup) *sheetio.Codec[domain.TechEvent] {
	title, setTitle := sheetio.TextField(func(x *domain.TechEvent) *string { return &x.Title })
	kind, setKind := sheetio.EnumField(domain.TechEventKinds, ColKind, func(x *domain.TechEvent) *string { return &x.Kind })
	date, setDate := sheetio.DateField(func(x *domain.TechEvent) *string { return &x.Date })
	place, setPlace := sheetio.TextField(func(x *domain.TechEvent) *string { return &x.Place })
	chain, setChain := sheetio.ChainField(l.Chains, func(x *domain.TechEvent) *string { return &x.ChainCode })
	capacity, setCapacity := sheetio.IntField(func(x *domain.TechEvent) *int { return &x.Capacity }, 0, domain.MaxEventCapacity)
	desc, setDesc := sheetio.TextField(func(x *domain.TechEvent) *string { return &x.Description })
	count := func(n func(x *domain.TechEvent) int) sheetio.Getter[domain.TechEvent] {
		return func(x *domain.TechEvent) string { return strconv.Itoa(n(x)) }
	}
	return &sheetio.Codec[domain.TechEvent]{Sheet: Sheet, New: func() *domain.TechEvent { return &domain.TechEvent{} }, Columns: []col{
		{Header: "ID", Note: "导出时填写，导入时忽略（导入只新建活动）", Kind: sheetio.Int, Width: 8,
			Get: func(x *domain.TechEvent) string { return strconv.FormatInt(x.ID, 10) }},
		{Header: ColTitle, Required: true, Note: "必填，不超过200字。一行一个活动；报名、路演成果、合作意向与服务记录不在文件中，在活动页面登记", Example: "智能制造科技成果路演", Width: 30, Fields: []string{"title"}, Get: title, Set: setTitle},
		{Header: ColKind, Required: true, Note: "必填：" + sheetio.Labels(domain.TechEventKinds), Example: "路演", Width: 10, Fields: []string{"kind"}, Get: kind, Set: setKind},
		{Header: ColDate, Required: true, Note: "必填，YYYY-MM-DD（导入后直接发布时不早于导入当天）", Example: sheetio.NextYearEnd(l.Today), Kind: sheetio.Date, Width: 12,
			Fields: []string{"date"}, Get: date, Set: setDate},
		{Header: ColPlace, Required: true, Note: "必填，不超过200字", Example: "沈阳市浑南区科技服务中心", Width: 30, Fields: []string{"place"}, Get: place, Set: setPlace},
		{Header: ColChain, Note: "选填，本市重点产业链的名称或代码（空为不限产业链）", Example: sheetio.FirstChain(l.Chains), Width: 18,
			Fields: []string{"chain_code"}, Get: chain, Set: setChain},
		{Header: ColCapacity, Required: true, Note: "必填，可报名的单位数，1至" + strconv.Itoa(domain.MaxEventCapacity), Example: "30", Kind: sheetio.Int, Width: 10,
			Fields: []string{"capacity"}, Get: capacity, Set: setCapacity},
		{Header: "活动介绍", Note: "选填，不超过5000字", Example: "高校院所智能制造领域科技成果集中路演，企业现场对接。", Width: 50,
			Fields: []string{"description"}, Get: desc, Set: setDesc},
		{Header: "主办单位", Note: "导出时填写，导入时忽略（导入的活动由导入时选定的单位主办）", Width: 24, Get: func(x *domain.TechEvent) string { return x.OrganiserName }},
		{Header: "状态", Note: exportOnly, Width: 10, Get: func(x *domain.TechEvent) string { return x.Status.Label() }},
		{Header: "已报名", Note: exportOnly + "（报名名单见活动页面）", Kind: sheetio.Int, Width: 8, Get: count(func(x *domain.TechEvent) int { return x.Registered })},
		{Header: "路演成果数", Note: exportOnly, Kind: sheetio.Int, Width: 8, Get: count(func(x *domain.TechEvent) int { return x.Pitches })},
		{Header: "签订意向数", Note: exportOnly, Kind: sheetio.Int, Width: 8, Get: count(func(x *domain.TechEvent) int { return x.Intentions })},
		{Header: "服务企业家次", Note: exportOnly, Kind: sheetio.Int, Width: 8, Get: count(func(x *domain.TechEvent) int { return x.Services })},
		{Header: "活动总结", Note: exportOnly, Width: 40, Get: func(x *domain.TechEvent) string { return x.Summary }},
		{Header: "取消原因", Note: exportOnly, Width: 30, Get: func(x *domain.TechEvent) string { return x.CancelReason }},
	}}
}

// Decode reads an event file, handing each data row to fn converted and
// validated (domain.TechEvent.Validate with the city's chains), with its
// problems. File problems come back as row errors; err is only an error of
// fn or of reading.
func Decode(r io.Reader, format sheetio.Format, l *Lookup, maxRows int, fn func(row int, x *domain.TechEvent, errs []RowError) error) ([]RowError, error) {
	return Codec(l).DecodeValid(r, format, maxRows, func(x *domain.TechEvent) error { return x.Validate(l.ChainCodes) }, fn)
}

// Table is the events as a sheet (the export).
func Table(xs []*domain.TechEvent, l *Lookup) *sheetio.Table { return Codec(l).Table(xs) }

// Template writes the import template: the header row and an example row
// and, in xlsx, a 说明 sheet documenting every column.
func Template(format sheetio.Format, l *Lookup, w io.Writer) error {
	return Codec(l).WriteTemplateFile(format, w)
}

// Columns lists the importable columns (the import page's notes).
func Columns(l *Lookup) []sheetio.ColumnNote { return sheetio.NotesOf(Codec(l)) }
