package security_test

// login_test.go replays the security probe's login findings
// (../shared/reviews/security-probe-2026-12.md): H1 (burst guessing), M5
// (lock-out from elsewhere), H2 (memory under a login flood), L7 (timing
// of disabled users), L9 (failures logged and counted) and L10 (sessions
// and tokens bounded), against the re-executed test binary running
// `kechuang serve` on a prepared database, on SQLite and PostgreSQL. Its
// names carry "login" so the other finding groups keep their own.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
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

// loginChildEnv makes the re-executed test binary run the server
// (TestLoginServerChild) instead of the tests.
const loginChildEnv = "KECHUANG_SECURITY_LOGIN_SERVE"

// TestLoginServerChild is not a test: it is the server process the other
// tests of this file start by re-executing the test binary.
func TestLoginServerChild(t *testing.T) {
	if os.Getenv(loginChildEnv) != "1" {
		t.Skip("the server process of the login replays")
	}
	os.Exit(cli.Main(context.Background(), &cli.Env{Args: []string{"kechuang", "serve"}, Stdout: os.Stdout, Stderr: os.Stderr}))
}

// loginServer is a running child `kechuang serve` trusting X-Forwarded-For,
// so a test can speak from many client addresses.
type loginServer struct {
	cmd   *exec.Cmd
	base  string
	out   *loginLog
	world *storetest.World
}

// startLoginServer prepares a database on st (the test world, with one
// disabled user "disabled"), closes nothing (the child opens its own
// pools), and runs the server on it until the test ends.
func startLoginServer(t *testing.T, st *store.Store) *loginServer {
	t.Helper()
	w := storetest.New(t, st)
	disabled := &domain.User{Username: "disabled", DisplayName: "停用", Role: domain.RoleTTO, OrgID: w.Univ.ID,
		PasswordHash: w.User("tto").PasswordHash, Disabled: true}
	if err := st.InTx(context.Background(), func(tx *store.Q) error { return tx.CreateUser(context.Background(), disabled) }); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &loginServer{base: "http://" + addr, out: &loginLog{}, world: w}
	s.cmd = exec.Command(os.Args[0], "-test.run=^TestLoginServerChild$")
	s.cmd.Env = append(os.Environ(), loginChildEnv+"=1", "KECHUANG_DATABASE_URL="+st.URL(), "KECHUANG_ADDR="+addr,
		"KECHUANG_LOG_LEVEL=warn", "KECHUANG_TRUST_PROXY=true",
		"KECHUANG_DATA_DIR="+t.TempDir()) // the audit key and anchors of a PostgreSQL server, never in the source tree
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	for range 600 { // a minute at most
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server did not become ready:\n%s", s.out.String())
	return nil
}

// answer is what a login attempt got back.
type answer struct {
	status     int
	retryAfter string
	cookie     string
}

// login posts a login for username from the client address client.
func (s *loginServer) login(username, password, client string) answer {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req, _ := http.NewRequest("POST", s.base+"/api/v1/session", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", client)
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		return answer{}
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	for _, c := range resp.Cookies() {
		if c.Name == "kc_session" {
			a.cookie = c.Value
		}
	}
	return a
}

// burst sends n logins at once (try(i) gives the i-th username, password
// and address) and counts the statuses; Retry-After values are counted
// under "429 retry=<v>".
func (s *loginServer) burst(n int, try func(i int) (string, string, string)) map[string]int {
	var mu sync.Mutex
	got := map[string]int{}
	var ready sync.WaitGroup
	start := make(chan struct{})
	var wg sync.WaitGroup
	ready.Add(n)
	for i := range n {
		wg.Go(func() {
			u, p, c := try(i)
			ready.Done()
			<-start
			a := s.login(u, p, c)
			mu.Lock()
			defer mu.Unlock()
			got[strconv.Itoa(a.status)]++
			if a.status == http.StatusTooManyRequests {
				got["429 retry="+a.retryAfter]++
			}
		})
	}
	ready.Wait()
	close(start)
	wg.Wait()
	return got
}

// metric reads one counter from /metrics.
func (s *loginServer) metric(t *testing.T, name string) int {
	t.Helper()
	resp, err := http.Get(s.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return int(f)
		}
	}
	t.Fatalf("/metrics has no %s", name)
	return 0
}

// rss is the server's resident memory in bytes.
func (s *loginServer) rss() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

const checks = "kechuang_login_password_checks_total"

// TestLoginReplay runs the login findings against one server per database.
// The subtests share the server and run in order: each reads the
// counters before and after itself, and speaks for its own names and
// addresses.
func TestLoginReplay(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			s := startLoginServer(t, ns.Store)
			t.Run("H1BurstChecksAtMostTheLimit", func(t *testing.T) { burstGuesses(t, s) })
			t.Run("M5NoLockoutFromElsewhere", func(t *testing.T) { noLockoutFromElsewhere(t, s) })
			t.Run("H2FloodMemoryBounded", func(t *testing.T) { floodMemory(t, s) })
			t.Run("L7DisabledCostsACheck", func(t *testing.T) { disabledCostsACheck(t, s) })
			t.Run("L9FailuresLoggedAndCounted", func(t *testing.T) { failuresLogged(t, s) })
			t.Run("L10SessionsAndTokensBounded", func(t *testing.T) { sessionsAndTokens(t, s) })
		})
	}
}

