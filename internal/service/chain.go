package service

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// chainSource gives one module's figures of the chain for a year (chain ""
// for every industrial chain). It reads only records the public may count.
type chainSource func(ctx context.Context, q *store.Q, year int, chain string) (domain.ChainFigures, error)

// chainLinkSource gives one module's steps on the timeline of ref (an
// achievement or a need).
type chainLinkSource func(ctx context.Context, q *store.Q, ref domain.ChainRef) ([]domain.ChainLink, error)

// chainSources are the modules' figure sources. Registration line: one per
// module.
func chainSources() []chainSource {
	return []chainSource{
		contractChainSource,
		achievementChainFigures,
		needChainSource,
		challengeChainFigures,
		eventChainFigures,
		matchChainFigures,
	}
}

// sharedChainFigures are the figures several modules contribute to, summed
// (intentions: signed at events, and made by accepting a match); any other
// key given by two sources is refused.
var sharedChainFigures = map[string]bool{domain.ChainIntentions: true}

// chainLinkSources are the modules' timeline sources. Registration line:
// one per module.
func chainLinkSources() []chainLinkSource {
	return []chainLinkSource{
		achievementChainLinks,
		needChainLinks,
		contractChainLinks,
		challengeChainLinks,
		eventChainLinks,
		matchChainLinks,
	}
}

// chainFigures merges every source's figures for year and chain in one
// read transaction; a key given twice is refused unless it is shared
// (sharedChainFigures), when the sources' counts are summed.
func (c *core) chainFigures(ctx context.Context, year int, chain string) (domain.ChainFigures, error) {
	out := domain.ChainFigures{}
	err := c.store.InTx(ctx, func(q *store.Q) error {
		for _, src := range chainSources() {
			f, err := src(ctx, q, year, chain)
			if err != nil {
				return err
			}
			for k, v := range f {
				if _, dup := out[k]; dup && !sharedChainFigures[k] {
					return fmt.Errorf("service: chain figure %q given by two sources", k) // a programming error, never a user's
				}
				out[k] += v
			}
		}
		return nil
	})
	return out, err
}

// chainLinks gathers every source's steps for ref, in no particular order.
func (c *core) chainLinks(ctx context.Context, ref domain.ChainRef) ([]domain.ChainLink, error) {
	var out []domain.ChainLink
	err := c.store.InTx(ctx, func(q *store.Q) error {
		for _, src := range chainLinkSources() {
			l, err := src(ctx, q, ref)
			if err != nil {
				return err
			}
			out = append(out, l...)
		}
		return nil
	})
	return out, err
}
