package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/search"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// `kechuang bench chain --n N` loads N achievements made of the demo
// catalogue's real texts (a title of one text with the keywords and
// abstract of another, drawn deterministically; the index tokens of each
// text computed once and reused), then times the public catalogue search
// through the full-text index against the LIKE scan it replaced, and the
// chain's achievements_published figures from the achievement rollup
// against a GROUP BY over the records, and checks that both peers agree.

// ChainQueries are the benchmark's search terms: real 2–4 character terms
// of the catalogue's texts, frequent and rare, Chinese and ASCII.
var ChainQueries = []string{"算法", "控制", "材料", "土壤", "玉米", "神经网络", "遥感", "纳米", "有限元", "传感器",
	"深度学习", "大数据", "水稻", "复合材料", "机器人", "注意力", "疫苗", "稀土", "焊接", "涡轮", "光伏", "石墨烯",
	"图像识别", "锂电池", "5G", "GPS", "BP", "无人机 控制"}

// ChainOptions configure a chain benchmark.
type ChainOptions struct {
	N            int           // achievements to load
	Batch        int           // rows per transaction
	Queries      int           // searches through the index (cycling over ChainQueries)
	NaiveBudget  time.Duration // time for the LIKE peer (at least one pass over the queries)
	StatQueries  int           // statistics reads through the rollup
	DBs          []string
	PostgresDSN  string
	Seed         uint64
	TempDir      string
	Progress     io.Writer
	SkipEquality bool              // skip the id-set comparison (slow on big loads)
	Reuse        map[string]string // by database: the DSN of a database an earlier run kept, measured without loading
	Keep         bool              // keep the databases (to study the plans), never dropped
}

func (o *ChainOptions) defaults() error {
	if o.N < 1 {
		return errors.New("成果数量 --n 须大于0")
	}
	if o.Batch < 1 {
		o.Batch = 10_000
	}
	if o.Queries < 1 {
		o.Queries = 10 * len(ChainQueries)
	}
	if o.StatQueries < 1 {
		o.StatQueries = 200
	}
	if o.NaiveBudget <= 0 {
		o.NaiveBudget = 2 * time.Minute
	}
	if o.Seed == 0 {
		o.Seed = 20220101
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	for _, db := range o.DBs {
		if db != "sqlite" && db != "postgres" {
			return errors.New("数据库 --db 应为 sqlite、postgres 或 both")
		}
		if db == "postgres" && o.PostgresDSN == "" {
			return errors.New("未配置 PostgreSQL：请用 --postgres、KECHUANG_TEST_POSTGRES 或 KECHUANG_DATABASE_URL 指定服务器")
		}
	}
	return nil
}

// QueryCheck compares the ids one query finds through the index and by
// LIKE.
type QueryCheck struct {
	Query             string
	Index, Like       int // rows found
	Missing           int // found by LIKE, not by the index
	Extra             int // found by the index, not by LIKE
	IndexDur, LikeDur time.Duration
}

// ChainResult is the measurement of one database.
type ChainResult struct {
	DB, Where       string
	N               int
	Load            Import
	Rows, Index     time.Duration // wall time of the rows' load and of the index build after it
	Search, Like    Latency
	SearchPerQuery  map[string]Latency
	LikePerQuery    map[string]Latency
	Rollup, GroupBy Latency
	Equal           []QueryCheck
	Checks          []Check
}

// OK reports whether the statistics agree.
func (r *ChainResult) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return len(r.Checks) > 0
}

// chainTexts are the catalogue's texts with their tokens, computed once.
type chainTexts struct {
	texts       []demo.CatalogueText
	title, body [][]string
	chain       []string
	common      sync.Once
	commonCode  string
}

