package service_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// TestLoginEqualWork: a disabled user, an unknown user and a wrong
// password each cost one password check (L7: timing cannot tell them
// apart), and a disabled user is refused even with the right password.
func TestLoginEqualWork(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		sun := w.newUser(t, "sun", domain.RoleTTO, "correct horse")
		if _, err := w.svc.Admin.DisableUser(ctx, w.city.Actor("admin"), sun.UserID, 0); err != nil {
			t.Fatal(err)
		}
		w.newUser(t, "li", domain.RoleTTO, "correct horse")
		for i, try := range [][2]string{{"sun", "correct horse"}, {"sun", "wrong horse"}, {"nobody", "correct horse"}, {"li", "wrong horse"}} {
			before := w.svc.Auth.Counts().Checks
			_, _, err := w.svc.Auth.Login(ctx, try[0], try[1], "10.0.0.1")
			wantCode(t, err, domain.EUNAUTHORIZED, "")
			if n := w.svc.Auth.Counts().Checks - before; n != 1 {
				t.Fatalf("try %d %v: %d password checks, want 1", i, try, n)
			}
		}
		if c := w.svc.Auth.Counts(); c.Failures != 4 {
			t.Fatalf("counts %+v, want 4 failures", c)
		}
	})
}

// TestLoginLogged: failures and lock-outs leave a warning naming the user
// and the address, never the password (L9).
func TestLoginLogged(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		var buf syncBuffer
		svc := service.New(w.st, slog.New(slog.NewTextHandler(&buf, nil)))
		w.newUser(t, "zhou", domain.RoleTTO, "correct horse")
		for range 6 {
			svc.Auth.Login(ctx, "zhou", "secret-guess-42", "10.7.7.7")
		}
		log := buf.String()
		for _, want := range []string{"login failed", "login locked out", "login refused", "user=zhou", "client=10.7.7.7"} {
			if !strings.Contains(log, want) {
				t.Errorf("log lacks %q:\n%s", want, log)
			}
		}
		if strings.Contains(log, "secret-guess-42") {
			t.Fatalf("the password is in the log:\n%s", log)
		}
		if c := svc.Auth.Counts(); c.Failures != 5 || c.Refused != 1 || c.Lockouts == 0 {
			t.Fatalf("counts %+v, want 5 failures, 1 refused, some lock-outs", c)
		}
	})
}

// TestSessionsCapped: logins beyond MaxSessions end the oldest sessions
// of the user, never the new one (L10).
func TestSessionsCapped(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		a := w.newUser(t, "wu", domain.RoleTTO, "correct horse")
		var toks []string
		for range service.MaxSessions + 5 {
			tok, _, err := w.svc.Auth.Login(ctx, "wu", "correct horse", "10.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			toks = append(toks, tok)
			w.city.Clock.Advance(time.Second)
		}
		if n, err := w.st.CountUserSessions(ctx, a.UserID); err != nil || n != service.MaxSessions {
			t.Fatalf("%d sessions (%v), want %d", n, err, service.MaxSessions)
		}
		for i, tok := range toks {
			_, err := w.svc.Auth.UserBySession(ctx, tok)
			if ended := err != nil; ended != (i < 5) {
				t.Fatalf("session %d: ended %v (%v)", i, ended, err)
			}
		}
	})
}

// TestSessionSweep: the sweeper serve runs deletes expired sessions.
func TestSessionSweep(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		a := w.newUser(t, "zheng", domain.RoleTTO, "correct horse")
		for range 3 {
			if _, _, err := w.svc.Auth.Login(ctx, "zheng", "correct horse", "10.0.0.1"); err != nil {
				t.Fatal(err)
			}
		}
		w.city.Clock.Advance(service.SessionTTL + time.Minute)
		if _, _, err := w.svc.Auth.Login(ctx, "zheng", "correct horse", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		sctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { w.svc.SweepSessions(sctx, 10*time.Millisecond); close(done) }()
		n := 0
		for range 500 { // the sweep runs at once; allow it five seconds
			if n, _ = w.st.CountUserSessions(ctx, a.UserID); n == 1 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		stop()
		<-done
		if n != 1 {
			t.Fatalf("%d sessions after the sweep, want 1 (the unexpired one)", n)
		}
	})
}

// TestTokensCapped: a user holds at most MaxAPITokens; one more is a
// conflict naming the field, and revoking one makes room (L10).
func TestTokensCapped(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		a := w.newUser(t, "feng", domain.RoleTTO, "correct horse")
		var last *domain.APIToken
		for i := range service.MaxAPITokens {
			_, tok, err := w.svc.Auth.CreateToken(ctx, a, fmt.Sprintf("脚本%d", i))
			if err != nil {
				t.Fatal(err)
			}
			last = tok
		}
		_, _, err := w.svc.Auth.CreateToken(ctx, a, "再来一个")
		wantCode(t, err, domain.ECONFLICT, "name")
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, fmt.Sprint(service.MaxAPITokens)) {
			t.Fatalf("message %q does not name the limit", msg)
		}
		if err := w.svc.Auth.RevokeToken(ctx, a, last.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.Auth.CreateToken(ctx, a, "再来一个"); err != nil {
			t.Fatalf("after a revocation: %v", err)
		}
	})
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLoginAudited: a failed login of an existing account, the lockout it
// leads to and a logout are in the audit log the bureau reads (walkthrough
// #14); an unknown name's failures are not (an anonymous flood of made-up
// names would otherwise fill the chain), but its lockout is, once per key.
func TestLoginAudited(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		w.newUser(t, "qian", domain.RoleTTO, "correct horse")
		for range 5 {
			w.svc.Auth.Login(ctx, "qian", "wrong horse", "10.8.8.8")
		}
		tok, _, err := w.svc.Auth.Login(ctx, "qian", "correct horse", "10.9.9.9")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Auth.Logout(ctx, tok); err != nil {
			t.Fatal(err)
		}
		count := func(action string) int {
			rows, _, err := w.svc.Audit.Find(ctx, w.city.Actor("admin"), domain.AuditFilter{Action: action})
			if err != nil {
				t.Fatal(err)
			}
			return len(rows)
		}
		if n := count("user.login_failed"); n != 5 {
			t.Errorf("%d failed logins audited, want 5", n)
		}
		if n := count("user.lockout"); n == 0 {
			t.Errorf("the lockout is not audited")
		}
		if n := count("user.logout"); n != 1 {
			t.Errorf("%d logouts audited, want 1", n)
		}
		before := count("user.login_failed")
		w.svc.Auth.Login(ctx, "nobody-at-all", "wrong", "10.7.0.1")
		if n := count("user.login_failed"); n != before {
			t.Errorf("an unknown name's failure was audited")
		}
	})
}
