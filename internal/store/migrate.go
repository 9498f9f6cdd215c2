package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"kechuang/internal/domain"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one schema change, present for both dialects.
type Migration struct {
	Version string // file name without ".up.sql", e.g. "0001_init"
	SQL     string
}

func (s *Store) migrations() ([]Migration, error) {
	return readMigrations(migrationFS, s.dialect.migrationsDir())
}

// readMigrations reads dir's NNNN_name.up.sql files, oldest first.
func readMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".up.sql") {
			continue
		}
		b, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: strings.TrimSuffix(e.Name(), ".up.sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// ensureMigrationTable is the one schema write outside a migration; only
// Migrate calls it, so that probes and status checks stay read-only.
func (s *Store) ensureMigrationTable(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	if err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	return nil
}

// Applied returns the versions already applied; none when the database has
// no schema_migrations table yet. It only reads, through the reader pool.
func (s *Store) Applied(ctx context.Context) (map[string]bool, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, s.dialect.tableExistsSQL(), "schema_migrations").Scan(&n); err != nil {
		return nil, fmt.Errorf("store: look for schema_migrations: %w", err)
	}
	done := map[string]bool{}
	if n == 0 {
		return done, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("store: list migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rows.Err()
}

// pending returns this binary's migrations not yet applied, oldest first,
// or a *domain.UnknownMigrationsError when the database is ahead of the binary.
func (s *Store) pending(ctx context.Context) ([]Migration, error) {
	all, err := s.migrations()
	if err != nil {
		return nil, err
	}
	done, err := s.Applied(ctx)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, m := range all {
		if !done[m.Version] {
			out = append(out, m)
		}
		delete(done, m.Version)
	}
	if len(done) > 0 {
		unknown := make([]string, 0, len(done))
		for v := range done {
			unknown = append(unknown, v)
		}
		slices.Sort(unknown)
		return nil, &domain.UnknownMigrationsError{Versions: unknown}
	}
	return out, nil
}

// Pending lists the migrations not yet applied, oldest first. It only
// reads, so /readyz may call it on every probe. A database that records
// migrations this binary lacks yields a *domain.UnknownMigrationsError.
func (s *Store) Pending(ctx context.Context) ([]string, error) {
	ms, err := s.pending(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Version
	}
	return out, nil
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the versions it applied. It refuses a database ahead of the binary.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	return s.MigrateTo(ctx, "")
}

// MigrateTo is Migrate stopping after version last ("" for no stop): it
// stages an upgrade, and lets tests build a database as an older release
// left it.
func (s *Store) MigrateTo(ctx context.Context, last string) ([]string, error) {
	if err := s.ensureMigrationTable(ctx); err != nil {
		return nil, err
	}
	ms, err := s.pending(ctx)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		if last != "" && m.Version > last {
			break
		}
		if err := s.apply(ctx, m); err != nil {
			return applied, err
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}

func (s *Store) apply(ctx context.Context, m Migration) error {
	stmts, err := splitStatements(m.SQL)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", m.Version, err)
	}
	return s.InTx(ctx, func(q *Q) error {
		for _, stmt := range stmts {
			if _, err := q.w.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("store: migration %s: %w\n%s", m.Version, err, stmt)
			}
		}
		_, err := q.w.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, m.Version, ts(q.Now()))
		return err
	})
}

// IsEmpty reports whether no migration has ever been applied.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	done, err := s.Applied(ctx)
	return len(done) == 0, err
}
