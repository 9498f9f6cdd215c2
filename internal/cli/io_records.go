package cli

import (
	"context"
	"flag"
	"io"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// The record registries' import and export (achievements, needs,
// challenges, events): the
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

// recordFilter is what the export flags the record registries share
// select: --status, --year, --chain.
type recordFilter struct {
	status, chain string
	year          int
}

// recordIO is a record registry's ioKind: the import as the system actor
// for the organisation --org names, the export with the shared filters.
func recordIO(noun string, imp func(ctx context.Context, svc *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error),
	exp func(ctx context.Context, svc *service.Service, a *domain.Actor, f recordFilter, format sheetio.Format, w io.Writer) (int, error)) ioKind {
	return ioKind{
		noun: noun,
		impFlags: recordImport(func(ctx context.Context, svc *service.Service, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
			return imp(ctx, svc, domain.SystemActor(), org, r, opt)
		}),
		exp: func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
			status, year := fs.String("status", "", "状态代码，如 published"), fs.Int("year", 0, "发布年份")
			chain := fs.String("chain", "", "产业链代码")
			return func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
				return exp(ctx, svc, domain.SystemActor(), recordFilter{status: *status, chain: *chain, year: *year}, format, w)
			}
		},
	}
}

// achievementIO: kechuang import|export achievements.
var achievementIO = recordIO("项成果",
	func(ctx context.Context, svc *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
		return svc.Achievements.Import(ctx, a, org, r, opt)
	},
	func(ctx context.Context, svc *service.Service, a *domain.Actor, f recordFilter, format sheetio.Format, w io.Writer) (int, error) {
		return svc.Achievements.Export(ctx, a, domain.AchievementFilter{Status: domain.AchievementStatus(f.status), Year: f.year, ChainCode: f.chain}, format, w)
	})

// needIO: kechuang import|export needs (--year: published in).
var needIO = recordIO("项需求",
	func(ctx context.Context, svc *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
		return svc.Needs.Import(ctx, a, org, r, opt)
	},
	func(ctx context.Context, svc *service.Service, a *domain.Actor, f recordFilter, format sheetio.Format, w io.Writer) (int, error) {
		return svc.Needs.Export(ctx, a, domain.NeedFilter{Status: domain.NeedStatus(f.status), ChainCode: f.chain}, f.year, format, w)
	})

// challengeIO: kechuang import|export challenges (--year: 发榜 in).
var challengeIO = recordIO("项榜单",
	func(ctx context.Context, svc *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
		return svc.Challenges.Import(ctx, a, org, r, opt)
	},
	func(ctx context.Context, svc *service.Service, a *domain.Actor, f recordFilter, format sheetio.Format, w io.Writer) (int, error) {
		return svc.Challenges.Export(ctx, a, domain.ChallengeFilter{Status: domain.ChallengeStatus(f.status), Year: f.year, ChainCode: f.chain}, format, w)
	})

// eventIO: kechuang import|export events (--year: held in).
var eventIO = recordIO("项活动",
	func(ctx context.Context, svc *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
		return svc.Events.Import(ctx, a, org, r, opt)
	},
	func(ctx context.Context, svc *service.Service, a *domain.Actor, f recordFilter, format sheetio.Format, w io.Writer) (int, error) {
		return svc.Events.Export(ctx, a, domain.TechEventFilter{Status: domain.TechEventStatus(f.status), Year: f.year, ChainCode: f.chain}, false, format, w)
	})
