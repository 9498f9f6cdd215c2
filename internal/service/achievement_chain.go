package service

import (
	"context"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// achievementChainFigures is the achievements' chainSource: the
// achievements first published in the year (on the chain), read from the
// achievement rollup the store keeps with every write (migration 0022).
func achievementChainFigures(ctx context.Context, q *store.Q, year int, chain string) (domain.ChainFigures, error) {
	n, err := q.AchievementsPublishedRollup(ctx, year, chain)
	if err != nil {
		return nil, err
	}
	return domain.ChainFigures{domain.ChainAchievementsPublished: n}, nil
}

// AchievementRollupCheck reads the achievement rollup's cells for the
// years (all when none) and the same cells counted from the records, for
// `kechuang stats check`; the administrator's.
func (s *Achievements) AchievementRollupCheck(ctx context.Context, a *domain.Actor, years ...int) (rolled, naive []domain.AchievementRollupRow, err error) {
	if !a.Is(domain.RoleAdmin) {
		return nil, nil, forbidden("核对成果统计汇总表")
	}
	if rolled, err = s.store.AchievementRollupRows(ctx, years...); err != nil {
		return nil, nil, err
	}
	naive, err = s.store.AchievementRollupRowsNaive(ctx, years...)
	return rolled, naive, err
}

// RebuildAchievementRollup recounts the achievement rollup from the
// records; the administrator's.
func (s *Achievements) RebuildAchievementRollup(ctx context.Context, a *domain.Actor) error {
	if !a.Is(domain.RoleAdmin) {
		return forbidden("重建成果统计汇总表")
	}
	return s.store.RebuildAchievementRollup(ctx)
}
