package service

import (
	"context"
	"io"

	"kechuang/internal/achievementio"
	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/store"
)

// The achievement module's import and export (record_io.go is the shape).

// ioLookup reads what the codec needs of the city.
func (s *Achievements) ioLookup(ctx context.Context) (*achievementio.Lookup, error) {
	all, err := s.store.Chains(ctx)
	if err != nil {
		return nil, err
	}
	codes, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	return &achievementio.Lookup{Chains: all, ChainCodes: codes, Rules: r}, nil
}

// Import files the achievements of a file for an organisation: the
// importer's own (a university's or institute's officer), or the one an
// administrator names (orgID; 0 for the importer's own). Each is a draft,
// or, with opt.Submit, submitted for 备案 (its own unit's officer only)
// through the workflow. Nothing is stored from a file with a bad row
// unless opt.SkipBad; the report names every problem.
func (s *Achievements) Import(ctx context.Context, a *domain.Actor, orgID int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Achievements.CanImport(a) {
		return nil, forbidden("导入科技成果")
	}
	owner, err := importOwner(ctx, s.core, a, orgID, opt.Submit, "科技成果", domain.OrgUniversity, domain.OrgInstitute)
	if err != nil {
		return nil, err
	}
	l, err := s.ioLookup(ctx)
	if err != nil {
		return nil, err
	}
	codec := achievementio.Codec(l)
	return importRecords(ctx, s.core, a, owner.ID, r, opt, recordImport[domain.Achievement]{
		kind: "achievement", plural: "achievements", noun: "项成果",
		decode: func(r io.Reader, format sheetio.Format, maxRows int, fn func(int, *domain.Achievement, []sheetio.RowError) error) ([]sheetio.RowError, error) {
			return achievementio.Decode(r, format, l, maxRows, fn)
		},
		check: func(row int, x *domain.Achievement) []sheetio.RowError {
			if err := cleanAchievement(x); err != nil {
				return codec.RowErrors(row, err)
			}
			if err := x.Validate(l.ChainCodes, l.Rules); err != nil {
				return codec.RowErrors(row, err)
			}
			return nil
		},
		insert: func(ctx context.Context, q *store.Q, in *domain.Achievement) (int64, error) {
			x := &domain.Achievement{Status: domain.AchievementDraft, OwnerOrgID: owner.ID, OwnerName: owner.Name, CreatedBy: a.UserID}
			applyAchievement(x, in)
			if err := q.InsertAchievement(ctx, x); err != nil {
				return 0, err
			}
			if err := addEvent(ctx, q, a, "achievement", x.ID, "create", string(x.Status), string(x.Status), step{Comment: "批量导入"}); err != nil {
				return 0, err
			}
			if opt.Submit {
				_, err := mutateIn(ctx, q, s.core, achievementKind, a, x.ID, x.Version, "submit", func(q *store.Q, x *domain.Achievement) (step, error) {
					x.Status = domain.AchievementSubmitted
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

// Export writes the achievements the actor may list (ListScope) that
// match the list's filters f (status, year, chain, owner, stage, TRL,
// query), every page, as format, to w; it returns how many.
func (s *Achievements) Export(ctx context.Context, a *domain.Actor, f domain.AchievementFilter, format sheetio.Format, w io.Writer) (int, error) {
	if !domain.Achievements.CanExport(a) {
		if err := requireLogin(a); err != nil {
			return 0, err
		}
		return 0, forbidden("导出科技成果")
	}
	f.PerPage, f.Sort = exportPageSize, "id"
	xs, err := exportPages(exportLimit, func(p int) ([]*domain.Achievement, int, error) {
		f.Page = p
		return s.List(ctx, a, f)
	})
	if err != nil {
		return 0, err
	}
	l, err := s.ioLookup(ctx)
	if err != nil {
		return 0, err
	}
	return len(xs), achievementio.Table(xs, l).Write(format, w)
}

// Template writes the import template (header, an example row and, in
// xlsx, the notes of every column); anyone may download it.
func (s *Achievements) Template(ctx context.Context, format sheetio.Format, w io.Writer) error {
	l, err := s.ioLookup(ctx)
	if err != nil {
		return err
	}
	return achievementio.Template(format, l, w)
}

// ImportColumns lists the importable columns for the import page.
func (s *Achievements) ImportColumns(ctx context.Context) ([]sheetio.ColumnNote, error) {
	l, err := s.ioLookup(ctx)
	if err != nil {
		return nil, err
	}
	return achievementio.Columns(l), nil
}
