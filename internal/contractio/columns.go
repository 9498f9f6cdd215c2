// Package contractio imports and exports technology contracts as Excel
// (xlsx) and CSV files: one row per contract, Chinese column headers, the
// template with its 说明 sheet, and the all-or-nothing import that names
// every bad row (DESIGN.md §4). The HTTP API and the kechuang command both
// call it.
package contractio

import (
	"errors"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// Column is one column of the contract sheet.
type Column struct {
	Header string
	// Required columns must be present in the header row; their cells may
	// still be empty where the rules allow (登记号 of a draft, for example).
	Required bool
	// ExportOnly columns are written on export and checked, when present,
	// on import (技术交易额 is recomputed from the cost items).
	ExportOnly bool
	Note       string
}

// Column headers, defined once for the template, the import and the export.
const (
	ColRegNo        = "登记号" // the registration number column, named in duplicate-number errors
	colTitle        = "合同名称"
	ColContractNo   = "合同编号"
	colSellerName   = "卖方名称"
	colSellerUSCC   = "卖方统一社会信用代码"
	colSellerRegion = "卖方行政区划代码"
	colSellerType   = "卖方主体类型"
	colBuyerName    = "买方名称"
	colBuyerUSCC    = "买方统一社会信用代码"
	colBuyerRegion  = "买方行政区划代码"
	colBuyerType    = "买方主体类型"
	colBroker       = "中介机构统一社会信用代码"
	colSignedOn     = "签订日期"
	colTermStart    = "起始日期"
	colTermEnd      = "终止日期"
	colCategory     = "合同类别"
	colSubType      = "子类"
	colForm         = "合同形式"
	colSeals        = "印章一致"
	colField        = "技术领域"
	colChain        = "产业链"
	colTurnover     = "合同成交额（元）"
	colCosts        = "非技术性费用"
	colTech         = "技术交易额（元）"
	colIncome       = "技术性收入（元）"
	colStatus       = "状态"
	colRegisteredOn = "登记日期"
	colRegime       = "登记办法"
	colApproved     = "核定技术交易额（元）"
)

// Columns lists the sheet's columns in order.
var Columns = []Column{
	{ColRegNo, false, false, "已登记合同必填：年份4位+登记机构行政区划代码6位+流水号6位，共16位数字；本年的登记号须接续本登记机构已发的流水号、连续不跳号；草稿不填"},
	{colTitle, true, false, "必填，不超过200字"},
	{ColContractNo, false, false, "当事人自编合同编号，可不填，不超过64字"},
	{colSellerName, true, false, "必填"},
	{colSellerUSCC, true, false, "必填，18位，含校验位；与系统中机构一致时自动关联该机构"},
	{colSellerRegion, true, false, "必填，6位行政区划代码；本市代码须为系统已配置的区县"},
	{colSellerType, true, false, "企业法人 / 科研机构 / 高等院校 / 其他（也可填代码 enterprise / institute / university / other）"},
	{colBuyerName, true, false, "必填"},
	{colBuyerUSCC, true, false, "必填，18位，含校验位；不能与卖方相同"},
	{colBuyerRegion, true, false, "必填，6位行政区划代码"},
	{colBuyerType, true, false, "同卖方主体类型"},
	{colBroker, false, false, "可不填；填写时须为系统中已登记的技术转移机构"},
	{colSignedOn, true, false, "必填，YYYY-MM-DD（也接受 YYYY/M/D、YYYY年M月D日 和 Excel 日期）"},
	{colTermStart, true, false, "必填，日期格式同上"},
	{colTermEnd, true, false, "必填，不早于起始日期和签订日期"},
	{colCategory, true, false, "技术开发 / 技术转让 / 技术许可 / 技术咨询 / 技术服务（或代码）；2021年1月1日前签订的合同没有技术许可"},
	{colSubType, true, false, "所属类别在签订日期适用的子类，名称或代码，见“可填值”"},
	{colForm, true, false, "书面 / 口头"},
	{colSeals, true, false, "是 / 否（印章齐全且与书写名称一致）"},
	{colField, true, false, "技术领域名称或代码，见“可填值”"},
	{colChain, false, false, "可不填；填写时为系统中产业链的名称或代码"},
	{colTurnover, true, false, "必填，单位元，最多两位小数，可含千位分隔符，如 1,234,567.89"},
	{colCosts, false, false, "可不填。每项写作“类别:说明:单价（元）:数量”，多项以英文分号“;”分隔，如 设备:示波器:12000.00:2; 原材料:试剂:350.5:10。类别见“可填值”；说明中的“:”“;”“\\”前加“\\”转义"},
	{colTech, false, true, "导出时给出；导入时由成交额减去非技术性费用重新计算，填写的值不一致即为错误"},
	{colIncome, false, false, "可不填（按0计）；单位元，不超过技术交易额。按2026年办法登记的合同没有技术性收入，导出时为空（见“核定技术交易额”）；导入这类已登记合同时，此列填写的是核定技术交易额，不填则以技术交易额为核定数"},
	{colStatus, false, false, "已登记 / 草稿；不填时有登记号即为已登记，否则为草稿。其他状态的合同不能导入"},
	{colRegisteredOn, false, false, "已登记合同必填，与登记号年份一致，不早于签订日期；草稿不填"},
	{colRegime, false, true, "导出时给出受理时适用的登记办法；导入时忽略"},
	{colApproved, false, true, "导出时给出：按2026年办法登记的合同为登记机构核定的技术交易额（登记证明和统计采用此数），其他合同为空；导入时忽略"},
}

// cellKinds are the columns an xlsx export writes as numbers or dates
// (walkthrough #6); the others are text, codes keeping their digits.
var cellKinds = map[string]sheetio.Kind{
	colSignedOn: sheetio.Date, colTermStart: sheetio.Date, colTermEnd: sheetio.Date, colRegisteredOn: sheetio.Date,
	colTurnover: sheetio.Yuan, colTech: sheetio.Yuan, colIncome: sheetio.Yuan, colApproved: sheetio.Yuan,
}

// Headers returns the column headers in order.
func Headers() []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = c.Header
	}
	return out
}

