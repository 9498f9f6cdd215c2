package service_test

import (
	"context"
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
