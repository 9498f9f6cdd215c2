package service_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/match"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.Main(m)) }

func id(x int64) string { return strconv.FormatInt(x, 10) }

// syncFeed applies the pending changes of f.
func syncFeed(t *testing.T, f *service.MatchFeed) {
	t.Helper()
	if err := f.Sync(context.Background()); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

func achIndex(t *testing.T, f *service.MatchFeed) *match.Index {
	t.Helper()
	ix, err := f.Achievements(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func needIndex(t *testing.T, f *service.MatchFeed) *match.Index {
	t.Helper()
	ix, err := f.Needs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// publishAchievement files and publishes a new achievement through the
// service.
func (w *world) publishAchievement(t *testing.T, title string) *domain.Achievement {
	t.Helper()
	ctx := context.Background()
	svc := w.svc.Achievements
	in := w.achievementInput()
	in.Title = title
	x, err := svc.Create(ctx, w.univ, in)
	if err == nil {
		x, err = svc.Submit(ctx, w.univ, x.ID, x.Version)
	}
	if err == nil {
		x, err = svc.File(ctx, w.bureau, x.ID, x.Version, "")
	}
	if err == nil {
		x, err = svc.Publish(ctx, w.univ, x.ID, x.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// publishNeed posts and publishes a need through the service.
func (w *world) publishNeed(t *testing.T, title string) *domain.Need {
	t.Helper()
	ctx := context.Background()
	in := w.needInput()
	in.Title = title
	x, err := w.svc.Needs.Create(ctx, w.ent, in)
	if err == nil {
		x, err = w.svc.Needs.Submit(ctx, w.ent, x.ID, x.Version)
	}
	if err == nil {
		x, err = w.svc.Needs.Publish(ctx, w.bureau, x.ID, x.Version, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// top is the best hit's id of text in ix ("" none).
func top(ix *match.Index, text string) string {
	hits := ix.Search(text, 1)
	if len(hits) == 0 {
		return ""
	}
	return hits[0].ID
}

// Writes through the service appear in and vanish from the indexes after
// a sync: publication, unpublication, transfer (kept, demoted), a need's
// publication and closing.
func TestMatchFeedFollowsWrites(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		f := service.MatchFeedOf(w.svc)
		defer f.Close()
		syncFeed(t, f)
		if n := achIndex(t, f).Len(); n != 0 {
			t.Fatalf("empty world: %d achievements indexed", n)
		}
		draft, err := w.svc.Achievements.Create(ctx, w.univ, w.achievementInput())
		if err != nil {
			t.Fatal(err)
		}
		x := w.publishAchievement(t, "钛酸锂负极材料快充电池技术")
		syncFeed(t, f)
		ix := achIndex(t, f)
		if !ix.Has(id(x.ID)) || ix.Has(id(draft.ID)) || ix.Len() != 1 {
			t.Fatalf("after publication: has %v, draft %v, len %d", ix.Has(id(x.ID)), ix.Has(id(draft.ID)), ix.Len())
		}
		if got := top(ix, "钛酸锂快充"); got != id(x.ID) {
			t.Errorf("search finds %q", got)
		}
		if x, err = w.svc.Achievements.Unpublish(ctx, w.bureau, x.ID, x.Version, "核实中"); err != nil {
			t.Fatal(err)
		}
		syncFeed(t, f)
		if achIndex(t, f).Has(id(x.ID)) {
			t.Error("an unpublished achievement is still indexed")
		}
		if x, err = w.svc.Achievements.Publish(ctx, w.bureau, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if x, err = w.svc.Achievements.Transfer(ctx, w.univ, x.ID, x.Version, "独占许可"); err != nil {
			t.Fatal(err)
		}
		syncFeed(t, f)
		if !achIndex(t, f).Has(id(x.ID)) {
			t.Fatal("a transferred achievement (public) is not indexed")
		}
		n := w.publishNeed(t, "快充电池负极材料需求")
		syncFeed(t, f)
		feats := f.Features(ctx, n.ID, 0)
		var avail float64
		hits := achIndex(t, f).SearchOpts("钛酸锂快充", 1, match.Options{Features: feats})
		for _, r := range hits[0].Reasons {
			if r.Term == match.FeatureAvailability {
				avail = r.Contribution
			}
		}
		if avail >= 0 {
			t.Errorf("a transferred achievement is not demoted: %+v", hits[0].Reasons)
		}
		if !needIndex(t, f).Has(id(n.ID)) {
			t.Fatal("a published need is not indexed")
		}
		if _, err = w.svc.Needs.Close(ctx, w.ent, n.ID, n.Version, "other", ""); err != nil {
			t.Fatal(err)
		}
		syncFeed(t, f)
		if needIndex(t, f).Has(id(n.ID)) {
			t.Error("a closed need is still indexed")
		}
	})
}

// A second process (its own store and services on the same database)
// follows the first's writes.
func TestMatchFeedAnotherProcess(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		st2, err := store.Open(ctx, w.svc.DatabaseURL(), store.WithAuditKey([]byte(testutil.AuditKey)))
		if err != nil {
			t.Fatal(err)
		}
		svc2 := service.New(st2, testutil.Log()).WithClock(w.city.Clock) // the world's day: its needs are open
		defer svc2.Close()
		f2 := service.MatchFeedOf(svc2)
		syncFeed(t, f2)
		x := w.publishAchievement(t, "钛酸锂负极材料快充电池技术")
		n := w.publishNeed(t, "快充电池负极材料需求")
		syncFeed(t, f2)
		if !achIndex(t, f2).Has(id(x.ID)) || !needIndex(t, f2).Has(id(n.ID)) {
			t.Fatal("the second process does not see the first's publications")
		}
		if _, err := w.svc.Achievements.Unpublish(ctx, w.bureau, x.ID, x.Version, "核实中"); err != nil {
			t.Fatal(err)
		}
		// The follower in the background catches up by itself (Has, not
		// f2.Achievements: that would sync on demand).
		f2.Start(ctx)
		ix2 := achIndex(t, f2)
		written := time.Now()
		deadline := written.Add(30 * time.Second)
		for ix2.Has(id(x.ID)) {
			if time.Now().After(deadline) {
				t.Fatal("the second process still has the unpublished achievement")
			}
			time.Sleep(10 * time.Millisecond)
		}
		follow := time.Since(written)
		// On demand: a write, then Sync.
		y := w.publishAchievement(t, "量子点荧光薄膜显示技术")
		start := time.Now()
		syncFeed(t, f2)
		sync := time.Since(start)
		if !achIndex(t, f2).Has(id(y.ID)) {
			t.Fatal("a sync on demand misses a publication")
		}
		t.Logf("follow latency (background, every %v): %v; one change applied on demand: %v", time.Second, follow, sync)
	})
}

// On PostgreSQL a later seq may commit first: the earlier one, seen after
// the later was applied, is still applied.
func TestMatchFeedOutOfOrderCommit(t *testing.T) {
	t.Parallel()
	dsn := testutil.PostgresDSN(t)
	if dsn == "" {
		t.Skip("KECHUANG_TEST_POSTGRES not set")
	}
	w := newWorld(t, testutil.OpenPostgres(t, dsn))
	ctx := context.Background()
	a1 := w.city.Achievement().Published().Insert(t)
	a2 := w.city.Achievement().Published().Insert(t)
	f := service.MatchFeedOf(w.svc)
	defer f.Close()
	syncFeed(t, f)
	retitle := func(q *store.Q, x *domain.Achievement, title string) error {
		y, err := q.FindAchievementByID(ctx, x.ID)
		if err != nil {
			return err
		}
		y.Title = title
		return q.UpdateAchievement(ctx, y)
	}
	written, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- w.st.InTx(ctx, func(q *store.Q) error {
			if err := retitle(q, a1, "量子点荧光薄膜显示技术"); err != nil {
				return err
			}
			close(written) // its seq is taken, not committed
			<-release
			return nil
		})
	}()
	select {
	case <-written:
	case err := <-done:
		t.Fatal(err)
	}
	if err := w.st.InTx(ctx, func(q *store.Q) error { return retitle(q, a2, "钙钛矿太阳能电池封装技术") }); err != nil {
		t.Fatal(err)
	}
	syncFeed(t, f)
	ix := achIndex(t, f)
	if got := top(ix, "钙钛矿太阳能电池封装"); got != id(a2.ID) {
		t.Fatalf("the committed later change is not applied: top %q", got)
	}
	if got := top(ix, "量子点荧光薄膜"); got == id(a1.ID) {
		t.Fatal("an uncommitted change is applied")
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	syncFeed(t, f)
	if got := top(achIndex(t, f), "量子点荧光薄膜"); got != id(a1.ID) {
		t.Fatalf("the earlier seq committed later is lost: top %q", got)
	}
}

// The start-up build from the demo city holds every public achievement
// and every open need; the figures are logged.
func TestMatchFeedDemoBuild(t *testing.T) {
	for _, db := range testutil.Databases(t) {
		t.Run(db, func(t *testing.T) {
			// The web package's tests load the same city (the same key and fill).
			st := testutil.SharedAcross(t, db, testutil.DemoToday(), func(st *store.Store) error {
				svc := service.New(st, testutil.Log())
				_, err := demo.Load(context.Background(), svc, svc.Now(), nil)
				return err
			})
			ctx := context.Background()
			svc := service.New(st, testutil.Log())
			f := service.MatchFeedOf(svc)
			defer f.Close()
			start := time.Now()
			syncFeed(t, f)
			built := time.Since(start)
			// The exact counts from the records (a list's total is capped).
			cells, err := st.AchievementRollupRowsNaive(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var published, transferred int
			for _, c := range cells {
				switch domain.AchievementStatus(c.Status) {
				case domain.AchievementPublished:
					published += int(c.N)
				case domain.AchievementTransferred:
					transferred += int(c.N)
				}
			}
			_, open, err := svc.Needs.List(ctx, nil, domain.NeedFilter{State: "open", PerPage: 1})
			if err != nil {
				t.Fatal(err)
			}
			if published == 0 || open == 0 {
				t.Fatalf("the demo city has %d published achievements, %d open needs", published, open)
			}
			if n := achIndex(t, f).Len(); n != published+transferred {
				t.Errorf("achievements indexed %d, public in the database %d + %d", n, published, transferred)
			}
			if n := needIndex(t, f).Len(); n != open {
				t.Errorf("needs indexed %d, open in the database %d", n, open)
			}
			// Beside it, the reading of the same records alone (no analysis).
			start = time.Now()
			read := 0
			for after := int64(0); ; {
				rows, err := st.MatchAchievements(ctx, after, 1000, []domain.AchievementStatus{domain.AchievementPublished, domain.AchievementTransferred}, nil)
				if err != nil {
					t.Fatal(err)
				}
				read += len(rows)
				if len(rows) < 1000 {
					break
				}
				after = rows[len(rows)-1].ID
			}
			t.Logf("%s: start-up build of %d achievements and %d needs in %.2f s (%.0f docs/s); reading the %d achievements alone %.2f s",
				db, published+transferred, open, built.Seconds(), float64(published+transferred+open)/built.Seconds(), read, time.Since(start).Seconds())
		})
	}
}

// TestMatchConfigFile: serve's KECHUANG_MATCH_CONFIG file sets the weights
// of the indexes the feed builds (the defaults for what it leaves out); a
// bad file is refused naming the member and changes nothing.
func TestMatchConfigFile(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.json")
		os.WriteFile(bad, []byte(`{"similarity": {"candidates": -1, "weight": 1}}`), 0o600)
		if err := w.svc.UseMatchConfig(bad); err == nil || !strings.Contains(err.Error(), "similarity.candidates") {
			t.Errorf("a bad file: %v", err)
		}
		if err := w.svc.UseMatchConfig(filepath.Join(dir, "none.json")); err == nil {
			t.Error("a missing file is accepted")
		}
		good := filepath.Join(dir, "match.json")
		os.WriteFile(good, []byte(`{"features": {"availability": 2.5, "chain": 0}, "word_weight": 0.75}`), 0o600)
		if err := w.svc.UseMatchConfig(good); err != nil {
			t.Fatal(err)
		}
		f := service.MatchFeedOf(w.svc)
		defer f.Close()
		syncFeed(t, f)
		cfg := achIndex(t, f).Config()
		if cfg.Features["availability"] != 2.5 || cfg.Features["chain"] != 0 || cfg.WordWeight != 0.75 ||
			cfg.Similarity != match.DefaultConfig().Similarity {
			t.Errorf("the index's configuration: %+v", cfg)
		}
	})
}
