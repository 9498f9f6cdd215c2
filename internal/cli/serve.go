package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"kechuang/internal/config"
	"kechuang/internal/demo"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/mailer"
	"kechuang/internal/service"
	"kechuang/internal/web"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	migrate := fs.Bool("migrate", false, "启动前执行待执行的迁移")
	noDemo := fs.Bool("no-demo", false, "空库时不载入演示城市，而提示先运行 kechuang init")
	demoAnywhere := fs.Bool("demo", false, "在非回环地址上也提供演示城市（其账号密码是公开的）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, svc, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.UseRules(cfg.RulesDir); err != nil { // the bureau's rule files, reread after an edit
		return err
	}
	if err := svc.UseMatchConfig(cfg.MatchConfig); err != nil { // the matching weights, before the feed starts
		return err
	}
	log := newLogger(env, cfg.LogLevel)
	empty, err := svc.IsEmpty(ctx)
	if err != nil {
		return err
	}
	pending, err := svc.Pending(ctx)
	if err != nil {
		return err
	}
	switch {
	case empty && *noDemo:
		// Nothing is created: a real city is installed by init, which
		// creates the schema itself.
		return service.ErrNotInitialised()
	case empty:
		fmt.Fprintf(env.Stdout, "空数据库：创建表结构 %v\n", pending)
		if _, err := svc.Migrate(ctx); err != nil {
			return err
		}
	case len(pending) > 0 && !*migrate:
		return fmt.Errorf("数据库有待执行的迁移：%s\n请先备份，再运行 `kechuang migrate` 或 `kechuang serve --migrate`", strings.Join(pending, ", "))
	case len(pending) > 0:
		applied, err := svc.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已执行迁移：%v\n", applied)
	}
	// A database without a city and without data (empty, or migrated and
	// never initialised) gets the demo city, unless --no-demo; an
	// initialised one (kechuang init) never does.
	loadDemo := false
	if installed, err := svc.Installed(ctx); err != nil {
		return err
	} else if !installed {
		used, err := svc.HasData(ctx)
		if err != nil {
			return err
		}
		switch {
		case !used && *noDemo:
			return service.ErrNotInitialised()
		case !used:
			loadDemo = true
		}
	}
	isDemo, _ := svc.Meta.Setting(ctx, demo.SettingDemo)
	if (loadDemo || isDemo == "1") && !*demoAnywhere && !loopback(cfg.Addr) {
		return fmt.Errorf("拒绝在非回环地址 %s 上提供演示城市：演示账号的密码（%s）是公开的，任何人都能以管理员登录。\n"+
			"正式部署请先运行 `kechuang init` 安装本市（不含演示数据）；确需对外演示时加 --demo", cfg.Addr, demo.Password)
	}
	var logins []demo.Login
	resume, err := demo.Pending(ctx, svc) // a demo load that stopped part-way: finish it
	if err != nil {
		return err
	}
	if loadDemo || resume {
		fmt.Fprintln(env.Stdout, "载入演示城市（沈阳）……")
		if logins, err = demo.Load(ctx, svc, svc.Now(), env.Stdout); err != nil {
			return fmt.Errorf("载入演示数据：%w", err)
		}
	} else if isDemo == "1" {
		logins = demo.Logins()
	}
	if err := ensureRegions(ctx, env, svc.Meta); err != nil {
		return err
	}
	if n, err := svc.Reindex(ctx, false); err != nil {
		return fmt.Errorf("重建全文索引：%w", err)
	} else if n > 0 {
		fmt.Fprintf(env.Stdout, "全文索引已按当前分词器重建：%d 条记录\n", n)
	}
	// Anchor the head as found, so that whatever happened to the database
	// while no server ran is pinned before this one appends to it.
	if err := svc.Audit.Anchor(ctx); err != nil {
		return fmt.Errorf("审计链锚点无法写入：%w", err)
	}
	defer anchorAtExit(svc, log)

	handler, err := Handler(svc, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
	fmt.Fprintf(env.Stdout, "科创 Kechuang 已启动：http://%s/  （数据库：%s）\n", ln.Addr(), redact(svc.DatabaseURL()))
	if len(logins) > 0 {
		fmt.Fprintf(env.Stdout, "演示账号（密码均为 %s）：\n", demo.Password)
		for _, l := range logins {
			fmt.Fprintf(env.Stdout, "  %-14s %-8s %s\n", l.Username, l.Role, l.Org)
		}
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go svc.SweepSessions(ctx, time.Hour)
	svc.StartMatchFeed(ctx) // builds in the background; Close (deferred) stops it
	go svc.Notify.RunSweeps(ctx, time.Hour, cfg.NotifyDueDays)
	if cfg.SMTPURL != "" {
		mc, err := mailer.ParseURL(cfg.SMTPURL)
		if err != nil {
			return err
		}
		go svc.Notify.RunMail(ctx, mailer.New(*mc), time.Minute, mailPerRun)
	}
	anchors := time.NewTicker(anchorEvery)
	defer anchors.Stop()
	go svc.Audit.RunAnchors(ctx, anchors.C)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	drain, cancelDrain := context.WithTimeout(context.Background(), drainWait)
	defer cancelDrain()
	if !svc.Drain(drain) {
		log.Warn("background runs still running at exit; the next run closes them as interrupted", "waited", drainWait)
	}
	return nil
}

// drainWait is how long serve waits at exit for the batch runs started
// from a page (a year's assessment of 36,000 firms takes seconds).
const drainWait = time.Minute

// mailPerRun is how many mails the sender sends a minute at most.
const mailPerRun = 50

// anchorEvery is how often serve anchors the audit chain's head while it
// grows: a tail deleted after an anchor is caught.
const anchorEvery = time.Minute

// anchorAtExit anchors the head once more as a command ends (deferred, so
// after the server has shut down and its last requests committed).
func anchorAtExit(svc *service.Service, log *slog.Logger) {
	if err := svc.Audit.Anchor(context.Background()); err != nil {
		log.Error("audit anchor at exit", "err", err)
	}
}

// Handler is the whole HTTP side of `serve`: the API and the pages on one
// mux inside the kernel's middleware, configured by cfg. The security tests
// serve it as it is served.
func Handler(svc *service.Service, cfg *config.Config, log *slog.Logger) (http.Handler, error) {
	kernel := httpx.New(svc.Auth, log)
	kernel.SecureCookies, kernel.TrustProxy, kernel.MetricsToken = cfg.SecureCookies, cfg.TrustProxy, cfg.MetricsToken
	api, err := httpapi.New(svc, kernel)
	if err != nil {
		return nil, err
	}
	pages, err := web.New(svc, kernel, log)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	pages.Routes(mux)
	return kernel.Wrap(mux), nil
}

// loopback reports whether addr (host:port) listens on a loopback address
// only, where the demo's public passwords reach no one else (L6).
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// redact hides a password in a database URL.
func redact(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		rest := url[i+3:]
		if at := strings.Index(rest, "@"); at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 {
				return url[:i+3] + rest[:colon] + ":***" + rest[at:]
			}
		}
	}
	return url
}
