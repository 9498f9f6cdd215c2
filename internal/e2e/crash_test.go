// Package e2e holds end-to-end tests that run the real kechuang server as a
// child process: the test binary re-executes itself as `kechuang serve`.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kechuang/internal/cli"
	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// childEnv marks the re-executed test binary that runs the server.
const childEnv = "KECHUANG_E2E_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(cli.Main(context.Background(), &cli.Env{Args: []string{"kechuang", "serve", "--no-demo"}, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// server is a running child `kechuang serve`.
type server struct {
	cmd  *exec.Cmd
	base string
	out  *lockedBuffer
	done chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer runs the server on url at a free loopback port and waits
// until /readyz answers.
func startServer(t *testing.T, url string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &server{out: &lockedBuffer{}, done: make(chan error, 1), base: "http://" + addr}
	s.cmd = exec.Command(os.Args[0])
	s.cmd.Env = append(os.Environ(), childEnv+"=1", "KECHUANG_DATABASE_URL="+url, "KECHUANG_ADDR="+addr,
		"KECHUANG_AUDIT_KEY="+testutil.AuditKey, "KECHUANG_DATA_DIR="+t.TempDir(), "KECHUANG_LOG_LEVEL=error")
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() { s.cmd.Process.Kill() })
	started := regexp.MustCompile(`已启动`)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			t.Fatalf("server exited: %v\n%s", err, s.out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if !started.MatchString(s.out.String()) {
			continue
		}
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
	}
	t.Fatalf("server did not become ready:\n%s", s.out.String())
	return nil
}

// kill9 sends SIGKILL and waits for the process to be gone.
func (s *server) kill9(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-s.done
}

// client is one logged-in user of the API.
type client struct {
	http *http.Client
	base string
}

func login(t *testing.T, base, username, password string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{http: &http.Client{Jar: jar, Timeout: 30 * time.Second}, base: base}
	var u domain.User
	if code, body := c.do("POST", "/api/v1/session", map[string]string{"username": username, "password": password}, &u); code != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, code, body)
	}
	return c
}

// do sends a JSON request (or raw PDF bytes) and decodes a JSON answer.
// A transport error returns code 0.
func (c *client) do(method, path string, body any, out any) (int, string) {
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ct = bytes.NewReader(b), "application/pdf"
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err.Error()
	}
	if resp.StatusCode < 300 && out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return 0, "bad JSON: " + err.Error()
		}
	}
	return resp.StatusCode, string(raw)
}

// parallel runs fn over ids with n workers, stopping at the first error.
func parallel(ids []int64, n int, fn func(id int64) error) error {
	var wg sync.WaitGroup
	var first atomic.Value
	next := make(chan int64)
	go func() {
		for _, id := range ids {
			next <- id
		}
		close(next)
	}()
	for range n {
		wg.Go(func() {
			for id := range next {
				if first.Load() != nil {
					continue
				}
				if err := fn(id); err != nil {
					first.CompareAndSwap(nil, err)
				}
			}
		})
	}
	wg.Wait()
	if err, _ := first.Load().(error); err != nil {
		return err
	}
	return nil
}

var pdf = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

// prepare files n contracts through the API as the seller and submits
// them, and the registrar accepts them (受理): each at version 4.
func prepare(t *testing.T, filer, registrar *client, city *storetest.World, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(i) // indexes; replaced by contract ids below
	}
	var mu sync.Mutex
	var out []int64
	err := parallel(ids, 8, func(i int64) error {
		in := city.Contract().Seller(city.Ent).Buyer(city.Univ).Turnover(100_000_00 + i*1_000_00).Build()
		in.Title = fmt.Sprintf("技术开发合同 %03d", i)
		var c domain.Contract
		if code, body := filer.do("POST", "/api/v1/contracts", in, &c); code != http.StatusCreated {
			return fmt.Errorf("create: %d %s", code, body)
		}
		if code, body := filer.do("PUT", fmt.Sprintf("/api/v1/contracts/%d/document", c.ID), pdf, &c); code != http.StatusOK {
			return fmt.Errorf("upload: %d %s", code, body)
		}
		if code, body := filer.do("POST", fmt.Sprintf("/api/v1/contracts/%d/submit", c.ID), map[string]any{"version": c.Version}, &c); code != http.StatusOK || c.Status != domain.ContractSubmitted {
			return fmt.Errorf("submit: %d %s", code, body)
		}
		if code, body := registrar.do("POST", fmt.Sprintf("/api/v1/contracts/%d/accept", c.ID), map[string]any{"version": c.Version}, &c); code != http.StatusOK || c.Status != domain.ContractAccepted {
			return fmt.Errorf("accept: %d %s", code, body)
		}
		mu.Lock()
		out = append(out, c.ID)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestKill9DuringRegistration registers contracts through the real server,
// SIGKILLs it in the middle of a burst, restarts it on the same database
// and checks nothing acknowledged was lost and nothing half-written remains.
func TestKill9DuringRegistration(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) { crashRun(t, ns.Store) })
	}
}

