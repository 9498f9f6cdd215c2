package service

import (
	"context"
	"io"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/enterpriseio"
	"kechuang/internal/sheetio"
	"kechuang/internal/store"
)

// The registry's imports and exports (record_io.go is the shape): the
// registry itself (one firm a row) and the yearly facts (one firm a row,
// named by its credit code). Nothing is stored from a file with a bad row
// unless opt.SkipBad; the report names every problem.

// ioLookup reads what the codec needs of the city.
func (s *Enterprises) ioLookup(ctx context.Context) (*enterpriseio.Lookup, error) {
	city, err := s.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := s.store.FindRegions(ctx, domain.RegionFilter{Parent: city, ParentSet: true, Limit: domain.MaxRegionResults})
	if err != nil {
		return nil, err
	}
	all, codes, err := s.cityChains(ctx)
	return &enterpriseio.Lookup{Districts: ds, Chains: all, ChainCodes: codes, Today: s.today()}, err
}

func (s *Enterprises) io() recordCodec[domain.Enterprise, *enterpriseio.Lookup] {
	return recordCodec[domain.Enterprise, *enterpriseio.Lookup]{lookup: s.ioLookup, codec: enterpriseio.Codec}
}

// orgByUSCC is the enterprise organisation with a credit code not yet in
// the registry's links (0 when none): an imported firm gets its account.
func orgByUSCC(ctx context.Context, q *store.Q, uscc string) (*domain.Org, error) {
	os, _, err := q.FindOrgs(ctx, domain.OrgFilter{Kind: domain.OrgEnterprise, Query: uscc, Limit: 5})
	if err != nil {
		return nil, err
	}
	for _, o := range os {
		if o.USCC == uscc {
			linked, err := q.FindEnterpriseByOrg(ctx, o.ID)
			if err != nil || linked != nil {
				return nil, err
			}
			return o, nil
		}
	}
	return nil, nil
}

// Import enters the firms of a registry file (the bureau); a firm whose
// credit code an enterprise organisation has is linked to it.
func (s *Enterprises) Import(ctx context.Context, a *domain.Actor, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Enterprises.CanImport(a) {
		return nil, forbidden("导入企业库")
	}
	l, err := s.ioLookup(ctx)
	if err != nil {
		return nil, err
	}
	codec := enterpriseio.Codec(l)
	seen := map[string]int{}
	return importRecords(ctx, s.core, a, 0, r, opt, recordImport[domain.Enterprise]{
		kind: "enterprise", plural: "enterprises", noun: "家企业",
		decode: func(r io.Reader, format sheetio.Format, maxRows int, fn func(int, *domain.Enterprise, []sheetio.RowError) error) ([]sheetio.RowError, error) {
			return enterpriseio.Decode(r, format, l, maxRows, fn)
		},
		check: func(row int, x *domain.Enterprise) []sheetio.RowError {
			in := EnterpriseInput{USCC: x.USCC, Name: x.Name, District: x.District, Chain: x.Chain, RegisteredOn: x.RegisteredOn}
			if err := cleanEnterprise(&in); err != nil {
				return codec.RowErrors(row, err)
			}
			x.Name = in.Name
			if first, dup := seen[x.USCC]; dup {
				return codec.RowErrors(row, domain.FieldErrorf("uscc", "与第 %d 行的统一社会信用代码重复", first))
			}
			seen[x.USCC] = row
			if old, err := s.store.FindEnterpriseByUSCC(ctx, x.USCC); err != nil {
				return codec.RowErrors(row, err)
			} else if old != nil {
				return codec.RowErrors(row, domain.FieldErrorf("uscc", "该统一社会信用代码已在企业库中（%s）", old.Name))
			}
			return nil
		},
		insert: func(ctx context.Context, q *store.Q, in *domain.Enterprise) (int64, error) {
			x := &domain.Enterprise{USCC: in.USCC, Name: in.Name, District: in.District, Chain: in.Chain,
				RegisteredOn: in.RegisteredOn, CreatedBy: a.UserID}
			o, err := orgByUSCC(ctx, q, x.USCC)
			if err != nil {
				return 0, err
			}
			if o != nil {
				x.OrgID, x.OrgName = o.ID, o.Name
			}
			if err := q.InsertEnterprise(ctx, x); err != nil {
				return 0, err
			}
			st := string(domain.EnterpriseRegistered)
			return x.ID, addEvent(ctx, q, a, "enterprise", x.ID, "create", st, st, step{Comment: importStep})
		},
	})
}

// factsRow is a facts row checked against its firm.
type factsRow struct {
	firm *domain.Enterprise
	year int
	raw  []byte
}

