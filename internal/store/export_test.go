package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AuditHash exposes the chain function to the tests, which forge a row whose
// own hash is consistent to show the chain still catches it.
var AuditHash = auditHash

// AuditHMAC exposes the keyed chain function: a forger who holds the key.
var AuditHMAC = auditHMAC

// TS exposes the stored time format, for rows a test writes raw.
var TS = ts

// SplitStatements exposes the migration splitter to its table test.
var SplitStatements = splitStatements

// ApplyMigration runs sql as migration version, as Migrate would, so tests
// can prove statement bodies work on the real databases.
func ApplyMigration(ctx context.Context, s *Store, version, sql string) error {
	return s.apply(ctx, Migration{Version: version, SQL: sql})
}

// CloseWriter closes the writer pool, so that a test can show an operation
// reads only: any use of the writer now fails.
func CloseWriter(s *Store) error { return s.w.Close() }

// PgDumpCommand exposes the pg_dump command line to the password test.
var PgDumpCommand = pgDumpCommand

// AttemptCount returns a counter's current count and lockout end (zero
// when none).
func (s *Store) AttemptCount(ctx context.Context, scope, key string) (int, time.Time, error) {
	var n int
	var locked string
	err := s.r.QueryRowContext(ctx, `SELECT failures, locked_until FROM login_limits WHERE scope = $1 AND limit_key = $2`, scope, key).Scan(&n, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: attempt count: %w", err)
	}
	return n, parseTS(locked), nil
}

// ExecRaw runs a statement on the writer, for tests that set up rows the
// store itself would never write (a row from before a migration).
func ExecRaw(ctx context.Context, s *Store, query string, args ...any) error {
	_, err := s.w.ExecContext(ctx, query, args...)
	return err
}

// SearchWindow exposes how many matches a search ranks.
const SearchWindow = searchWindow

// ReaderSetting is a setting of a reader connection (SHOW name).
func ReaderSetting(ctx context.Context, s *Store, name string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SHOW "+name).Scan(&v)
	return v, err
}
