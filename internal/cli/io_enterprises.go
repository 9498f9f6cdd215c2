package cli

import (
	"context"
	"flag"
	"io"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// enterpriseImport is an import of the registry's as the system actor.
func enterpriseImport(do func(svc *service.Service) func(context.Context, *domain.Actor, io.Reader, sheetio.ImportOptions) (*sheetio.Report, error)) importFunc {
	return func(ctx context.Context, svc *service.Service, r io.Reader, name, format string, skipBad bool) (lineReport, error) {
		rep, err := do(svc)(ctx, domain.SystemActor(), r, sheetio.ImportOptions{Format: sheetio.Format(format), FileName: name, SkipBad: skipBad})
		if rep == nil {
			return nil, err
		}
		return rep, err
	}
}

// enterpriseIO: kechuang import|export enterprises (the registry; export
// --district, --chain).
var enterpriseIO = ioKind{
	noun: "家企业",
	imp: enterpriseImport(func(svc *service.Service) func(context.Context, *domain.Actor, io.Reader, sheetio.ImportOptions) (*sheetio.Report, error) {
		return svc.Enterprises.Import
	}),
	exp: func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
		district, chain := fs.String("district", "", "区县代码"), fs.String("chain", "", "产业链代码")
		return func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
			return svc.Enterprises.Export(ctx, domain.SystemActor(), domain.EnterpriseFilter{District: *district, Chain: *chain}, format, w)
		}
	},
}

// enterpriseFactsIO: kechuang import|export enterprise-facts (the yearly
// facts, one firm a row; export --year Y required, --district, --chain).
var enterpriseFactsIO = ioKind{
	noun: "家企业的年度数据",
	imp: enterpriseImport(func(svc *service.Service) func(context.Context, *domain.Actor, io.Reader, sheetio.ImportOptions) (*sheetio.Report, error) {
		return svc.Enterprises.ImportFacts
	}),
	exp: func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
		year := fs.Int("year", 0, "填报年度（必填）")
		district, chain := fs.String("district", "", "区县代码"), fs.String("chain", "", "产业链代码")
		return func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
			return svc.Enterprises.ExportFacts(ctx, domain.SystemActor(), domain.EnterpriseFilter{District: *district, Chain: *chain}, *year, format, w)
		}
	},
}
