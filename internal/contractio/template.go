package contractio

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/domain"
)

// templateRows is how far down the template's drop-down lists reach.
const templateRows = 10000

// Template writes an empty import file: the header row and, for xlsx, drop-
// down lists and a 说明 sheet documenting every column and the values
// each accepts (chains from the city's configuration).
func Template(format Format, chains []domain.Chain, w io.Writer) error {
	if format == CSV {
		cw, err := newCSVWriter(w)
		if err != nil {
			return err
		}
		if err := cw.Write(Headers()); err != nil {
			return err
		}
		return cw.Close()
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	if err := templateSheet(f); err != nil {
		return err
	}
	if _, err := f.NewSheet("说明"); err != nil {
		return err
	}
	if err := notesSheet(f, chains); err != nil {
		return err
	}
	return f.Write(w)
}

func templateSheet(f *excelize.File) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keep codes and amounts as typed
	if err != nil {
		return err
	}
	for i, c := range Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStr(SheetName, col+"1", c.Header); err != nil {
			return err
		}
		if err := f.SetColWidth(SheetName, col, col, 16); err != nil {
			return err
		}
		if c.Header != colSignedOn && c.Header != colTermStart && c.Header != colTermEnd && c.Header != colRegisteredOn {
			if err := f.SetColStyle(SheetName, col, text); err != nil {
				return err
			}
		}
		if list := dropList(c.Header); list != nil {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, templateRows)
			if err := dv.SetDropList(list); err == nil {
				if err := f.AddDataValidation(SheetName, dv); err != nil {
					return err
				}
			}
		}
	}
	if err := f.SetRowStyle(SheetName, 1, 1, bold); err != nil {
		return err
	}
	return f.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func dropList(header string) []string {
	switch header {
	case colSellerType, colBuyerType:
		out := []string{}
		for _, t := range domain.PartyTypes.All() {
			out = append(out, t.Label)
		}
		return out
	case colCategory:
		out := []string{}
		for _, c := range domain.AllCategoryCodes {
			out = append(out, domain.CategoryLabel(c))
		}
		return out
	case colForm:
		return []string{"书面", "口头"}
	case colSeals:
		return []string{"是", "否"}
	case colStatus:
		return []string{domain.ContractRegistered.Label(), domain.ContractDraft.Label()}
	case colField:
		out := []string{}
		for _, t := range domain.TechFields.All() {
			out = append(out, t.Label)
		}
		return out
	}
	return nil
}

// notesSheet documents the columns and lists the accepted values.
func notesSheet(f *excelize.File, chains []domain.Chain) error {
	const sheet = "说明"
	rows := [][]string{{"列名", "是否必需的列", "填写说明"}}
	for _, c := range Columns {
		need := "可省略"
		if c.Required {
			need = "必需"
		}
		rows = append(rows, []string{c.Header, need, c.Note})
	}
	rows = append(rows, nil,
		[]string{"导入规则", "", "表头在第1行，数据从第2行起，一行一份合同；行号即 Excel 显示的行号。任何一行有错误时整个文件不导入，并列出每一行的错误；选择“跳过错误行”时只导入正确的行。登记号在文件内和系统中都不能重复。"},
		nil, []string{"可填值", "", ""})
	for _, era := range []struct{ name, date string }{{"2021年1月1日起签订", domain.CategoryCutover}, {"2021年1月1日前签订", "2020-12-31"}} {
		for _, c := range domain.CategoriesAt(era.date) {
			var subs []string
			for _, s := range c.SubTypes {
				subs = append(subs, s.Label+"（"+s.Code+"）")
			}
			rows = append(rows, []string{"合同类别 / 子类（" + era.name + "）", c.Label + "（" + c.Code + "）", strings.Join(subs, "；")})
		}
	}
	var fields, kinds, chainNames []string
	for _, t := range domain.TechFields.All() {
		fields = append(fields, t.Label+"（"+t.Code+"）")
	}
	for _, k := range domain.CostKinds.All() {
		kinds = append(kinds, k.Label+"（"+k.Code+"）")
	}
	for _, ch := range chains {
		chainNames = append(chainNames, ch.Name+"（"+ch.Code+"）")
	}
	rows = append(rows, []string{colField, "", strings.Join(fields, "；")},
		[]string{"非技术性费用类别", "", strings.Join(kinds, "；") + "。样品样机、试验装置在合理数量（" + fmt.Sprint(domain.PrototypeLimit) + "套）以内不扣除"},
		[]string{colChain, "", strings.Join(chainNames, "；")})
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 16); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "C", "C", 100)
}
