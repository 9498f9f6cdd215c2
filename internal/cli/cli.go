// Package cli is the kechuang command: serve, migrate, demo, import,
// export, user, audit, backup, bench, assess and rules.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"kechuang/internal/anchor"
	"kechuang/internal/config"
	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// Env is what a command runs with; tests supply their own.
type Env struct {
	Args   []string
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// ReadPassword asks for a password without echo (nil: on the terminal).
	ReadPassword func(env *Env, prompt string) (string, error)
}

type command struct {
	help string
	run  func(ctx context.Context, env *Env, args []string) error
}

// commands is the command table. It is built on each call rather than in
// init(): usage reads the table and "help" is reached through it, an
// initialisation cycle for a package-level map.
func commands() map[string]command {
	return map[string]command{
		"serve":       {"启动服务（空库时自动建表并载入演示城市）", runServe},
		"migrate":     {"执行待执行的数据库迁移", runMigrate},
		"demo":        {"向数据库载入演示城市（沈阳）", runDemo},
		"init":        {"安装城市：init --city-code 代码 --admin-user 用户名 [--city-file F]（空库上建表并安装城市，不载入演示数据）", runInit},
		"city":        {"城市：city export [--out F]（把已安装的城市写成城市文件）", runCity},
		"import":      {"导入：import contracts|orgs|users --file F [--skip-bad]", runImport},
		"export":      {"导出：export contracts|orgs|users --format csv|xlsx --out F", runExport},
		"user":        {"用户管理：user add|passwd|list|token|disable|enable", runUser},
		"audit":       {"审计：audit verify [--anchors 锚点文件]", runAudit},
		"backup":      {"在线备份：backup --out F", runBackup},
		"bench":       {"性能基准：bench contracts --n N | bench chain --n N | bench http [--c 50] | bench assess --n N", runBench},
		"regions":     {"行政区划表：regions load --file F [--version V]（载入新版全国行政区划代码）| regions status", runRegions},
		"stats":       {"统计：stats check [年份…]（汇总表与记录核对）| stats rebuild（按记录重建）", runStats},
		"config":      {"配置：config dump（打印生效的配置，密码已遮盖）", runConfig},
		"notify":      {"通知：notify sweep（提醒登记员即将到期和已超期的合同）| notify send [--limit N]（发送发件箱中的通知邮件）", runNotify},
		"search":      {"全文检索：search reindex [--force]（按当前分词器重建成果与需求的检索索引）", runSearch},
		"assess":      {"评估：assess --rules ID[,ID…|all] [--input facts.json|.csv|.xlsx] [--format json|text] [--rules-dir D]（科技型中小企业、高企、瞪羚、独角兽、雏鹰与城市政策）", runAssess},
		"enterprises": {"企业梯度评价：enterprises assess --year Y [--rules-dir D]（年度批量评价该年度的全部企业填报，重复运行替换结论）", runEnterprises},
		"rules":       {"规则集：rules test [--dir D]（运行每个规则文件自带的用例）| rules list", runRules},
		"calendar":    {"工作日安排：calendar load --file F（国务院放假调休安排，每行“日期 holiday|workday 名称”）", runCalendar},
	}
}

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(env.Args) < 2 {
		usage(env.Stderr)
		return 2
	}
	cmd, ok := commands()[env.Args[1]]
	if !ok {
		if env.Args[1] != "help" && env.Args[1] != "-h" && env.Args[1] != "--help" {
			fmt.Fprintf(env.Stderr, "未知命令：%s\n\n", env.Args[1])
		}
		usage(env.Stderr)
		return 2
	}
	if err := cmd.run(ctx, env, env.Args[2:]); err != nil {
		fmt.Fprintf(env.Stderr, "kechuang %s: %v\n", env.Args[1], explain(err))
		return 1
	}
	return 0
}

