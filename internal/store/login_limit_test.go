package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"kechuang/internal/store"
)

var t0 = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

func userCounter(name string) store.LimitCounter {
	return store.LimitCounter{Scope: "login.user", Key: name, Max: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute, ClearOnSuccess: true}
}

func clientCounter(addr string) store.LimitCounter {
	return store.LimitCounter{Scope: "login.client", Key: addr, Max: 30, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
}

func reserve(t *testing.T, st *store.Store, at time.Time, cs ...store.LimitCounter) bool {
	t.Helper()
	ok, err := st.ReserveAttempt(context.Background(), at, cs...)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func count(t *testing.T, st *store.Store, c store.LimitCounter) (int, time.Time) {
	t.Helper()
	n, locked, err := st.AttemptCount(context.Background(), c.Scope, c.Key)
	if err != nil {
		t.Fatal(err)
	}
	return n, locked
}

func TestLoginLimits(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		t.Run("FiveFailuresLockForFifteenMinutes", func(t *testing.T) {
			li := userCounter("li")
			for i := range 5 {
				if !reserve(t, st, t0.Add(time.Duration(i)*time.Minute), li) {
					t.Fatalf("attempt %d refused", i+1)
				}
				if _, err := st.FailAttempt(ctx, t0.Add(time.Duration(i)*time.Minute), li); err != nil {
					t.Fatal(err)
				}
			}
			lastFail := t0.Add(4 * time.Minute)
			if n, locked := count(t, st, li); n != 5 || !locked.Equal(lastFail.Add(15*time.Minute)) {
				t.Fatalf("after five failures: %d, locked until %v", n, locked)
			}
			// Refused while locked (after the window of the first failure
			// too), and the refusal counts nothing.
			if reserve(t, st, lastFail.Add(14*time.Minute), li) {
				t.Fatal("reserved while locked")
			}
			if n, _ := count(t, st, li); n != 5 {
				t.Fatalf("a refusal changed the count to %d", n)
			}
			if !reserve(t, st, lastFail.Add(15*time.Minute+time.Second), li) {
				t.Fatal("refused after the lockout")
			}
			if n, locked := count(t, st, li); n != 1 || !locked.IsZero() {
				t.Fatalf("after the lockout: %d, %v (want a new window)", n, locked)
			}
		})
		t.Run("FullWindowWithoutLockRefuses", func(t *testing.T) {
			// Five attempts reserved and still in flight: the sixth waits.
			wang := userCounter("wang")
			for range 5 {
				reserve(t, st, t0, wang)
			}
			if reserve(t, st, t0.Add(time.Minute), wang) {
				t.Fatal("sixth reservation of a full window")
			}
			if !reserve(t, st, t0.Add(15*time.Minute), wang) {
				t.Fatal("the window did not end")
			}
		})
		t.Run("AllOrNone", func(t *testing.T) {
			full, fresh := userCounter("zhao"), clientCounter("10.1.1.1")
			for range 5 {
				reserve(t, st, t0, full)
			}
			if reserve(t, st, t0, fresh, full) {
				t.Fatal("reserved with one counter full")
			}
			if n, _ := count(t, st, fresh); n != 0 {
				t.Fatalf("the fresh counter was counted: %d", n)
			}
		})
		t.Run("Succeed", func(t *testing.T) {
			u, c := userCounter("qian"), clientCounter("10.2.2.2")
			for range 3 {
				reserve(t, st, t0, u, c)
			}
			if err := st.SucceedAttempt(ctx, u, c); err != nil {
				t.Fatal(err)
			}
			if n, _ := count(t, st, u); n != 0 {
				t.Fatalf("user counter after success: %d, want cleared", n)
			}
			if n, _ := count(t, st, c); n != 2 {
				t.Fatalf("client counter after success: %d, want its attempt back (2)", n)
			}
			for range 3 {
				st.SucceedAttempt(ctx, c)
			}
			if n, _ := count(t, st, c); n != 0 {
				t.Fatalf("client counter went to %d", n)
			}
		})
		t.Run("ReleaseGivesBackEvenWithClearOnSuccess", func(t *testing.T) {
			// A check that never ran (hashing busy) gives its attempt
			// back without forgetting the failures before it.
			u := userCounter("sun")
			for range 3 {
				reserve(t, st, t0, u)
			}
			if err := st.ReleaseAttempt(ctx, u); err != nil {
				t.Fatal(err)
			}
			if n, _ := count(t, st, u); n != 2 {
				t.Fatalf("after a release: %d, want 2", n)
			}
		})
		t.Run("FailReportsTheLock", func(t *testing.T) {
			u, c := userCounter("zhou"), clientCounter("10.3.3.3")
			for i := range 5 {
				reserve(t, st, t0, u, c)
				locked, err := st.FailAttempt(ctx, t0, u, c)
				if err != nil {
					t.Fatal(err)
				}
				if want := i == 4; (len(locked) == 1 && locked[0].Key == "zhou") != want || (!want && len(locked) != 0) {
					t.Fatalf("failure %d locked %v", i+1, locked)
				}
			}
		})
		t.Run("Prune", func(t *testing.T) {
			old, locked := userCounter("old"), userCounter("locked")
			reserve(t, st, t0.Add(-48*time.Hour), old)
			for range 5 {
				reserve(t, st, t0, locked)
			}
			st.FailAttempt(ctx, t0, locked)
			n, err := st.PruneAttempts(ctx, t0.Add(-24*time.Hour), t0.Add(time.Minute))
			if err != nil || n < 1 {
				t.Fatalf("pruned %d, %v", n, err)
			}
			if n, _ := count(t, st, old); n != 0 {
				t.Fatal("old counter kept")
			}
			if n, _ := count(t, st, locked); n != 5 {
				t.Fatal("a locked counter was pruned")
			}
		})
	})
}

