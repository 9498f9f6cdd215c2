package service_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// twoServices returns two services over one database, each with its own
// store (its own pools, as two serve processes have), reading one clock.
func twoServices(t *testing.T, st *store.Store, clock *domain.ManualClock) (a, b *service.Service) {
	t.Helper()
	st2, err := store.Open(context.Background(), st.URL(), store.WithAuditKey([]byte(testutil.AuditKey)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st2.Close() })
	return service.New(st.WithClock(clock), testutil.Log()), service.New(st2.WithClock(clock), testutil.Log())
}

func limiterUser(t *testing.T, svc *service.Service, city *storetest.World, name string) {
	t.Helper()
	u := &domain.User{Username: name, DisplayName: name, Role: domain.RoleTTO, OrgID: city.Univ.ID}
	if err := svc.Admin.CreateUser(context.Background(), domain.SystemActor(), u, "correct horse"); err != nil {
		t.Fatal(err)
	}
}

// TestLoginLimitSharedByProcesses: failures on one serve process count on
// every other, and five lock the name from that address for fifteen
// minutes everywhere, but not from another address (M5).
func TestLoginLimitSharedByProcesses(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			clock := domain.NewManualClock(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
			a, b := twoServices(t, ns.Store, clock)
			limiterUser(t, a, storetest.New(t, ns.Store), "zhou")
			for _, svc := range []*service.Service{a, b, a, b, a} {
				_, _, err := svc.Auth.Login(ctx, "zhou", "wrong horse", "10.0.0.1")
				wantCode(t, err, domain.EUNAUTHORIZED, "")
				clock.Advance(time.Minute)
			}
			for _, svc := range []*service.Service{a, b} {
				_, _, err := svc.Auth.Login(ctx, "zhou", "correct horse", "10.0.0.1")
				wantCode(t, err, domain.ERATELIMIT, "")
			}
			// Locked for 15 minutes from the fifth failure, not the first.
			clock.Advance(13 * time.Minute)
			_, _, err := b.Auth.Login(ctx, "zhou", "correct horse", "10.0.0.1")
			wantCode(t, err, domain.ERATELIMIT, "")
			if _, _, err := a.Auth.Login(ctx, "zhou", "correct horse", "10.0.0.2"); err != nil {
				t.Fatalf("the real user from another address: %v", err)
			}
			clock.Advance(2 * time.Minute)
			if _, _, err := b.Auth.Login(ctx, "zhou", "correct horse", "10.0.0.1"); err != nil {
				t.Fatalf("after the lockout: %v", err)
			}
			// A success forgets the pair's failures: four more are allowed.
			for range 4 {
				_, _, err := a.Auth.Login(ctx, "zhou", "wrong horse", "10.0.0.1")
				wantCode(t, err, domain.EUNAUTHORIZED, "")
			}
			if _, _, err := a.Auth.Login(ctx, "zhou", "correct horse", "10.0.0.1"); err != nil {
				t.Fatalf("fifth attempt after a success: %v", err)
			}
		})
	}
}

// TestLoginLimitPerUser: guesses spread over many addresses are bounded
// too: fifty failures in an hour, from ten addresses that each spend their
// five, lock the name from everywhere for an hour.
func TestLoginLimitPerUser(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			clock := domain.NewManualClock(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
			a, _ := twoServices(t, ns.Store, clock)
			limiterUser(t, a, storetest.New(t, ns.Store), "qian")
			for i := range 50 {
				_, _, err := a.Auth.Login(ctx, "qian", "wrong horse", fmt.Sprintf("10.1.0.%d", i/5))
				wantCode(t, err, domain.EUNAUTHORIZED, "")
			}
			_, _, err := a.Auth.Login(ctx, "qian", "correct horse", "10.2.0.1")
			wantCode(t, err, domain.ERATELIMIT, "")
			if n := a.Auth.Counts().Checks; n != 50 {
				t.Fatalf("%d passwords checked, want 50 (none once the name is locked)", n)
			}
			clock.Advance(time.Hour)
			if _, _, err := a.Auth.Login(ctx, "qian", "correct horse", "10.2.0.1"); err != nil {
				t.Fatalf("after the lockout: %v", err)
			}
		})
	}
}

// TestLoginLimitPerAddress: one address may fail 30 times across names
// (an office behind NAT), then it is refused for every name.
func TestLoginLimitPerAddress(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			clock := domain.NewManualClock(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
			a, b := twoServices(t, ns.Store, clock)
			limiterUser(t, a, storetest.New(t, ns.Store), "wu")
			for i := range 30 {
				svc := []*service.Service{a, b}[i%2]
				_, _, err := svc.Auth.Login(ctx, "nobody"+string(rune('a'+i%10))+string(rune('a'+i/10)), "guess", "10.9.9.9")
				wantCode(t, err, domain.EUNAUTHORIZED, "")
			}
			_, _, err := a.Auth.Login(ctx, "wu", "correct horse", "10.9.9.9")
			wantCode(t, err, domain.ERATELIMIT, "")
			if _, _, err := b.Auth.Login(ctx, "wu", "correct horse", "10.9.9.8"); err != nil {
				t.Fatalf("another address: %v", err)
			}
		})
	}
}

// TestLoginLimitConcurrent: twelve wrong guesses at once, spread over two
// processes, test exactly five passwords; the rest are refused unchecked.
// Not parallel: its burst takes every login hashing slot of the process,
// which would turn the logins of tests running beside it away (busy).
func TestLoginLimitConcurrent(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			clock := domain.NewManualClock(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
			a, b := twoServices(t, ns.Store, clock)
			limiterUser(t, a, storetest.New(t, ns.Store), "zheng")
			var mu sync.Mutex
			codes := map[string]int{}
			var wg sync.WaitGroup
			for i := range 12 {
				svc := []*service.Service{a, b}[i%2]
				wg.Go(func() {
					err := loginUnlessBusy(ctx, svc, "zheng", "wrong horse", "10.0.0.1")
					mu.Lock()
					codes[domain.ErrorCode(err)]++
					mu.Unlock()
				})
			}
			wg.Wait()
			// A slot taken by a guess still in flight counts against the limit,
			// so a concurrent burst may lock one guess early; it may never
			// check more than the limit.
			if u, r := codes[domain.EUNAUTHORIZED], codes[domain.ERATELIMIT]; u < 1 || u > 5 || u+r != 12 {
				t.Fatalf("outcomes %v, want at most 5 %s and the rest %s", codes, domain.EUNAUTHORIZED, domain.ERATELIMIT)
			}
			if n := a.Auth.Counts().Checks + b.Auth.Counts().Checks; n != int64(codes[domain.EUNAUTHORIZED]) {
				t.Fatalf("%d passwords checked, want one per %s (%d)", n, domain.EUNAUTHORIZED, codes[domain.EUNAUTHORIZED])
			}
		})
	}
}

// loginUnlessBusy logs in, trying again while every hashing slot is busy
// (a refusal that says to retry within seconds, not a lockout).
func loginUnlessBusy(ctx context.Context, svc *service.Service, username, pw, client string) error {
	for {
		_, _, err := svc.Auth.Login(ctx, username, pw, client)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.ERATELIMIT || de.RetryAfter > 60 {
			return err
		}
		time.Sleep(time.Millisecond)
	}
}
