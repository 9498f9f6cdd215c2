package security_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
	"kechuang/internal/web"
)

// Replays of the probe's read findings (security-probe-2026-12.md): M3
// (slow exports starving the read pool, costly list counts) and issue 6
// item 11 (public statistics re-assembled on every request), against the
// real handler stack on SQLite and PostgreSQL.

// readsServer is one serve process: the handler stack of `kechuang serve`
// over its own store on the test database.
type readsServer struct {
	DB  string
	W   *storetest.World
	Svc *service.Service
	URL string
}

func readsServers(t *testing.T) []*readsServer {
	var out []*readsServer
	for _, ns := range testutil.Stores(t) {
		w := storetest.New(t, ns.Store)
		out = append(out, readsServe(t, ns.Name, w, w.St))
	}
	return out
}

// readsServe starts a server over st (the world's store, or a second
// store opened on the same database: another process).
func readsServe(t *testing.T, db string, w *storetest.World, st *store.Store) *readsServer {
	t.Helper()
	svc := service.New(st, testutil.Log())
	k := httpx.New(svc.Auth, testutil.Log())
	api, err := httpapi.New(svc, k)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(svc, k, testutil.Log())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	pages.Routes(mux)
	srv := httptest.NewServer(k.Wrap(mux))
	t.Cleanup(srv.Close)
	return &readsServer{DB: db, W: w, Svc: svc, URL: srv.URL}
}

// get sends GET path with the session of key ("" for none) and header
// pairs; the client gives up after 20 s, far beyond any honest answer here,
// so a starved read fails the test instead of hanging it.
func (s *readsServer) get(t *testing.T, key, path string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: s.W.Session(key, service.TokenHash, time.Hour)})
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

func (s *readsServer) statsCount(t *testing.T, year int) (int64, string) {
	t.Helper()
	code, h, b := s.get(t, "", fmt.Sprintf("/api/v1/stats/contracts?year=%d", year))
	if code != http.StatusOK {
		t.Fatalf("stats: %d %s", code, b)
	}
	var st struct{ Count int64 }
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st.Count, h.Get("ETag")
}

// register files a contract and registers it through the service, as the
// registrar's page would: the registering transaction bumps the version.
func (s *readsServer) register(t *testing.T, title string) {
	t.Helper()
	c := s.W.Contract().Title(title).WithDocument().Accepted().Insert(t)
	if _, err := s.Svc.Contracts.Register(context.Background(), s.W.Actor("registrar"), c.ID, c.Version, 0, ""); err != nil {
		t.Fatalf("register: %v", err)
	}
}

// TestStatsCachedNeverStale replays item 11: the answer carries an ETag and
// a client holding it gets 304, yet a registration acknowledged by this
// process, or by another process on the same database, is in the very next
// answer of both (the API and the dashboard page).
func TestStatsCachedNeverStale(t *testing.T) {
	for _, s := range readsServers(t) {
		t.Run(s.DB, func(t *testing.T) {
			year := domain.ChinaYear(s.W.Clock.Now())
			s.register(t, "统计缓存一")
			n, etag := s.statsCount(t, year)
			if n != 1 || etag == "" {
				t.Fatalf("count %d, ETag %q; want 1 and an ETag", n, etag)
			}
			if code, h, b := s.get(t, "", fmt.Sprintf("/api/v1/stats/contracts?year=%d", year), "If-None-Match", etag); code != http.StatusNotModified || len(b) != 0 || h.Get("ETag") != etag {
				t.Fatalf("revalidation: %d, %d bytes, ETag %q; want 304, none, %q", code, len(b), h.Get("ETag"), etag)
			}
			other, err := store.Open(context.Background(), s.W.St.URL()) // a second serve process
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			s2 := readsServe(t, s.DB, s.W, other)
			if n2, _ := s2.statsCount(t, year); n2 != 1 {
				t.Fatalf("second process: count %d, want 1", n2)
			}

			s.register(t, "统计缓存二") // acknowledged by the first process
			for _, srv := range []*readsServer{s, s2} {
				n, etag2 := srv.statsCount(t, year)
				if n != 2 || etag2 == etag {
					t.Errorf("after a registration: count %d, ETag %q (was %q); want 2 and a new ETag", n, etag2, etag)
				}
				if code, _, _ := srv.get(t, "", fmt.Sprintf("/api/v1/stats/contracts?year=%d", year), "If-None-Match", etag); code != http.StatusOK {
					t.Errorf("stale ETag revalidated: %d, want 200", code)
				}
				_, _, page := srv.get(t, "", fmt.Sprintf("/stats?year=%d", year))
				if !strings.Contains(string(page), `data-kpi="count" data-value="2"`) {
					t.Errorf("dashboard does not show 2 contracts")
				}
			}
		})
	}
}

