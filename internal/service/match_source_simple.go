package service

// TEMPORARY: a simple matchSource for the matching surfaces, built while
// the database feed (matchfeed, internal/service/match_feed.go) is built
// beside it. It is replaced at merge: nothing else depends on it but
// newMatchSource. It builds both indexes from the store on first use and
// rebuilds them when the store's statistics version moves (a record
// published, closed …), and has no structured features.

import (
	"context"
	"strconv"
	"sync"

	"kechuang/internal/domain"
	"kechuang/internal/match"
)

type simpleMatchSource struct {
	c       *core
	mu      sync.Mutex
	version int64
	built   bool
	ach     *match.Index
	needs   *match.Index
}

// newMatchSource is the source service.New gives Match (TEMPORARY).
func newMatchSource(c *core) matchSource { return &simpleMatchSource{c: c} }

func (s *simpleMatchSource) indexes(ctx context.Context) (*match.Index, *match.Index, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.c.store.StatsVersion(ctx)
	if err != nil {
		return nil, nil, err
	}
	if s.built && v == s.version {
		return s.ach, s.needs, nil
	}
	ach := match.New(match.DefaultConfig(), match.Analyzer{})
	needs := match.New(match.DefaultConfig(), match.Analyzer{})
	var docs []match.Doc
	for page := 1; ; page++ {
		xs, total, err := s.c.store.FindAchievements(ctx, domain.AchievementFilter{Status: domain.AchievementPublished, Page: page, PerPage: 200},
			domain.AchievementScope{PublishedOnly: true})
		if err != nil {
			return nil, nil, err
		}
		for _, x := range xs {
			docs = append(docs, match.Doc{ID: strconv.FormatInt(x.ID, 10), Title: x.Title, Keywords: x.Keywords, Abstract: x.Abstract})
		}
		if len(xs) == 0 || page*200 >= total {
			break
		}
	}
	ach.AddBatch(docs)
	docs = nil
	today := s.c.today()
	for page := 1; ; page++ {
		xs, total, err := s.c.store.FindNeeds(ctx, domain.NeedFilter{State: "open", Today: today, Page: page, PerPage: 200},
			domain.NeedScope{PublishedOnly: true})
		if err != nil {
			return nil, nil, err
		}
		for _, x := range xs {
			docs = append(docs, match.Doc{ID: strconv.FormatInt(x.ID, 10), Title: x.Title, Keywords: x.Keywords, Abstract: needMatchText(x)})
		}
		if len(xs) == 0 || page*200 >= total {
			break
		}
	}
	needs.AddBatch(docs)
	s.ach, s.needs, s.version, s.built = ach, needs, v, true
	return ach, needs, nil
}

func (s *simpleMatchSource) Achievements(ctx context.Context) (*match.Index, error) {
	a, _, err := s.indexes(ctx)
	return a, err
}

func (s *simpleMatchSource) Needs(ctx context.Context) (*match.Index, error) {
	_, n, err := s.indexes(ctx)
	return n, err
}

func (s *simpleMatchSource) Features(ctx context.Context, needID, achievementID int64) []match.Feature {
	return nil
}
