package mailer

import (
	"bufio"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kechuang/internal/domain"
)

// fakeSMTP is a tiny SMTP server on a loopback port: it accepts every
// mail (after refusing the first refuse DATA commands with a 451) and
// keeps what it received.
type fakeSMTP struct {
	ln     net.Listener
	mu     sync.Mutex
	refuse int
	got    []received
}

type received struct {
	from, to string
	data     string
}

func startSMTP(t *testing.T, refuse int) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln, refuse: refuse}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(conn)
		}
	}()
	return f
}

func (f *fakeSMTP) port() int { return f.ln.Addr().(*net.TCPAddr).Port }

func (f *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(conn)
	tp.PrintfLine("220 fake ESMTP")
	var cur received
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO", "HELO":
			tp.PrintfLine("250-fake")
			tp.PrintfLine("250-8BITMIME")
			tp.PrintfLine("250 SMTPUTF8")
		case "MAIL":
			cur = received{from: line}
			tp.PrintfLine("250 ok")
		case "RCPT":
			cur.to = line
			tp.PrintfLine("250 ok")
		case "DATA":
			f.mu.Lock()
			refuse := f.refuse > 0
			if refuse {
				f.refuse--
			}
			f.mu.Unlock()
			if refuse {
				tp.PrintfLine("451 try again later")
				continue
			}
			tp.PrintfLine("354 go ahead")
			b, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			cur.data = string(b)
			f.mu.Lock()
			f.got = append(f.got, cur)
			f.mu.Unlock()
			tp.PrintfLine("250 queued")
		case "RSET", "NOOP":
			tp.PrintfLine("250 ok")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 not implemented")
		}
	}
}

func (f *fakeSMTP) received() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.got...)
}

// TestSendToFakeServer: a notice's mail reaches the server with its
// subject and body in UTF-8 (here Chinese), from the configured sender to
// the recipient; a server's refusal is an error the outbox retries.
func TestSendToFakeServer(t *testing.T) {
	srv := startSMTP(t, 1)
	cfg, err := ParseURL("smtp://127.0.0.1:" + itoa(srv.port()) + "?from=noreply@kc.example.cn&tls=none")
	if err != nil {
		t.Fatal(err)
	}
	s := New(*cfg)
	m := &domain.Mail{To: "tto@example.cn", Subject: "[沈阳市科创服务平台] 合同“视觉定位”已受理", Body: "测试用户，您好：\n\n合同“视觉定位”已受理\n"}
	ctx := context.Background()
	if err := s.Send(ctx, m); err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("a refused mail: %v", err)
	}
	if err := s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("received %d mails", len(got))
	}
	if !strings.Contains(got[0].from, "noreply@kc.example.cn") || !strings.Contains(got[0].to, "tto@example.cn") {
		t.Fatalf("envelope %q %q", got[0].from, got[0].to)
	}
	msg, err := mail.ReadMessage(bufio.NewReader(strings.NewReader(got[0].data)))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Fatalf("subject %q (%v), want %q", subject, err, m.Subject)
	}
	body, _ := io.ReadAll(msg.Body)
	if !strings.Contains(decodeQP(t, string(body)), "合同“视觉定位”已受理") {
		t.Fatalf("body %q", body)
	}
}

func decodeQP(t *testing.T, s string) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestParseURL: the forms README documents, and refusals that name what
// is wrong.
func TestParseURL(t *testing.T) {
	c, err := ParseURL("smtp://user:pa%40ss@mail.example.cn?from=noreply@example.cn")
	if err != nil || c.Host != "mail.example.cn" || c.Port != 587 || c.TLS != "starttls" || c.Username != "user" || c.Password != "pa@ss" || c.From != "noreply@example.cn" {
		t.Fatalf("%+v %v", c, err)
	}
	if c, err := ParseURL("smtps://u:p@mail.example.cn?from=a@b.cn"); err != nil || c.Port != 465 || c.TLS != "ssl" {
		t.Fatalf("smtps %+v %v", c, err)
	}
	for _, bad := range []struct{ url, want string }{
		{"http://mail.example.cn?from=a@b.cn", "smtp://"},
		{"smtp://?from=a@b.cn", "主机"},
		{"smtp://mail.example.cn:99999?from=a@b.cn", "端口"},
		{"smtp://mail.example.cn", "from="},
		{"smtp://mail.example.cn?from=Name%20%3Ca@b.cn%3E", "from="},
		{"smtp://mail.example.cn?from=a@b.cn&tls=maybe", "tls"},
		{"smtp://u:secret@mail.example.cn?from=a@b.cn&tls=none", "明文"},
		{"smtps://mail.example.cn?from=a@b.cn&tls=none", "smtps"},
	} {
		_, err := ParseURL(bad.url)
		if err == nil || !strings.Contains(err.Error(), bad.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: %v, want an error about %s", bad.url, err, bad.want)
		}
	}
}

// FuzzParseURL: no URL panics the parser, and an accepted one has a host,
// a port and a bare sender address.
func FuzzParseURL(f *testing.F) {
	f.Add("smtp://user:pass@host:587?from=noreply@x.cn")
	f.Add("smtps://host?from=a@b.cn")
	f.Add("smtp://host:25?from=a@b.cn&tls=none")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseURL(s)
		if err != nil {
			return
		}
		if c.Host == "" || c.Port < 1 || c.Port > 65535 || c.From == "" {
			t.Fatalf("accepted %q as %+v", s, c)
		}
	})
}
