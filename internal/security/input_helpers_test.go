package security_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"kechuang/internal/cli"
	"kechuang/internal/config"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// inServer is the real HTTP stack of `kechuang serve` (cli.Handler) over
// the one test world, on a loopback httptest server, with its log kept for
// the replays that check what the server writes there. Its names carry
// "in" (this file's findings: input, imports) so the other finding groups
// of the package keep their own.
type inServer struct {
	DB  string
	W   *storetest.World
	Svc *service.Service
	Srv *httptest.Server
	Log *inLog
}

// inLog is a log buffer safe for the server's goroutines.
type inLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *inLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *inLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// inServers returns one server per configured database.
func inServers(t *testing.T, cfg config.Config) []*inServer {
	t.Helper()
	var out []*inServer
	for _, ns := range testutil.Stores(t) {
		out = append(out, newInServer(t, ns, cfg))
	}
	return out
}

func newInServer(t *testing.T, ns testutil.NamedStore, cfg config.Config) *inServer {
	t.Helper()
	s := &inServer{DB: ns.Name, W: storetest.New(t, ns.Store), Log: &inLog{}}
	log := slog.New(slog.NewTextHandler(s.Log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s.Svc = service.New(s.W.St, log)
	h, err := cli.Handler(s.Svc, &cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	s.Srv = httptest.NewServer(h)
	t.Cleanup(s.Srv.Close)
	return s
}

// inReq is one request: JSON is marshalled unless Body is set, Form is
// url-encoded.
type inReq struct {
	Method, Path string
	JSON         any
	Form         url.Values
	Body         []byte
	Type         string
	Header       map[string]string
}

type inRes struct {
	Status int
	Header http.Header
	Body   string
}

// do sends rq as the world's user key ("" for the public) with a fresh
// session, as a same-origin browser would.
func (s *inServer) do(t *testing.T, key string, rq inReq) inRes {
	t.Helper()
	body, ctype := rq.Body, rq.Type
	switch {
	case body != nil:
	case rq.JSON != nil:
		b, err := json.Marshal(rq.JSON)
		if err != nil {
			t.Fatal(err)
		}
		body, ctype = b, "application/json"
	case rq.Form != nil:
		body, ctype = []byte(rq.Form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(rq.Method, s.Srv.URL+rq.Path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if rq.Method != http.MethodGet {
		req.Header.Set("Origin", s.Srv.URL)
	}
	for k, v := range rq.Header {
		req.Header.Set(k, v)
	}
	if key != "" {
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: s.W.Session(key, service.TokenHash, service.SessionTTL)})
	}
	// One round trip: a redirect is the answer (even one whose Location a
	// client would refuse to parse).
	res, err := s.Srv.Client().Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return inRes{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// short is the start of an answer, for failure messages.
func (r inRes) short() string {
	b := strings.Join(strings.Fields(r.Body), " ")
	if len(b) > 300 {
		b = b[:300]
	}
	return b
}
