package sheetio

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"
)

// xlsxUnzipLimit bounds the unpacked size of an uploaded workbook near the
// real need: a workbook of 200,000 contracts (the API's most) unpacks to about
// 200 MB. The probe's 1.5 MB file unpacking to 512 MiB held the writer for
// 90 s under the old 2 GiB limit.
const xlsxUnzipLimit = 256 << 20

// xlsxSharedStringsLimit bounds the shared-string table, which the reader
// holds in memory whole: 200,000 rows of distinct titles and names need
// well under it.
const xlsxSharedStringsLimit = 128 << 20

// checkUnzipSize refuses a workbook whose parts would unpack past the
// limits, from the zip directory alone, before anything is inflated. The
// sizes it reads are binding: archive/zip fails a part that inflates to
// more than its recorded size.
func checkUnzipSize(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return FileErrorf(0, "不是有效的 Excel（.xlsx）文件")
	}
	var total uint64
	for _, f := range zr.File {
		if strings.EqualFold(path.Base(f.Name), "sharedStrings.xml") && f.UncompressedSize64 > xlsxSharedStringsLimit {
			return FileErrorf(0, "Excel 文件的共享字符串表解压后超过 %d MB，请拆分后分批导入", xlsxSharedStringsLimit>>20)
		}
		if total += f.UncompressedSize64; total > xlsxUnzipLimit || total < f.UncompressedSize64 {
			return FileErrorf(0, "Excel 文件解压后超过 %d MB，请拆分后分批导入", xlsxUnzipLimit>>20)
		}
	}
	return nil
}