// burstGuesses (H1): 100 wrong guesses for the registrar at once, from one
// address, check at most five passwords; the rest are 429 with
// Retry-After, unchecked; afterwards even the right password is refused
// from that address.
func burstGuesses(t *testing.T, s *loginServer) {
	registrar := s.world.User("registrar").Username
	before := s.metric(t, checks)
	got := s.burst(100, func(i int) (string, string, string) { return registrar, fmt.Sprintf("guess-%03d", i), "10.0.1.1" })
	checked := s.metric(t, checks) - before
	t.Logf("100 concurrent guesses: %v; %d passwords checked", got, checked)
	if checked > 5 || got["401"] != checked || got["401"]+got["429"] != 100 {
		t.Fatalf("outcomes %v with %d passwords checked; want at most 5 checked (each a 401), the rest 429", got, checked)
	}
	if got["429 retry="] > 0 {
		t.Fatalf("a 429 without Retry-After: %v", got)
	}
	// A guess refused as busy is given back, so the burst may leave some
	// of the five (or lock early: a lock counts the guesses in flight);
	// one by one, what is left is checked and then nothing more.
	failed := checked
	for range 10 {
		if a := s.login(registrar, "one-more-guess", "10.0.1.1"); a.status != http.StatusUnauthorized {
			break
		}
		failed++
	}
	if failed > 5 {
		t.Fatalf("%d guesses checked in all from one address, want at most 5", failed)
	}
	if a := s.login(registrar, storetest.Password, "10.0.1.1"); a.status != http.StatusTooManyRequests {
		t.Fatalf("the right password from the guessing address: %d, want 429", a.status)
	}
}

// noLockoutFromElsewhere (M5): six wrong passwords for the enterprise user
// from 10.0.0.1 do not lock the real user out at 10.9.9.9.
func noLockoutFromElsewhere(t *testing.T, s *loginServer) {
	ent := s.world.User("enterprise").Username
	var last answer
	for range 6 {
		last = s.login(ent, "wrong-password", "10.0.0.1")
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("sixth guess: %d, want 429", last.status)
	}
	if a := s.login(ent, storetest.Password, "10.9.9.9"); a.status != http.StatusOK {
		t.Fatalf("the real user from another address: %d, want 200", a.status)
	}
}

