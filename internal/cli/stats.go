package cli

import (
	"context"
	"errors"
	"fmt"
	"kechuang/internal/domain"
	"slices"
	"strconv"
)

// runStats checks the statistics rollup against the contract records, or
// rebuilds it from them (after a restore or a manual fix of the records).
func runStats(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "check" && args[0] != "rebuild") {
		return errors.New("用法：kechuang stats check [年份…] | kechuang stats rebuild")
	}
	_, svc, err := openCity(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	if args[0] == "rebuild" {
		if err := svc.Contracts.RebuildRollup(ctx, domain.SystemActor()); err != nil {
			return err
		}
		if err := svc.Achievements.RebuildAchievementRollup(ctx, domain.SystemActor()); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "已按合同记录重建统计汇总表")
		return nil
	}
	var years []int
	for _, a := range args[1:] {
		y, err := strconv.Atoi(a)
		if err != nil || y < 1980 || y > 2200 {
			return fmt.Errorf("年份“%s”无效", a)
		}
		years = append(years, y)
	}
	asked := slices.Clone(years)
	rolled, naive, err := svc.Contracts.RollupCheck(ctx, domain.SystemActor(), years...)
	if err != nil {
		return err
	}
	if len(years) == 0 {
		years = yearsOf(rolled, naive)
	}
	diff := 0
	for i := 0; i < max(len(rolled), len(naive)); i++ {
		if i >= len(rolled) || i >= len(naive) || rolled[i] != naive[i] {
			diff++
		}
	}
	aRolled, aNaive, err := svc.Achievements.AchievementRollupCheck(ctx, domain.SystemActor(), asked...)
	if err != nil {
		return err
	}
	if !slices.Equal(aRolled, aNaive) {
		fmt.Fprintf(env.Stdout, "成果统计汇总表与成果记录不一致（汇总 %d 格，记录 %d 格）；请运行 kechuang stats rebuild\n", len(aRolled), len(aNaive))
		return fmt.Errorf("achievement rollup differs from the records")
	}
	if diff > 0 {
		fmt.Fprintf(env.Stdout, "统计汇总表与合同记录不一致：%d 处差异（汇总 %d 格，记录 %d 格）；请运行 kechuang stats rebuild\n", diff, len(rolled), len(naive))
		return fmt.Errorf("rollup differs from the records in %d cells", diff)
	}
	fmt.Fprintf(env.Stdout, "统计汇总表与合同记录一致：%v 年共 %d 格\n", years, len(rolled))
	return nil
}

// yearsOf lists the years the cells cover.
func yearsOf(cells ...[]domain.RollupRow) []int {
	seen := map[int]bool{}
	var out []int
	for _, cs := range cells {
		for _, c := range cs {
			if !seen[c.Year] {
				seen[c.Year] = true
				out = append(out, c.Year)
			}
		}
	}
	slices.Sort(out)
	return out
}