const (
	contracts = 120
	workers   = 16
	killAfter = contracts / 3 // acknowledged registrations before the kill
)

func crashRun(t *testing.T, st *store.Store) {
	city := storetest.New(t, st)
	srv := startServer(t, st.URL())
	registrar := login(t, srv.base, city.User("registrar").Username, storetest.Password)
	ids := prepare(t, login(t, srv.base, city.User("enterprise").Username, storetest.Password), registrar, city, contracts)

	// The burst: workers register concurrently; after killAfter
	// acknowledgements the server is killed with SIGKILL.
	var mu sync.Mutex
	acked := map[int64]string{}
	var killed atomic.Bool
	var killOnce sync.Once
	var failures atomic.Int64
	parallel(ids, workers, func(id int64) error {
		if killed.Load() {
			return nil
		}
		var c domain.Contract
		code, body := registrar.do("POST", fmt.Sprintf("/api/v1/contracts/%d/register", id), map[string]any{"version": 4, "tech_income_fen": 0}, &c)
		if code != http.StatusOK {
			if !killed.Load() {
				t.Errorf("register %d before the kill: %d %s", id, code, body)
			}
			failures.Add(1)
			return nil
		}
		mu.Lock()
		acked[id] = c.RegNo
		n := len(acked)
		mu.Unlock()
		if n >= killAfter {
			killOnce.Do(func() { killed.Store(true); srv.kill9(t) })
		}
		return nil
	})
	if !killed.Load() {
		t.Fatal("the burst finished before the kill")
	}
	mu.Lock()
	nAcked := len(acked)
	mu.Unlock()

	srv = startServer(t, st.URL())
	// Sessions live in the database: the registrar's cookie survives the crash.
	registrar.base = srv.base
	var done, remaining int
	for _, id := range ids {
		var c domain.Contract
		if code, body := registrar.do("GET", fmt.Sprintf("/api/v1/contracts/%d", id), nil, &c); code != http.StatusOK {
			t.Fatalf("after restart, contract %d: %d %s", id, code, body)
		}
		if no, ok := acked[id]; ok && (c.Status != domain.ContractRegistered || c.RegNo != no) {
			t.Fatalf("acknowledged registration of %d lost or changed: %s %q, acknowledged %q", id, c.Status, c.RegNo, no)
		}
		switch c.Status {
		case domain.ContractRegistered:
			done++
		case domain.ContractAccepted:
			remaining++
			code, body := registrar.do("POST", fmt.Sprintf("/api/v1/contracts/%d/register", id), map[string]any{"version": c.Version, "tech_income_fen": 0}, &c)
			if code != http.StatusOK {
				t.Fatalf("register %d after restart: %d %s", id, code, body)
			}
		default:
			t.Fatalf("contract %d in status %s", id, c.Status)
		}
	}
	t.Logf("%s: %d registrations acknowledged before SIGKILL, %d committed by then (%d in flight unacknowledged), %d failed requests, %d registered after restart",
		st.Dialect(), nAcked, done, done-nAcked, failures.Load(), remaining)
	if remaining == 0 {
		t.Fatal("the kill came after the burst: nothing was left to register")
	}
	srv.kill9(t)
	verifyDatabase(t, st, contracts)
}

// verifyDatabase checks the invariants after the crash and the restart.
func verifyDatabase(t *testing.T, st *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	var serials []int64
	err := st.EachContract(ctx, domain.ContractFilter{Scope: domain.ContractScope{All: true}, Statuses: []domain.ContractStatus{domain.ContractRegistered}},
		func(c *domain.Contract) error {
			serials = append(serials, c.RegSerial)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(serials)
	for i, s := range serials {
		if s != int64(i+1) {
			t.Fatalf("serials are not 1..%d without gaps: %v", len(serials), serials)
		}
	}
	if len(serials) != n {
		t.Fatalf("%d registered, want %d", len(serials), n)
	}
	years := []int{time.Now().Year() - 1, time.Now().Year(), time.Now().Year() + 1} // China's date may differ from UTC's
	rolled, err := st.RollupRows(ctx, years...)
	if err != nil {
		t.Fatal(err)
	}
	naive, err := st.RollupRowsNaive(ctx, years...)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rolled, naive) {
		t.Fatalf("rollup differs from the records after the crash:\nrollup %v\nnaive  %v", rolled, naive)
	}
	rep, err := st.VerifyAudit(ctx)
	if err != nil || !rep.OK {
		t.Fatalf("audit chain after the crash: %+v, %v", rep, err)
	}
}
