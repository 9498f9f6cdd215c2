package service

import (
	"context"
	"kechuang/internal/store"
	"time"
)

// The operator's use cases (the command line): schema, backup, sweeping.

// IsEmpty reports whether the database has no schema yet.
func (s *Service) IsEmpty(ctx context.Context) (bool, error) { return s.core.store.IsEmpty(ctx) }

// Pending lists the migrations not yet applied.
func (s *Service) Pending(ctx context.Context) ([]string, error) { return s.core.store.Pending(ctx) }

// Migrate applies the pending migrations.
//
// After the SQL, the rows written before migration 0011 get their pinyin
// sort keys, and the due dates the SQL could not compute (the 2026
// regime's working days) are filled in from the calendar.
func (s *Service) Migrate(ctx context.Context) ([]string, error) {
	applied, err := s.core.store.Migrate(ctx)
	if err != nil {
		return applied, err
	}
	if err := s.core.store.InTx(ctx, func(q *store.Q) error { _, err := q.FillSortKeys(ctx); return err }); err != nil {
		return applied, err
	}
	if err := s.core.store.MarkEmptySearchIndexes(ctx); err != nil {
		return applied, err
	}
	if len(applied) == 0 {
		return applied, nil
	}
	return applied, s.Contracts.fillClocks(ctx)
}

// DatabaseURL is the URL the database was opened with (for messages; the
// caller hides a password).
func (s *Service) DatabaseURL() string { return s.core.store.URL() }

// Backup writes a consistent copy of the live database to path: SQLite by
// VACUUM INTO, PostgreSQL through pg_dump (the PostgreSQL client must be
// installed).
func (s *Service) Backup(ctx context.Context, path string) error {
	return s.core.store.Backup(ctx, path)
}

// SweepSessions deletes expired sessions now and then every interval
// until ctx ends (serve runs it), so sessions nobody ends by logging out
// do not pile up (L10).
func (s *Service) SweepSessions(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.core.store.DeleteExpiredSessions(ctx, s.Now()); err != nil && ctx.Err() == nil {
			s.core.log.Warn("service: sweep sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