func loadChainTexts() (*chainTexts, error) {
	ts, err := demo.CatalogueTexts()
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(ts))
	for i := range idx {
		idx[i] = i
	}
	docs, err := demo.CatalogueDocs(idx) // segmented once per process, shared with the demo's loads
	if err != nil {
		return nil, err
	}
	c := &chainTexts{texts: ts, title: make([][]string, len(ts)), body: make([][]string, len(ts)), chain: make([]string, len(ts))}
	for i, t := range ts {
		c.title[i], c.body[i], c.chain[i] = docs[i].Title, docs[i].Body, demo.CatalogueChain(t)
	}
	return c, nil
}

// RunChain runs the chain benchmark on each database of o.
func RunChain(ctx context.Context, o ChainOptions) ([]*ChainResult, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	start := time.Now()
	texts, err := loadChainTexts()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Progress, "分词 %d 篇真实文本（gse + 二元组）：%.1f s\n", len(texts.texts), time.Since(start).Seconds())
	var out []*ChainResult
	for _, db := range o.DBs {
		r, err := runChainOne(ctx, o, db, texts)
		if err != nil {
			return out, fmt.Errorf("%s：%w", db, err)
		}
		out = append(out, r)
	}
	for _, r := range out {
		if !r.OK() {
			return out, ErrDisagree
		}
	}
	return out, nil
}

var chainStatuses = []struct {
	status domain.AchievementStatus
	weight int
}{{domain.AchievementPublished, 88}, {domain.AchievementTransferred, 6}, {domain.AchievementFiled, 3}, {domain.AchievementSubmitted, 2}, {domain.AchievementDraft, 1}}

// generate makes rows [from, to) of the load.
func (c *chainTexts) generate(rng *rand.Rand, owner int64, n int, xs []*domain.Achievement, docs []search.Doc) ([]*domain.Achievement, []search.Doc) {
	xs, docs = xs[:0], docs[:0]
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stages := domain.MaturityStages.Codes()
	for range n {
		a, b := rng.IntN(len(c.texts)), rng.IntN(len(c.texts))
		w := rng.IntN(100)
		st := chainStatuses[0].status
		for _, s := range chainStatuses {
			if w < s.weight {
				st = s.status
				break
			}
			w -= s.weight
		}
		x := &domain.Achievement{Title: c.texts[a].Title, Abstract: c.texts[b].Abstract, Keywords: c.texts[b].Keywords,
			OwnerOrgID: owner, Discipline: c.texts[b].Disc, ChainCode: c.chain[b], Stage: stages[rng.IntN(len(stages))],
			TRL: 1 + rng.IntN(9), Funding: "fiscal", Modes: []string{"license"}, Status: st, CreatedAt: created, UpdatedAt: created}
		if st == domain.AchievementPublished || st == domain.AchievementTransferred {
			x.FiledOn = fmt.Sprintf("%04d-%02d-%02d", 2019+rng.IntN(8), 1+rng.IntN(12), 1+rng.IntN(28))
			x.PublishedOn = x.FiledOn
		}
		xs = append(xs, x)
		docs = append(docs, search.Doc{Title: c.title[a], Body: c.body[b]})
	}
	return xs, docs
}

