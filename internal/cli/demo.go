package cli

import (
	"context"
	"fmt"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
)

// runDemo loads the demo city into the configured database, migrating an
// empty one first. It refuses a database that already holds data.
func runDemo(ctx context.Context, env *Env, args []string) error {
	_, db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	db.Close()
	cfg, svc, err := openService(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	orgs, _, err := svc.Meta.Orgs(ctx, domain.SystemActor(), domain.OrgFilter{Limit: 1})
	if err != nil {
		return err
	}
	resume, err := demo.Pending(ctx, svc)
	if err != nil {
		return err
	}
	if len(orgs) > 0 && !resume {
		return fmt.Errorf("数据库中已有 %d 个机构，演示城市只能载入空数据库", len(orgs))
	}
	fmt.Fprintln(env.Stdout, "载入演示城市（沈阳）……")
	logins, err := demo.Load(ctx, svc, svc.Now(), env.Stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "完成。演示账号（密码均为 %s）：\n", demo.Password)
	for _, l := range logins {
		fmt.Fprintf(env.Stdout, "  %-14s %-8s %s\n", l.Username, l.Role, l.Org)
	}
	return nil
}