// TestLoginLimitsConcurrent: many reservations at once never pass more
// than Max, on both databases.
func TestLoginLimitsConcurrent(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		c := userCounter("sun")
		var mu sync.Mutex
		passed := 0
		var wg sync.WaitGroup
		for range 24 {
			wg.Go(func() {
				ok, err := st.ReserveAttempt(context.Background(), t0, c)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					passed++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if passed != 5 {
			t.Fatalf("%d of 24 concurrent attempts passed, want 5", passed)
		}
	})
}

// TestLoginLimitsWithPrefix: the counters of one name from every address
// are read and cleared together, and no other name's (a name that is a
// prefix of another, or holds a LIKE wildcard, included).
func TestLoginLimitsWithPrefix(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		pair := func(key string) store.LimitCounter {
			return store.LimitCounter{Scope: "login.pair", Key: key, Max: 1, Window: time.Hour, Lockout: time.Hour}
		}
		keys := []string{"li\n10.0.0.1", "li\n10.0.0.2", "lin\n10.0.0.1", "l%\n10.0.0.1", "李\n10.0.0.1"}
		for i, k := range keys {
			c := pair(k)
			reserve(t, st, t0, c)
			if _, err := st.FailAttempt(ctx, t0.Add(time.Duration(i)*time.Minute), c); err != nil {
				t.Fatal(err)
			}
		}
		at := t0.Add(10 * time.Minute)
		if got, err := st.LockedUntilWithPrefix(ctx, "login.pair", "li\n", at); err != nil || !got.Equal(t0.Add(time.Minute+time.Hour)) {
			t.Fatalf("li locked until %v (%v), want the later of its two locks", got, err)
		}
		if got, _ := st.LockedUntilWithPrefix(ctx, "login.pair", "李\n", at); !got.Equal(t0.Add(4*time.Minute + time.Hour)) {
			t.Fatalf("李 locked until %v", got)
		}
		if err := st.ClearAttemptsWithPrefix(ctx, "login.pair", "li\n"); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			n, _ := count(t, st, pair(k))
			if cleared := n == 0; cleared != strings.HasPrefix(k, "li\n") {
				t.Errorf("%q: count %d after clearing li", k, n)
			}
		}
		if got, _ := st.LockedUntilWithPrefix(ctx, "login.pair", "li\n", at); !got.IsZero() {
			t.Fatalf("li still locked until %v", got)
		}
	})
}
