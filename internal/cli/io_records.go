package cli

import (
	"context"
	"flag"
	"io"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// The record registries' import and export (achievements, needs): the
// import files drafts for the organisation --org names, as the system
// actor; the export takes --status, --year and --chain.

// recordImport registers --org and returns an import through do.
func recordImport(do func(ctx context.Context, svc *service.Service, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error)) func(fs *flag.FlagSet) importFunc {
	return func(fs *flag.FlagSet) importFunc {
		org := fs.Int64("org", 0, "导入记录所属单位的 ID（必填）")
		return func(ctx context.Context, svc *service.Service, r io.Reader, name, format string, skipBad bool) (lineReport, error) {
			rep, err := do(ctx, svc, *org, r, sheetio.ImportOptions{Format: sheetio.Format(format), FileName: name, SkipBad: skipBad})
			if rep == nil {
				return nil, err
			}
			return rep, err
		}
	}
}

// recordFilters are the export flags the record registries share.
type recordFilters struct {
	status, chain *string
	year          *int
}

func newRecordFilters(fs *flag.FlagSet) recordFilters {
	return recordFilters{status: fs.String("status", "", "状态代码，如 published"), year: fs.Int("year", 0, "发布年份"),
		chain: fs.String("chain", "", "产业链代码")}
}

// achievementIO: kechuang import|export achievements.
var achievementIO = ioKind{
	noun: "项成果",
	impFlags: recordImport(func(ctx context.Context, svc *service.Service, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
		return svc.Achievements.Import(ctx, domain.SystemActor(), org, r, opt)
	}),
	exp: func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
		f := newRecordFilters(fs)
		return func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
			return svc.Achievements.Export(ctx, domain.SystemActor(), domain.AchievementFilter{
				Status: domain.AchievementStatus(*f.status), Year: *f.year, ChainCode: *f.chain}, format, w)
		}
	},
}

// needIO: kechuang import|export needs.
var needIO = ioKind{
	noun: "项需求",
	impFlags: recordImport(func(ctx context.Context, svc *service.Service, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
		return svc.Needs.Import(ctx, domain.SystemActor(), org, r, opt)
	}),
	exp: func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
		f := newRecordFilters(fs)
		return func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
			return svc.Needs.Export(ctx, domain.SystemActor(), domain.NeedFilter{Status: domain.NeedStatus(*f.status), ChainCode: *f.chain}, *f.year, format, w)
		}
	},
}