// explain words the errors an operator must act on.
func explain(err error) error {
	var unknown *domain.UnknownMigrationsError
	if errors.As(err, &unknown) {
		return fmt.Errorf("数据库记录了本程序不认识的迁移：%s\n它已由更新版本的 kechuang 迁移，本程序拒绝使用；请运行那个版本，或从迁移前的备份恢复",
			strings.Join(unknown.Versions, ", "))
	}
	var de *domain.Error
	if errors.As(err, &de) && de.Field == "" && len(de.Fields) == 0 && de.Code != domain.EINTERNAL && err == error(de) {
		return errors.New(de.Message) // the operator reads the sentence, not the code
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "用法：kechuang <命令> [参数]")
	cmds := commands()
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].help)
	}
	fmt.Fprintln(w, "\n环境变量：")
	for _, o := range config.Options {
		if o.Default == "" {
			fmt.Fprintf(w, "  %-24s %s\n", o.Name, o.Help)
			continue
		}
		fmt.Fprintf(w, "  %-24s %s（默认 %s）\n", o.Name, o.Help, o.Default)
	}
}

func newLogger(env *Env, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
}

// openDB loads the configuration and opens the database, whatever the
// state of its schema, with the audit chain's key (created beside the data
// on first use) and anchor file.
func openDB(ctx context.Context, env *Env) (*config.Config, *service.Service, error) {
	return openWith(ctx, env, openOpts{createKey: true})
}

// openOpts vary openDB for audit verify: it must not invent a key that
// cannot match the chain, and may check a copy against the original's
// anchor file.
type openOpts struct {
	createKey  bool
	anchorFile string // "" for the database's own
	needCity   bool   // refuse a database where no city was installed and nothing was written
}

func openWith(ctx context.Context, env *Env, o openOpts) (*config.Config, *service.Service, error) {
	cfg, err := config.Load(env.Getenv)
	if err != nil {
		return nil, nil, err
	}
	loc := anchor.Locate(cfg.DatabaseURL, cfg.DataDir)
	key, err := anchor.LoadKey(loc.KeyFile, cfg.AuditKey, o.createKey)
	if err != nil {
		return nil, nil, err
	}
	if o.anchorFile == "" {
		o.anchorFile = loc.AnchorFile
	}
	svc, err := service.Open(ctx, cfg.DatabaseURL, newLogger(env, cfg.LogLevel),
		service.Options{AuditKey: key, Anchors: anchor.NewFile(o.anchorFile)})
	if err != nil {
		return nil, nil, err
	}
	if cfg.SMTPURL != "" { // every command's notices queue their mail; serve sends it
		svc.Notify.EnableMail(service.MailSettings{BaseURL: cfg.PublicURL})
	}
	return cfg, svc, nil
}

// openService opens the database, requires an up-to-date schema, and
// returns the service.
func openService(ctx context.Context, env *Env) (*config.Config, *service.Service, error) {
	return openCurrent(ctx, env, openOpts{createKey: true})
}

// openCity opens the database of a command that needs a city (import,
// export, user, stats, audit, city export): an empty or un-initialised
// database answers service.ErrNotInitialised, one sentence for every such
// command, instead of naming a pending migration or a missing setting.
func openCity(ctx context.Context, env *Env) (*config.Config, *service.Service, error) {
	return openCurrent(ctx, env, openOpts{createKey: true, needCity: true})
}

// openCurrent is openWith requiring an up-to-date schema (and, with
// needCity, an installed city). An empty database (no schema yet) answers
// service.ErrNotInitialised.
func openCurrent(ctx context.Context, env *Env, o openOpts) (*config.Config, *service.Service, error) {
	cfg, svc, err := openWith(ctx, env, o)
	if err != nil {
		return nil, nil, err
	}
	if empty, err := svc.IsEmpty(ctx); err != nil || empty {
		svc.Close()
		if err == nil {
			err = service.ErrNotInitialised()
		}
		return nil, nil, err
	}
	pending, err := svc.Pending(ctx)
	if err != nil {
		svc.Close()
		return nil, nil, err
	}
	if len(pending) > 0 {
		svc.Close()
		return nil, nil, fmt.Errorf("数据库有待执行的迁移 %v，请先运行 kechuang migrate", pending)
	}
	if o.needCity {
		if err := svc.RequireInstalled(ctx); err != nil {
			svc.Close()
			return nil, nil, err
		}
	}
	return cfg, svc, nil
}

// runConfig serves `kechuang config dump`.
func runConfig(_ context.Context, env *Env, args []string) error {
	if len(args) != 1 || args[0] != "dump" {
		return fmt.Errorf("用法：kechuang config dump")
	}
	lines, err := config.Dump(env.Getenv)
	if err != nil {
		return err
	}
	for _, l := range lines {
		fmt.Fprintln(env.Stdout, l)
	}
	return nil
}
