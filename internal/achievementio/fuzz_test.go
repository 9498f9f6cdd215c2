package achievementio

import (
	"io"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/sheetio/sheetiotest"
)

var codec = sheetiotest.Codec[domain.Achievement]{
	Decode: func(r io.Reader, f sheetio.Format, maxRows int, fn func(int, *domain.Achievement, []RowError) error) ([]RowError, error) {
		return Decode(r, f, testLookup, maxRows, fn)
	},
	Table:    func(xs []*domain.Achievement) *sheetio.Table { return Table(xs, testLookup) },
	Template: func(f sheetio.Format, w io.Writer) error { return Template(f, testLookup, w) },
	Valid:    func(x *domain.Achievement) error { return x.Validate(testLookup.ChainCodes, testLookup.Rules) },
}

// FuzzDecode: arbitrary bytes, as CSV or xlsx, never panic; every problem
// names a row (≥ 0) and says something; a row without problems passes the
// domain's validation. Run: go test ./internal/achievementio -fuzz FuzzDecode.
func FuzzDecode(f *testing.F) {
	codec.Seed(f, sample(),
		"成果名称,完成人,知识产权\n甲,\"王|||；|\",\"发明专利|；\"\n",
		"成果名称,团队份额（%）,赋权方式\n甲,100.5,\n")
	f.Fuzz(codec.Fuzz)
}
