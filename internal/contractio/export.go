package contractio

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// maxXLSXRows is what one worksheet holds below its header row.
const maxXLSXRows = excelize.TotalRows - 1

// Export writes the contracts the actor may see that match f — scoped
// exactly like the list (service.Scope) — to w, streaming from the
// database so memory stays flat. It returns the number of contracts.
func Export(ctx context.Context, svc *service.Service, a *domain.Actor, f store.ContractFilter, format Format, w io.Writer) (int, error) {
	scope, err := service.Scope(a)
	if err != nil {
		return 0, err
	}
	f.Scope = scope
	if f.Overdue {
		f.OverdueBefore = svc.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -domain.ProcessingDays).Format(time.DateOnly)
	}
	rec, err := newRecorder(ctx, svc.Store)
	if err != nil {
		return 0, err
	}
	sw, err := newSheetWriter(format, w)
	if err != nil {
		return 0, err
	}
	if err := sw.Write(Headers()); err != nil {
		return 0, err
	}
	n := 0
	err = svc.Store.EachContract(ctx, f, func(c *domain.Contract) error {
		if n++; format == XLSX && n > maxXLSXRows {
			return domain.Errorf(domain.ETOOLARGE, "超过 Excel 单个工作表的行数上限（%d 行），请改用 CSV 或按年份分批导出", maxXLSXRows)
		}
		return sw.Write(rec.record(c))
	})
	if err != nil {
		sw.Abort()
		return 0, err
	}
	return n, sw.Close()
}

// recorder turns a contract into its row.
type recorder struct {
	orgUSCC map[int64]string
	chains  map[string]string
}

func newRecorder(ctx context.Context, st *store.Store) (*recorder, error) {
	r := &recorder{orgUSCC: map[int64]string{}, chains: map[string]string{}}
	orgs, _, err := st.FindOrgs(ctx, store.OrgFilter{Limit: math.MaxInt32})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		r.orgUSCC[o.ID] = o.USCC
	}
	chains, err := st.Chains(ctx)
	if err != nil {
		return nil, err
	}
	for _, ch := range chains {
		r.chains[ch.Code] = ch.Name
	}
	return r, nil
}

func (r *recorder) record(c *domain.Contract) []string {
	form, seals := "书面", "是"
	if c.Form == "oral" {
		form = "口头"
	}
	if !c.SealsMatch {
		seals = "否"
	}
	chain := c.ChainCode
	if name, ok := r.chains[chain]; ok {
		chain = name
	}
	return []string{c.RegNo, c.Title, c.ContractNo,
		c.Seller.Name, c.Seller.USCC, c.Seller.RegionCode, c.Seller.Type.Label(),
		c.Buyer.Name, c.Buyer.USCC, c.Buyer.RegionCode, c.Buyer.Type.Label(),
		r.orgUSCC[c.BrokerID], c.SignedOn, c.TermStart, c.TermEnd,
		domain.CategoryLabel(c.Category), domain.SubTypeLabel(c.SubType), form, seals,
		domain.TechFieldLabel(c.Field), chain, FormatYuan(c.TurnoverFen), FormatCostItems(c.CostItems),
		FormatYuan(c.TechTransactionFen), FormatYuan(c.TechIncomeFen), c.Status.Label(), c.RegisteredOn}
}

// sheetWriter writes rows of cells as CSV or xlsx.
type sheetWriter interface {
	Write(cells []string) error
	Close() error // completes the file
	Abort()       // releases resources without completing
}

func newSheetWriter(format Format, w io.Writer) (sheetWriter, error) {
	if format == XLSX {
		return newXLSXWriter(w)
	}
	return newCSVWriter(w)
}

// csvWriter writes UTF-8 with a BOM (so Excel opens Chinese text correctly)
// and CRLF line ends; cells Excel would run as formulas are escaped.
type csvWriter struct {
	w   *csv.Writer
	buf []string
}

func newCSVWriter(w io.Writer) (*csvWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvWriter{w: cw}, nil
}

func (c *csvWriter) Write(cells []string) error {
	c.buf = c.buf[:0]
	for _, s := range cells {
		c.buf = append(c.buf, escapeCSV(s))
	}
	return c.w.Write(c.buf)
}

func (c *csvWriter) Close() error { c.w.Flush(); return c.w.Error() }
func (c *csvWriter) Abort()       { c.w.Flush() }

// xlsxWriter streams rows into a worksheet (excelize keeps them in a temp
// file past a few MB) and writes the workbook on Close. Every cell is text,
// so numbers such as 登记号 and amounts keep their exact digits.
type xlsxWriter struct {
	w   io.Writer
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
	buf []any
}

func newXLSXWriter(w io.Writer) (*xlsxWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		f.Close()
		return nil, err
	}
	for i, c := range Columns {
		width := 14.0
		switch c.Header {
		case colTitle, colSellerName, colBuyerName, colCosts:
			width = 30
		case colRegNo, colSellerUSCC, colBuyerUSCC, colBroker:
			width = 22
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxWriter{w: w, f: f, sw: sw}, nil
}

func (x *xlsxWriter) Write(cells []string) error {
	x.row++
	x.buf = x.buf[:0]
	for _, s := range cells {
		if utf8.RuneCountInString(s) > excelize.TotalCellChars {
			return domain.Errorf(domain.ETOOLARGE, "第 %d 行有超过 Excel 单元格上限（%d 字）的内容，请改用 CSV 导出", x.row, excelize.TotalCellChars)
		}
		x.buf = append(x.buf, s)
	}
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	return x.sw.SetRow(cell, x.buf)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if err := x.f.Write(x.w); err != nil {
		return fmt.Errorf("contractio: write xlsx: %w", err)
	}
	return nil
}

func (x *xlsxWriter) Abort() { x.f.Close() }
