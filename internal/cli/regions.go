package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
)

const regionsUsage = "用法：kechuang regions load --file F [--version YYYY-MM-DD] | kechuang regions status"

// runRegions serves `kechuang regions load|status`: load a newer national
// table of administrative divisions (the embedded one's format: one
// "code name" a line), or say which edition is loaded.
func runRegions(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return errors.New(regionsUsage)
	}
	switch args[0] {
	case "load":
		return runRegionsLoad(ctx, env, args[1:])
	case "status":
		_, svc, err := openService(ctx, env)
		if err != nil {
			return err
		}
		defer svc.Close()
		ed, err := svc.Meta.RegionsEdition(ctx)
		if err != nil {
			return err
		}
		if ed == "" {
			fmt.Fprintf(env.Stdout, "尚未载入行政区划表（程序内置 %s 版，serve 或 migrate 时自动载入）\n", gb2260.EmbeddedVersion)
			return nil
		}
		all, err := svc.Meta.Regions(ctx)
		if err != nil {
			return err
		}
		current := 0
		for _, r := range all {
			if r.Withdrawn == "" {
				current++
			}
		}
		fmt.Fprintf(env.Stdout, "行政区划表：%s 版，现行代码 %d 个，已撤销 %d 个（程序内置 %s 版）\n",
			ed, current, len(all)-current, gb2260.EmbeddedVersion)
		return nil
	}
	return errors.New(regionsUsage)
}

// editionInName finds an edition in a file name: the last date
// YYYY-MM-DD, else the last year YYYY ("areacodes-2025-06-30.txt").
var editionInName = regexp.MustCompile(`(\d{4}-\d{2}-\d{2}|\d{4})`)

func editionOf(file, flagged string) (string, error) {
	v := flagged
	if v == "" {
		m := editionInName.FindAllString(filepath.Base(file), -1)
		if len(m) == 0 {
			return "", fmt.Errorf("文件名 %s 中没有版本（日期 YYYY-MM-DD 或年份），请用 --version 指明", filepath.Base(file))
		}
		v = m[len(m)-1]
	}
	if !domain.ValidRegionsEdition(v) {
		return "", fmt.Errorf("版本 %q 应为日期 YYYY-MM-DD 或年份 YYYY", v)
	}
	return v, nil
}

func runRegionsLoad(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("regions load", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	file := fs.String("file", "", "行政区划表文件（每行“六位代码 名称”）")
	version := fs.String("version", "", "版本（默认取自文件名，如 2025-12-31）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" || fs.NArg() > 0 {
		return errors.New(regionsUsage)
	}
	ed, err := editionOf(*file, *version)
	if err != nil {
		return err
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	t, err := gb2260.Parse(io.LimitReader(f, 8<<20), ed)
	if err != nil {
		return fmt.Errorf("%s：%w（未载入任何内容）", filepath.Base(*file), err)
	}
	cfg, svc, err := openService(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	ch, err := svc.Meta.LoadRegions(ctx, domain.SystemActor(), t)
	if err != nil {
		return err
	}
	printRegionChanges(env.Stdout, ch)
	return nil
}

// printRegionChanges says what a load changed, with the first codes of
// each kind.
func printRegionChanges(w io.Writer, ch *domain.RegionChanges) {
	prev := ch.Previous
	if prev == "" {
		prev = "无"
	}
	fmt.Fprintf(w, "已载入行政区划表 %s 版（此前 %s）：共 %d 个代码；新增 %d，更名或改隶 %d，撤销 %d，恢复 %d\n",
		ch.Edition, prev, ch.Total, len(ch.Added), len(ch.Renamed), len(ch.Withdrawn), len(ch.Restored))
	const show = 20
	list := func(label string, rs []domain.Region) {
		if len(rs) == 0 || len(rs) == ch.Total {
			return
		}
		fmt.Fprintf(w, "  %s：", label)
		for i, r := range rs[:min(len(rs), show)] {
			if i > 0 {
				fmt.Fprint(w, "、")
			}
			fmt.Fprintf(w, "%s %s", r.Code, r.Name)
		}
		if len(rs) > show {
			fmt.Fprintf(w, " 等 %d 个", len(rs))
		}
		fmt.Fprintln(w)
	}
	list("新增", ch.Added)
	for i, r := range ch.Renamed[:min(len(ch.Renamed), show)] {
		if i == 0 {
			fmt.Fprintln(w, "  更名或改隶：")
		}
		fmt.Fprintf(w, "    %s %s → %s", r.Code, r.From, r.To)
		if r.OldParent != r.NewParent {
			fmt.Fprintf(w, "（上级 %s → %s）", r.OldParent, r.NewParent)
		}
		fmt.Fprintln(w)
	}
	if len(ch.Renamed) > show {
		fmt.Fprintf(w, "    …共 %d 个\n", len(ch.Renamed))
	}
	list("撤销（保留名称，已有记录照常显示，新记录不能再用）", ch.Withdrawn)
	list("恢复", ch.Restored)
}

// ensureRegions loads the embedded national table into a database that
// has none or an older edition (serve and migrate).
func ensureRegions(ctx context.Context, env *Env, svc interface {
	EnsureRegions(context.Context) (*domain.RegionChanges, error)
}) error {
	ch, err := svc.EnsureRegions(ctx)
	if err != nil {
		return fmt.Errorf("载入行政区划表：%w", err)
	}
	if ch != nil {
		printRegionChanges(env.Stdout, ch)
	}
	return nil
}
