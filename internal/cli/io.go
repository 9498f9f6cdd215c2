package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// ioKind is one registry the import and export commands know: adding a
// registry is one line in ioKinds and its own ioKind value.
type ioKind struct {
	noun string // what the counts count, e.g. "条合同"
	// imp imports a file as the system actor.
	imp func(ctx context.Context, svc *service.Service, r io.Reader, name, format string, skipBad bool) (lineReport, error)
	// exp registers the export's own flags and returns the export.
	exp func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error)
	// impFlags, when set, registers the import's own flags (such as --org)
	// and returns the import used instead of imp.
	impFlags func(fs *flag.FlagSet) importFunc
}

// importFunc imports a file as the system actor.
type importFunc = func(ctx context.Context, svc *service.Service, r io.Reader, name, format string, skipBad bool) (lineReport, error)

// lineReport is an import's report as the command prints it.
type lineReport interface{ Lines() []string }

// ioKinds lists the registries of kechuang import and export.
func ioKinds() map[string]ioKind {
	return map[string]ioKind{
		"contracts":    contractIO,
		"achievements": achievementIO,
		"needs":        needIO,
		"challenges":   challengeIO,
		"events":       eventIO,
		"enterprises":  enterpriseIO, "enterprise-facts": enterpriseFactsIO,
		"orgs":  orgIO,
		"users": userIO,
	}
}

func ioKindNames() string {
	var out []string
	for k := range ioKinds() {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, "|")
}

// runImport: kechuang import KIND --file F [--skip-bad] [--format csv|xlsx].
// Rows are stored as the system actor; the report names every bad row,
// and nothing is stored from a file with one unless --skip-bad.
func runImport(ctx context.Context, env *Env, args []string) error {
	usage := fmt.Errorf("用法：kechuang import %s --file F [--skip-bad] [--format csv|xlsx]（成果、需求、榜单、活动另须 --org ID）", ioKindNames())
	if len(args) == 0 {
		return usage
	}
	kind, ok := ioKinds()[args[0]]
	if !ok {
		return usage
	}
	fs := flag.NewFlagSet("import "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	file := fs.String("file", "", "要导入的文件（.xlsx 或 .csv）")
	skipBad := fs.Bool("skip-bad", false, "跳过错误行，只导入正确的行")
	format := fs.String("format", "", "文件格式 csv|xlsx（默认按扩展名判断）")
	imp := kind.imp
	if kind.impFlags != nil {
		imp = kind.impFlags(fs)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *file == "" {
		return errors.New("请用 --file 指定要导入的文件")
	}
	f, err := os.Open(*file)
	if err != nil {
		return fmt.Errorf("无法打开文件：%w", err)
	}
	defer f.Close()
	cfg, svc, err := openCity(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	rep, err := imp(ctx, svc, f, *file, *format, *skipBad)
	if rep != nil {
		out := env.Stdout
		if err != nil {
			out = env.Stderr
		}
		for _, line := range rep.Lines() {
			fmt.Fprintln(out, line)
		}
	}
	if err != nil {
		return describe(err)
	}
	return nil
}

// runExport: kechuang export KIND --format csv|xlsx --out F, plus the
// kind's own filters. The system actor sees every record except other
// organisations' contract drafts; --out - writes to standard output.
func runExport(ctx context.Context, env *Env, args []string) error {
	usage := fmt.Errorf("用法：kechuang export %s --format csv|xlsx --out F（合同另可加 --year Y --status S；成果、需求、榜单、活动另可加 --year Y --status S --chain C）", ioKindNames())
	if len(args) == 0 {
		return usage
	}
	kind, ok := ioKinds()[args[0]]
	if !ok {
		return usage
	}
	fs := flag.NewFlagSet("export "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "", "文件格式 csv|xlsx（默认按 --out 的扩展名）")
	out := fs.String("out", "", "输出文件（- 为标准输出）")
	export := kind.exp(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("请用 --out 指定输出文件")
	}
	fm, err := sheetio.FormatOf(*format, *out, nil)
	if err != nil {
		return describe(err)
	}
	if *format == "" && *out == "-" {
		fm = sheetio.CSV
	}
	_, svc, err := openCity(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	if *out == "-" {
		n, err := export(ctx, svc, fm, env.Stdout)
		if err == nil {
			fmt.Fprintf(env.Stderr, "已导出 %d %s\n", n, kind.noun)
		}
		return describe(err)
	}
	n, err := writeAtomically(*out, func(w io.Writer) (int, error) { return export(ctx, svc, fm, w) })
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.Stdout, "已导出 %d %s到 %s\n", n, kind.noun, *out)
	return nil
}

// writeAtomically writes beside the target and renames, so a failed
// export never leaves a truncated file under the requested name.
func writeAtomically(path string, write func(w io.Writer) (int, error)) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kechuang-export-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), path)
}

// contractIO: kechuang import|export contracts (--year, --status on export).
var contractIO = ioKind{
	noun: "条合同",
	imp: func(ctx context.Context, svc *service.Service, r io.Reader, name, format string, skipBad bool) (lineReport, error) {
		rep, err := svc.Contracts.Import(ctx, domain.SystemActor(), r, contractio.Options{Format: contractio.Format(format), FileName: name, SkipBad: skipBad})
		if rep == nil {
			return nil, err
		}
		return rep, err
	},
	exp: func(fs *flag.FlagSet) func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
		year := fs.Int("year", 0, "登记年份")
		status := fs.String("status", "", "状态，如 registered 或 已登记；多个以逗号分隔")
		return func(ctx context.Context, svc *service.Service, format sheetio.Format, w io.Writer) (int, error) {
			f := domain.ContractFilter{Year: *year}
			var err error
			if f.Statuses, err = parseStatuses(*status); err != nil {
				return 0, err
			}
			return svc.Contracts.Export(ctx, domain.SystemActor(), f, format, w)
		}
	},
}

func parseStatuses(s string) ([]domain.ContractStatus, error) {
	var out []domain.ContractStatus
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		found := false
		for _, st := range domain.ContractStatuses.Codes() {
			if part == string(st) || part == st.Label() {
				out, found = append(out, st), true
			}
		}
		if !found {
			return nil, fmt.Errorf("状态“%s”无效，应为 draft|submitted|returned|registered|refused 或其中文名称", part)
		}
	}
	return out, nil
}
