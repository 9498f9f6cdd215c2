package service

import (
	"context"

	"kechuang/internal/store"
)

// Seed runs fn in one write transaction on the store: the one door through
// which loaders of bulk reference data (the demo city, the benchmark's
// generated year) write below the use cases, because they write rows by
// the hundred thousand that no use case files one by one. Nothing a user
// sends reaches it; internal/archtest allows only demo and bench to import
// the store for it.
func (s *Service) Seed(ctx context.Context, fn func(q *store.Q) error) error {
	return s.core.store.InTx(ctx, fn)
}

// Ready reports whether the database answers and its schema is current
// (for /readyz); it writes nothing.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.core.store.Ping(ctx); err != nil {
		return err
	}
	p, err := s.core.store.Pending(ctx)
	if err != nil {
		return err
	}
	if len(p) > 0 {
		return errPending(p)
	}
	return nil
}
