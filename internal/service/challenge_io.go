package service

import (
	"context"
	"io"

	"kechuang/internal/challengeio"
	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/store"
)

// The challenge module's import and export (record_io.go is the shape).
// A row is a 榜单's own fields; the answers, the agreement and its
// milestones are not in the file.

// ioLookup reads what the codec needs of the city.
func (s *Challenges) ioLookup(ctx context.Context) (*challengeio.Lookup, error) {
	all, codes, err := s.cityChains(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.Rules(ctx)
	return &challengeio.Lookup{Chains: all, ChainCodes: codes, Today: s.today(), Rules: r}, err
}

func (s *Challenges) io() recordCodec[domain.Challenge, *challengeio.Lookup] {
	return recordCodec[domain.Challenge, *challengeio.Lookup]{lookup: s.ioLookup, codec: challengeio.Codec}
}

// challengePublisher is who publishes the 榜单 of an organisation's kind.
var challengePublisher = map[domain.OrgKind]string{domain.OrgEnterprise: "enterprise", domain.OrgBureau: "bureau"}

// Import builds the 榜单 of a file for an organisation: the importer's own
// (an enterprise, or the bureau), or the one an administrator names
// (orgID; 0 for the importer's own). Each is a draft (建榜), or, with
// opt.Submit, submitted for 定榜 (its own organisation's user only)
// through the workflow. A source need (来源需求编号) must be one the
// importer may build from, as in the form. Nothing is stored from a file
// with a bad row unless opt.SkipBad; the report names every problem.
func (s *Challenges) Import(ctx context.Context, a *domain.Actor, orgID int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Challenges.CanImport(a) {
		return nil, forbidden("导入揭榜挂帅榜单")
	}
	owner, err := importOwner(ctx, s.core, a, orgID, opt.Submit, "揭榜挂帅榜单", domain.OrgEnterprise, domain.OrgBureau)
	if err != nil {
		return nil, err
	}
	l, err := s.ioLookup(ctx)
	if err != nil {
		return nil, err
	}
	codec := challengeio.Codec(l)
	action, err := importAction(domain.ChallengeFlow, a, opt.Submit, "submit", &domain.Challenge{Status: domain.ChallengeDraft, OwnerOrgID: owner.ID})
	if err != nil {
		return nil, err
	}
	return importRecords(ctx, s.core, a, owner.ID, r, opt, recordImport[domain.Challenge]{
		kind: "challenge", plural: "challenges", noun: "项榜单",
		decode: func(r io.Reader, format sheetio.Format, maxRows int, fn func(int, *domain.Challenge, []sheetio.RowError) error) ([]sheetio.RowError, error) {
			return challengeio.Decode(r, format, l, maxRows, fn)
		},
		check: func(row int, x *domain.Challenge) []sheetio.RowError {
			if err := cleanChallenge(x); err != nil {
				return codec.RowErrors(row, err)
			}
			if err := x.Validate(l.ChainCodes, l.Today, l.Rules); err != nil {
				return codec.RowErrors(row, err)
			}
			x.OwnerOrgID = owner.ID
			if err := checkNeed(ctx, s.store.Q, a, x); err != nil {
				return codec.RowErrors(row, err)
			}
			return nil
		},
		insert: func(ctx context.Context, q *store.Q, in *domain.Challenge) (int64, error) {
			x := &domain.Challenge{Status: domain.ChallengeDraft, OwnerOrgID: owner.ID, OwnerName: owner.Name,
				Publisher: challengePublisher[owner.Kind], CreatedBy: a.UserID}
			applyChallenge(x, in)
			return importDraft(ctx, q, s.core, challengeKind, a, x, func(ctx context.Context, x *domain.Challenge) error {
				return q.InsertChallenge(ctx, x)
			}, action, func(x *domain.Challenge) { x.Status, x.ReturnReason = domain.ChallengeSubmitted, "" })
		},
	})
}

// Export writes the challenges the actor may list (ListScope) that match
// the list's filters f (status, chain, year, owner, query, mine), every
// page, as format, to w; it returns how many. The project (agreement,
// milestones) is not exported.
func (s *Challenges) Export(ctx context.Context, a *domain.Actor, f domain.ChallengeFilter, format sheetio.Format, w io.Writer) (int, error) {
	f.PerPage, f.Sort = exportPageSize, "id"
	return exportList(a, domain.Challenges.CanExport, "导出揭榜挂帅榜单", func(p int) ([]*domain.Challenge, int, error) {
		f.Page = p
		return s.List(ctx, a, f)
	}, func(xs []*domain.Challenge) error { return s.io().write(ctx, xs, format, w) })
}

// Template writes the import template (header, an example row and, in
// xlsx, the notes of every column); anyone may download it.
func (s *Challenges) Template(ctx context.Context, format sheetio.Format, w io.Writer) error {
	return s.io().template(ctx, format, w)
}

// ImportColumns lists the importable columns for the import page.
func (s *Challenges) ImportColumns(ctx context.Context) ([]sheetio.ColumnNote, error) {
	return s.io().columns(ctx)
}
