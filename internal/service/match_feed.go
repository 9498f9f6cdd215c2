package service

// The matching indexes fed from the database (issue 11 item 2).
//
// A matchFeed holds two in-memory match.Index values, one of the public
// achievements (published, and transferred ones, which the availability
// feature demotes) and one of the open needs (published and not past their
// deadline), with the structured side of every document (match.DocMeta) for
// the features. It builds them from the database in batches (AddBatch) and
// then follows the change sequence, match_changes, which triggers append to
// in the transaction of every write that changes what the indexes hold
// (migration 0028): every second in the background (Start), and on demand
// before a query (at most every matchSyncEvery). A change names a record; the
// feed reloads it and updates, adds or removes its document, so applying a
// change twice is harmless and the order of changes does not matter. Several
// serve processes on one database each hold their own indexes and converge.
//
// PostgreSQL takes a seq when the row is inserted but shows it when its
// transaction commits, so a reader that saw seq 7 may see seq 6 later. The
// feed keeps every seq it skipped over as a gap (ranges with the time first
// seen) and reads the gaps again with every sync until they arrive or are
// older than matchGapTTL (a rolled-back transaction leaves gaps that never fill;
// no transaction writing achievements or needs stays open that long). At
// start the seqs missing among the last matchStartWindow below the head are gaps
// too. Rows older than matchPruneAfter are deleted by any follower every
// matchPruneEvery.
//
// Until the first build is done a query waits at most matchBuildWait and then
// gets a clear EUNAVAILABLE error (索引正在建立); the HTTP listener does not
// wait for it.

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/match"
	"kechuang/internal/store"
)

// matchSource holds the indexes the matching surfaces query.
type matchSource interface {
	// Achievements returns the index of published achievements (doc ids are
	// strconv.FormatInt(achievement id)); Needs the index of open needs.
	Achievements(ctx context.Context) (*match.Index, error)
	Needs(ctx context.Context) (*match.Index, error)
	// Features returns the structured features for a query made for the
	// given need (needID > 0) or achievement (achievementID > 0).
	Features(ctx context.Context, needID, achievementID int64) []match.Feature
}

var _ matchSource = (*matchFeed)(nil)

// The feed's timings and sizes.
const (
	matchBuildBatch  = 1000             // records read per query of a build
	matchChangePage  = 1000             // changes read per query of a sync
	matchReloadPage  = 500              // records reloaded per query of a sync
	matchStartWindow = 1000             // seqs below the head checked for gaps at start
	matchGapTTL      = 10 * time.Minute // a gap not filled by then is dropped
	matchMaxGaps     = 256              // more: the oldest are dropped (and logged)
	matchSyncEvery   = 200 * time.Millisecond
	matchFollowEvery = time.Second
	matchPruneAfter  = 24 * time.Hour
	matchPruneEvery  = 10 * time.Minute
	matchBuildWait   = 2 * time.Second
)

// matchDocs is one index with the structured side of its documents.
type matchDocs struct {
	ix   *match.Index
	meta map[string]match.DocMeta
	// deadline of each need (the sweep at a change of day removes the
	// needs past it: passing a deadline is no write).
	deadline map[string]string
	// disc counts the achievements by chain and discipline (the
	// discipline feature's statistics, from the records).
	disc map[string]map[string]int
}

func newMatchDocs(cfg match.Config) *matchDocs {
	return &matchDocs{ix: match.New(cfg, match.Analyzer{HMM: true}), meta: map[string]match.DocMeta{},
		deadline: map[string]string{}, disc: map[string]map[string]int{}}
}

// gapRange is the seqs lo…hi not seen yet, first skipped at seen.
type gapRange struct {
	lo, hi int64
	seen   time.Time
}

