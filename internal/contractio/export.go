package contractio

import (
	"io"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// maxXLSXRows is what one worksheet holds below its header row.
const maxXLSXRows = excelize.TotalRows - 1

// Exporter writes contracts as rows of a CSV or xlsx file.
type Exporter struct {
	rec  *recorder
	sw   sheetWriter
	n    int
	xlsx bool
}

// NewExporter starts a file on w with its header row. orgUSCC names the
// credit code of each organisation (for the broker column) and chains the
// name of each chain code.
func NewExporter(format Format, w io.Writer, orgUSCC map[int64]string, chains map[string]string) (*Exporter, error) {
	sw, err := newSheetWriter(format, w)
	if err != nil {
		return nil, err
	}
	if err := sw.Write(Headers()); err != nil {
		return nil, err
	}
	return &Exporter{rec: &recorder{orgUSCC: orgUSCC, chains: chains}, sw: sw, xlsx: format == XLSX}, nil
}

// Write adds one contract.
func (e *Exporter) Write(c *domain.Contract) error {
	if e.n++; e.xlsx && e.n > maxXLSXRows {
		return domain.Errorf(domain.ETOOLARGE, "超过 Excel 单个工作表的行数上限（%d 行），请改用 CSV 或按年份分批导出", maxXLSXRows)
	}
	return e.sw.Write(e.rec.record(c))
}

// Close completes the file and returns the number of contracts written.
func (e *Exporter) Close() (int, error) { return e.n, e.sw.Close() }

// Abort releases the file without completing it.
func (e *Exporter) Abort() { e.sw.Abort() }

// recorder turns a contract into its row.
type recorder struct {
	orgUSCC map[int64]string
	chains  map[string]string
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
	// The registrar's figure: 技术性收入 (2000 regime, imports) or, under
	// a regime whose registrar fixes the 技术交易额, that figure apart.
	income, approved, regime := domain.FormatYuanPlain(c.TechIncomeFen), "", ""
	if g, ok := domain.RegimeByCode(c.Regime); ok {
		regime = g.Label
		if g.Approved == domain.ApprovedTransaction {
			income = ""
			if c.RegisteredOn != "" {
				approved = domain.FormatYuanPlain(c.RegisteredTechFen())
			}
		}
	}
	return []string{c.RegNo, c.Title, c.ContractNo,
		c.Seller.Name, c.Seller.USCC, c.Seller.RegionCode, c.Seller.Type.Label(),
		c.Buyer.Name, c.Buyer.USCC, c.Buyer.RegionCode, c.Buyer.Type.Label(),
		r.orgUSCC[c.BrokerID], c.SignedOn, c.TermStart, c.TermEnd,
		domain.CategoryLabel(c.Category), domain.SubTypeLabel(c.SubType), form, seals,
		domain.TechFieldLabel(c.Field), chain, domain.FormatYuanPlain(c.TurnoverFen), FormatCostItems(c.CostItems),
		domain.FormatYuanPlain(c.TechTransactionFen), income, c.Status.Label(), c.RegisteredOn, regime, approved}
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

func newCSVWriter(w io.Writer) (*sheetio.CSVWriter, error) { return sheetio.NewCSVWriter(w) }