func runChainOne(ctx context.Context, o ChainOptions, db string, texts *chainTexts) (*ChainResult, error) {
	if dsn := o.Reuse[db]; dsn != "" {
		return reuseChain(ctx, o, db, dsn, texts)
	}
	var f *freshDB
	var err error
	if db == "postgres" {
		f, err = freshPostgres(ctx, o.PostgresDSN)
	} else {
		f, err = freshSQLite(ctx, o.TempDir)
	}
	if err != nil {
		return nil, err
	}
	if o.Keep {
		defer f.Store.Close()
		fmt.Fprintf(o.Progress, "[%s] 保留数据库 %s（--keep：用后自行删除）\n", db, f.Where)
	} else {
		defer f.Close()
	}
	fmt.Fprintf(o.Progress, "[%s] 新建数据库 %s\n", db, f.Where)
	res := &ChainResult{DB: db, Where: f.Where, N: o.N, SearchPerQuery: map[string]Latency{}, LikePerQuery: map[string]Latency{}}
	svc := service.New(f.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	owner, err := setup(ctx, svc, city.Shenyang(), 2023)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 9))
	var xs []*domain.Achievement
	var docs []search.Doc
	nextReport := max(o.N/10, o.Batch)
	loadStart := time.Now()
	err = f.Store.BulkLoad(ctx, func() error {
		for res.Load.Rows < o.N {
			xs, docs = texts.generate(rng, owner, min(o.Batch, o.N-res.Load.Rows), xs, docs)
			start := time.Now()
			if err := f.Store.InTx(ctx, func(q *store.Q) error { return q.BulkInsertAchievementsIndexed(ctx, xs, docs) }); err != nil {
				return fmt.Errorf("批量导入成果：%w", err)
			}
			res.Load.Dur += time.Since(start)
			res.Load.Rows += len(xs)
			if res.Load.Rows >= nextReport || res.Load.Rows == o.N {
				fmt.Fprintf(o.Progress, "[%s] 已导入 %d 条成果（%.0f 条/秒）\n", db, res.Load.Rows, res.Load.Rate())
				nextReport += max(o.N/10, o.Batch)
			}
		}
		res.Rows = time.Since(loadStart)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Index = time.Since(loadStart) - res.Rows
	fmt.Fprintf(o.Progress, "[%s] 全文索引一次建成：%.0f s\n", db, res.Index.Seconds())
	if err := f.Store.Analyze(ctx); err != nil {
		return nil, err
	}
	return measureChain(ctx, o, db, f.Store, texts, res)
}

// reuseChain measures a database an earlier run loaded and kept (--keep,
// then --reuse): the load is not repeated, nor reported.
func reuseChain(ctx context.Context, o ChainOptions, db, dsn string, texts *chainTexts) (*ChainResult, error) {
	st, err := store.Open(ctx, dsn, throwawayKey())
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil { // a database kept by an older build
		return nil, err
	}
	n, err := st.CountAchievements(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Progress, "[%s] 沿用已导入的数据库（%d 条成果）\n", db, n)
	res := &ChainResult{DB: db, Where: "reused", N: int(n), SearchPerQuery: map[string]Latency{}, LikePerQuery: map[string]Latency{}}
	return measureChain(ctx, o, db, st, texts, res)
}

// chainSearch is the i-th search of the benchmark's mix over ChainQueries:
// most of them page 1 of the public catalogue; every fourth narrows by
// year, every fifth by the commonest chain, every seventh by status
// (transferred), and every sixth asks a deep page (the 50th).
func (c *chainTexts) chainSearch(i int) domain.AchievementFilter {
	f := domain.AchievementFilter{Query: ChainQueries[i%len(ChainQueries)], PerPage: 20, Page: 1}
	if i%4 == 3 {
		f.Year = 2019 + i%8
	}
	if i%5 == 1 {
		f.ChainCode = c.commonChain()
	}
	if i%7 == 2 {
		f.Status = domain.AchievementTransferred
	}
	if i%6 == 5 {
		f.Page = 50
	}
	return f
}

// commonChain is the chain most of the texts are on (computed once).
func (c *chainTexts) commonChain() string {
	c.common.Do(func() {
		n := map[string]int{}
		for _, ch := range c.chain {
			if n[ch]++; ch != "" && n[ch] > n[c.commonCode] {
				c.commonCode = ch
			}
		}
	})
	return c.commonCode
}

func measureChain(ctx context.Context, o ChainOptions, db string, st *store.Store, texts *chainTexts, res *ChainResult) (*ChainResult, error) {
	f := struct{ Store *store.Store }{st}
	public := domain.AchievementScope{}
	filter := func(_ string, i int) domain.AchievementFilter { return texts.chainSearch(i) }
	// warm up the caches of both peers alike: one pass each
	for i, q := range ChainQueries {
		if _, _, err := f.Store.FindAchievements(ctx, filter(q, i), public); err != nil {
			return nil, err
		}
	}
	for i := range o.Queries {
		q := ChainQueries[i%len(ChainQueries)]
		start := time.Now()
		if _, _, err := f.Store.FindAchievements(ctx, filter(q, i), public); err != nil {
			return nil, err
		}
		d := time.Since(start)
		res.Search = append(res.Search, d)
		res.SearchPerQuery[q] = append(res.SearchPerQuery[q], d)
	}
	fmt.Fprintf(o.Progress, "[%s] 索引检索 %d 次：p95 %s ms\n", db, len(res.Search), ms(res.Search.Percentile(95)))
	deadline := time.Now().Add(o.NaiveBudget)
	// the LIKE peer: every term once while the budget lasts (at least 8
	// terms), then repeats
	for i := 0; (i < len(ChainQueries) || i < o.Queries) && (i < 8 || time.Now().Before(deadline)); i++ {
		q := ChainQueries[i%len(ChainQueries)]
		start := time.Now()
		if _, _, err := f.Store.FindAchievementsNaive(ctx, filter(q, i), public); err != nil {
			return nil, err
		}
		d := time.Since(start)
		res.Like = append(res.Like, d)
		res.LikePerQuery[q] = append(res.LikePerQuery[q], d)
	}
	fmt.Fprintf(o.Progress, "[%s] LIKE 检索 %d 次：p95 %s ms\n", db, len(res.Like), ms(res.Like.Percentile(95)))
	if !o.SkipEquality {
		for _, q := range ChainQueries {
			t0 := time.Now()
			idx, err := f.Store.AchievementMatches(ctx, q, false)
			if err != nil {
				return nil, err
			}
			t1 := time.Now()
			like, err := f.Store.AchievementMatches(ctx, q, true)
			if err != nil {
				return nil, err
			}
			c := QueryCheck{Query: q, Index: len(idx), Like: len(like), IndexDur: t1.Sub(t0), LikeDur: time.Since(t1)}
			for _, id := range like {
				if _, found := slices.BinarySearch(idx, id); !found {
					c.Missing++
				}
			}
			for _, id := range idx {
				if _, found := slices.BinarySearch(like, id); !found {
					c.Extra++
				}
			}
			res.Equal = append(res.Equal, c)
		}
	}
	years := []int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}
	for i := range o.StatQueries {
		y := years[i%len(years)]
		start := time.Now()
		if _, err := f.Store.AchievementRollupRows(ctx, y); err != nil {
			return nil, err
		}
		res.Rollup = append(res.Rollup, time.Since(start))
	}
	deadline = time.Now().Add(o.NaiveBudget / 2)
	for i := 0; i < len(years) || (time.Now().Before(deadline) && i < o.StatQueries); i++ {
		y := years[i%len(years)]
		start := time.Now()
		if _, err := f.Store.AchievementRollupRowsNaive(ctx, y); err != nil {
			return nil, err
		}
		res.GroupBy = append(res.GroupBy, time.Since(start))
	}
	for _, y := range years {
		rolled, err := f.Store.AchievementRollupRows(ctx, y)
		if err != nil {
			return nil, err
		}
		naive, err := f.Store.AchievementRollupRowsNaive(ctx, y)
		if err != nil {
			return nil, err
		}
		var sum int64
		for _, r := range rolled {
			sum += r.N
		}
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("rollup/%d", y), Want: fmt.Sprint(naive), Got: fmt.Sprint(rolled),
			OK: slices.Equal(rolled, naive)})
		pub, err := f.Store.AchievementsPublishedNaive(ctx, y, "")
		if err != nil {
			return nil, err
		}
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("published/%d", y), Want: fmt.Sprint(pub), Got: fmt.Sprint(sum), OK: pub == sum})
	}
	return res, nil
}