// readsBulk stores n registered contracts of 2022 with long titles, so a
// city-wide CSV export runs to megabytes: more than the socket buffers of
// a client that stops reading.
func readsBulk(t *testing.T, w *storetest.World, n int) {
	t.Helper()
	title := strings.Repeat("工业机器人视觉定位技术开发", 15)
	cs := make([]*domain.Contract, n)
	for i := range cs {
		cs[i] = w.Contract().Title(fmt.Sprintf("%s%d", title, i)).Registered("2022-05-10", int64(i+1)).Build()
	}
	ctx := context.Background()
	if err := w.St.InTx(ctx, func(tx *store.Q) error { return tx.BulkInsertContracts(ctx, cs, storetest.CityCode) }); err != nil {
		t.Fatal(err)
	}
}

// readsBureau adds a bureau user (a city-wide scope) under key.
func readsBureau(t *testing.T, w *storetest.World, key string) {
	t.Helper()
	u := &domain.User{Username: key, DisplayName: key, Role: domain.RoleBureau, OrgID: w.Bureau.ID, OrgName: w.Bureau.Name,
		PasswordHash: w.User("bureau").PasswordHash}
	if err := w.St.InTx(context.Background(), func(tx *store.Q) error { return tx.CreateUser(context.Background(), u) }); err != nil {
		t.Fatal(err)
	}
	w.Users[key] = u
}

// slowExport opens a city-wide CSV export as key with a tiny receive
// buffer, reads the status line and then stops reading, like the probe's
// `curl --limit-rate 2k`. It returns the status; the connection stays open
// until the test ends. Safe to call from several goroutines.
func (s *readsServer) slowExport(t *testing.T, key string) (int, error) {
	d := net.Dialer{Timeout: 5 * time.Second, Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return err
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		return 0, err
	}
	t.Cleanup(func() { conn.Close() })
	cookie := s.W.Session(key, service.TokenHash, time.Hour)
	fmt.Fprintf(conn, "GET /api/v1/contracts/export?format=csv HTTP/1.1\r\nHost: x\r\nCookie: %s=%s\r\n\r\n", httpx.SessionCookie, cookie)
	conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	line, err := bufio.NewReaderSize(conn, 16).ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("export as %s: no status line: %w", key, err)
	}
	var code int
	fmt.Sscanf(line, "HTTP/1.1 %d", &code)
	return code, nil
}

// readPoolSize is the store's reader pool (store.openSQLite/openPostgres):
// one slow export more than it starved every reader before the fix.
var readPoolSize = map[string]int{"sqlite": 4, "postgres": 12}

