package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"

	"kechuang/internal/bench"
	"kechuang/internal/match"
)

// runBenchMatch: kechuang bench match --corpus DIR|FILE --queries F
// --qrels F [--json] [--scale N] [--engines a,b] [--config F]
// [--cpuprofile F] [--memprofile F]. Builds our
// engine and the peers over the corpus, runs the needs and prints each
// engine's figures.
func runBenchMatch(env *Env, args []string) error {
	fs := flag.NewFlagSet("bench match", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	corpus := fs.String("corpus", "", "语料：JSON Lines 文件，或其中每个 .jsonl 文件都读入的目录")
	queries := fs.String("queries", "", "需求文件（JSON Lines：qid、need、breadth）")
	qrels := fs.String("qrels", "", "评判文件（TREC：qid 0 doc_id grade）")
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	scale := fs.Int("scale", 0, "把语料扰动复制到 N 篇以测速度与内存（0：原样）")
	engines := fs.String("engines", "", "只运行这些引擎（逗号分隔；默认全部："+strings.Join(bench.MatchEngineNames, ",")+"）")
	cfgPath := fs.String("config", "", "匹配引擎的配置 JSON（默认内置配置）")
	prof := fs.String("cpuprofile", "", "把 CPU 剖析写入该文件（go tool pprof 读取）")
	memProf := fs.String("memprofile", "", "每个引擎建完索引后把堆剖析写入该文件（引擎名为后缀；go tool pprof -sample_index=inuse_space）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *corpus == "" || *queries == "" || *qrels == "" {
		return errors.New("--corpus、--queries 与 --qrels 都必须给出")
	}
	if *scale < 0 || *scale > 10_000_000 {
		return fmt.Errorf("--scale 应在 0 到 10000000 之间，实际为 %d", *scale)
	}
	o := bench.MatchOptions{Scale: *scale, Config: match.DefaultConfig(), Progress: env.Stderr}
	if *cfgPath != "" {
		f, err := os.Open(*cfgPath)
		if err != nil {
			return fmt.Errorf("--config：%v", err)
		}
		o.Config, err = match.LoadConfig(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("--config：%v", err)
		}
	}
	if *engines != "" {
		o.Engines = strings.Split(*engines, ",")
	}
	var err error
	if o.Docs, err = bench.LoadCorpus(*corpus); err != nil {
		return err
	}
	qf, err := os.Open(*queries)
	if err != nil {
		return fmt.Errorf("--queries：%v", err)
	}
	o.Queries, err = bench.ReadQueries(qf)
	qf.Close()
	if err != nil {
		return err
	}
	rf, err := os.Open(*qrels)
	if err != nil {
		return fmt.Errorf("--qrels：%v", err)
	}
	o.Qrels, err = bench.ReadQrels(rf)
	rf.Close()
	if err != nil {
		return err
	}
	var profErr error
	if *memProf != "" {
		o.AfterBuild = func(engine string) {
			if profErr == nil {
				profErr = writeHeapProfile(*memProf + "." + engine)
			}
		}
	}
	stop, err := startCPUProfile(*prof)
	if err != nil {
		return err
	}
	rep, err := bench.RunMatch(o)
	stop()
	if err != nil {
		return err
	}
	if profErr != nil {
		return profErr
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	bench.PrintMatch(env.Stdout, rep)
	return nil
}

// startCPUProfile writes a CPU profile to path until stop is called (no
// profile when path is empty).
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %v", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %v", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeHeapProfile writes the heap's in-use profile (after a collection)
// to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--memprofile: %v", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--memprofile: %v", err)
	}
	return f.Close()
}