// normalizeHeader lets users write half-width brackets and stray spaces.
func normalizeHeader(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\u3000', '\u00a0', '*':
			return -1
		case '(':
			return '（'
		case ')':
			return '）'
		}
		return r
	}, s)
	return s
}

// fieldColumns maps the field names of domain validation errors to headers.
var fieldColumns = map[string]string{
	"title": colTitle, "contract_no": ColContractNo,
	"seller.name": colSellerName, "seller.uscc": colSellerUSCC, "seller.region_code": colSellerRegion, "seller.type": colSellerType,
	"buyer.name": colBuyerName, "buyer.uscc": colBuyerUSCC, "buyer.region_code": colBuyerRegion, "buyer.type": colBuyerType,
	"broker_org_id": colBroker, "signed_on": colSignedOn, "term_start": colTermStart, "term_end": colTermEnd,
	"category": colCategory, "sub_type": colSubType, "form": colForm, "seals_match": colSeals, "tech_field": colField,
	"chain_code": colChain, "turnover_fen": colTurnover, "cost_items": colCosts, "tech_transaction_fen": colTech,
	"tech_income_fen": colIncome, "status": colStatus, "reg_no": ColRegNo, "registered_on": colRegisteredOn,
}

// columnOf returns the header for a domain field name ("cost_items[2].kind"
// belongs to 非技术性费用).
func columnOf(field string) string {
	if h, ok := fieldColumns[field]; ok {
		return h
	}
	if strings.HasPrefix(field, "cost_items") {
		return colCosts
	}
	return field
}

// RowErrorsOf turns a domain error about a row's contract into the row's
// errors by column (a refusal of the service's checks: text, dates,
// duplicates), so the report names the column as the codec's own do.
func RowErrorsOf(row int, err error) []RowError {
	var de *domain.Error
	if !errors.As(err, &de) {
		return []RowError{{Row: row, Message: domain.ErrorMessage(err)}}
	}
	if len(de.Fields) == 0 {
		return []RowError{{Row: row, Field: columnOf(de.Field), Message: de.Message}}
	}
	out := make([]RowError, 0, len(de.Fields))
	for _, fe := range de.Fields {
		out = append(out, RowError{Row: row, Field: columnOf(fe.Field), Message: fe.Message})
	}
	return out
}