// ImportFacts files the yearly facts of a file (the bureau): each row
// names its firm by credit code; a firm's year already filed is
// corrected. The facts are checked by the rule engine's parser and
// against the registry (code, registration date), as the form's are.
func (s *Enterprises) ImportFacts(ctx context.Context, a *domain.Actor, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Enterprises.CanImport(a) {
		return nil, forbidden("导入企业年度数据")
	}
	today := s.today()
	checked := map[*enterpriseio.FactsRow]factsRow{}
	seen := map[string]int{}
	return importRecords(ctx, s.core, a, 0, r, opt, recordImport[enterpriseio.FactsRow]{
		kind: "enterprise_facts", plural: "enterprise_facts", noun: "家企业的年度数据",
		decode: func(r io.Reader, format sheetio.Format, maxRows int, fn func(int, *enterpriseio.FactsRow, []sheetio.RowError) error) ([]sheetio.RowError, error) {
			return enterpriseio.DecodeFacts(r, format, today, maxRows, fn)
		},
		check: func(row int, x *enterpriseio.FactsRow) []sheetio.RowError {
			firm, err := s.store.FindEnterpriseByUSCC(ctx, x.USCC)
			if err != nil {
				return enterpriseio.RowErrorsOf(row, err, today)
			} else if firm == nil {
				return enterpriseio.RowErrorsOf(row, domain.FieldErrorf("uscc", "企业库中没有统一社会信用代码为 %s 的企业，请先登记该企业", x.USCC), today)
			}
			raw, err := x.JSON()
			if err != nil {
				return enterpriseio.RowErrorsOf(row, err, today)
			}
			canon, year, err := enterprisefacts.Canonical(firm, raw)
			if err != nil {
				return enterpriseio.RowErrorsOf(row, err, today)
			}
			key := x.USCC + "/" + strconv.Itoa(year)
			if first, dup := seen[key]; dup {
				return enterpriseio.RowErrorsOf(row, domain.FieldErrorf("facts.assessed_on", "与第 %d 行是同一企业的同一年度", first), today)
			}
			seen[key] = row
			checked[x] = factsRow{firm, year, canon}
			return nil
		},
		insert: func(ctx context.Context, q *store.Q, x *enterpriseio.FactsRow) (int64, error) {
			c := checked[x]
			f := &domain.EnterpriseFiling{EnterpriseID: c.firm.ID, Year: c.year, Facts: c.raw}
			isNew, err := q.UpsertEnterpriseFiling(ctx, f, 0)
			if err != nil {
				return 0, err
			}
			action := "refile"
			if isNew {
				action = "file"
			}
			st := string(domain.EnterpriseRegistered)
			return f.ID, addEvent(ctx, q, a, "enterprise", c.firm.ID, action, st, st, step{Comment: strconv.Itoa(c.year) + " " + importStep})
		},
	})
}

// Export writes the firms the actor may list matching f, every page, as
// format, to w; it returns how many.
func (s *Enterprises) Export(ctx context.Context, a *domain.Actor, f domain.EnterpriseFilter, format sheetio.Format, w io.Writer) (int, error) {
	f.PerPage = exportPageSize
	return exportList(a, domain.Enterprises.CanExport, "导出企业库", func(p int) ([]*domain.Enterprise, int, error) {
		f.Page = p
		return s.List(ctx, a, f)
	}, func(xs []*domain.Enterprise) error { return s.io().write(ctx, xs, format, w) })
}

// ExportFacts writes the facts filed for year by the firms the actor may
// list matching f (one firm a row, the import's columns), as format.
func (s *Enterprises) ExportFacts(ctx context.Context, a *domain.Actor, f domain.EnterpriseFilter, year int, format sheetio.Format, w io.Writer) (int, error) {
	if year < domain.MinFilingYear || year > domain.MaxFilingYear {
		return 0, domain.FieldErrorf("year", "年度应在%d至%d之间", domain.MinFilingYear, domain.MaxFilingYear)
	}
	f.Year, f.Filed, f.PerPage = year, "yes", exportPageSize
	var rows []*enterpriseio.FactsRow
	n, err := exportList(a, domain.Enterprises.CanExport, "导出企业年度数据", func(p int) ([]*domain.Enterprise, int, error) {
		f.Page = p
		return s.List(ctx, a, f)
	}, func(xs []*domain.Enterprise) error {
		for _, x := range xs {
			fl, err := s.store.EnterpriseFiling(ctx, x.ID, year)
			if err != nil {
				return err
			}
			row, err := enterpriseio.NewFactsRow(x.USCC, x.Name, fl.Facts)
			if err != nil {
				return err
			}
			rows = append(rows, row)
		}
		return enterpriseio.FactsTable(rows, s.today()).Write(format, w)
	})
	return n, err
}

// Template writes the registry's import template; FactsTemplate the
// facts'. Anyone may download them.
func (s *Enterprises) Template(ctx context.Context, format sheetio.Format, w io.Writer) error {
	return s.io().template(ctx, format, w)
}

// FactsTemplate writes the facts' import template.
func (s *Enterprises) FactsTemplate(_ context.Context, format sheetio.Format, w io.Writer) error {
	return enterpriseio.FactsTemplate(format, s.today(), w)
}

// ImportColumns lists the registry's importable columns (the import page).
func (s *Enterprises) ImportColumns(ctx context.Context) ([]sheetio.ColumnNote, error) {
	return s.io().columns(ctx)
}

// FactsColumns lists the facts' importable columns (the import page).
func (s *Enterprises) FactsColumns() []sheetio.ColumnNote {
	return enterpriseio.FactsColumns(s.today())
}
