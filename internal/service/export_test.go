package service

import (
	"context"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// AddStepHookForTest adds a hook run in every workflow step's transaction
// after the others (a failing one rolls the step back).
func AddStepHookForTest(s *Service, h func(ctx context.Context, a *domain.Actor, ev *domain.Event) error) {
	s.core.hooks = append(s.core.hooks, func(ctx context.Context, _ *store.Q, a *domain.Actor, ev *domain.Event, _ any) error {
		return h(ctx, a, ev)
	})
}
