// Package enterpriseio is the enterprise registry's file codec: the
// registry (one firm a row: credit code, name, district, chain, date of
// registration) and the yearly facts (one firm a row: its credit code and
// every fact of ../shared/rules/FACTS.md, money in 元) as xlsx or CSV with
// Chinese headers in any order, every problem named by row and column,
// and back. Both are column tables over sheetio.Codec; the facts are
// checked by the rule engine's parser (through enterprisefacts), never a
// second one. The import use cases (service/enterprise_io.go) store the
// rows in one transaction.
package enterpriseio

import (
	"io"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// Sheets of the xlsx files.
const (
	Sheet      = "企业库"
	FactsSheet = "企业年度数据"
)

// MaxAPIRows limits a file uploaded through the API or the pages.
const MaxAPIRows = 20_000

// RowError is one problem of an import.
type RowError = sheetio.RowError

// Lookup is what converting rows needs from the database.
type Lookup struct {
	Districts  []domain.Region // the city's districts and counties (a cell may give the code or the name)
	Chains     []domain.Chain  // every chain of the city
	ChainCodes []string        // the chains offered for new records (Validate)
	Today      string          // YYYY-MM-DD, China time
}

// DistrictCodes are the codes of l's districts.
func (l *Lookup) DistrictCodes() []string {
	out := make([]string, len(l.Districts))
	for i, d := range l.Districts {
		out[i] = d.Code
	}
	return out
}

// Column headers the service and the tests name.
const (
	ColUSCC       = "统一社会信用代码"
	ColName       = "企业名称"
	ColDistrict   = "所在区县"
	ColChain      = "产业链"
	ColRegistered = "成立日期"
)

const exportOnly = "导出时填写，导入时忽略"

// ExampleUSCC is the templates' example credit code (a valid one).
const ExampleUSCC = "91210100MA0Y6KJG4M"

type col = sheetio.Column[domain.Enterprise]

// districtField is the district column: the name on export, the name or
// the code on import.
func districtField(ds []domain.Region) (sheetio.Getter[domain.Enterprise], sheetio.Setter[domain.Enterprise]) {
	return func(x *domain.Enterprise) string {
			for _, d := range ds {
				if d.Code == x.District {
					return d.Name
				}
			}
			return x.District
		}, func(x *domain.Enterprise, v string, _ bool) error {
			for _, d := range ds {
				if v == d.Code || v == d.Name {
					x.District = d.Code
					return nil
				}
			}
			x.District = v // a code the city lacks: the domain's Validate names it
			if v != "" && !domain.ValidRegionCode(v) {
				return domain.Errorf(domain.EINVALID, "所在区县“%s”不是本市的区县", v)
			}
			return nil
		}
}

// Codec is the registry sheet for the city l describes.
func Codec(l *Lookup) *sheetio.Codec[domain.Enterprise] {
	uscc, setUSCC := sheetio.TextField(func(x *domain.Enterprise) *string { return &x.USCC })
	name, setName := sheetio.TextField(func(x *domain.Enterprise) *string { return &x.Name })
	district, setDistrict := districtField(l.Districts)
	chain, setChain := sheetio.ChainField(l.Chains, func(x *domain.Enterprise) *string { return &x.Chain })
	reg, setReg := sheetio.DateField(func(x *domain.Enterprise) *string { return &x.RegisteredOn })
	exampleDistrict := ""
	if len(l.Districts) > 0 {
		exampleDistrict = l.Districts[0].Name
	}
	return &sheetio.Codec[domain.Enterprise]{Sheet: Sheet, New: func() *domain.Enterprise { return &domain.Enterprise{} }, Columns: []col{
		{Header: "ID", Note: "导出时填写，导入时忽略（导入只新增企业）", Kind: sheetio.Int, Width: 8,
			Get: func(x *domain.Enterprise) string { return strconv.FormatInt(x.ID, 10) }},
		{Header: ColUSCC, Required: true, Note: "必填，18位统一社会信用代码（校验位须正确）；已在企业库中的代码不能再导入", Example: ExampleUSCC, Width: 22,
			Fields: []string{"uscc"}, Get: uscc, Set: func(x *domain.Enterprise, v string, xlsx bool) error {
				return setUSCC(x, domain.NormalizeUSCC(v), xlsx)
			}},
		{Header: ColName, Required: true, Note: "必填，不超过100字", Example: "沈阳示例科技有限公司", Width: 30, Fields: []string{"name"}, Get: name, Set: setName},
		{Header: ColDistrict, Required: true, Note: "必填，本市区县的名称或6位行政区划代码", Example: exampleDistrict, Width: 12,
			Fields: []string{"district"}, Get: district, Set: setDistrict},
		{Header: ColChain, Note: "选填，本市重点产业链的名称或代码（空为未归入产业链）", Example: sheetio.FirstChain(l.Chains), Width: 18,
			Fields: []string{"chain"}, Get: chain, Set: setChain},
		{Header: ColRegistered, Required: true, Note: "必填，YYYY-MM-DD，不晚于导入当天", Example: "2016-04-12", Kind: sheetio.Date, Width: 12,
			Fields: []string{"registered_on"}, Get: reg, Set: setReg},
		{Header: "关联机构", Note: exportOnly + "（导入时自动关联统一社会信用代码相同的企业机构）", Width: 24,
			Fields: []string{"org_id"}, Get: func(x *domain.Enterprise) string { return x.OrgName }},
		{Header: "最近填报年度", Note: exportOnly, Kind: sheetio.Int, Width: 10, Get: func(x *domain.Enterprise) string {
			if x.LastFiled == 0 {
				return ""
			}
			return strconv.Itoa(x.LastFiled)
		}},
	}}
}

// Decode reads a registry file, handing each data row to fn converted and
// validated (domain.Enterprise.Validate with the city's districts and
// chains), with its problems. File problems come back as row errors; err
// is only an error of fn or of reading.
func Decode(r io.Reader, format sheetio.Format, l *Lookup, maxRows int, fn func(row int, x *domain.Enterprise, errs []RowError) error) ([]RowError, error) {
	ds := l.DistrictCodes()
	return Codec(l).DecodeValid(r, format, maxRows, func(x *domain.Enterprise) error { return x.Validate(ds, l.ChainCodes, l.Today) }, fn)
}

// Table is the firms as a sheet (the export).
func Table(xs []*domain.Enterprise, l *Lookup) *sheetio.Table { return Codec(l).Table(xs) }

// Template writes the registry's import template.
func Template(format sheetio.Format, l *Lookup, w io.Writer) error {
	return Codec(l).WriteTemplateFile(format, w)
}

// Columns lists the registry's importable columns (the import page).
func Columns(l *Lookup) []sheetio.ColumnNote { return sheetio.NotesOf(Codec(l)) }
