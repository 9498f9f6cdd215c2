package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"time"

	"kechuang/internal/demo"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/web"
)

// HTTPOptions configure `kechuang bench http`: the public endpoints of a
// real handler stack over loopback, beside a minimal handler that serves
// the statistics' bytes from memory, under the same load in the same run.
type HTTPOptions struct {
	DB          string        // "sqlite" or "postgres"
	PostgresDSN string        // server on which a fresh database is created
	Conns       int           // concurrent keep-alive connections (default 50)
	Duration    time.Duration // load per endpoint (default 5 s, at most 60 s)
	Year        int           // statistics year of the demo city (default 2022)
	TempDir     string        // for the SQLite file ("" = os.TempDir)
	Progress    io.Writer
}

func (o *HTTPOptions) defaults() error {
	if o.DB == "" {
		o.DB = "sqlite"
	}
	if o.DB != "sqlite" && o.DB != "postgres" {
		return errors.New("数据库 --db 应为 sqlite 或 postgres")
	}
	if o.DB == "postgres" && o.PostgresDSN == "" {
		return errors.New("未配置 PostgreSQL：请用 --postgres、KECHUANG_TEST_POSTGRES 或 KECHUANG_DATABASE_URL 指定服务器")
	}
	if o.Conns <= 0 {
		o.Conns = 50
	}
	if o.Conns > 1000 {
		return errors.New("连接数 --c 最多 1000")
	}
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	o.Duration = min(o.Duration, time.Minute) // bounded: five endpoints, at most five minutes
	if o.Year == 0 {
		o.Year = 2022
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	return nil
}

// HTTPResult is the load on one endpoint.
type HTTPResult struct {
	Name, Path string
	Want       int // the status every answer must have
	Requests   int // answered with Want
	Errors     int // transport errors and other statuses
	Elapsed    time.Duration
	Latency    Latency
}

// Rate is answered requests per second.
func (r *HTTPResult) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// ErrHTTPErrors is returned when any request of the run failed.
var ErrHTTPErrors = errors.New("基准中有请求失败")

// RunHTTP loads the demo city into a fresh database, serves it with the
// same handler stack as `kechuang serve` on loopback, and puts each
// endpoint under load in turn, the static peer first, in rounds.
func RunHTTP(ctx context.Context, o HTTPOptions) (string, []*HTTPResult, error) {
	if err := o.defaults(); err != nil {
		return "", nil, err
	}
	f, err := o.fresh(ctx)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	fmt.Fprintf(o.Progress, "[%s] 新建数据库 %s，载入演示城市……\n", o.DB, f.Where)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(f.Store, log)
	if _, err := demo.Load(ctx, svc, svc.Now(), o.Progress); err != nil {
		return f.Where, nil, fmt.Errorf("载入演示城市：%w", err)
	}
	srv, err := serveStack(svc, log)
	if err != nil {
		return f.Where, nil, err
	}
	defer srv.Close()
	statsPath := "/api/v1/stats/contracts?year=" + strconv.Itoa(o.Year)
	body, etag, err := fetch(ctx, srv.URL+statsPath)
	if err != nil {
		return f.Where, nil, err
	}
	static := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	}))
	defer static.Close()
	targets := []struct {
		name, base, path string
		header           http.Header
		want             int
	}{
		{"static (same bytes from memory)", static.URL, "/", nil, http.StatusOK},
		{"GET stats API", srv.URL, statsPath, nil, http.StatusOK},
		{"GET stats API, If-None-Match", srv.URL, statsPath, http.Header{"If-None-Match": {etag}}, http.StatusNotModified},
		{"GET /stats page", srv.URL, "/stats?year=" + strconv.Itoa(o.Year), nil, http.StatusOK},
		{"GET openapi.json", srv.URL, "/api/v1/openapi.json", nil, http.StatusOK},
	}
	out := make([]*HTTPResult, len(targets))
	for i, t := range targets {
		out[i] = &HTTPResult{Name: t.name, Path: t.path, Want: t.want}
	}
	// Rounds of a slice each, so that a neighbour's burst on a shared
	// machine falls on every endpoint alike rather than on one of them.
	slice := o.Duration / httpRounds
	for round := range httpRounds {
		for i, t := range targets {
			hammer(ctx, o.Conns, slice, t.base+t.path, t.header, out[i])
		}
		fmt.Fprintf(o.Progress, "[%s] 第 %d/%d 轮完成\n", o.DB, round+1, httpRounds)
	}
	for _, r := range out {
		slices.Sort(r.Latency)
	}
	for _, r := range out {
		if r.Errors > 0 || r.Requests == 0 {
			return f.Where, out, ErrHTTPErrors
		}
	}
	return f.Where, out, nil
}

