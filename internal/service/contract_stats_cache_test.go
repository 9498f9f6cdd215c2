package service

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// TestVersionGateNeverOlderThanArrival: whatever the interleaving, a
// caller never gets a version read before it called (one committed before
// the call is always seen), and concurrent callers share reads.
func TestVersionGateNeverOlderThanArrival(t *testing.T) {
	var committed, reads atomic.Int64
	g := versionGate{read: func(context.Context) (int64, error) {
		reads.Add(1)
		return committed.Load(), nil
	}}
	const workers, rounds = 16, 200
	var wg sync.WaitGroup
	var stale atomic.Int64
	for w := range workers {
		wg.Go(func() {
			for range rounds {
				if w == 0 {
					committed.Add(1) // a registration acknowledged before the next call
				}
				before := committed.Load()
				v, err := g.version(context.Background())
				if err != nil || v < before {
					stale.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if stale.Load() != 0 {
		t.Errorf("%d answers older than their call", stale.Load())
	}
	if reads.Load() > workers*rounds {
		t.Errorf("%d reads for %d calls", reads.Load(), workers*rounds)
	}
}

// TestVersionGateCancelledCallerLeavesOthers: a caller that gives up gets
// its context's error; the read goes on and serves the next caller.
func TestVersionGateCancelledCallerLeavesOthers(t *testing.T) {
	release := make(chan struct{})
	g := versionGate{read: func(context.Context) (int64, error) { <-release; return 7, nil }}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.version(ctx); err == nil {
		t.Fatal("cancelled caller got no error")
	}
	close(release)
	if v, err := g.version(context.Background()); err != nil || v != 7 {
		t.Fatalf("next caller: %d %v, want 7", v, err)
	}
}