// matchFeed builds and follows the matching indexes (see the file's doc).
type matchFeed struct {
	c   *core
	cfg match.Config

	mu        sync.RWMutex // guards ach, need and their maps
	ach, need *matchDocs

	syncMu   sync.Mutex // one sync at a time; guards what follows
	last     int64      // the highest seq applied
	gaps     []gapRange // sorted by lo
	lastSync time.Time
	day      string // the day the needs were last swept

	kick      sync.Once
	ready     chan struct{}
	buildErr  error
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	startOnce sync.Once
	// wall is the clock of the sequence's bookkeeping (gap ages, pruning):
	// match_changes is stamped by the database's clock, not the injected one.
	wall func() time.Time
}

func newMatchFeed(c *core) *matchFeed {
	cfg := match.DefaultConfig()
	if cfg.Features == nil {
		cfg.Features = match.DefaultFeatureWeights()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &matchFeed{c: c, cfg: cfg, ready: make(chan struct{}), ctx: ctx, cancel: cancel, wall: time.Now}
}

// errIndexBuilding is what a query gets before the first build is done.
func errIndexBuilding() error {
	return domain.Errorf(domain.EUNAVAILABLE, "匹配索引正在建立，请稍后再试")
}

// build starts the first build (once), in the background.
func (f *matchFeed) build() {
	f.kick.Do(func() {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			defer close(f.ready)
			start := time.Now()
			f.syncMu.Lock()
			defer f.syncMu.Unlock()
			f.buildErr = f.rebuild(f.ctx)
			if f.buildErr != nil {
				f.c.log.Error("match: index build failed", "err", f.buildErr)
				return
			}
			f.mu.RLock()
			na, nn := f.ach.ix.Len(), f.need.ix.Len()
			f.mu.RUnlock()
			f.c.log.Info("match: indexes built", "achievements", na, "needs", nn, "seconds", time.Since(start).Seconds())
		}()
	})
}

// Start builds the indexes in the background and follows the change
// sequence every second until ctx ends or Close.
func (f *matchFeed) Start(ctx context.Context) {
	f.startOnce.Do(func() {
		f.build()
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			follow := time.NewTicker(matchFollowEvery)
			defer follow.Stop()
			nextPrune := time.Now()
			for {
				select {
				case <-ctx.Done():
					return
				case <-f.ctx.Done():
					return
				case <-follow.C:
				}
				if err := f.Sync(f.ctx); err != nil && f.ctx.Err() == nil {
					f.c.log.Warn("match: follow", "err", err)
				}
				if now := time.Now(); !now.Before(nextPrune) {
					nextPrune = now.Add(matchPruneEvery)
					if n, err := f.c.store.PruneMatchChanges(f.ctx, f.wall().Add(-matchPruneAfter)); err != nil && f.ctx.Err() == nil {
						f.c.log.Warn("match: prune", "err", err)
					} else if n > 0 {
						f.c.log.Info("match: pruned changes", "rows", n)
					}
				}
			}
		}()
	})
}

// Close stops the build and the follower and waits for them.
func (f *matchFeed) Close() {
	f.cancel()
	f.wg.Wait()
}

