package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"kechuang/internal/bench"
)

const benchUsage = "用法：kechuang bench contracts --n N [--db sqlite|postgres|both] [--batch N] [--queries N]\n" +
	"      kechuang bench chain --n N [--db sqlite|postgres|both] [--queries N]\n" +
	"      kechuang bench http [--db sqlite|postgres] [--c 50] [--d 5s] [--year 2022]\n" +
	"      kechuang bench assess --n N [--seed S] [--rules-dir D] [--cpuprofile F]\n" +
	"      kechuang bench match --corpus DIR|FILE --queries F --qrels F [--json] [--scale N] [--engines a,b] [--config F] [--cpuprofile F] [--memprofile F]"

// runBench: kechuang bench contracts --n N [--db sqlite|postgres|both]
// [--batch N] [--queries N] [--naive-sample N] [--naive-queries N]
// [--postgres DSN]. Exits non-zero if the two peers disagree.
// kechuang bench http: see runBenchHTTP.
func runBench(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "http" {
		return runBenchHTTP(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "chain" {
		return runBenchChain(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "match" {
		return runBenchMatch(env, args[1:])
	}
	if len(args) > 0 && args[0] == "assess" {
		return runBenchAssess(env, args[1:])
	}
	if len(args) == 0 || args[0] != "contracts" {
		return errors.New(benchUsage)
	}
	fs := flag.NewFlagSet("bench contracts", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var o bench.Options
	fs.IntVar(&o.N, "n", 100_000, "生成并导入的已登记合同数量")
	db := fs.String("db", "sqlite", "数据库：sqlite、postgres 或 both")
	fs.IntVar(&o.Batch, "batch", 10_000, "批量导入每个事务的行数")
	fs.IntVar(&o.Queries, "queries", 200, "经汇总表的统计请求次数")
	fs.IntVar(&o.NaiveSample, "naive-sample", 0, "逐行导入（每行一个事务）的样本行数（默认 min(10000, n/10)）")
	fs.IntVar(&o.NaiveQueries, "naive-queries", 0, "GROUP BY 统计的次数（默认 min(10, queries)）")
	fs.IntVar(&o.Year, "year", 2023, "合同登记年份")
	fs.Uint64Var(&o.Seed, "seed", 20230101, "随机数种子（同一种子生成同样的合同）")
	pg := fs.String("postgres", "", "PostgreSQL 服务器地址（在其上新建并最后删除一个基准数据库）；"+
		"默认取 KECHUANG_TEST_POSTGRES，其次 KECHUANG_DATABASE_URL")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch *db {
	case "sqlite", "postgres":
		o.DBs = []string{*db}
	case "both":
		o.DBs = []string{"sqlite", "postgres"}
	default:
		return fmt.Errorf("--db 应为 sqlite、postgres 或 both，实际为 %q", *db)
	}
	o.PostgresDSN = postgresDSN(env, *pg)
	o.Progress = env.Stderr
	results, err := bench.RunContracts(ctx, o)
	bench.Print(env.Stdout, o, results)
	return err
}

// runBenchHTTP: kechuang bench http [--db sqlite|postgres] [--c N] [--d D]
// [--year Y] [--postgres DSN]. Exits non-zero if any request failed.
func runBenchHTTP(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("bench http", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var o bench.HTTPOptions
	fs.StringVar(&o.DB, "db", "sqlite", "数据库：sqlite 或 postgres")
	fs.IntVar(&o.Conns, "c", 50, "并发连接数")
	fs.DurationVar(&o.Duration, "d", 5*time.Second, "每个端点的压测时长（最多 1m）")
	fs.IntVar(&o.Year, "year", 2022, "统计年份（演示城市有 2021、2022 年）")
	pg := fs.String("postgres", "", "PostgreSQL 服务器地址（在其上新建并最后删除一个基准数据库）；"+
		"默认取 KECHUANG_TEST_POSTGRES，其次 KECHUANG_DATABASE_URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.PostgresDSN = postgresDSN(env, *pg)
	o.Progress = env.Stderr
	where, results, err := bench.RunHTTP(ctx, o)
	bench.PrintHTTP(env.Stdout, o, where, results)
	return err
}

// postgresDSN picks the server for the benchmark: the flag, then the test
// server, then the configured database if it is PostgreSQL.
func postgresDSN(env *Env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := env.Getenv("KECHUANG_TEST_POSTGRES"); v != "" {
		return v
	}
	if v := env.Getenv("KECHUANG_DATABASE_URL"); strings.HasPrefix(v, "postgres://") || strings.HasPrefix(v, "postgresql://") {
		return v
	}
	return ""
}

// runBenchChain: kechuang bench chain --n N [--db sqlite|postgres|both]
// [--batch N] [--queries N] [--naive-budget D] [--no-equality]
// [--postgres DSN]. Exits non-zero if the rollup and the records disagree.
func runBenchChain(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("bench chain", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var o bench.ChainOptions
	fs.IntVar(&o.N, "n", 100_000, "生成并导入的科技成果数量")
	db := fs.String("db", "sqlite", "数据库：sqlite、postgres 或 both")
	fs.IntVar(&o.Batch, "batch", 10_000, "批量导入每个事务的行数")
	fs.IntVar(&o.Queries, "queries", 0, "经全文索引的检索次数（默认每个检索词 10 次）")
	fs.IntVar(&o.StatQueries, "stat-queries", 200, "经汇总表的统计次数")
	fs.DurationVar(&o.NaiveBudget, "naive-budget", 2*time.Minute, "LIKE 检索的时间预算（至少每个检索词一次）")
	fs.BoolVar(&o.SkipEquality, "no-equality", false, "不比较索引与 LIKE 找到的记录")
	fs.Uint64Var(&o.Seed, "seed", 20220101, "随机数种子")
	pg := fs.String("postgres", "", "PostgreSQL 服务器地址（在其上新建并最后删除一个基准数据库）；"+
		"默认取 KECHUANG_TEST_POSTGRES，其次 KECHUANG_DATABASE_URL")
	fs.BoolVar(&o.Keep, "keep", false, "保留基准数据库（不删除），以便分析查询计划")
	reuseSQLite := fs.String("reuse-sqlite", "", "测量此前 --keep 保留的 SQLite 数据库文件（不再导入）")
	reusePG := fs.String("reuse-postgres", "", "测量此前 --keep 保留的 PostgreSQL 数据库（完整地址；不再导入）")
	cpuProfile := fs.String("cpuprofile", "", "将 CPU 剖析写入此文件（go tool pprof）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	switch *db {
	case "sqlite", "postgres":
		o.DBs = []string{*db}
	case "both":
		o.DBs = []string{"sqlite", "postgres"}
	default:
		return fmt.Errorf("--db 应为 sqlite、postgres 或 both，实际为 %q", *db)
	}
	o.PostgresDSN = postgresDSN(env, *pg)
	o.Reuse = map[string]string{}
	if *reuseSQLite != "" {
		o.Reuse["sqlite"] = "sqlite:" + *reuseSQLite
	}
	if *reusePG != "" {
		o.Reuse["postgres"] = *reusePG
	}
	o.Progress = env.Stderr
	results, err := bench.RunChain(ctx, o)
	bench.PrintChain(env.Stdout, o, results)
	return err
}

// runBenchAssess: kechuang bench assess --n N [--seed S] [--rules-dir D].
// Every rule set over N generated firms, by the engine and by the same
// rules hand-written in Go; exits non-zero if the two disagree on a firm.
func runBenchAssess(env *Env, args []string) error {
	fs := flag.NewFlagSet("bench assess", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var o bench.AssessOptions
	fs.IntVar(&o.N, "n", 100_000, "生成的企业数量")
	fs.Uint64Var(&o.Seed, "seed", 20230101, "随机数种子")
	fs.StringVar(&o.RulesDir, "rules-dir", "", "规则文件目录（默认内置）")
	prof := fs.String("cpuprofile", "", "把 CPU 剖析写入该文件（go tool pprof 读取）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.N <= 0 || o.N > 10_000_000 {
		return fmt.Errorf("--n 应在 1 到 10,000,000 之间，实际为 %d", o.N)
	}
	stop, err := startCPUProfile(*prof)
	if err != nil {
		return err
	}
	defer stop()
	rs, gen, err := bench.RunAssess(o)
	bench.PrintAssess(env.Stdout, o, gen, rs)
	return err
}
