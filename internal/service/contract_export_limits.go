package service

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"kechuang/internal/domain"
)

// Limits of the heavy contract paths (exports and imports), per serve
// process. They keep one user from taking the readers that public and
// interactive pages need (the probe's M3: four slow downloads held SQLite's
// four readers and public statistics timed out).
const (
	// heavyPerUser is how many exports, and separately how many imports,
	// one user may have in progress; an export's download included, as it
	// holds a spooled file until the client has it.
	heavyPerUser = 1
	// exportsGenerating is how many exports read the database at once
	// across users: half of SQLite's four readers, so interactive reads
	// always have the other half. An export beyond it waits, holding no
	// connection while it waits.
	exportsGenerating = 2
	// heavyBurst heavy requests a user may start at once over HTTP, then
	// one every heavyEvery: about twenty a minute sustained.
	heavyBurst = 10
	heavyEvery = 3 * time.Second
)

// heavyLimits counts each user's heavy requests. Its maps grow with the
// users who started one, never with what a client sends.
type heavyLimits struct {
	mu         sync.Mutex
	running    map[heavyKey]int
	starts     map[int64]*rate.Limiter
	generating chan struct{}
}

type heavyKey struct {
	userID int64
	kind   string // "export" or "import"
}

func newHeavyLimits() *heavyLimits {
	return &heavyLimits{running: map[heavyKey]int{}, starts: map[int64]*rate.Limiter{},
		generating: make(chan struct{}, exportsGenerating)}
}

// AllowHeavy spends one of the actor's starts of a heavy request (export,
// import), or refuses at once with 429: a refusal is cheap, a queue would
// hold the client's connection. The transports call it before the work;
// the operator's commands (the system actor) are not limited.
func (s *Contracts) AllowHeavy(a *domain.Actor) error {
	if a == nil || a.UserID == 0 {
		return nil
	}
	h := s.heavy
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.starts[a.UserID]
	if l == nil {
		l = rate.NewLimiter(rate.Every(heavyEvery), heavyBurst)
		h.starts[a.UserID] = l
	}
	if !l.Allow() {
		return domain.Errorf(domain.ERATELIMIT, "导出、导入过于频繁，请稍后再试")
	}
	return nil
}

// start reserves one of the user's slots of kind; release frees it.
func (h *heavyLimits) start(userID int64, kind string) (release func(), err error) {
	if userID == 0 {
		return func() {}, nil
	}
	k := heavyKey{userID, kind}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.running[k] >= heavyPerUser {
		if kind == "import" {
			return nil, domain.Errorf(domain.ERATELIMIT, "已有一个导入正在进行，请等它完成后再试")
		}
		return nil, domain.Errorf(domain.ERATELIMIT, "已有一个导出正在进行，请等它完成后再试")
	}
	h.running[k]++
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.running[k]--; h.running[k] <= 0 {
			delete(h.running, k)
		}
	}, nil
}

// generate runs fn while holding one of the shared generation slots,
// waiting for one as long as ctx allows.
func (h *heavyLimits) generate(ctx context.Context, fn func() error) error {
	select {
	case h.generating <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h.generating }()
	return fn()
}
