package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

func runMigrate(ctx context.Context, env *Env, args []string) error {
	cfg, svc, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	applied, err := svc.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(env.Stdout, "数据库已是最新，无需迁移")
	} else {
		fmt.Fprintf(env.Stdout, "已执行迁移：%s\n", strings.Join(applied, ", "))
	}
	return ensureRegions(ctx, env, svc.Meta)
}

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return errors.New("用法：user add --username U --name N --role R --org ID --password P | user passwd --username U --password P | user list | user token --username U --name N | user disable|enable USERNAME")
	}
	cfg, svc, err := openCity(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	username := fs.String("username", "", "用户名")
	name := fs.String("name", "", "姓名或令牌名称")
	role := fs.String("role", "", "角色："+roleList())
	org := fs.Int64("org", 0, "所属机构 ID")
	password := fs.String("password", "", "密码（至少8位）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "add":
		u := &domain.User{Username: *username, DisplayName: *name, Role: domain.Role(*role), OrgID: *org}
		if err := svc.Admin.CreateUser(ctx, domain.SystemActor(), u, *password); err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.Stdout, "已创建用户 %s（ID %d）\n", u.Username, u.ID)
	case "passwd":
		u, err := svc.Admin.UserByUsername(ctx, domain.SystemActor(), *username)
		if err != nil {
			return describe(err)
		}
		if err := svc.Admin.SetPassword(ctx, domain.SystemActor(), u.ID, *password); err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.Stdout, "已修改用户 %s 的密码\n", u.Username)
	case "list":
		us, _, err := svc.Admin.Users(ctx, domain.SystemActor(), domain.UserFilter{OrgID: *org, Limit: math.MaxInt32})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\t用户名\t姓名\t角色\t机构")
		for _, u := range us {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.DisplayName, u.Role.Label(), u.OrgName)
		}
		return tw.Flush()
	case "token":
		u, err := svc.Admin.UserByUsername(ctx, domain.SystemActor(), *username)
		if err != nil {
			return describe(err)
		}
		secret, _, err := svc.Auth.CreateToken(ctx, service.ActorOf(u), *name)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.Stdout, "API 令牌（只显示这一次）：%s\n", secret)
	case "disable", "enable":
		return setUserDisabled(ctx, env, svc, args[0], *username, fs.Args())
	default:
		return fmt.Errorf("未知子命令 user %s", args[0])
	}
	return nil
}

// setUserDisabled: kechuang user disable|enable USERNAME (or --username).
// Disabling ends the user's sessions and revokes their API tokens.
func setUserDisabled(ctx context.Context, env *Env, svc *service.Service, verb, username string, rest []string) error {
	if username == "" && len(rest) == 1 {
		username = rest[0]
	}
	if username == "" {
		return fmt.Errorf("用法：kechuang user %s USERNAME", verb)
	}
	u, err := svc.Admin.UserByUsername(ctx, domain.SystemActor(), username)
	if err != nil {
		return describe(err)
	}
	if verb == "disable" {
		_, err = svc.Admin.DisableUser(ctx, domain.SystemActor(), u.ID, 0)
	} else {
		_, err = svc.Admin.EnableUser(ctx, domain.SystemActor(), u.ID, 0)
	}
	if err != nil {
		return describe(err)
	}
	msg := map[string]string{"disable": "已停用用户 %s，其登录会话已结束、API 令牌已作废\n", "enable": "已启用用户 %s\n"}[verb]
	fmt.Fprintf(env.Stdout, msg, u.Username)
	return nil
}

func roleList() string {
	var out []string
	for _, r := range domain.Roles.Codes() {
		out = append(out, string(r))
	}
	return strings.Join(out, "|")
}

// describe turns a domain error into a CLI message with every field.
func describe(err error) error {
	var e *domain.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		var b strings.Builder
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n  %s：%s", f.Field, f.Message)
		}
		return fmt.Errorf("输入有误：%s", b.String())
	}
	return err
}

func runAudit(ctx context.Context, env *Env, args []string) error {
	const use = "用法：kechuang audit verify [--anchors 锚点文件]"
	if len(args) == 0 || args[0] != "verify" {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	anchors := fs.String("anchors", "", "与之核对的锚点文件（默认为本库的；校验备份副本时指向原库的锚点文件）")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errors.New(use)
	}
	_, svc, err := openCurrent(ctx, env, openOpts{anchorFile: *anchors})
	if err != nil {
		return err
	}
	defer svc.Close()
	rep, err := svc.Audit.VerifySystem(ctx)
	if err != nil {
		return err
	}
	if rep.OK {
		fmt.Fprintf(env.Stdout, "审计链完整：共 %d 条记录，哈希逐条校验通过\n", rep.Rows)
	} else {
		fmt.Fprintf(env.Stdout, "审计链断裂：第一处断点在第 %d 条（%s）；共 %d 条\n", rep.BrokenAt, rep.Reason, rep.Rows)
	}
	fmt.Fprintln(env.Stdout, "  "+keyedLine(rep))
	fmt.Fprintln(env.Stdout, "  "+anchorLine(rep, svc.Audit.AnchorFile()))
	if !rep.OK {
		return fmt.Errorf("audit chain broken at seq %d", rep.BrokenAt)
	}
	return nil
}

// keyedLine says from which row on the chain is keyed: rows written
// before the upgrade that introduced the key have plain SHA-256 hashes.
func keyedLine(rep domain.AuditReport) string {
	switch {
	case rep.KeyedFrom <= 1:
		return "密钥：全部记录以 HMAC-SHA-256 密钥签名"
	case rep.KeyedFrom > rep.Rows:
		return fmt.Sprintf("密钥：%d 条记录均写于启用密钥之前（无密钥的 SHA-256）；自第 %d 条起将以 HMAC-SHA-256 密钥签名", rep.Rows, rep.KeyedFrom)
	}
	return fmt.Sprintf("密钥：第 1 至 %d 条写于启用密钥之前（无密钥的 SHA-256），自第 %d 条起以 HMAC-SHA-256 密钥签名", rep.KeyedFrom-1, rep.KeyedFrom)
}

// anchorLine says how many anchors kept outside the database were checked.
func anchorLine(rep domain.AuditReport, file string) string {
	if rep.Anchors == 0 {
		return fmt.Sprintf("外部锚点：无（%s 中没有锚点），末尾被截断无法发现", file)
	}
	return fmt.Sprintf("外部锚点：核对了 %s 中的 %d 个锚点，最新记录到第 %d 条", file, rep.Anchors, rep.AnchoredSeq)
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	out := fs.String("out", "", "备份文件路径")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("请用 --out 指定备份文件")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s 已存在，不会覆盖", *out)
	}
	_, svc, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.Backup(ctx, *out); err != nil {
		return fmt.Errorf("备份失败：%w", err)
	}
	fi, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已备份到 %s（%s 字节）\n", *out, strconv.FormatInt(fi.Size(), 10))
	return nil
}
