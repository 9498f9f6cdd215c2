// Package bench measures Kechuang against named peers in the same run
// (DESIGN.md §5): `kechuang bench contracts` loads a year of generated
// registered contracts into a fresh database with the batched import and
// row by row, then times the public statistics from the rollup against a
// plain GROUP BY over the records, and checks that both give the same
// figures.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// Options configure a contracts benchmark.
type Options struct {
	N            int           // contracts to load
	Batch        int           // rows per transaction of the batched import
	NaiveSample  int           // rows inserted one transaction each (0: min(10,000, N/10))
	Queries      int           // statistics requests through the rollup
	NaiveQueries int           // statistics computations by GROUP BY (0: min(10, Queries))
	NaiveBudget  time.Duration // stop the GROUP BY peer after this long, with at least 3 samples (0: 60 s)
	DBs          []string      // "sqlite", "postgres"
	PostgresDSN  string        // server on which a fresh database is created
	Year         int
	Seed         uint64
	TempDir      string    // for the SQLite file ("" = os.TempDir)
	Progress     io.Writer // progress lines; nil for none
}

func (o *Options) defaults() error {
	if o.N < 1 {
		return errors.New("合同数量 --n 须大于0")
	}
	if o.Batch < 1 {
		o.Batch = 10_000
	}
	if o.NaiveSample <= 0 {
		o.NaiveSample = max(1, min(10_000, o.N/10))
	}
	o.NaiveSample = min(o.NaiveSample, o.N)
	if o.Queries < 1 {
		o.Queries = 200
	}
	if o.NaiveQueries <= 0 {
		o.NaiveQueries = min(10, o.Queries)
	}
	if o.NaiveBudget <= 0 {
		o.NaiveBudget = time.Minute
	}
	if o.Year == 0 {
		o.Year = 2023
	}
	if o.Seed == 0 {
		o.Seed = 20230101
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

// Import is one peer of the import measurement.
type Import struct {
	Rows int
	Dur  time.Duration // time inside the database calls only
}

// Rate is rows per second.
func (i Import) Rate() float64 {
	if i.Dur <= 0 {
		return 0
	}
	return float64(i.Rows) / i.Dur.Seconds()
}

// Latency is a sample of request durations.
type Latency []time.Duration

// Check is one agreement check between the peers.
type Check struct {
	Name      string
	Want, Got string
	OK        bool
}

// Result is the measurement of one database.
type Result struct {
	DB, Where             string
	N                     int
	Bulk, Naive           Import
	HTTP, Rollup, GroupBy Latency
	Checks                []Check
}

// OK reports whether every agreement check passed.
func (r *Result) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return len(r.Checks) > 0
}

// ErrDisagree is returned when the two peers give different figures.
var ErrDisagree = errors.New("基准的两条路径结果不一致")

// RunContracts runs the benchmark on each database of o and returns the
// results; the error is ErrDisagree if any check failed.
func RunContracts(ctx context.Context, o Options) ([]*Result, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	var out []*Result
	for _, db := range o.DBs {
		r, err := runOne(ctx, o, db)
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

func runOne(ctx context.Context, o Options, db string) (*Result, error) {
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
	defer f.Close()
	fmt.Fprintf(o.Progress, "[%s] 新建数据库 %s\n", db, f.Where)
	res := &Result{DB: db, Where: f.Where, N: o.N}
	svc := service.New(f.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := city.Shenyang()
	registry, err := setup(ctx, svc, c, o.Year)
	if err != nil {
		return nil, err
	}
	gen := NewGenerator(c, o.Seed, o.Year, o.N, registry, registry)
	var want service.ContractAgg
	if err := loadNaive(ctx, o, f.Store, gen, res, &want); err != nil {
		return nil, err
	}
	if err := loadBulk(ctx, o, f.Store, gen, res, &want); err != nil {
		return nil, err
	}
	if err := measureStats(ctx, o, svc, res, want); err != nil {
		return nil, err
	}
	return res, nil
}

// setup installs the city file through the one use case that installs a
// city (service.Admin.InstallCity: regions, chains, settings, targets, the
// bureau, the registry and an administrator with a random password), then
// adds a target for the benchmark's year when the file has none, so the
// statistics compute their progress; it returns the registry's id.
func setup(ctx context.Context, svc *service.Service, c *city.City, year int) (int64, error) {
	pw := make([]byte, 16)
	rand.Read(pw)
	in, err := svc.Admin.InstallCity(ctx, c, service.InstallAdmin{Username: "admin", Password: hex.EncodeToString(pw)})
	if err != nil {
		return 0, err
	}
	if _, ok := c.Target(year, service.TargetContractTurnover); !ok {
		err = svc.Seed(ctx, func(tx *store.Q) error {
			return tx.SetTarget(ctx, year, service.TargetContractTurnover, 100_000_000*100*10_000)
		})
	}
	return in.Registry.ID, err
}

func count(want *service.ContractAgg, cs []*domain.Contract) {
	for _, c := range cs {
		want.Count++
		want.TurnoverFen += c.TurnoverFen
		want.TechTransactionFen += c.TechTransactionFen
	}
}

// loadNaive inserts the first NaiveSample contracts the naive way: one
// tx.InsertContract per transaction, as a loop over the service would.
func loadNaive(ctx context.Context, o Options, st *store.Store, gen *Generator, res *Result, want *service.ContractAgg) error {
	var buf []*domain.Contract
	for res.Naive.Rows < o.NaiveSample {
		cs, err := gen.Next(buf, min(o.Batch, o.NaiveSample-res.Naive.Rows))
		if err != nil {
			return err
		}
		start := time.Now()
		for _, c := range cs {
			if err := st.InTx(ctx, func(tx *store.Q) error { return tx.InsertContract(ctx, c, gen.City.Code) }); err != nil {
				return fmt.Errorf("逐行导入：%w", err)
			}
		}
		res.Naive.Dur += time.Since(start)
		res.Naive.Rows += len(cs)
		count(want, cs)
		buf = cs
	}
	fmt.Fprintf(o.Progress, "[%s] 逐行导入 %d 条：%.0f 条/秒\n", res.DB, res.Naive.Rows, res.Naive.Rate())
	return nil
}

// loadBulk inserts the rest with BulkInsertContracts, Batch rows per
// transaction, the rollup maintained in the same transactions.
func loadBulk(ctx context.Context, o Options, st *store.Store, gen *Generator, res *Result, want *service.ContractAgg) error {
	var buf []*domain.Contract
	step := max(o.N/10, o.Batch)
	nextReport := step
	for !gen.Done() {
		cs, err := gen.Next(buf, o.Batch)
		if err != nil {
			return err
		}
		start := time.Now()
		if err := st.InTx(ctx, func(tx *store.Q) error { return tx.BulkInsertContracts(ctx, cs, gen.City.Code) }); err != nil {
			return fmt.Errorf("批量导入：%w", err)
		}
		res.Bulk.Dur += time.Since(start)
		res.Bulk.Rows += len(cs)
		count(want, cs)
		buf = cs
		if loaded := res.Naive.Rows + res.Bulk.Rows; loaded >= nextReport || gen.Done() {
			fmt.Fprintf(o.Progress, "[%s] 批量导入 %d/%d 条：%.0f 条/秒\n", res.DB, loaded, o.N, res.Bulk.Rate())
			nextReport += step
		}
	}
	return nil
}

// measureStats times the statistics through the real HTTP handler (an
// in-process httptest server on loopback) and through the service from the
// rollup, against the naive GROUP BY through the service, and checks that
// all give the generated figures.
func measureStats(ctx context.Context, o Options, svc *service.Service, res *Result, want service.ContractAgg) error {
	k := httpx.New(svc.Auth, slog.New(slog.NewTextHandler(io.Discard, nil)))
	api, err := httpapi.New(svc, k)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	srv := httptest.NewServer(k.Wrap(mux))
	defer srv.Close()
	url := srv.URL + "/api/v1/stats/contracts?year=" + strconv.Itoa(o.Year)

	var viaHTTP service.ContractStats
	get := func() error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(resp.Body)
			return fmt.Errorf("GET %s: %s %s", url, resp.Status, b)
		}
		return json.NewDecoder(resp.Body).Decode(&viaHTTP)
	}
	var rollup, naive *service.ContractStats
	runs := []struct {
		n      int
		budget time.Duration
		lat    *Latency
		fn     func() error
	}{
		{o.Queries, 0, &res.HTTP, get},
		{o.Queries, 0, &res.Rollup, func() error { rollup, err = svc.Contracts.StatsRollup(ctx, o.Year); return err }},
		{o.NaiveQueries, o.NaiveBudget, &res.GroupBy, func() error { naive, err = svc.Contracts.StatsNaive(ctx, o.Year); return err }},
	}
	for _, r := range runs {
		// Warm up the fast peers (connections, statement caches). The GROUP BY
		// peer reads the whole table each time, far beyond any cache, so its
		// first run is as representative as any and is counted.
		if r.budget == 0 {
			if err := r.fn(); err != nil {
				return err
			}
		}
		began := time.Now()
		for i := range r.n {
			if r.budget > 0 && i >= 3 && time.Since(began) > r.budget {
				break // the slow peer: enough samples for its order of magnitude
			}
			start := time.Now()
			if err := r.fn(); err != nil {
				return err
			}
			*r.lat = append(*r.lat, time.Since(start))
		}
	}
	fmt.Fprintf(o.Progress, "[%s] 统计查询完成\n", res.DB)
	res.Checks = agreement(want, &viaHTTP, rollup, naive)
	return nil
}

// agreement compares the generated totals with the three answers and the
// rollup's whole statistics with the naive one's.
func agreement(want service.ContractAgg, viaHTTP, rollup, naive *service.ContractStats) []Check {
	var out []Check
	num := func(name string, w, g int64) {
		out = append(out, Check{Name: name, Want: strconv.FormatInt(w, 10), Got: strconv.FormatInt(g, 10), OK: w == g})
	}
	for _, p := range []struct {
		name string
		st   *service.ContractStats
	}{{"http", viaHTTP}, {"rollup", rollup}, {"naive", naive}} {
		num("count/"+p.name, want.Count, p.st.Count)
		num("turnover_fen/"+p.name, want.TurnoverFen, p.st.TurnoverFen)
		num("tech_transaction_fen/"+p.name, want.TechTransactionFen, p.st.TechTransactionFen)
	}
	a, errA := json.Marshal(rollup)
	b, errB := json.Marshal(naive)
	same := errA == nil && errB == nil && string(a) == string(b)
	out = append(out, Check{Name: "stats_json/rollup=naive", Want: fmt.Sprintf("%d bytes", len(a)), Got: fmt.Sprintf("%d bytes", len(b)), OK: same})
	return out
}
