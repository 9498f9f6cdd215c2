package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// TestChainStatsCached: the public chain figures are assembled once per
// statistics version — a second read with no write between is the same
// answer (not assembled again) — and every kind of write a chain source
// counts shows up at once, through this service and through another one
// over the same database (another process), whose cache the write also
// invalidates.
func TestChainStatsCached(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		other := service.New(w.st, testutil.Log()) // a second process over the same database
		year := 2022
		read := func(s *service.Service, chain string) *service.ChainStats {
			t.Helper()
			st, err := s.Chain.Stats(ctx, year, chain)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		first := read(w.svc, "")
		read(other, "")
		if again := read(w.svc, ""); again != first {
			t.Fatal("a second read with no write between assembled the figures again: not cached")
		}
		steps := []struct {
			name  string
			write func()
			got   func(*service.ChainStats) int64
		}{
			{"achievement", func() { w.city.Achievement().Published().Insert(t) }, func(s *service.ChainStats) int64 { return s.AchievementsPublished }},
			{"need", func() { w.city.Need().Published().Insert(t) }, func(s *service.ChainStats) int64 { return s.NeedsPublished }},
			{"challenge", func() { w.city.Challenge().Published().Insert(t) }, func(s *service.ChainStats) int64 { return s.Challenges }},
			{"event", func() { w.city.TechEvent().Held().Insert(t) }, func(s *service.ChainStats) int64 { return s.Events }},
		}
		for _, step := range steps {
			before, beforeOther := read(w.svc, ""), read(other, "")
			step.write()
			after, afterOther := read(w.svc, ""), read(other, "")
			if step.got(after) != step.got(before)+1 || step.got(afterOther) != step.got(beforeOther)+1 {
				t.Errorf("%s: figure %d → %d here, %d → %d in the other process; want one more in both",
					step.name, step.got(before), step.got(after), step.got(beforeOther), step.got(afterOther))
			}
		}
		// A chain's answer is cached apart from every chain's.
		x := w.city.Achievement().Published().Insert(t)
		byChain := read(w.svc, x.ChainCode)
		if byChain.Chain != x.ChainCode || byChain.AchievementsPublished < 1 || byChain == read(w.svc, "") {
			t.Errorf("chain %s: %+v", x.ChainCode, byChain)
		}
	})
}

// TestChainStatsBounds: what a request may ask is bounded before anything
// is read or cached: the year's range, the chain's length, an unknown
// chain (refused, naming the field, and never cached as an answer).
func TestChainStatsBounds(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for _, tc := range []struct {
			year  int
			chain string
			field string
		}{
			{1979, "", "year"}, {2201, "", "year"}, {-1, "", "year"}, {1 << 40, "", "year"},
			{2022, strings.Repeat("x", 65), "chain"}, {2022, "no-such-chain", "chain"},
		} {
			_, err := w.svc.Chain.Stats(ctx, tc.year, tc.chain)
			wantCode(t, err, domain.EINVALID, tc.field)
			if _, err := w.svc.Chain.Stats(ctx, tc.year, tc.chain); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%d %q asked again: %v", tc.year, tc.chain, err)
			}
		}
	})
}

// TestStatsYearsCachedFresh: the statistics pages' year choices (cached at
// the statistics version) show a registration in a new year (2031, past
// every target of the test city) at once, and
// a caller changing its copy changes no one else's.
func TestStatsYearsCachedFresh(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		before, err := w.svc.Contracts.StatsYears(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(before, 2031) {
			t.Fatalf("years before: %v", before)
		}
		if len(before) > 0 {
			before[0] = -1 // the caller's own copy
		}
		w.city.SetDay("2031-02-01")
		c := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		if _, err := w.svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, 800_000_00, ""); err != nil {
			t.Fatal(err)
		}
		after, err := w.svc.Contracts.StatsYears(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) == 0 || after[0] != 2031 || slices.Contains(after, -1) {
			t.Fatalf("years after a registration in 2031: %v", after)
		}
	})
}