// floodMemory (H2): 200 concurrent failed logins keep the server under
// 1 GB resident. Each comes from its own address with its own name, so the
// limiter lets all of them through and only the bound on hashing holds
// the memory (without it the probe saw 3.9 GB).
func floodMemory(t *testing.T, s *loginServer) {
	const limit = 1 << 30
	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			peak.Store(max(peak.Load(), s.rss()))
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	start := s.rss()
	before := s.metric(t, checks)
	got := s.burst(200, func(i int) (string, string, string) {
		return fmt.Sprintf("nobody-%d", i), "xxxxxxxxxxxx", fmt.Sprintf("10.3.%d.%d", i/200, i%200)
	})
	close(stop)
	<-sampled
	checked := s.metric(t, checks) - before
	t.Logf("200 concurrent failed logins: %v; %d checked; RSS %d MB at start, peak %d MB", got, checked, start>>20, peak.Load()>>20)
	if got["401"]+got["429"] != 200 || got["401"] != checked {
		t.Fatalf("outcomes %v (%d checked), want only 401 (checked) and 429", got, checked)
	}
	if peak.Load() >= limit || peak.Load() == 0 {
		t.Fatalf("peak RSS %d MB, want under %d MB", peak.Load()>>20, limit>>20)
	}
}

// disabledCostsACheck (L7): a disabled user's login, right password and
// all, is refused like any other failure and costs one password check.
func disabledCostsACheck(t *testing.T, s *loginServer) {
	for _, pw := range []string{storetest.Password, "wrong-password"} {
		before := s.metric(t, checks)
		a := s.login("disabled", pw, "10.4.0.1")
		if n := s.metric(t, checks) - before; a.status != http.StatusUnauthorized || n != 1 {
			t.Fatalf("disabled user: %d with %d checks, want 401 with one", a.status, n)
		}
	}
}

// failuresLogged (L9): the failures and the lock-out above are counted on
// /metrics and logged with the name and address, never the password.
func failuresLogged(t *testing.T, s *loginServer) {
	for _, m := range []string{"kechuang_login_failures_total", "kechuang_login_lockouts_total", "kechuang_login_refused_total"} {
		if s.metric(t, m) == 0 {
			t.Errorf("%s is 0 after the failures above", m)
		}
	}
	log := s.out.String()
	for _, want := range []string{"login failed", "login locked out", "client=10.0.0.1"} {
		if !strings.Contains(log, want) {
			t.Errorf("the server log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{"guess-0", "wrong-password", storetest.Password, "xxxxxxxxxxxx"} {
		if strings.Contains(log, secret) {
			t.Fatalf("a password (%q) is in the server log", secret)
		}
	}
}

// sessionsAndTokens (L10): a user's oldest sessions end beyond the cap,
// and API tokens beyond theirs are refused with a message naming the field.
func sessionsAndTokens(t *testing.T, s *loginServer) {
	tto := s.world.User("tto").Username
	var cookies []string
	for range 25 {
		a := s.login(tto, storetest.Password, "10.5.0.1")
		if a.status != http.StatusOK {
			t.Fatalf("login: %d", a.status)
		}
		cookies = append(cookies, a.cookie)
	}
	if st := s.get(t, "/api/v1/me", cookies[0]); st != http.StatusUnauthorized {
		t.Fatalf("the oldest of 25 sessions: %d, want 401 (ended by the cap)", st)
	}
	if st := s.get(t, "/api/v1/me", cookies[24]); st != http.StatusOK {
		t.Fatalf("the newest session: %d, want 200", st)
	}
	for i := range 21 {
		st, body := s.post(t, "/api/v1/tokens", cookies[24], fmt.Sprintf(`{"name":"script %d"}`, i))
		if i < 20 && st != http.StatusCreated {
			t.Fatalf("token %d: %d %s", i, st, body)
		}
		if i == 20 && (st != http.StatusConflict || !strings.Contains(body, `"field":"name"`)) {
			t.Fatalf("token 21: %d %s, want 409 naming the field", st, body)
		}
	}
}

func (s *loginServer) get(t *testing.T, path, cookie string) int {
	t.Helper()
	st, _ := s.do(t, "GET", path, cookie, "")
	return st
}

func (s *loginServer) post(t *testing.T, path, cookie, body string) (int, string) {
	t.Helper()
	return s.do(t, "POST", path, cookie, body)
}

func (s *loginServer) do(t *testing.T, method, path, cookie, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: "kc_session", Value: cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

type loginLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *loginLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *loginLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