// wait waits for the first build, at most d (0: until ctx ends).
func (f *matchFeed) wait(ctx context.Context, d time.Duration) error {
	f.build()
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-f.ready:
		if f.buildErr != nil {
			return domain.Errorf(domain.EUNAVAILABLE, "匹配索引建立失败：%v", f.buildErr)
		}
		return nil
	case <-timeout:
		return errIndexBuilding()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// current waits briefly for the build, applies the pending changes when
// the last sync is older than matchSyncEvery, and returns the documents.
func (f *matchFeed) current(ctx context.Context, needs bool) (*matchDocs, error) {
	if err := f.wait(ctx, matchBuildWait); err != nil {
		return nil, err
	}
	f.syncMu.Lock()
	stale := time.Since(f.lastSync) >= matchSyncEvery
	f.syncMu.Unlock()
	if stale {
		if err := f.Sync(ctx); err != nil {
			f.c.log.Warn("match: sync before a query", "err", err) // the index is at most a second behind
		}
	}
	f.mu.RLock()
	defer f.mu.RUnlock()
	if needs {
		return f.need, nil
	}
	return f.ach, nil
}

// Achievements returns the index of the public achievements.
func (f *matchFeed) Achievements(ctx context.Context) (*match.Index, error) {
	d, err := f.current(ctx, false)
	if err != nil {
		return nil, err
	}
	return d.ix, nil
}

// Needs returns the index of the open needs.
func (f *matchFeed) Needs(ctx context.Context) (*match.Index, error) {
	d, err := f.current(ctx, true)
	if err != nil {
		return nil, err
	}
	return d.ix, nil
}

// Features returns the structured features of a query for a need (over
// the achievements) or for an achievement (over the needs). An unknown id
// gives the features of an empty profile (only locality, recency and
// availability then count).
func (f *matchFeed) Features(ctx context.Context, needID, achievementID int64) []match.Feature {
	p := match.Profile{Now: f.c.now()}
	var docs *matchDocs
	if err := f.wait(ctx, matchBuildWait); err != nil {
		return nil
	}
	f.mu.RLock()
	ach, need := f.ach, f.need
	f.mu.RUnlock()
	switch {
	case needID > 0:
		p.ForNeed, docs = true, ach
		if x, err := f.c.store.FindNeedByID(ctx, needID); err == nil {
			p.Chain, p.Stage = x.ChainCode, domain.MaturityRank(x.Stage)
		}
	case achievementID > 0:
		docs = need
		if x, err := f.c.store.FindAchievementByID(ctx, achievementID); err == nil {
			p.Chain, p.Discipline, p.Stage, p.TRL = x.ChainCode, x.Discipline, domain.MaturityRank(x.Stage), x.TRL
		}
	default:
		return nil
	}
	p.DisciplineFit = func(chain, disc string) float64 {
		f.mu.RLock()
		defer f.mu.RUnlock()
		by := f.ach.disc[chain]
		total := 0
		for _, n := range by {
			total += n
		}
		if total == 0 {
			return 0
		}
		return float64(by[disc]) / float64(total)
	}
	return match.Features(p, func(id string) (match.DocMeta, bool) {
		f.mu.RLock()
		defer f.mu.RUnlock()
		m, ok := docs.meta[id]
		return m, ok
	})
}

// Sync applies the changes written since the last sync (waiting for the
// first build).
func (f *matchFeed) Sync(ctx context.Context) error {
	if err := f.wait(ctx, 0); err != nil {
		return err
	}
	f.syncMu.Lock()
	defer f.syncMu.Unlock()
	return f.syncLocked(ctx)
}

func (f *matchFeed) syncLocked(ctx context.Context) error {
	f.lastSync = time.Now()
	now := f.wall()
	f.expireGaps(now)
	for {
		cs, err := f.c.store.MatchChanges(ctx, f.last, f.gapSeqs(), matchChangePage)
		if err != nil {
			return err
		}
		achIDs, needIDs, rebuild := map[int64]bool{}, map[int64]bool{}, false
		for _, ch := range cs {
			f.see(ch.Seq, now)
			switch ch.Kind {
			case store.MatchAchievement:
				achIDs[ch.EntityID] = true
			case store.MatchNeed:
				needIDs[ch.EntityID] = true
			case store.MatchRebuild:
				rebuild = true
			}
		}
		if rebuild {
			return f.rebuild(ctx)
		}
		if err := f.reloadAchievements(ctx, slices.Sorted(maps.Keys(achIDs))); err != nil {
			return err
		}
		if err := f.reloadNeeds(ctx, slices.Sorted(maps.Keys(needIDs))); err != nil {
			return err
		}
		// A full page may have more behind it (new seqs or gap seqs).
		if len(cs) < matchChangePage {
			break
		}
	}
	if today := f.c.today(); today != f.day {
		f.day = today
		f.sweepNeeds(today)
	}
	return nil
}

// see records seq as read: it fills a gap, or moves last on and leaves
// the seqs skipped over as a new gap.
func (f *matchFeed) see(seq int64, now time.Time) {
	if seq > f.last {
		// (From an empty sequence — nothing written, or everything pruned
		// after a quiet day — the seqs below are long gone, not in flight.)
		if seq > f.last+1 && f.last > 0 {
			f.gaps = append(f.gaps, gapRange{f.last + 1, seq - 1, now})
			if len(f.gaps) > matchMaxGaps {
				f.c.log.Warn("match: too many gaps in the change sequence, dropping the oldest", "lo", f.gaps[0].lo, "hi", f.gaps[0].hi)
				f.gaps = f.gaps[1:]
			}
		}
		f.last = seq
		return
	}
	for i, g := range f.gaps {
		if seq < g.lo || seq > g.hi {
			continue
		}
		var repl []gapRange
		if seq > g.lo {
			repl = append(repl, gapRange{g.lo, seq - 1, g.seen})
		}
		if seq < g.hi {
			repl = append(repl, gapRange{seq + 1, g.hi, g.seen})
		}
		f.gaps = slices.Replace(f.gaps, i, i+1, repl...)
		return
	}
}

func (f *matchFeed) expireGaps(now time.Time) {
	f.gaps = slices.DeleteFunc(f.gaps, func(g gapRange) bool { return now.Sub(g.seen) > matchGapTTL })
}

// gapSeqs lists the seqs of the gaps (a rolled-back bulk write leaves a
// long range: at most matchChangePage seqs are listed, the oldest first;
// the rest wait for the next sync).
func (f *matchFeed) gapSeqs() []int64 {
	var out []int64
	for _, g := range f.gaps {
		for s := g.lo; s <= g.hi && len(out) < matchChangePage; s++ {
			out = append(out, s)
		}
	}
	return out
}

// rebuild builds both indexes anew and swaps them in (the start, or a
// rebuild marker). It reads the head of the sequence first: whatever
// commits while the records are read is applied again by the next sync.
func (f *matchFeed) rebuild(ctx context.Context) error {
	head, err := f.c.store.MatchHead(ctx)
	if err != nil {
		return err
	}
	present, err := f.c.store.MatchSeqsIn(ctx, head-matchStartWindow, head)
	if err != nil {
		return err
	}
	ach, need := newMatchDocs(f.cfg), newMatchDocs(f.cfg)
	city, err := f.c.cityCode(ctx)
	if err != nil {
		return err
	}
	today := f.c.today()
	for after := int64(0); ; {
		rows, err := f.c.store.MatchAchievements(ctx, after, matchBuildBatch, []domain.AchievementStatus{domain.AchievementPublished, domain.AchievementTransferred}, nil)
		if err != nil {
			return err
		}
		docs := make([]match.Doc, 0, len(rows))
		for _, r := range rows {
			if d, m, ok := achievementDoc(r, city); ok {
				docs = append(docs, d)
				ach.setMeta(d.ID, m, "")
			}
			after = r.ID
		}
		ach.ix.AddBatch(docs)
		if len(rows) < matchBuildBatch {
			break
		}
	}
	for after := int64(0); ; {
		rows, err := f.c.store.MatchNeeds(ctx, after, matchBuildBatch, []domain.NeedStatus{domain.NeedPublished}, nil)
		if err != nil {
			return err
		}
		docs := make([]match.Doc, 0, len(rows))
		for _, r := range rows {
			if d, m, ok := needDoc(r, city, today); ok {
				docs = append(docs, d)
				need.setMeta(d.ID, m, r.Deadline)
			}
			after = r.ID
		}
		need.ix.AddBatch(docs)
		if len(rows) < matchBuildBatch {
			break
		}
	}
	f.mu.Lock()
	f.ach, f.need = ach, need
	f.mu.Unlock()
	f.last, f.gaps, f.day, f.lastSync = head, nil, today, time.Now()
	now := f.wall()
	prev := max(head-matchStartWindow, 0)
	for _, s := range append(present, head+1) {
		if s > prev+1 {
			f.gaps = append(f.gaps, gapRange{prev + 1, s - 1, now})
		}
		prev = s
	}
	return nil
}

// setMeta records a document's structured side (replacing its old one).
func (d *matchDocs) setMeta(id string, m match.DocMeta, deadline string) {
	d.forget(id)
	d.meta[id] = m
	if deadline != "" {
		d.deadline[id] = deadline
	}
	if m.Chain != "" && m.Discipline != "" {
		if d.disc[m.Chain] == nil {
			d.disc[m.Chain] = map[string]int{}
		}
		d.disc[m.Chain][m.Discipline]++
	}
}

func (d *matchDocs) forget(id string) {
	old, ok := d.meta[id]
	if !ok {
		return
	}
	if by := d.disc[old.Chain]; by != nil && old.Discipline != "" {
		if by[old.Discipline]--; by[old.Discipline] <= 0 {
			delete(by, old.Discipline)
		}
	}
	delete(d.meta, id)
	delete(d.deadline, id)
}

// achievementDoc maps a public achievement to its document and structured
// side (ok false: not public, so not in the index).
func achievementDoc(r store.MatchAchievementRow, city string) (match.Doc, match.DocMeta, bool) {
	x := r.Achievement
	if !domain.Achievements.CanSee(nil, x) {
		return match.Doc{}, match.DocMeta{}, false
	}
	d := match.Doc{ID: strconv.FormatInt(x.ID, 10), Title: x.Title, Keywords: x.Keywords, Abstract: x.Abstract}
	m := match.DocMeta{Chain: x.ChainCode, Discipline: x.Discipline, Stage: domain.MaturityRank(x.Stage), TRL: x.TRL,
		Local: domain.IsLocal(city, r.Region), Available: x.Status == domain.AchievementPublished}
	if t, err := time.ParseInLocation(time.DateOnly, x.PublishedOn, domain.ChinaTZ); err == nil {
		m.Published = t
	}
	return d, m, true
}

// needDoc maps an open need to its document (title; keywords; the problem
// and the indicator names as the abstract) and structured side.
func needDoc(r store.MatchNeedRow, city, today string) (match.Doc, match.DocMeta, bool) {
	x := r.Need
	if !x.Open(today) {
		return match.Doc{}, match.DocMeta{}, false
	}
	abstract := x.Problem
	for _, in := range x.Indicators {
		abstract += "\n" + in.Indicator
	}
	d := match.Doc{ID: strconv.FormatInt(x.ID, 10), Title: x.Title, Keywords: x.Keywords, Abstract: abstract}
	m := match.DocMeta{Chain: x.ChainCode, Stage: domain.MaturityRank(x.Stage), Local: domain.IsLocal(city, r.Region), Available: true}
	if t, err := time.ParseInLocation(time.DateOnly, x.PublishedOn, domain.ChinaTZ); err == nil {
		m.Published = t
	}
	return d, m, true
}

// reloadAchievements reads the achievements of ids again and updates the
// index: a public one is (re)indexed, any other (or a deleted one) removed.
func (f *matchFeed) reloadAchievements(ctx context.Context, ids []int64) error {
	return reload(ctx, f, f.ach, ids, func(ctx context.Context, part []int64) ([]store.MatchAchievementRow, error) {
		return f.c.store.MatchAchievements(ctx, 0, 0, nil, part)
	}, func(r store.MatchAchievementRow, city, _ string) (int64, match.Doc, match.DocMeta, string, bool) {
		d, m, ok := achievementDoc(r, city)
		return r.ID, d, m, "", ok
	})
}

// reloadNeeds is reloadAchievements for needs (open ones are indexed).
func (f *matchFeed) reloadNeeds(ctx context.Context, ids []int64) error {
	return reload(ctx, f, f.need, ids, func(ctx context.Context, part []int64) ([]store.MatchNeedRow, error) {
		return f.c.store.MatchNeeds(ctx, 0, 0, nil, part)
	}, func(r store.MatchNeedRow, city, today string) (int64, match.Doc, match.DocMeta, string, bool) {
		d, m, ok := needDoc(r, city, today)
		return r.ID, d, m, r.Deadline, ok
	})
}

// reload reads the records of ids in pages (load) and applies them to docs
// (doc maps one to its id, document, structured side, deadline and
// whether it belongs in the index).
func reload[R any](ctx context.Context, f *matchFeed, docs *matchDocs, ids []int64, load func(context.Context, []int64) ([]R, error),
	doc func(r R, city, today string) (int64, match.Doc, match.DocMeta, string, bool)) error {
	city, err := f.c.cityCode(ctx)
	if err != nil {
		return err
	}
	today := f.c.today()
	for lo := 0; lo < len(ids); lo += matchReloadPage {
		part := ids[lo:min(lo+matchReloadPage, len(ids))]
		rows, err := load(ctx, part)
		if err != nil {
			return err
		}
		f.apply(docs, part, len(rows), func(i int) (int64, match.Doc, match.DocMeta, string, bool) { return doc(rows[i], city, today) })
	}
	return nil
}

// apply updates docs from n reloaded rows (row(i) maps the i-th) for the
// records of ids: those not reloaded were deleted.
func (f *matchFeed) apply(docs *matchDocs, ids []int64, n int, row func(i int) (int64, match.Doc, match.DocMeta, string, bool)) {
	var add []match.Doc
	var gone []string
	keep := map[int64]bool{}
	f.mu.Lock()
	for i := range n {
		id, d, m, deadline, ok := row(i)
		if ok {
			keep[id] = true
			add = append(add, d)
			docs.setMeta(d.ID, m, deadline)
		}
	}
	for _, id := range ids {
		if !keep[id] {
			s := strconv.FormatInt(id, 10)
			gone = append(gone, s)
			docs.forget(s)
		}
	}
	f.mu.Unlock()
	// The index has its own lock: the analysis runs outside the feed's.
	for _, id := range gone {
		docs.ix.Remove(id)
	}
	docs.ix.AddBatch(add) // replaces the documents of the same ids
}

// sweepNeeds removes the needs whose deadline is before today.
func (f *matchFeed) sweepNeeds(today string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, dl := range f.need.deadline {
		if dl < today {
			f.need.ix.Remove(id)
			f.need.forget(id)
		}
	}
}

// StartMatchFeed builds the matching indexes in the background and
// follows the database's change sequence until ctx ends (serve calls it;
// the HTTP listener does not wait for the build). Close stops it.
func (s *Service) StartMatchFeed(ctx context.Context) { s.core.feed.Start(ctx) }

// UseMatchConfig reads the matching engine's configuration from the JSON
// file path (match.LoadConfig: the defaults for what it leaves out; the
// structured features' default weights when it names none) for the
// indexes the feed builds; "" keeps the defaults. Call it before the feed
// starts: a bad file is an error naming the member, and nothing changes.
func (s *Service) UseMatchConfig(path string) error {
	if path == "" {
		return nil
	}
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("匹配配置文件无法读取: %w", err)
	}
	defer file.Close()
	cfg, err := match.LoadConfig(file)
	if err != nil {
		return fmt.Errorf("匹配配置文件 %s: %w", path, err)
	}
	if cfg.Features == nil {
		cfg.Features = match.DefaultFeatureWeights()
	}
	f := s.core.feed
	f.syncMu.Lock() // a build reads cfg under it
	defer f.syncMu.Unlock()
	f.cfg = cfg
	return nil
}
