package needio

import (
	"io"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/sheetio/sheetiotest"
)

var codec = sheetiotest.Codec[domain.Need]{
	Decode: func(r io.Reader, f sheetio.Format, maxRows int, fn func(int, *domain.Need, []RowError) error) ([]RowError, error) {
		return Decode(r, f, testLookup, maxRows, fn)
	},
	Table:    func(xs []*domain.Need) *sheetio.Table { return Table(xs, testLookup) },
	Template: func(f sheetio.Format, w io.Writer) error { return Template(f, testLookup, w) },
	Valid:    func(x *domain.Need) error { return x.Validate(testLookup.ChainCodes, testLookup.Today) },
}

// FuzzDecode: arbitrary bytes, as CSV or xlsx, never panic; every problem
// names a row (≥ 0) and says something; a row without problems passes the
// domain's validation. Run: go test ./internal/needio -fuzz FuzzDecode.
func FuzzDecode(f *testing.F) {
	codec.Seed(f, sample(),
		"需求名称,目标指标,截止日期\n甲,\"强度|||；|\",2022-02-30\n",
		"需求名称,最低预算（元）,最高预算（元）\n甲,5,1e3\n")
	f.Fuzz(codec.Fuzz)
}
