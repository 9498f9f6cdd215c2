package service

import (
	"context"
	"io"

	"kechuang/internal/domain"
	"kechuang/internal/needio"
	"kechuang/internal/sheetio"
	"kechuang/internal/store"
)

// The need module's import and export (record_io.go is the shape).

// ioLookup reads what the codec needs of the city.
func (s *Needs) ioLookup(ctx context.Context) (*needio.Lookup, error) {
	all, err := s.store.Chains(ctx)
	if err != nil {
		return nil, err
	}
	codes, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	return &needio.Lookup{Chains: all, ChainCodes: codes, Today: s.today()}, nil
}

// Import posts the needs of a file for an enterprise: the importer's own,
// or the one an administrator names (orgID; 0 for the importer's own).
// Each is a draft, or, with opt.Submit, submitted for the bureau's check
// (its own enterprise's poster only) through the workflow. Nothing is
// stored from a file with a bad row unless opt.SkipBad; the report names
// every problem.
func (s *Needs) Import(ctx context.Context, a *domain.Actor, orgID int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Needs.CanImport(a) {
		return nil, forbidden("导入技术需求")
	}
	owner, err := importOwner(ctx, s.core, a, orgID, opt.Submit, "技术需求", domain.OrgEnterprise)
	if err != nil {
		return nil, err
	}
	l, err := s.ioLookup(ctx)
	if err != nil {
		return nil, err
	}
	codec := needio.Codec(l)
	return importRecords(ctx, s.core, a, owner.ID, r, opt, recordImport[domain.Need]{
		kind: "need", plural: "needs", noun: "项需求",
		decode: func(r io.Reader, format sheetio.Format, maxRows int, fn func(int, *domain.Need, []sheetio.RowError) error) ([]sheetio.RowError, error) {
			return needio.Decode(r, format, l, maxRows, fn)
		},
		check: func(row int, x *domain.Need) []sheetio.RowError {
			if err := cleanNeed(x); err != nil {
				return codec.RowErrors(row, err)
			}
			if err := x.Validate(l.ChainCodes, l.Today); err != nil {
				return codec.RowErrors(row, err)
			}
			return nil
		},
		insert: func(ctx context.Context, q *store.Q, in *domain.Need) (int64, error) {
			x := &domain.Need{Status: domain.NeedDraft, OwnerOrgID: owner.ID, OwnerName: owner.Name, CreatedBy: a.UserID}
			applyNeed(x, in)
			if err := q.InsertNeed(ctx, x); err != nil {
				return 0, err
			}
			if err := addEvent(ctx, q, a, "need", x.ID, "create", string(x.Status), string(x.Status), step{Comment: "批量导入"}); err != nil {
				return 0, err
			}
			if opt.Submit {
				_, err := mutateIn(ctx, q, s.core, needKind, a, x.ID, x.Version, "submit", func(q *store.Q, x *domain.Need) (step, error) {
					x.Status = domain.NeedSubmitted
					return step{Comment: "批量导入"}, nil
				})
				if err != nil {
					return 0, err
				}
			}
			return x.ID, nil
		},
	})
}

// Export writes the needs the actor may list (ListScope) that match the
// list's filters f (status, state, chain, owner, stage, budget, query),
// every page, and, when year is not 0, published in that year, as format,
// to w; it returns how many. The contact is what the actor may read.
func (s *Needs) Export(ctx context.Context, a *domain.Actor, f domain.NeedFilter, year int, format sheetio.Format, w io.Writer) (int, error) {
	if !domain.Needs.CanExport(a) {
		if err := requireLogin(a); err != nil {
			return 0, err
		}
		return 0, forbidden("导出技术需求")
	}
	if year < 0 || year > 9999 {
		return 0, domain.FieldErrorf("year", "年份无效")
	}
	f.PerPage, f.Sort = exportPageSize, "id"
	xs, err := exportPages(exportLimit, func(p int) ([]*domain.Need, int, error) {
		f.Page = p
		return s.List(ctx, a, f)
	})
	if err != nil {
		return 0, err
	}
	if year != 0 {
		kept := xs[:0]
		for _, x := range xs {
			if y, ok := yearOf(x.PublishedOn); ok && y == year {
				kept = append(kept, x)
			}
		}
		xs = kept
	}
	l, err := s.ioLookup(ctx)
	if err != nil {
		return 0, err
	}
	return len(xs), needio.Table(xs, l).Write(format, w)
}

// yearOf is the year of a YYYY-MM-DD date.
func yearOf(day string) (int, bool) {
	t, err := domain.ParseDate(day)
	if err != nil {
		return 0, false
	}
	return t.Year(), true
}

// Template writes the import template (header, an example row and, in
// xlsx, the notes of every column); anyone may download it.
func (s *Needs) Template(ctx context.Context, format sheetio.Format, w io.Writer) error {
	l, err := s.ioLookup(ctx)
	if err != nil {
		return err
	}
	return needio.Template(format, l, w)
}

// ImportColumns lists the importable columns for the import page.
func (s *Needs) ImportColumns(ctx context.Context) ([]sheetio.ColumnNote, error) {
	l, err := s.ioLookup(ctx)
	if err != nil {
		return nil, err
	}
	return needio.Columns(l), nil
}
