package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"kechuang/internal/domain"
)

// runEnterprises: kechuang enterprises assess --year Y [--rules-dir D] is
// the bureau's batch run of a year (every filing of the year assessed
// under the tier rule sets, one transaction per 1000 filings; a rerun
// replaces the verdicts), then the year's tier figures.
func runEnterprises(ctx context.Context, env *Env, args []string) error {
	usage := errors.New("用法：kechuang enterprises assess --year Y [--rules-dir D]")
	if len(args) == 0 || args[0] != "assess" {
		return usage
	}
	fs := flag.NewFlagSet("enterprises assess", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	year := fs.Int("year", 0, "评价年度（该年度的全部企业填报）")
	dir := fs.String("rules-dir", "", "规则文件目录（默认内置；亦可用 KECHUANG_RULES_DIR）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *year == 0 || fs.NArg() > 0 {
		return usage
	}
	cfg, svc, err := openCity(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	svc.EnterpriseAssess.UseRulesDir(rulesDir(env, *dir))
	start := time.Now()
	r, err := svc.EnterpriseAssess.Run(ctx, domain.SystemActor(), *year)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.Stdout, "%d 年度批量评价 #%d：评价填报 %d 份，用时 %.1f 秒。\n", r.Year, r.ID, r.Done, time.Since(start).Seconds())
	for _, rs := range r.RuleSets {
		line := fmt.Sprintf("  %s：", domain.TierRuleSetLabel(rs))
		codes := domain.AssessVerdicts.Codes()
		for i, v := range codes {
			if i > 0 {
				line += "，"
			}
			line += fmt.Sprintf("%s %d", v.Label(), r.Counts[rs][v])
		}
		fmt.Fprintln(env.Stdout, line)
	}
	st, err := svc.EnterpriseAssess.Stats(ctx, *year)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.Stdout, "科技型企业 %d 家（比上年 %+d），高新技术企业 %d 家，雏鹰 %d 家，瞪羚/独角兽 %d 家，入库培育 %d 家（口径：%s）。\n",
		st.TechEnterprises, st.TechEnterprisesAdded, st.HighTech, st.Eaglet, st.GazelleUnicorn, st.PoolIntake, st.PoolIntakeRule.Label())
	return nil
}
