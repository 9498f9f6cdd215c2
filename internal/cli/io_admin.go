package cli

import (
	"context"
	"flag"
	"io"

	"kechuang/internal/adminio"
	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// orgIO: kechuang import|export orgs (--kind, --status on export).
var orgIO = ioKind{
	noun: "个机构",
	imp: func(ctx context.Context, svc *service.Service, r io.Reader, name, format string, skipBad bool) (lineReport, error) {
		rep, err := svc.Admin.ImportOrgs(ctx, domain.SystemActor(), r, adminOptions(name, format, skipBad))
		if rep == nil {
			return nil, err
		}
		return rep, err
	},
	exp: func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
		kind := fs.String("kind", "", "机构类型，如 enterprise")
		status := fs.String("status", "", "状态 active|disabled")
		return func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
			f := domain.OrgFilter{Kind: domain.OrgKind(*kind), Status: domain.ActiveStatus(*status)}
			return svc.Admin.ExportOrgs(ctx, domain.SystemActor(), f, format, w)
		}
	},
}

// userIO: kechuang import|export users (--role, --status on export).
var userIO = ioKind{
	noun: "个用户",
	imp: func(ctx context.Context, svc *service.Service, r io.Reader, name, format string, skipBad bool) (lineReport, error) {
		rep, err := svc.Admin.ImportUsers(ctx, domain.SystemActor(), r, adminOptions(name, format, skipBad))
		if rep == nil {
			return nil, err
		}
		return rep, err
	},
	exp: func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
		role := fs.String("role", "", "角色，如 enterprise")
		status := fs.String("status", "", "状态 active|disabled")
		return func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
			f := domain.UserFilter{Role: domain.Role(*role), Status: domain.ActiveStatus(*status)}
			return svc.Admin.ExportUsers(ctx, domain.SystemActor(), f, format, w)
		}
	},
}

func adminOptions(name, format string, skipBad bool) adminio.Options {
	return adminio.Options{Format: sheetio.Format(format), FileName: name, SkipBad: skipBad}
}
