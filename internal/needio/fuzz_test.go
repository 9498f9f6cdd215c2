package needio

import (
	"bytes"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// FuzzDecode: arbitrary bytes, as CSV or xlsx, never panic; every problem
// names a row (≥ 0) and says something; a row without problems passes the
// domain's validation. Run: go test ./internal/needio -fuzz FuzzDecode.
func FuzzDecode(f *testing.F) {
	for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
		var b bytes.Buffer
		Table(sample(), testLookup).Write(format, &b)
		f.Add(b.Bytes(), format == sheetio.XLSX)
		b.Reset()
		Template(format, testLookup, &b)
		f.Add(b.Bytes(), format == sheetio.XLSX)
	}
	f.Add([]byte("需求名称,目标指标,截止日期\n甲,\"强度|||；|\",2022-02-30\n"), false)
	f.Add([]byte("需求名称,最低预算（元）,最高预算（元）\n甲,5,1e3\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		format := sheetio.CSV
		if xlsx {
			format = sheetio.XLSX
		}
		fileErrs, err := Decode(bytes.NewReader(data), format, testLookup, 100, func(row int, x *domain.Need, errs []RowError) error {
			for _, e := range errs {
				if e.Row != row || e.Message == "" {
					t.Fatalf("row %d: problem %+v", row, e)
				}
			}
			if len(errs) == 0 {
				if err := x.Validate(testLookup.ChainCodes, testLookup.Today); err != nil {
					t.Fatalf("row %d passed but %v", row, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		for _, e := range fileErrs {
			if e.Row < 0 || e.Message == "" {
				t.Fatalf("file problem %+v", e)
			}
		}
	})
}
