package adminio

import (
	"fmt"
	"io"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// OrgSheet is the organisation sheet of the xlsx files.
const OrgSheet = "机构"

// Organisation columns.
const (
	colOrgID     = "ID"
	colOrgName   = "机构名称"
	colOrgKind   = "机构类型"
	colOrgUSCC   = "统一社会信用代码"
	colOrgRegion = "行政区划代码"
	colOrgStatus = "状态"
)

// OrgColumns lists the organisation sheet's columns in order.
var OrgColumns = []Column{
	{colOrgID, false, true, "导出时填写，导入时忽略（导入只新建机构）"},
	{colOrgName, true, false, "必填，不超过100字"},
	{colOrgKind, true, false, "科技局、技术合同登记机构、高等院校、科研院所、企业、中试基地或技术转移机构"},
	{colOrgUSCC, false, false, "18位统一社会信用代码（GB 32100，含校验位）；可不填，填写时不得与已有机构重复"},
	{colOrgRegion, true, false, "6位行政区划代码，须在系统的行政区划表中；科技局须位于本市"},
	{colOrgStatus, false, true, "正常或已停用（导出时填写，导入的机构均为正常）"},
}

var orgFieldColumn = map[string]string{"name": colOrgName, "kind": colOrgKind, "uscc": colOrgUSCC, "region_code": colOrgRegion}

// OrgLookup is what converting organisation rows needs from the database.
type OrgLookup struct {
	CityCode string
	Regions  map[string]domain.Region // the regions table, withdrawn codes included
	USCCs    map[string]bool          // credit codes already taken
}

// DecodeOrgs reads an organisation file, handing each data row to fn
// converted and validated, with its problems (a credit code repeated in
// the file or already taken is one). File problems come back as row
// errors; err is only an error of fn or of reading.
func DecodeOrgs(r io.Reader, format sheetio.Format, l *OrgLookup, maxRows int, fn func(row int, o *domain.Org, errs []RowError) error) ([]RowError, error) {
	seen := map[string]int{}
	return decode(r, format, OrgSheet, OrgColumns, maxRows, func(row int, h header, cells []string) error {
		o, errs := orgOf(row, h, cells, l)
		if o.USCC != "" && len(errs) == 0 {
			if first, dup := seen[o.USCC]; dup {
				errs = append(errs, RowError{Row: row, Field: colOrgUSCC, Message: fmt.Sprintf("统一社会信用代码 %s 与第 %d 行重复", o.USCC, first)})
			} else if l.USCCs[o.USCC] {
				errs = append(errs, RowError{Row: row, Field: colOrgUSCC, Message: fmt.Sprintf("统一社会信用代码 %s 已被系统中的机构使用", o.USCC)})
			} else {
				seen[o.USCC] = row
			}
		}
		return fn(row, o, errs)
	})
}

func orgOf(row int, h header, cells []string, l *OrgLookup) (*domain.Org, []RowError) {
	o := &domain.Org{Name: h.cell(cells, colOrgName), USCC: domain.NormalizeUSCC(h.cell(cells, colOrgUSCC)), RegionCode: h.cell(cells, colOrgRegion)}
	kind, ok := parseKind(h.cell(cells, colOrgKind))
	if !ok {
		return o, []RowError{{Row: row, Field: colOrgKind, Message: fmt.Sprintf("机构类型“%s”无效", h.cell(cells, colOrgKind))}}
	}
	o.Kind = kind
	if err := o.Validate(); err != nil {
		return o, rowErrors(row, err, orgFieldColumn)
	}
	var r *domain.Region
	if x, ok := l.Regions[o.RegionCode]; ok {
		r = &x
	}
	if err := domain.CheckOrgRegion(o, r, l.CityCode); err != nil {
		return o, rowErrors(row, err, orgFieldColumn)
	}
	return o, nil
}

// parseKind accepts a kind's label or its code.
func parseKind(s string) (domain.OrgKind, bool) {
	for _, k := range orgKinds() {
		if s == string(k) || s == k.Label() {
			return k, true
		}
	}
	return "", false
}

func orgKinds() []domain.OrgKind {
	return domain.OrgKinds.Codes()
}

// OrgTable is the organisations as a sheet (the export).
func OrgTable(orgs []*domain.Org) *sheetio.Table {
	t := &sheetio.Table{Sheet: OrgSheet, Header: headers(OrgColumns), Widths: []float64{8, 36, 18, 24, 14, 10}, Kinds: []sheetio.Kind{sheetio.Int}}
	for _, o := range orgs {
		t.Rows = append(t.Rows, []string{strconv.FormatInt(o.ID, 10), o.Name, o.Kind.Label(), o.USCC, o.RegionCode, o.Status().Label()})
	}
	return t
}