func (o *HTTPOptions) fresh(ctx context.Context) (*freshDB, error) {
	if o.DB == "postgres" {
		return freshPostgres(ctx, o.PostgresDSN)
	}
	return freshSQLite(ctx, o.TempDir)
}

// serveStack is `kechuang serve`'s handler: the kernel around the API's
// and the pages' routes, on a loopback listener.
func serveStack(svc *service.Service, log *slog.Logger) (*httptest.Server, error) {
	k := httpx.New(svc.Auth, log)
	api, err := httpapi.New(svc, k)
	if err != nil {
		return nil, err
	}
	pages, err := web.New(svc, k, log)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	pages.Routes(mux)
	return httptest.NewServer(k.Wrap(mux)), nil
}

func fetch(ctx context.Context, url string) (body []byte, etag string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return body, resp.Header.Get("ETag"), err
}

// httpRounds is how many slices of the duration each endpoint gets.
const httpRounds = 5

// hammer sends requests to url over conns keep-alive connections for d,
// adding every answer and its latency to r.
func hammer(ctx context.Context, conns int, d time.Duration, url string, header http.Header, r *HTTPResult) {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	began := time.Now()
	for range conns {
		wg.Go(func() {
			var lat Latency
			ok, bad := 0, 0
			for ctx.Err() == nil {
				start := time.Now()
				status, err := once(client, url, header)
				if ctx.Err() != nil && err != nil {
					break // the run's end cut this request short
				}
				if err != nil || status != r.Want {
					bad++
					continue
				}
				ok++
				lat = append(lat, time.Since(start))
			}
			mu.Lock()
			r.Requests, r.Errors, r.Latency = r.Requests+ok, r.Errors+bad, append(r.Latency, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	r.Elapsed += time.Since(began)
}

func once(client *http.Client, url string, header http.Header) (int, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// PrintHTTP writes the results as a table, each rate beside the static
// peer's, with the goal of at least half of it for the statistics.
func PrintHTTP(w io.Writer, o HTTPOptions, where string, rs []*HTTPResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nkechuang bench http — %s（%s），演示城市，%d 个连接，每项 %s，回环地址\n", o.DB, where, o.Conns, o.Duration)
	fmt.Fprintf(w, "%s %10s %9s %9s %7s %9s\n", pad("endpoint", 34), "req/s", "p50 ms", "p99 ms", "errors", "× static")
	base := rs[0].Rate()
	for _, r := range rs {
		fmt.Fprintf(w, "%s %10.0f %9s %9s %7d %9s\n", pad(r.Name, 34), r.Rate(), ms(r.Latency.Percentile(50)),
			ms(r.Latency.Percentile(99)), r.Errors, fmt.Sprintf("%.2f", r.Rate()/max(base, 1)))
	}
	if len(rs) > 1 {
		verdict := "达到"
		if rs[1].Rate() < base/2 {
			verdict = "未达到"
		}
		fmt.Fprintf(w, "目标：统计 API ≥ 0.5 × 静态处理器 —— %s（%.2f×）\n", verdict, rs[1].Rate()/max(base, 1))
	}
}
