package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"kechuang/internal/mailer"
)

// runNotify: kechuang notify sweep tells the registrars of the contracts
// due soon or overdue (what serve does hourly; idempotent); notify send
// sends the outbox's due mail once (what serve does every minute).
func runNotify(ctx context.Context, env *Env, args []string) error {
	usage := errors.New("用法：kechuang notify sweep | notify send [--limit N]")
	if len(args) == 0 {
		return usage
	}
	fs := flag.NewFlagSet("notify "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	limit := fs.Int("limit", mailPerRun, "本次最多发送的邮件数")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg, svc, err := openCity(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	switch args[0] {
	case "sweep":
		r, err := svc.Notify.Sweep(ctx, cfg.NotifyDueDays)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.Stdout, "在办合同 %d 件：新发即将到期提醒 %d 条、超期提醒 %d 条（提前 %d 个工作日）。\n", r.Contracts, r.DueSoon, r.Overdue, cfg.NotifyDueDays)
		fmt.Fprintf(env.Stdout, "揭榜挂帅项目里程碑：新发提醒 %d 条（提前 %d 天或已超期）。\n", r.Milestones, cfg.NotifyDueDays)
	case "send":
		if cfg.SMTPURL == "" {
			return errors.New("未设置 KECHUANG_SMTP_URL，不发送邮件")
		}
		mc, err := mailer.ParseURL(cfg.SMTPURL)
		if err != nil {
			return err
		}
		run, err := svc.Notify.SendMail(ctx, mailer.New(*mc), *limit)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.Stdout, "已发送 %d 封，待重试 %d 封，失败 %d 封。\n", run.Sent, run.Retry, run.Failed)
	default:
		return usage
	}
	return nil
}
