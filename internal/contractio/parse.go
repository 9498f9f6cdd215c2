package contractio

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// RowError is one problem of an import (sheetio.RowError, shared by every codec).
type RowError = sheetio.RowError

// Lookup is what converting a row needs to know of the system; the
// importer loads it once from the database.
type Lookup struct {
	CityCode       string
	RegistryRegion string                   // the importing registry's region code (登记号 digits 5–10)
	Today          string                   // YYYY-MM-DD, China time
	Regions        map[string]domain.Region // the regions table, withdrawn codes included
	Chains         []domain.Chain
	OrgsByUSCC     map[string]*domain.Org
}

// headerError lists the problems of the header row.
type headerError struct{ errs []RowError }

func (e *headerError) Error() string { return e.errs[0].String() }

// header maps column headers to cell indexes.
type header map[string]int

func bindHeader(cells []string) (header, error) {
	known := map[string]bool{}
	for _, c := range Columns {
		known[c.Header] = true
	}
	h := header{}
	var errs []RowError
	for i, raw := range cells {
		name := normalizeHeader(raw)
		switch {
		case name == "":
			continue
		case !known[name]:
			errs = append(errs, RowError{Row: 1, Field: strings.TrimSpace(raw), Message: fmt.Sprintf("未知的列“%s”（第 %d 列），列名须与模板一致", strings.TrimSpace(raw), i+1)})
		case h[name] != 0:
			errs = append(errs, RowError{Row: 1, Field: name, Message: fmt.Sprintf("列“%s”重复出现", name)})
		default:
			h[name] = i + 1 // 1-based so the zero value means absent
		}
	}
	if len(h) == 0 && len(errs) == 0 {
		return nil, &headerError{[]RowError{{Row: 1, Field: "", Message: "第一行应为列名（请使用导入模板）"}}}
	}
	for _, c := range Columns {
		if c.Required && h[c.Header] == 0 {
			errs = append(errs, RowError{Row: 1, Field: c.Header, Message: fmt.Sprintf("缺少必需的列“%s”", c.Header)})
		}
	}
	if len(errs) > 0 {
		return nil, &headerError{errs}
	}
	return h, nil
}

