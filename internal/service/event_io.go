package service

import (
	"context"
	"io"

	"kechuang/internal/domain"
	"kechuang/internal/eventio"
	"kechuang/internal/sheetio"
	"kechuang/internal/store"
)

// The event module's import and export (record_io.go is the shape). A row
// is an event's own fields; registrations, pitches, intentions and service
// records are not in the file (the export gives their counts).

// ioLookup reads what the codec needs of the city.
func (s *TechEvents) ioLookup(ctx context.Context) (*eventio.Lookup, error) {
	all, codes, err := s.cityChains(ctx)
	return &eventio.Lookup{Chains: all, ChainCodes: codes, Today: s.today()}, err
}

func (s *TechEvents) io() recordCodec[domain.TechEvent, *eventio.Lookup] {
	return recordCodec[domain.TechEvent, *eventio.Lookup]{lookup: s.ioLookup, codec: eventio.Codec}
}

// eventOrganisers are the organisation kinds that organise events.
var eventOrganisers = []domain.OrgKind{domain.OrgBureau, domain.OrgAgency, domain.OrgUniversity, domain.OrgInstitute, domain.OrgPilotBase}

// Import creates the events of a file organised by an organisation: the
// importer's own, or the one an administrator names (orgID; 0 for the
// importer's own). Each is a draft, or, with opt.Submit, published
// (registration opens; its own organisation's user only, and no event
// before today) through the workflow. Nothing is stored from a file with a
// bad row unless opt.SkipBad; the report names every problem.
func (s *TechEvents) Import(ctx context.Context, a *domain.Actor, orgID int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.TechEvents.CanImport(a) {
		return nil, forbidden("导入路演/对接活动")
	}
	owner, err := importOwner(ctx, s.core, a, orgID, opt.Submit, "路演/对接活动", eventOrganisers...)
	if err != nil {
		return nil, err
	}
	l, err := s.ioLookup(ctx)
	if err != nil {
		return nil, err
	}
	codec := eventio.Codec(l)
	action, err := importAction(domain.TechEventFlow, a, opt.Submit, "publish", &domain.TechEvent{Status: domain.TechEventDraft, OrganiserOrgID: owner.ID})
	if err != nil {
		return nil, err
	}
	return importRecords(ctx, s.core, a, owner.ID, r, opt, recordImport[domain.TechEvent]{
		kind: "event", plural: "events", noun: "项活动",
		decode: func(r io.Reader, format sheetio.Format, maxRows int, fn func(int, *domain.TechEvent, []sheetio.RowError) error) ([]sheetio.RowError, error) {
			return eventio.Decode(r, format, l, maxRows, fn)
		},
		check: func(row int, x *domain.TechEvent) []sheetio.RowError {
			if err := cleanTechEvent(x); err != nil {
				return codec.RowErrors(row, err)
			}
			if err := x.Validate(l.ChainCodes); err != nil {
				return codec.RowErrors(row, err)
			}
			if opt.Submit && x.Date < l.Today {
				return codec.RowErrors(row, domain.FieldErrorf("date", "活动日期（%s）已过，不能导入后直接发布", x.Date))
			}
			return nil
		},
		insert: func(ctx context.Context, q *store.Q, in *domain.TechEvent) (int64, error) {
			x := &domain.TechEvent{Status: domain.TechEventDraft, OrganiserOrgID: owner.ID, OrganiserName: owner.Name, CreatedBy: a.UserID}
			applyTechEvent(x, in)
			return importDraft(ctx, q, s.core, techEventKind, a, x, func(ctx context.Context, x *domain.TechEvent) error {
				return q.InsertTechEvent(ctx, x)
			}, action, func(x *domain.TechEvent) { x.Status = domain.TechEventPublished })
		},
	})
}

// Export writes the events the actor may list (ListScope) that match the
// list's filters f (status, kind, chain, year, organiser; upcoming: from
// today on), every page, as format, to w; it returns how many.
func (s *TechEvents) Export(ctx context.Context, a *domain.Actor, f domain.TechEventFilter, upcoming bool, format sheetio.Format, w io.Writer) (int, error) {
	f.PerPage = exportPageSize
	return exportList(a, domain.TechEvents.CanExport, "导出路演/对接活动", func(p int) ([]*domain.TechEvent, int, error) {
		f.Page = p
		return s.List(ctx, a, f, upcoming)
	}, func(xs []*domain.TechEvent) error { return s.io().write(ctx, xs, format, w) })
}

// Template writes the import template (header, an example row and, in
// xlsx, the notes of every column); anyone may download it.
func (s *TechEvents) Template(ctx context.Context, format sheetio.Format, w io.Writer) error {
	return s.io().template(ctx, format, w)
}

// ImportColumns lists the importable columns for the import page.
func (s *TechEvents) ImportColumns(ctx context.Context) ([]sheetio.ColumnNote, error) {
	return s.io().columns(ctx)
}
