package sheetio

import (
	"fmt"
	"sort"

	"kechuang/internal/domain"
)

// ImportOptions controls a record import.
type ImportOptions struct {
	Format   Format // "" picks by FileName, then by content
	FileName string
	SkipBad  bool // store the good rows and report the bad ones
	Submit   bool // file the records as submitted rather than as drafts
	MaxRows  int  // 0 = unlimited
}

// Report is the outcome of a record import (the API's JSON body): every
// bad row named, and what was stored.
type Report struct {
	Kind      string     `json:"kind"` // achievements, needs, …
	File      string     `json:"file"`
	SHA256    string     `json:"sha256"`
	OrgID     int64      `json:"org_id"` // whose records the file filed
	Submitted bool       `json:"submitted"`
	Rows      int        `json:"rows"`
	Imported  int        `json:"imported"`
	Skipped   int        `json:"skipped"`
	BadRows   int        `json:"bad_rows"`
	Failed    bool       `json:"failed"` // nothing was stored
	Errors    []RowError `json:"errors"`
	IDs       []int64    `json:"ids"` // the records stored, in file order
	Noun      string     `json:"-"`   // what Imported counts, e.g. "项成果"
}

// Take records a data row and its problems; it reports whether the row
// is good.
func (r *Report) Take(errs []RowError) bool {
	r.Rows++
	if len(errs) > 0 {
		r.Errors = append(r.Errors, errs...)
		r.Skipped++
		return false
	}
	return true
}

// Close orders the problems by row, counts the bad rows and, when failed,
// states that nothing was stored.
func (r *Report) Close(failed bool) {
	if r.Errors == nil {
		r.Errors = []RowError{}
	}
	if r.IDs == nil {
		r.IDs = []int64{}
	}
	sort.SliceStable(r.Errors, func(i, j int) bool { return r.Errors[i].Row < r.Errors[j].Row })
	seen := map[int]bool{}
	for _, e := range r.Errors {
		seen[e.Row] = true
	}
	r.BadRows = len(seen)
	if failed {
		r.Failed, r.Imported, r.Skipped, r.IDs = true, 0, 0, []int64{}
	}
}

// Lines renders the report for the command line, one problem a line.
func (r *Report) Lines() []string {
	out := make([]string, 0, len(r.Errors)+1)
	for _, e := range r.Errors {
		out = append(out, e.String())
	}
	switch {
	case r.Failed:
		out = append(out, fmt.Sprintf("导入失败：共 %d 行数据，%d 行有错误，未导入任何数据", r.Rows, r.BadRows))
	case r.Skipped > 0:
		out = append(out, fmt.Sprintf("已导入 %d %s，跳过 %d 行错误数据", r.Imported, r.Noun, r.Skipped))
	default:
		out = append(out, fmt.Sprintf("已导入 %d %s", r.Imported, r.Noun))
	}
	return out
}

// FailedError is the error returned with a failed report.
func (r *Report) FailedError() error {
	if r.BadRows == 0 {
		return domain.Errorf(domain.EINVALID, "导入失败：文件有错误，未导入任何数据")
	}
	return domain.Errorf(domain.EINVALID, "导入失败：%d 行有错误，未导入任何数据", r.BadRows)
}
