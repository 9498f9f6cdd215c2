package service

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path/filepath"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/store"
)

// The import and export of a record registry (achievements, needs, and
// the modules after them) in one shape: the module's codec (a
// sheetio.Codec column table) decodes and validates outside any
// transaction; the service cleans each record as its own form would, and
// stores the good rows in one transaction with one audit row; nothing is
// stored from a file with a bad row unless opt.SkipBad. A module supplies
// a recordImport and calls importRecords.

// recordImport is one registry's part of an import.
type recordImport[T any] struct {
	kind   string // the report's kind and the audit entity's prefix: "achievement" (audit "achievement.import", entity "achievement_import")
	plural string // the report's kind: "achievements"
	noun   string // what the command line counts: "项成果"
	// decode runs the module's codec.
	decode func(r io.Reader, format sheetio.Format, maxRows int, fn func(row int, x *T, errs []sheetio.RowError) error) ([]sheetio.RowError, error)
	// check cleans a decoded record as the module's form does, returning
	// the row's problems.
	check func(row int, x *T) []sheetio.RowError
	// insert stores one good record (its history and, when asked, its
	// submission) in the import's transaction and returns its id.
	insert func(ctx context.Context, q *store.Q, x *T) (int64, error)
}

// importSummary of a record import is the audit row's after.
type recordImportSummary struct {
	File      string         `json:"file"`
	SHA256    string         `json:"sha256"`
	Format    sheetio.Format `json:"format"`
	OrgID     int64          `json:"org_id"`
	Rows      int            `json:"rows"`
	Imported  int            `json:"imported"`
	Skipped   int            `json:"skipped"`
	SkipBad   bool           `json:"skip_bad"`
	Submitted bool           `json:"submitted"`
}

// importRecords reads the file r and stores its good records for orgID;
// the report names every problem. The error is non-nil when nothing was
// stored.
func importRecords[T any](ctx context.Context, c *core, a *domain.Actor, orgID int64, r io.Reader, opt sheetio.ImportOptions, ri recordImport[T]) (*sheetio.Report, error) {
	h := sha256.New()
	br := bufio.NewReader(io.TeeReader(r, h))
	head, _ := br.Peek(8)
	format, err := sheetio.FormatOf(string(opt.Format), opt.FileName, head)
	if err != nil {
		return nil, err
	}
	rep := &sheetio.Report{Kind: ri.plural, File: filepath.Base(opt.FileName), OrgID: orgID, Submitted: opt.Submit, Noun: ri.noun}
	var good []*T
	fileErrs, err := ri.decode(br, format, opt.MaxRows, func(row int, x *T, errs []sheetio.RowError) error {
		if len(errs) == 0 {
			errs = ri.check(row, x)
		}
		if rep.Take(errs) {
			good = append(good, x)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, br) // hash the whole file even past a fatal error
	rep.SHA256 = hex.EncodeToString(h.Sum(nil))
	rep.Errors = append(fileErrs, rep.Errors...)
	if len(fileErrs) > 0 || !opt.SkipBad && len(rep.Errors) > 0 {
		rep.Close(true)
		return rep, rep.FailedError()
	}
	err = c.store.InTx(ctx, func(q *store.Q) error {
		ids := make([]int64, 0, len(good))
		for _, x := range good {
			id, err := ri.insert(ctx, q, x)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		rep.IDs, rep.Imported = ids, len(ids)
		return q.Audit(ctx, a, ri.kind+".import", ri.kind+"_import", rep.SHA256, nil,
			recordImportSummary{rep.File, rep.SHA256, format, orgID, rep.Rows, rep.Imported, rep.Skipped, opt.SkipBad, opt.Submit})
	})
	if err != nil {
		return nil, err
	}
	rep.Close(false)
	return rep, nil
}

// importOwner is the organisation an import files for: the importer's own
// (a filer may import for no other), or, for an administrator, the one
// named. kinds are the organisation kinds that own the module's records.
func importOwner(ctx context.Context, c *core, a *domain.Actor, orgID int64, submit bool, what string, kinds ...domain.OrgKind) (*domain.Org, error) {
	switch {
	case orgID == 0 && a.OrgID == 0:
		return nil, domain.FieldErrorf("org_id", "请指定导入%s所属的单位（--org 或 org_id）", what)
	case orgID == 0:
		orgID = a.OrgID
	case orgID != a.OrgID && !ImportsForOthers(a):
		return nil, domain.Errorf(domain.EFORBIDDEN, "只能为本单位导入%s", what)
	}
	if submit && orgID != a.OrgID {
		return nil, domain.FieldErrorf("submit", "为其他单位导入时只能导入草稿，由该单位核对后提交")
	}
	o, err := c.store.FindOrgByID(ctx, orgID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, domain.FieldErrorf("org_id", "单位 %d 不存在", orgID)
	} else if err != nil {
		return nil, err
	}
	for _, k := range kinds {
		if o.Kind == k {
			return o, nil
		}
	}
	return nil, domain.FieldErrorf("org_id", "%s不能导入%s（该单位为%s）", o.Name, what, domain.Msg(o.Kind.Label()))
}

// ImportsForOthers reports whether a may import records for another
// organisation than its own (the administrator, naming it; as drafts).
func ImportsForOthers(a *domain.Actor) bool { return a.Is(domain.RoleAdmin) }

// exportPages reads every record a list use case returns, a page at a
// time, up to limit records.
func exportPages[T any](limit int, page func(p int) ([]*T, int, error)) ([]*T, error) {
	var out []*T
	for p := 1; ; p++ {
		xs, _, err := page(p)
		if err != nil {
			return nil, err
		}
		out = append(out, xs...)
		if len(out) > limit {
			return nil, domain.Errorf(domain.ETOOLARGE, "导出超过 %d 条，请用筛选条件缩小范围", limit)
		}
		if len(xs) < exportPageSize {
			return out, nil
		}
	}
}

// exportPageSize is the page a record export reads at a time (the lists'
// largest page); exportLimit the most records one export writes.
const (
	exportPageSize = 200
	exportLimit    = 50_000 // held in memory: a few kB a record
)
