package contractio

import (
	"context"
	"encoding/csv"
	"io"
	"math"
	"time"

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
func Export(ctx context.Context, svc *service.Service, a *domain.Actor, f domain.ContractFilter, format Format, w io.Writer) (int, error) {
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
	orgs, _, err := st.FindOrgs(ctx, domain.OrgFilter{Limit: math.MaxInt32})
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
		domain.TechFieldLabel(c.Field), chain, domain.FormatYuanPlain(c.TurnoverFen), FormatCostItems(c.CostItems),
		domain.FormatYuanPlain(c.TechTransactionFen), domain.FormatYuanPlain(c.TechIncomeFen), c.Status.Label(), c.RegisteredOn}
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
