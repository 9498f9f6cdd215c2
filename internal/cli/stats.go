package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// runStats checks the statistics rollup against the contract records, or
// rebuilds it from them (after a restore or a manual fix of the records).
func runStats(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "check" && args[0] != "rebuild") {
		return errors.New("用法：kechuang stats check [年份…] | kechuang stats rebuild")
	}
	_, svc, err := openService(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Store.Close()
	if args[0] == "rebuild" {
		if err := svc.Store.RebuildRollup(ctx); err != nil {
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
	if len(years) == 0 {
		if years, err = svc.Store.RegisteredYears(ctx); err != nil {
			return err
		}
	}
	rolled, err := svc.Store.RollupRows(ctx, years...)
	if err != nil {
		return err
	}
	naive, err := svc.Store.RollupRowsNaive(ctx, years...)
	if err != nil {
		return err
	}
	diff := 0
	for i := 0; i < max(len(rolled), len(naive)); i++ {
		if i >= len(rolled) || i >= len(naive) || rolled[i] != naive[i] {
			diff++
		}
	}
	if diff > 0 {
		fmt.Fprintf(env.Stdout, "统计汇总表与合同记录不一致：%d 处差异（汇总 %d 格，记录 %d 格）；请运行 kechuang stats rebuild\n", diff, len(rolled), len(naive))
		return fmt.Errorf("rollup differs from the records in %d cells", diff)
	}
	fmt.Fprintf(env.Stdout, "统计汇总表与合同记录一致：%v 年共 %d 格\n", years, len(rolled))
	return nil
}
