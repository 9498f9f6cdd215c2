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

// importStep is the comment of the history steps an import writes.
const importStep = "批量导入"

// importDraft stores an imported draft x through insert with its create
// step and, when action is not "", takes that workflow step (submit,
// publish) through mutateIn, apply moving its status; it returns the id.
func importDraft[S ~string, T any](ctx context.Context, q *store.Q, c *core, k *entityKind[S, T], a *domain.Actor, x T,
	insert func(ctx context.Context, x T) error, action string, apply func(x T)) (int64, error) {
	if err := insert(ctx, x); err != nil {
		return 0, err
	}
	id, st := k.id(x), string(k.flow.Status(x))
	if err := addEvent(ctx, q, a, k.name, id, "create", st, st, step{Comment: importStep}); err != nil {
		return 0, err
	}
	if action != "" {
		_, err := mutateIn(ctx, q, c, k, a, id, k.version(x), action, func(q *store.Q, x T) (step, error) {
			apply(x)
			return step{Comment: importStep}, nil
		})
		if err != nil {
			return 0, err
		}
	}
	return id, nil
}

// exportList is a record export: refused unless can(a) (what names it),
// every page of the module's List (so it is ListScope-scoped), handed to
// write; it returns how many.
func exportList[T any](a *domain.Actor, can func(*domain.Actor) bool, what string, page func(p int) ([]*T, int, error), write func(xs []*T) error) (int, error) {
	if !can(a) {
		if err := requireLogin(a); err != nil {
			return 0, err
		}
		return 0, forbidden(what)
	}
	xs, err := exportPages(exportLimit, page)
	if err != nil {
		return 0, err
	}
	return len(xs), write(xs)
}

// importAction is the workflow step an import takes when submit is set
// ("" when not), refused up front (nothing read) when a may not take it on
// draft, a draft of the importing owner's.
func importAction[S ~string, T any](flow *domain.Flow[S, T], a *domain.Actor, submit bool, action string, draft T) (string, error) {
	if !submit {
		return "", nil
	}
	if !flow.Can(action, a, draft) {
		return "", domain.FieldErrorf("submit", "您不能直接提交导入的记录，请只导入草稿")
	}
	return action, nil
}

// recordCodec is a registry's codec bound to the city: lookup reads what
// the codec needs afresh on each use (the chains, today, the rules).
type recordCodec[T, L any] struct {
	lookup func(ctx context.Context) (L, error)
	codec  func(l L) *sheetio.Codec[T]
}

// template writes the import template (header, an example row and, in
// xlsx, the notes of every column).
func (rc recordCodec[T, L]) template(ctx context.Context, format sheetio.Format, w io.Writer) error {
	l, err := rc.lookup(ctx)
	if err != nil {
		return err
	}
	return rc.codec(l).WriteTemplateFile(format, w)
}

// columns lists the importable columns for the import page.
func (rc recordCodec[T, L]) columns(ctx context.Context) ([]sheetio.ColumnNote, error) {
	l, err := rc.lookup(ctx)
	if err != nil {
		return nil, err
	}
	return sheetio.NotesOf(rc.codec(l)), nil
}

// write writes the records as format (the export).
func (rc recordCodec[T, L]) write(ctx context.Context, xs []*T, format sheetio.Format, w io.Writer) error {
	l, err := rc.lookup(ctx)
	if err != nil {
		return err
	}
	return rc.codec(l).Table(xs).Write(format, w)
}

// cityChains are every chain of the city (a cell may name any) and the
// codes of those offered for new records.
func (c *core) cityChains(ctx context.Context) ([]domain.Chain, []string, error) {
	all, err := c.store.Chains(ctx)
	if err != nil {
		return nil, nil, err
	}
	codes, err := c.chainCodes(ctx)
	return all, codes, err
}
