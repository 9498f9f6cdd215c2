package service

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// statsCache keeps each year's assembled statistics with the statistics
// version they were computed at (the stats_version row, bumped by every
// transaction that changes what they show, on every process). An answer is
// reused only while the version it was computed at is still the current
// one, so no process serves statistics older than a registration it or any
// other process acknowledged.
type statsCache struct {
	gate    versionGate
	flight  singleflight.Group // one assembly per year and version
	mu      sync.Mutex
	entries map[int]statsEntry // years are bounded (1980–2200)
}

type statsEntry struct {
	version int64
	open    bool // the year was still running when assembled (it is compared with part of the year before)
	stats   *ContractStats
}

func newStatsCache(read func(context.Context) (int64, error)) *statsCache {
	return &statsCache{gate: versionGate{read: read}, entries: map[int]statsEntry{}}
}

// get returns year's statistics at the current version, assembling them
// with build when the cached ones are older or were assembled on the other
// side of the year's end (open: the year is still running now; no write
// bumps the version at midnight on 31 December).
func (c *statsCache) get(ctx context.Context, year int, open bool, build func(context.Context) (*ContractStats, error)) (*ContractStats, int64, error) {
	v, err := c.gate.version(ctx)
	if err != nil {
		return nil, 0, err
	}
	c.mu.Lock()
	e, ok := c.entries[year]
	c.mu.Unlock()
	if ok && e.version == v && e.open == open {
		return e.stats, v, nil
	}
	key := strconv.Itoa(year) + "@" + strconv.FormatInt(v, 10) + "@" + strconv.FormatBool(open)
	st, err, _ := c.flight.Do(key, func() (any, error) {
		// The records read here are at least as new as v (the version row
		// commits with them), so the entry may only be newer than its label.
		st, err := build(context.WithoutCancel(ctx)) // shared: one caller leaving must not fail the rest
		if err == nil {
			c.mu.Lock()
			if old, ok := c.entries[year]; !ok || old.version <= v {
				c.entries[year] = statsEntry{version: v, open: open, stats: st}
			}
			c.mu.Unlock()
		}
		return st, err
	})
	if err != nil {
		return nil, 0, err
	}
	return st.(*ContractStats), v, nil
}

// versionGate reads the statistics version for many concurrent requests
// with few database reads, yet never hands a request a version read before
// it arrived: a request waits for a read that begins after its arrival, and
// one read serves every request that arrived before it began. Under load
// that is one primary-key read per round trip, not one per request; a
// registration acknowledged before a request arrived is always seen.
type versionGate struct {
	read    func(context.Context) (int64, error)
	mu      sync.Mutex
	next    *versionRead // the read that the next arrivals wait for; not begun
	running bool
}

type versionRead struct {
	done chan struct{}
	v    int64
	err  error
}

func (g *versionGate) version(ctx context.Context) (int64, error) {
	g.mu.Lock()
	if g.next == nil {
		g.next = &versionRead{done: make(chan struct{})}
	}
	r := g.next
	if !g.running {
		g.running, g.next = true, nil
		go g.run(r)
	}
	g.mu.Unlock()
	select {
	case <-r.done:
		return r.v, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// run performs r, then the read that gathered waiters meanwhile, until none
// is left. The reads have their own deadline: one waiter giving up must not
// fail the others.
func (g *versionGate) run(r *versionRead) {
	for r != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		r.v, r.err = g.read(ctx)
		cancel()
		close(r.done)
		g.mu.Lock()
		r, g.next = g.next, nil
		g.running = r != nil
		g.mu.Unlock()
	}
}
