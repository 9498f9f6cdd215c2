package service

import (
	"context"

	"kechuang/internal/domain"
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

// Readiness reports whether the database answers and which migrations
// are pending (for /readyz); it writes nothing. A database newer than this
// program answers *domain.UnknownMigrationsError.
func (s *Service) Readiness(ctx context.Context) ([]string, error) {
	if err := s.core.store.Ping(ctx); err != nil {
		return nil, err
	}
	if s.core.store.StorageFull() { // the last write failed for want of space
		return nil, domain.Errorf(domain.EUNAVAILABLE, "存储空间已满")
	}
	return s.core.store.Pending(ctx)
}
