package service

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// versionCache keeps assembled statistics by key (a year; a year and a
// chain) with the statistics version they were computed at (the
// stats_version row, bumped by every transaction that changes what they
// show, on every process). An answer is reused only while the version it
// was computed at is still the current one, so no process serves
// statistics older than a write it or any other process acknowledged.
// Keys must be bounded by the caller (validated years and chains): the
// cache never evicts.
type versionCache[K comparable, V any] struct {
	gate    versionGate
	flight  singleflight.Group // one assembly per key and version
	mu      sync.Mutex
	entries map[K]cacheEntry[V]
}

// statsCache is the contract statistics' cache, by year.
type statsCache = versionCache[int, *ContractStats]

type cacheEntry[V any] struct {
	version int64
	open    bool // the year was still running when assembled (it is compared with part of the year before)
	value   V
}

func newVersionCache[K comparable, V any](read func(context.Context) (int64, error)) *versionCache[K, V] {
	return &versionCache[K, V]{gate: versionGate{read: read}, entries: map[K]cacheEntry[V]{}}
}

func newStatsCache(read func(context.Context) (int64, error)) *statsCache {
	return newVersionCache[int, *ContractStats](read)
}

// get returns key's value at the current version, assembling it with
// build when the cached one is older or was assembled on the other side of
// the year's end (open: the year is still running now; no write bumps the
// version at midnight on 31 December).
func (c *versionCache[K, V]) get(ctx context.Context, key K, open bool, build func(context.Context) (V, error)) (V, int64, error) {
	var zero V
	v, err := c.gate.version(ctx)
	if err != nil {
		return zero, 0, err
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.version == v && e.open == open {
		return e.value, v, nil
	}
	fk := fmt.Sprintf("%v@%d@%t", key, v, open)
	st, err, _ := c.flight.Do(fk, func() (any, error) {
		// The records read here are at least as new as v (the version row
		// commits with them), so the entry may only be newer than its label.
		st, err := build(context.WithoutCancel(ctx)) // shared: one caller leaving must not fail the rest
		if err == nil {
			c.mu.Lock()
			if old, ok := c.entries[key]; !ok || old.version <= v {
				c.entries[key] = cacheEntry[V]{version: v, open: open, value: st}
			}
			c.mu.Unlock()
		}
		return st, err
	})
	if err != nil {
		return zero, 0, err
	}
	return st.(V), v, nil
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