// parseFile reads the header and then every non-blank row, handing each
// to fn converted (errs empty) or with its problems. It returns a
// *fileError or *headerError when the file as a whole cannot be read.
func parseFile(src rowSource, l *Lookup, xlsx bool, maxRows int, fn func(row int, c *domain.Contract, errs []RowError) error) error {
	var h header
	data := 0
	for {
		cells, row, err := src.Next()
		if errors.Is(err, io.EOF) {
			if h == nil {
				return &headerError{[]RowError{{Row: 1, Field: "", Message: "文件为空：第一行应为列名（请使用导入模板）"}}}
			}
			return nil
		} else if err != nil {
			return err
		}
		if h == nil {
			if h, err = bindHeader(cells); err != nil {
				return err
			}
			continue
		}
		if blank(cells) {
			continue
		}
		if data++; maxRows > 0 && data > maxRows {
			return fileErrorf(row, "文件超过 %d 行数据，请拆分后分批导入", maxRows)
		}
		p := rowParser{l: l, h: h, cells: cells, row: row, xlsx: xlsx, failed: map[string]bool{}}
		c := p.contract()
		if err := fn(row, c, p.errs); err != nil {
			return err
		}
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// rowParser converts one row, collecting every problem.
type rowParser struct {
	l      *Lookup
	h      header
	cells  []string
	row    int
	xlsx   bool
	errs   []RowError
	failed map[string]bool
}

func (p *rowParser) get(col string) string {
	i := p.h[col]
	if i == 0 || i > len(p.cells) {
		return ""
	}
	return strings.TrimSpace(p.cells[i-1])
}

func (p *rowParser) fail(col, format string, args ...any) {
	p.failed[col] = true
	p.errs = append(p.errs, RowError{Row: p.row, Field: col, Message: fmt.Sprintf(format, args...)})
}

// required returns the cell, recording an error when it is empty.
func (p *rowParser) required(col string) string {
	v := p.get(col)
	if v == "" {
		p.fail(col, "必填")
	}
	return v
}

// contract converts the row; the result is only meaningful without errors.
func (p *rowParser) contract() *domain.Contract {
	c := &domain.Contract{Title: p.required(colTitle), ContractNo: p.get(ColContractNo)}
	c.Seller = p.party(colSellerName, colSellerUSCC, colSellerRegion, colSellerType)
	c.Buyer = p.party(colBuyerName, colBuyerUSCC, colBuyerRegion, colBuyerType)
	p.broker(c)
	c.SignedOn, c.TermStart, c.TermEnd = p.date(colSignedOn, true), p.date(colTermStart, true), p.date(colTermEnd, true)
	p.category(c)
	c.Form = p.enum(colForm, true, formCodes, "“书面”或“口头”")
	c.SealsMatch = p.enum(colSeals, true, yesNoCodes, "“是”或“否”") == "y"
	c.Field = p.techField()
	c.ChainCode = p.chain()
	c.TurnoverFen = p.amount(colTurnover, true)
	c.TechIncomeFen = p.amount(colIncome, false)
	c.CostItems = p.costs()
	p.registration(c)
	p.validate(c)
	return c
}

func (p *rowParser) party(nameCol, usccCol, regionCol, typeCol string) domain.Party {
	pt := domain.Party{Name: p.required(nameCol), USCC: domain.NormalizeUSCC(p.required(usccCol)), RegionCode: p.required(regionCol)}
	if pt.USCC != "" {
		if err := domain.ValidateUSCC(pt.USCC); err != nil {
			p.fail(usccCol, "%s", domain.ErrorMessage(err))
		} else if o := p.l.OrgsByUSCC[pt.USCC]; o != nil {
			pt.OrgID = o.ID
		}
	}
	if pt.RegionCode != "" {
		if !domain.ValidRegionCode(pt.RegionCode) {
			p.fail(regionCol, "行政区划代码应为6位数字，而不是“%s”", pt.RegionCode)
		} else if err := domain.CheckRegionCode(regionCol, pt.RegionCode, p.l.region(pt.RegionCode)); err != nil {
			p.fail(regionCol, "%s", domain.ErrorMessage(err))
		}
	}
	pt.Type = domain.PartyType(p.enum(typeCol, true, partyTypeCodes, "企业法人、科研机构、高等院校或其他"))
	return pt
}

func (p *rowParser) broker(c *domain.Contract) {
	v := domain.NormalizeUSCC(p.get(colBroker))
	if v == "" {
		return
	}
	o := p.l.OrgsByUSCC[v]
	if o == nil || o.Kind != domain.OrgAgency {
		p.fail(colBroker, "中介机构须为系统中的技术转移机构，统一社会信用代码 %s 未找到对应的技术转移机构", v)
		return
	}
	c.BrokerID, c.BrokerName = o.ID, o.Name
}

// Accepted spellings of the enumerated columns: the label or the code.
var (
	formCodes      = map[string]string{"书面": "written", "written": "written", "口头": "oral", "oral": "oral"}
	yesNoCodes     = map[string]string{"是": "y", "否": "n", "true": "y", "false": "n", "1": "y", "0": "n", "y": "y", "n": "n", "yes": "y", "no": "n"}
	partyTypeCodes = labelCodes(domain.PartyTypes)
	techFieldCodes = labelCodes(domain.TechFields)
)

func labelCodes[T ~string](e *domain.Enum[T]) map[string]string {
	m := make(map[string]string, 2*e.Len())
	for _, it := range e.All() {
		m[it.Label], m[string(it.Code)] = string(it.Code), string(it.Code)
	}
	return m
}

// enum maps a cell through codes (matched case-insensitively).
func (p *rowParser) enum(col string, required bool, codes map[string]string, want string) string {
	v := p.get(col)
	if v == "" {
		if required {
			p.fail(col, "必填")
		}
		return ""
	}
	if code, ok := codes[v]; ok {
		return code
	}
	if code, ok := codes[strings.ToLower(v)]; ok {
		return code
	}
	p.fail(col, "“%s”无效，应为%s", v, want)
	return ""
}

var dateRE = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)
var serialRE = regexp.MustCompile(`^\d{1,7}(\.\d+)?$`)

// date parses a date cell into YYYY-MM-DD; xlsx date cells arrive as
// Excel serial numbers.
func (p *rowParser) date(col string, required bool) string {
	v := p.get(col)
	if v == "" {
		if required {
			p.fail(col, "必填")
		}
		return ""
	}
	if d, ok := parseDate(v, p.xlsx); ok {
		return d
	}
	p.fail(col, "“%s”不是有效日期，应为 YYYY-MM-DD 格式", v)
	return ""
}

func parseDate(v string, xlsx bool) (string, bool) {
	if before, after, ok := strings.Cut(v, " "); ok && (after == "00:00:00" || after == "0:00:00" || after == "00:00") {
		v = before
	}
	if xlsx && serialRE.MatchString(v) {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 1 || f >= 2958466 {
			return "", false
		}
		t, err := excelize.ExcelDateToTime(f, false)
		if err != nil {
			return "", false
		}
		return t.Format(time.DateOnly), true
	}
	m := dateRE.FindStringSubmatch(v)
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// category resolves the category and sub-type, by code or label, in the
// set valid at the signing date (Validate reports era mismatches).
func (p *rowParser) category(c *domain.Contract) {
	cat, sub := p.required(colCategory), p.required(colSubType)
	c.Category, c.SubType = cat, sub
	for _, k := range domain.AllCategoryCodes {
		if cat == k || cat == domain.CategoryLabel(k) {
			c.Category = k
		}
	}
	for _, set := range [][]domain.Category{domain.CategoriesAt(c.SignedOn), domain.CategoriesAt(domain.CategoryCutover), domain.CategoriesAt("2000-01-01")} {
		for _, k := range set {
			if k.Code != c.Category {
				continue
			}
			for _, s := range k.SubTypes {
				if sub == s.Code || sub == s.Label {
					c.SubType = s.Code
					return
				}
			}
		}
	}
}

func (p *rowParser) techField() string {
	return p.enum(colField, true, techFieldCodes, "技术领域的名称或代码（见模板“说明”页）")
}

func (p *rowParser) chain() string {
	v := p.get(colChain)
	if v == "" {
		return ""
	}
	for _, ch := range p.l.Chains {
		if v == ch.Code || v == ch.Name {
			return ch.Code
		}
	}
	p.fail(colChain, "产业链“%s”不存在", v)
	return ""
}

// amount parses a yuan cell into fen; an empty optional cell is 0.
func (p *rowParser) amount(col string, required bool) int64 {
	v := p.get(col)
	if v == "" {
		if required {
			p.fail(col, "必填")
		}
		return 0
	}
	if p.xlsx {
		v = excelNumber(v)
	}
	fen, err := domain.ParseYuan(v)
	if err != nil {
		p.fail(col, "%s", domain.ErrorMessage(err))
	}
	return fen
}

func (p *rowParser) costs() []domain.CostItem {
	items, err := ParseCostItems(p.get(colCosts))
	if err != nil {
		p.fail(colCosts, "%s", domain.ErrorMessage(err))
	}
	return items
}

// registration reads 状态, 登记号 and 登记日期 and checks they agree.
func (p *rowParser) registration(c *domain.Contract) {
	regNo, regOn := p.get(ColRegNo), p.date(colRegisteredOn, false)
	switch st := p.get(colStatus); st {
	case "":
		c.Status = domain.ContractDraft
		if regNo != "" {
			c.Status = domain.ContractRegistered
		}
	case "已登记", string(domain.ContractRegistered):
		c.Status = domain.ContractRegistered
	case "草稿", string(domain.ContractDraft):
		c.Status = domain.ContractDraft
	default:
		if s := statusByLabel(st); s != "" {
			p.fail(colStatus, "只能导入“已登记”或“草稿”状态的合同，“%s”的合同请在系统中办理", s.Label())
		} else {
			p.fail(colStatus, "状态“%s”无效，应为“已登记”或“草稿”", st)
		}
		return
	}
	if c.Status == domain.ContractDraft {
		if regNo != "" {
			p.fail(ColRegNo, "草稿不能有登记号")
		}
		if p.get(colRegisteredOn) != "" && !p.failed[colRegisteredOn] {
			p.fail(colRegisteredOn, "草稿不能有登记日期")
		}
		return
	}
	p.regNo(c, regNo, regOn)
}

func statusByLabel(s string) domain.ContractStatus {
	for _, st := range []domain.ContractStatus{domain.ContractSubmitted, domain.ContractAccepted, domain.ContractReturned, domain.ContractRefused, domain.ContractRejected} {
		if s == string(st) || s == st.Label() {
			return st
		}
	}
	return ""
}

// regNo checks a registered row's number and date: YYYY + the registry's
// region code + a six-digit serial (domain.RegNoFor), the year of the
// registration date.
func (p *rowParser) regNo(c *domain.Contract, regNo, regOn string) {
	if regOn == "" && !p.failed[colRegisteredOn] {
		p.fail(colRegisteredOn, "已登记的合同必须填写登记日期")
	}
	if regNo == "" {
		p.fail(ColRegNo, "已登记的合同必须填写登记号")
		return
	}
	if len(regNo) != 16 || !domain.AllDigits(regNo) {
		p.fail(ColRegNo, "登记号“%s”应为16位数字（年份4位+登记机构行政区划代码6位+流水号6位）", regNo)
		return
	}
	year, _ := strconv.Atoi(regNo[:4])
	serial, _ := strconv.ParseInt(regNo[10:], 10, 64)
	switch {
	case p.l.RegistryRegion != "" && regNo[4:10] != p.l.RegistryRegion:
		p.fail(ColRegNo, "登记号第5–10位应为登记机构的行政区划代码 %s，而不是 %s", p.l.RegistryRegion, regNo[4:10])
	case serial == 0:
		p.fail(ColRegNo, "登记号的流水号不能为 000000")
	case year < 1980 || regNo[:4] > p.l.Today[:4]:
		p.fail(ColRegNo, "登记号中的年份 %d 无效", year)
	}
	c.RegNo, c.RegYear, c.RegSerial, c.RegisteredOn = regNo, year, serial, regOn
	if regOn == "" {
		return
	}
	switch {
	case regOn[:4] != regNo[:4]:
		p.fail(colRegisteredOn, "登记日期 %s 与登记号中的年份 %s 不一致", regOn, regNo[:4])
	case regOn > p.l.Today:
		p.fail(colRegisteredOn, "登记日期 %s 晚于今天", regOn)
	case c.SignedOn != "" && regOn < c.SignedOn:
		p.fail(colRegisteredOn, "登记日期 %s 早于签订日期 %s", regOn, c.SignedOn)
	}
	if c.Form == "oral" {
		p.fail(colForm, "口头形式的合同不予登记，不能以“已登记”状态导入")
	}
	if p.get(colSeals) != "" && !p.failed[colSeals] && !c.SealsMatch {
		p.fail(colSeals, "印章不一致的合同不予登记，不能以“已登记”状态导入")
	}
}

// dependsOn names the column a rule of another column compares against:
// when that one is already wrong, the comparison would only add noise.
var dependsOn = map[string]string{colIncome: colTurnover, colCosts: colTurnover, colSubType: colCategory, colBuyerUSCC: colSellerUSCC}

// validate runs the domain rules and, for a clean row, checks a given
// 技术交易额 against the recomputed one. Problems of columns that already
// failed are not repeated.
func (p *rowParser) validate(c *domain.Contract) {
	if err := c.Validate(); err != nil {
		var de *domain.Error
		if !errors.As(err, &de) {
			p.fail("", "%s", domain.ErrorMessage(err))
			return
		}
		for _, fe := range de.Fields {
			col := columnOf(fe.Field)
			if !p.failed[col] && !p.failed[dependsOn[col]] {
				p.fail(col, "%s", fe.Message)
			}
		}
		return
	}
	if v := p.get(colTech); v != "" && !p.failed[colCosts] && !p.failed[colTurnover] {
		if p.xlsx {
			v = excelNumber(v)
		}
		given, err := domain.ParseYuan(v)
		if err != nil {
			p.fail(colTech, "%s", domain.ErrorMessage(err))
		} else if given != c.TechTransactionFen {
			p.fail(colTech, "技术交易额应为 %s（合同成交额减去非技术性费用），填写的是 %s", domain.FormatYuanPlain(c.TechTransactionFen), domain.FormatYuanPlain(given))
		}
	}
}

// region is the regions table's row for code (nil when there is none).
func (l *Lookup) region(code string) *domain.Region {
	if r, ok := l.Regions[code]; ok {
		return &r
	}
	return nil
}
