package contractio_test

import (
	"strings"
	"testing"

	"kechuang/internal/contractio"
)

// TestImportWarnsTermBeforeSigning: a row whose performance term starts
// before its signing date is imported, with a warning naming 起始日期 in the
// report (walkthrough #2: warned, not refused).
func TestImportWarnsTermBeforeSigning(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			rows := table(validRow(map[string]string{"起始日期": "2022-01-01"}), validRow(map[string]string{"登记号": "2022210100000008", "合同名称": "历史合同B"}))
			rep, err := fx.importAs(t, "registrar", contractio.CSV, toCSV(t, rows), false)
			if err != nil {
				t.Fatalf("%v %+v", err, rep.Errors)
			}
			if rep.Imported != 2 || len(rep.Warnings) != 1 || rep.Warnings[0].Row != 2 || rep.Warnings[0].Field != "起始日期" ||
				!strings.Contains(rep.Warnings[0].Message, "早于签订日期") {
				t.Fatalf("imported %d, warnings %+v", rep.Imported, rep.Warnings)
			}
		})
	}
}
