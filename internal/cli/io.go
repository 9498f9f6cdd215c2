package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
)

// runImport: kechuang import contracts --file F [--skip-bad] [--format csv|xlsx].
// Rows go to the default registry as the system actor; the report names
// every bad row, and nothing is stored from a file with one unless --skip-bad.
func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "contracts" {
		return errors.New("用法：kechuang import contracts --file F [--skip-bad] [--format csv|xlsx]")
	}
	fs := flag.NewFlagSet("import contracts", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	file := fs.String("file", "", "要导入的文件（.xlsx 或 .csv）")
	skipBad := fs.Bool("skip-bad", false, "跳过错误行，只导入正确的行")
	format := fs.String("format", "", "文件格式 csv|xlsx（默认按扩展名判断）")
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
	_, svc, err := openService(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	opt := contractio.Options{Format: contractio.Format(*format), FileName: *file, SkipBad: *skipBad}
	rep, err := svc.Contracts.Import(ctx, domain.SystemActor(), f, opt)
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

// runExport: kechuang export contracts --format csv|xlsx --out F [--year Y]
// [--status S]. The system actor sees every contract except other
// organisations' drafts; --out - writes to standard output.
func runExport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "contracts" {
		return errors.New("用法：kechuang export contracts --format csv|xlsx --out F [--year Y] [--status S]")
	}
	fs := flag.NewFlagSet("export contracts", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "", "文件格式 csv|xlsx（默认按 --out 的扩展名）")
	out := fs.String("out", "", "输出文件（- 为标准输出）")
	year := fs.Int("year", 0, "登记年份")
	status := fs.String("status", "", "状态，如 registered 或 已登记；多个以逗号分隔")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("请用 --out 指定输出文件")
	}
	fm, err := contractio.FormatOf(*format, *out, nil)
	if err != nil {
		return describe(err)
	}
	if *format == "" && *out == "-" {
		fm = contractio.CSV
	}
	f := domain.ContractFilter{Year: *year}
	if f.Statuses, err = parseStatuses(*status); err != nil {
		return err
	}
	_, svc, err := openService(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	if *out == "-" {
		n, err := svc.Contracts.Export(ctx, domain.SystemActor(), f, fm, env.Stdout)
		if err == nil {
			fmt.Fprintf(env.Stderr, "已导出 %d 条合同\n", n)
		}
		return err
	}
	// Write beside the target and rename, so a failed export never leaves
	// a truncated file under the requested name.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".kechuang-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := svc.Contracts.Export(ctx, domain.SystemActor(), f, fm, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return describe(err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出 %d 条合同到 %s\n", n, *out)
	return nil
}

func parseStatuses(s string) ([]domain.ContractStatus, error) {
	var out []domain.ContractStatus
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		found := false
		for _, st := range []domain.ContractStatus{domain.ContractDraft, domain.ContractSubmitted, domain.ContractReturned, domain.ContractRegistered, domain.ContractRefused} {
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
