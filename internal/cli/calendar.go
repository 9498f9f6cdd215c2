package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"kechuang/internal/domain"
)

// runCalendar: kechuang calendar load --file F loads a year's working-day
// arrangement (the State Council's notice, one day a line) as the system
// actor; the due dates of running clocks are recomputed.
func runCalendar(ctx context.Context, env *Env, args []string) error {
	usage := errors.New("用法：kechuang calendar load --file F（每行“YYYY-MM-DD holiday|workday 名称”）")
	if len(args) == 0 || args[0] != "load" {
		return usage
	}
	fs := flag.NewFlagSet("calendar load", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	file := fs.String("file", "", "工作日安排文件")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *file == "" {
		return usage
	}
	f, err := os.Open(*file)
	if err != nil {
		return fmt.Errorf("无法打开文件：%w", err)
	}
	defer f.Close()
	cfg, svc, err := openService(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	out, err := svc.Contracts.LoadCalendar(ctx, domain.SystemActor(), f)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.Stdout, "已载入 %v 年的工作日安排（%d 天）；重算 %d 件在办合同的办结期限。\n", out.Years, out.Days, out.Recomputed)
	return nil
}