// PrintChain writes the results, the databases side by side.
func PrintChain(w io.Writer, o ChainOptions, rs []*ChainResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nkechuang bench chain — %s 项科技成果（真实摘要重组），每事务 %s 条；%s %s/%s，%d 核；%s\n",
		thousands(int64(rs[0].N)), thousands(int64(o.Batch)), runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), time.Now().Format("2006-01-02"))
	const lw, cw = 52, 36
	row := func(label string, cell func(r *ChainResult) string) {
		line := pad(label, lw)
		for _, r := range rs {
			line += pad(cell(r), cw-1) + " "
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	row("", func(r *ChainResult) string { return r.DB })
	row("导入 load: rows (BulkInsertAchievementsIndexed)", func(r *ChainResult) string {
		return fmt.Sprintf("%s rows/s, %.0f s", thousands(int64(r.Load.Rate())), r.Rows.Seconds())
	})
	row("  then the full-text index in one pass", func(r *ChainResult) string { return fmt.Sprintf("%.0f s", r.Index.Seconds()) })
	row(fmt.Sprintf("检索 catalogue search, %d terms, ms p50/p95/p99", len(ChainQueries)), func(*ChainResult) string { return "" })
	row("  full-text index (FindAchievements)", func(r *ChainResult) string { return triple(r.Search) + fmt.Sprintf(" n=%d", len(r.Search)) })
	row("  naive LIKE scan (FindAchievementsNaive)", func(r *ChainResult) string { return triple(r.Like) + fmt.Sprintf(" n=%d", len(r.Like)) })
	row("  ratio LIKE / index, p50", func(r *ChainResult) string {
		return ratio(float64(r.Like.Percentile(50)), float64(r.Search.Percentile(50)))
	})
	row("  ratio LIKE / index, p95", func(r *ChainResult) string {
		return ratio(float64(r.Like.Percentile(95)), float64(r.Search.Percentile(95)))
	})
	row("  target index p95 ≤ 50 ms", func(r *ChainResult) string { return verdict(r.Search.Percentile(95) <= 50*time.Millisecond) })
	row("统计 achievements by year × chain × status, ms", func(*ChainResult) string { return "" })
	row("  rollup (AchievementRollupRows)", func(r *ChainResult) string { return triple(r.Rollup) + fmt.Sprintf(" n=%d", len(r.Rollup)) })
	row("  GROUP BY over the records", func(r *ChainResult) string { return triple(r.GroupBy) + fmt.Sprintf(" n=%d", len(r.GroupBy)) })
	row("  ratio GROUP BY / rollup, p50", func(r *ChainResult) string {
		return ratio(float64(r.GroupBy.Percentile(50)), float64(r.Rollup.Percentile(50)))
	})
	row("  ratio GROUP BY / rollup, p95", func(r *ChainResult) string {
		return ratio(float64(r.GroupBy.Percentile(95)), float64(r.Rollup.Percentile(95)))
	})
	row("  target rollup p95 ≤ 20 ms", func(r *ChainResult) string { return verdict(r.Rollup.Percentile(95) <= 20*time.Millisecond) })
	row("  agreement rollup = GROUP BY (8 years)", func(r *ChainResult) string {
		if r.OK() {
			return fmt.Sprintf("OK (%d checks)", len(r.Checks))
		}
		return "FAILED"
	})
	row("每个检索词 per term: index p50 / LIKE p50 ms", func(*ChainResult) string { return "" })
	for _, q := range ChainQueries {
		row("  "+q, func(r *ChainResult) string {
			return ms(r.SearchPerQuery[q].Percentile(50)) + " / " + ms(r.LikePerQuery[q].Percentile(50))
		})
	}
	if len(rs[0].Equal) > 0 {
		row("一致性 rows found: index / LIKE (missing, extra)", func(*ChainResult) string { return "" })
		for i := range rs[0].Equal {
			row("  "+rs[0].Equal[i].Query, func(r *ChainResult) string {
				if i >= len(r.Equal) {
					return ""
				}
				c := r.Equal[i]
				return fmt.Sprintf("%s / %s (−%d, +%d)", thousands(int64(c.Index)), thousands(int64(c.Like)), c.Missing, c.Extra)
			})
		}
	}
	for _, r := range rs {
		for _, c := range r.Checks {
			if !c.OK {
				fmt.Fprintf(w, "不一致 [%s] %s：应为 %s，实际 %s\n", r.DB, c.Name, c.Want, c.Got)
			}
		}
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
