package service

import (
	"context"
	"sort"

	"kechuang/internal/domain"
)

// Chain is the city's chain (成果转化链条) as the public reads it: its
// figures by year and industrial chain, the funnel, and the timeline of an
// achievement or a need. The figures and the steps come from the modules'
// sources (chain.go).
type Chain struct {
	*core
	stats *versionCache[chainStatsKey, *ChainStats]
}

// chainStatsKey is a cached answer's key: a validated year and chain, so
// the cache holds at most 221 × (chains + 1) entries.
type chainStatsKey struct {
	year  int
	chain string
}

// maxChainCode bounds a chain code read from a request before it is
// looked up (the codes are short ASCII identifiers).
const maxChainCode = 64

// ChainStats are the chain's figures for a year and an industrial chain
// ("" every chain): GET /api/v1/stats/chain. A figure no module records
// yet is zero here; Stages tells which stages have a source.
type ChainStats struct {
	Year                   int    `json:"year"`
	Chain                  string `json:"chain"`
	AchievementsPublished  int64  `json:"achievements_published"`
	NeedsPublished         int64  `json:"needs_published"`
	Events                 int64  `json:"events"`
	EnterpriseServices     int64  `json:"enterprise_services"`
	Intentions             int64  `json:"intentions"`
	Challenges             int64  `json:"challenges"`
	ChallengeChains        int64  `json:"challenge_chains"`
	ContractsLinked        int64  `json:"contracts_linked"`
	AchievementsContracted int64  `json:"achievements_contracted"`
	LocalConversions       int64  `json:"local_conversions"`
	// Figures are every figure a source gave, by key (later modules' keys
	// beyond the named ones included).
	Figures domain.ChainFigures `json:"figures"`
	// Stages are the funnel's stages with their counts.
	Stages []ChainStageCount `json:"stages"`
}

// ChainStageCount is one funnel stage with its count; Value is null when no
// module records the stage yet (shown as 暂无数据, never as zero).
type ChainStageCount struct {
	domain.ChainStage
	Value *int64 `json:"value"`
	// LocalValue is the stage's local part (the buyer in the city), where
	// the records tell.
	LocalValue *int64 `json:"local_value,omitempty"`
}

// Stats returns the chain's figures for year and chain ("" every chain): a
// year outside 1980–2200 or an unknown chain is refused naming the field.
// The answer is public and anonymous, and assembling it costs a dozen
// COUNTs: it is cached by year and chain at the statistics version (every
// write to what a chain source counts bumps it, so an answer is never
// stale), and a request costs one primary-key read while nothing changes.
// The returned value is shared: callers must not modify it.
func (s *Chain) Stats(ctx context.Context, year int, chain string) (*ChainStats, error) {
	if year < 1980 || year > 2200 {
		return nil, domain.FieldErrorf("year", "年份应在 1980–2200 之间")
	}
	if len(chain) > maxChainCode {
		return nil, domain.FieldErrorf("chain", "产业链代码过长")
	}
	st, _, err := s.stats.get(ctx, chainStatsKey{year, chain}, false, func(ctx context.Context) (*ChainStats, error) {
		return s.assemble(ctx, year, chain)
	})
	return st, err
}

// assemble computes the chain's figures (Stats, uncached).
func (s *Chain) assemble(ctx context.Context, year int, chain string) (*ChainStats, error) {
	if chain != "" {
		known, err := s.store.ChainExists(ctx, chain)
		if err != nil {
			return nil, err
		}
		if !known {
			return nil, domain.FieldErrorf("chain", "产业链“%s”不存在", chain)
		}
	}
	f, err := s.chainFigures(ctx, year, chain)
	if err != nil {
		return nil, err
	}
	st := &ChainStats{Year: year, Chain: chain, Figures: f,
		AchievementsPublished: f[domain.ChainAchievementsPublished], NeedsPublished: f[domain.ChainNeedsPublished],
		Events: f[domain.ChainEvents], EnterpriseServices: f[domain.ChainEnterpriseServices], Intentions: f[domain.ChainIntentions],
		Challenges: f[domain.ChainChallenges], ChallengeChains: f[domain.ChainChallengeChains],
		ContractsLinked: f[domain.ChainContractsLinked], AchievementsContracted: f[domain.ChainAchievementsContracted],
		LocalConversions: f[domain.ChainLocalConversions]}
	for _, stage := range domain.ChainStages {
		c := ChainStageCount{ChainStage: stage}
		if v, ok := f[stage.Figure]; ok {
			c.Value = &v
		}
		if stage.Local != "" {
			if v, ok := f[stage.Local]; ok {
				c.LocalValue = &v
			}
		}
		st.Stages = append(st.Stages, c)
	}
	return st, nil
}

// ChainTimeline is an achievement's or a need's every link, oldest first.
type ChainTimeline struct {
	Ref   domain.ChainRef `json:"ref"`
	Title string          `json:"title"`
	Steps []ChainStep     `json:"steps"`
}

// ChainStep is one step of a timeline; Open tells the pages whether the
// reader may open the record the step is about.
type ChainStep struct {
	domain.ChainLink
	Open bool `json:"-"`
}

// AchievementTimeline returns the timeline of an achievement a may see
// (the public: a published one).
func (s *Chain) AchievementTimeline(ctx context.Context, a *domain.Actor, id int64) (*ChainTimeline, error) {
	x, err := s.store.FindAchievementByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !domain.Achievements.CanSee(a, x) {
		return nil, domain.Errorf(domain.ENOTFOUND, "成果不存在")
	}
	return s.timeline(ctx, a, domain.ChainRef{Kind: "achievement", ID: id}, x.Title)
}

// NeedTimeline returns the timeline of a need a may see (the public: a
// published one).
func (s *Chain) NeedTimeline(ctx context.Context, a *domain.Actor, id int64) (*ChainTimeline, error) {
	x, err := s.store.FindNeedByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !domain.Needs.CanSee(a, x) {
		return nil, domain.Errorf(domain.ENOTFOUND, "需求不存在")
	}
	return s.timeline(ctx, a, domain.ChainRef{Kind: "need", ID: id}, x.Title)
}

func (s *Chain) timeline(ctx context.Context, a *domain.Actor, ref domain.ChainRef, title string) (*ChainTimeline, error) {
	links, err := s.chainLinks(ctx, ref)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(links, func(i, j int) bool { return links[i].At.Before(links[j].At) })
	t := &ChainTimeline{Ref: ref, Title: title, Steps: make([]ChainStep, 0, len(links))}
	for _, l := range links {
		open, err := s.mayOpen(ctx, a, l.Ref)
		if err != nil {
			return nil, err
		}
		if !open && l.Public != "" {
			l.Title, l.Note = l.Public, ""
		}
		t.Steps = append(t.Steps, ChainStep{ChainLink: l, Open: open})
	}
	return t, nil
}

// mayOpen reports whether a may open the record ref: a contract by the
// contract policy, the kinds a contract may name by their module's check.
func (s *Chain) mayOpen(ctx context.Context, a *domain.Actor, ref domain.ChainRef) (bool, error) {
	if ref.Kind == "contract" {
		if a == nil {
			return false, nil
		}
		c, err := s.store.FindContractByID(ctx, ref.ID)
		if err != nil {
			return false, err
		}
		return domain.Contracts.CanSee(a, c), nil
	}
	k, ok := contractLinkKinds()[ref.Kind]
	if !ok {
		return false, nil
	}
	_, open, err := k.resolve(ctx, s.store.Q, a, ref.ID)
	return open, err
}