// TestM3SlowExportsDoNotStarveReads replays M3's slow readers: more
// city-wide exports than the store has readers, each stalled by a client
// that stops reading. Before the fix each held a reader for its whole
// download, and public statistics and lists hung until they ended. Now the
// exports are spooled, the database is free, and both answer; a second
// export by a user who has one running is refused at once (429).
func TestM3SlowExportsDoNotStarveReads(t *testing.T) {
	for _, s := range readsServers(t) {
		t.Run(s.DB, func(t *testing.T) {
			readsBulk(t, s.W, 10_000)
			n := readPoolSize[s.DB] + 1
			var wg sync.WaitGroup
			codes, errs := make([]int, n), make([]error, n)
			for i := range n {
				key := fmt.Sprintf("reads_bureau_%d", i)
				readsBureau(t, s.W, key)
				wg.Go(func() { codes[i], errs[i] = s.slowExport(t, key) })
			}
			wg.Wait()
			for i, c := range codes {
				if c != http.StatusOK {
					t.Fatalf("slow export %d: status %d (%v), want 200", i, c, errs[i])
				}
			}
			if code, _, b := s.get(t, "", "/api/v1/stats/contracts?year=2022"); code != http.StatusOK || !strings.Contains(string(b), `"count":10000`) {
				t.Errorf("public stats during %d stalled exports: %d %.200s", n, code, b)
			}
			if code, _, b := s.get(t, "registrar", "/api/v1/contracts?per_page=5"); code != http.StatusOK {
				t.Errorf("list during %d stalled exports: %d %.200s", n, code, b)
			}
			if code, err := s.slowExport(t, "reads_bureau_0"); code != http.StatusTooManyRequests {
				t.Errorf("second concurrent export of one user: %d (%v), want 429", code, err)
			}
		})
	}
}

// TestM3HeavyRequestsRateLimited: one user may start only a burst of
// exports and imports; beyond it the answer is 429 at once, for that user
// only.
func TestM3HeavyRequestsRateLimited(t *testing.T) {
	for _, s := range readsServers(t) {
		t.Run(s.DB, func(t *testing.T) {
			codes := map[int]int{}
			for range 15 {
				code, _, _ := s.get(t, "bureau", "/api/v1/contracts/export?format=csv")
				codes[code]++
			}
			if codes[http.StatusOK] == 0 || codes[http.StatusTooManyRequests] == 0 || codes[http.StatusOK]+codes[http.StatusTooManyRequests] != 15 {
				t.Errorf("15 exports in a row: %v, want some 200 then 429", codes)
			}
			if code, _, _ := s.get(t, "admin", "/api/v1/contracts/export?format=csv"); code != http.StatusOK {
				t.Errorf("another user's export: %d, want 200", code)
			}
		})
	}
}

// TestM3ListCountCapped replays M3's busy list: the count stops at
// domain.ListCountCap (the answer says so), and pages end there.
func TestM3ListCountCapped(t *testing.T) {
	for _, s := range readsServers(t) {
		t.Run(s.DB, func(t *testing.T) {
			readsBulk(t, s.W, domain.ListCountCap+5)
			code, _, b := s.get(t, "bureau", "/api/v1/contracts?per_page=1")
			var list struct {
				Total       int  `json:"total"`
				TotalCapped bool `json:"total_capped"`
			}
			if err := json.Unmarshal(b, &list); code != http.StatusOK || err != nil {
				t.Fatalf("list: %d %v %.200s", code, err, b)
			}
			if list.Total != domain.ListCountCap || !list.TotalCapped {
				t.Errorf("total %d capped %v, want %d capped", list.Total, list.TotalCapped, domain.ListCountCap)
			}
			deep := fmt.Sprintf("/api/v1/contracts?per_page=100&page=%d", domain.ListCountCap/100+1)
			if code, _, b := s.get(t, "bureau", deep); code != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"page"`) {
				t.Errorf("page beyond the cap: %d %.200s, want 422 naming page", code, b)
			}
			code, _, b = s.get(t, "enterprise2", "/api/v1/contracts")
			if code != http.StatusOK || !strings.Contains(string(b), `"total":0`) || strings.Contains(string(b), "total_capped") {
				t.Errorf("an organisation party to nothing: %d %.200s, want an exact 0", code, b)
			}
		})
	}
}
