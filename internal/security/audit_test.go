// Replays of the security probe's findings against a real server (the
// command line's `kechuang serve`, in process) on SQLite and PostgreSQL.
package security

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"kechuang/internal/anchor"
	"kechuang/internal/cli"
	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
)

// auditBuffer is a bytes.Buffer safe to read while a server writes to it.
type auditBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *auditBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *auditBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// auditSetup is a database and its data directory; the audit key is the
// one serve creates there on first start (no KECHUANG_AUDIT_KEY).
type auditSetup struct{ url, dataDir string }

func (s auditSetup) getenv(k string) string {
	switch k {
	case "KECHUANG_DATABASE_URL":
		return s.url
	case "KECHUANG_DATA_DIR":
		return s.dataDir
	case "KECHUANG_ADDR":
		return "127.0.0.1:0"
	}
	return ""
}

// run runs one command to its end.
func (s auditSetup) run(args ...string) (int, string) {
	var out auditBuffer
	code := cli.Main(context.Background(), &cli.Env{Args: append([]string{"kechuang"}, args...), Stdout: &out, Stderr: &out, Getenv: s.getenv})
	return code, out.String()
}

// serve starts `kechuang serve` and returns its base URL and a stop
// function that shuts it down and returns its exit code and output.
func (s auditSetup) serve(t *testing.T) (string, func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out auditBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, &cli.Env{Args: []string{"kechuang", "serve"}, Stdout: &out, Stderr: &out, Getenv: s.getenv})
	}()
	stop := func() (int, string) { cancel(); return <-done, out.String() }
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	// serve loads the whole demo city first: minutes on a loaded CI
	// machine (a liveness bound, not a timing the test asserts).
	deadline := time.After(10 * time.Minute)
	for {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			return "http://" + m[1], stop
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d:\n%s", code, out.String())
		case <-deadline:
			cancel()
			t.Fatalf("serve did not start:\n%s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// auditVerifyAPI logs in as the demo administrator and returns
// GET /api/v1/audit/verify.
func auditVerifyAPI(t *testing.T, base string) domain.AuditReport {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute}
	resp, err := c.Post(base+"/api/v1/session", "application/json", strings.NewReader(`{"username":"admin","password":"kechuang2023"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	resp, err = c.Get(base + "/api/v1/audit/verify")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep domain.AuditReport
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("verify: %d %v", resp.StatusCode, err)
	}
	return rep
}

// TestAuditForgeryReplay replays M7: the actor of a contract.register row
// (the last one: the demo's chain now holds every year's history, and
// the forgery rewrites every row after the edit) becomes admin, the last five rows go, and every
// hash and the head are recomputed. The probe's `kechuang audit verify`
// answered 审计链完整 (exit 0). Now it names the rewritten row when the
// forger lacks the key, and the truncation against the anchors that serve
// wrote when the forger holds the key too.
func TestAuditForgeryReplay(t *testing.T) {
	t.Parallel()
	for _, f := range storetest.FreshURLs(t) {
		t.Run(f.Name, func(t *testing.T) {
			s := auditSetup{url: f.URL, dataDir: t.TempDir()}
			base, stop := s.serve(t) // empty database: the demo city
			if rep := auditVerifyAPI(t, base); !rep.OK || rep.Anchors == 0 || rep.KeyedFrom != 1 {
				t.Fatalf("fresh server: %+v", rep)
			}
			if code, out := stop(); code != 0 {
				t.Fatalf("serve exit %d:\n%s", code, out)
			}
			loc := anchor.Locate(f.URL, s.dataDir)
			anchors, err := anchor.NewFile(loc.AnchorFile).Read()
			if err != nil || len(anchors) < 2 {
				t.Fatalf("anchors at start and shutdown: %+v, %v", anchors, err)
			}
			last := anchors[len(anchors)-1].Seq
			if anchors[0].Seq >= last { // the login came after the start anchor
				t.Fatalf("shutdown anchor %d is not past the start anchor %d", last, anchors[0].Seq)
			}
			var seq int64
			if err := storetest.RawDB(t, f.URL).QueryRow(`SELECT MAX(seq) FROM audit_log WHERE action = 'contract.register'`).Scan(&seq); err != nil {
				t.Fatal(err)
			}
			toAdmin := map[int64]func(*storetest.AuditRow){seq: func(r *storetest.AuditRow) { r.ActorName, r.ActorID = "admin", 1 }}

			storetest.ForgeAudit(t, f.URL, storetest.Forgery{Edit: toAdmin, DeleteFrom: last - 4})
			code, out := s.run("audit", "verify")
			if code == 0 || !strings.Contains(out, fmt.Sprintf("审计链断裂：第一处断点在第 %d 条", seq)) {
				t.Fatalf("forged without the key: exit %d\n%s", code, out)
			}

			key, err := anchor.LoadKey(loc.KeyFile, "", false)
			if err != nil || key == nil {
				t.Fatalf("key file: %v", err)
			}
			storetest.ForgeAudit(t, f.URL, storetest.Forgery{Edit: toAdmin, Key: key})
			code, out = s.run("audit", "verify")
			if code == 0 || !strings.Contains(out, fmt.Sprintf("第一处断点在第 %d 条（日志末尾被截断：外部锚点", last-4)) {
				t.Fatalf("forged with the key: exit %d\n%s", code, out)
			}
			// A restarted server anchors the forged head, and its page and
			// API still report the break (past the rows appended since, its
			// login among them): the earlier anchors stand.
			base, stop = s.serve(t)
			defer stop()
			if rep := auditVerifyAPI(t, base); rep.OK || rep.BrokenAt != rep.Rows+1 || !strings.Contains(rep.Reason, fmt.Sprintf("记录到第 %d 条", last)) {
				t.Fatalf("restarted server: %+v", rep)
			}
		})
	}
}
