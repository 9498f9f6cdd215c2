// Package store is Kechuang's one database/sql implementation of storage,
// used unchanged on SQLite (modernc.org/sqlite) and PostgreSQL (pgx). Queries
// use $n placeholders, which both drivers accept; what truly differs lives
// in dialect.go and in the paired migrations under migrations/.
//
// Departure from STYLE.md's store/sqlstore split: with exactly one
// implementation there is no Store interface to satisfy; the conformance
// suite (store_test.go, storetest) runs this package on both databases.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"kechuang/internal/domain"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"           // registers "sqlite"
)

// Store is the database. On SQLite writes go through a single connection
// (one writer, as SQLite allows) and reads through a small pool of
// query-only connections; on PostgreSQL writers and readers have separate
// pools of their own.
//
// Every query method is defined once, on Q. The Store embeds the Q that
// works outside a transaction (reads from the reader pool, single-statement
// writes on the writer); InTx hands its callback the Q bound to the
// transaction, whose reads see the transaction's own writes.
type Store struct {
	*Q
	w, r    *sql.DB
	dialect Dialect
	url     string
	clock   domain.Clock
	// auditKey keys the audit chain's HMAC. The store never reads it from
	// a file: the caller passes it in (WithAuditKey), so the key stays
	// wherever the operator keeps it and never in the database.
	auditKey []byte
	health   *health // shared by the copies WithClock makes
}

// Option configures Open.
type Option func(*Store)

// WithAuditKey sets the key of the audit chain's HMAC. A store without one
// can read and verify the unkeyed part of the chain but appends no row.
func WithAuditKey(key []byte) Option {
	return func(s *Store) { s.auditKey = append([]byte(nil), key...) }
}

// Q is the store's one query API, inside or outside a transaction.
type Q struct {
	r, w querier // inside a transaction both are the transaction
	s    *Store
	tx   bool
	now  time.Time // the transaction's time, read once from the clock
	// bumpStats is set by writes that change the public statistics; InTx
	// then bumps the statistics version before committing.
	bumpStats bool
}

// Now is the time the store stamps on rows: the clock's time when the
// transaction began, or the clock's time now outside a transaction.
func (q *Q) Now() time.Time {
	if q.tx {
		return q.now
	}
	return q.s.clock.Now().UTC()
}

// InTransaction reports whether q is bound to a transaction.
func (q *Q) InTransaction() bool { return q.tx }

func newStore(w, r *sql.DB, d Dialect, url string) *Store {
	s := &Store{w: w, r: r, dialect: d, url: url, clock: domain.SystemClock{}, health: &health{}}
	s.Q = &Q{r: r, w: w, s: s}
	return s
}

// WithClock returns a store that shares s's connections but stamps times
// from c (tests and the demo, which writes history dated in the past).
func (s *Store) WithClock(c domain.Clock) *Store {
	n := &Store{w: s.w, r: s.r, dialect: s.dialect, url: s.url, clock: c, auditKey: s.auditKey, health: s.health}
	n.Q = &Q{r: s.r, w: s.w, s: n}
	return n
}

// Clock returns the store's clock; the service uses the same one.
func (s *Store) Clock() domain.Clock { return s.clock }

// Open connects to the database named by url: "sqlite:PATH" or
// "postgres://…". It does not migrate; see Migrate and Pending.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	var s *Store
	var err error
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		s, err = openSQLite(ctx, url, strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s, err = openPostgres(ctx, url)
	default:
		return nil, fmt.Errorf("store: unsupported database URL %q (want sqlite:PATH or postgres://…)", url)
	}
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

func openSQLite(ctx context.Context, url, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: sqlite URL has no path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create %s: %w", dir, err)
		}
	}
	if err := privateFile(path); err != nil {
		return nil, err
	}
	// WAL with synchronous=NORMAL never loses a committed transaction when the
	// process dies (kill -9); only an OS crash could lose the last ones.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_txlock=immediate" +
		// Reads map the file (the OS page cache, shared by the connections)
		// rather than copying pages; the writer keeps a 64 MiB cache so a
		// large transaction (a bulk import and its full-text index, see
		// search.go) does not spill pages to the WAL and read them back.
		"&_pragma=mmap_size(1073741824)"
	w, err := sql.Open("sqlite", dsn+"&_pragma=cache_size(-65536)")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	r.SetMaxOpenConns(4)
	s := newStore(w, r, sqliteDialect{}, url)
	if err := ping(ctx, s.w); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openPostgres opens two pools: writers and readers never compete for the
// same connections, so a transaction that reads through the store while
// others queue on a row lock can always get a reader.
func openPostgres(ctx context.Context, url string) (*Store, error) {
	w, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	w.SetMaxOpenConns(12)
	w.SetMaxIdleConns(12)
	// The readers plan each execution of a prepared statement with its
	// arguments (plan_cache_mode): a search's plan depends on its term — the
	// GIN index for a rare one, the primary key walked backwards for a
	// frequent one — and the generic plan PostgreSQL may switch to after
	// five executions of pgx's cached statement is one of them for every
	// term. Planning costs well under a millisecond.
	rcfg, err := pgx.ParseConfig(url)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	rcfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	r := stdlib.OpenDB(*rcfg)
	r.SetMaxOpenConns(12)
	r.SetMaxIdleConns(12)
	s := newStore(w, r, postgresDialect{}, url)
	if err := ping(ctx, s.w); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Ping checks that the database answers. It uses a reader, so that a
// readiness probe never queues for (or holds) SQLite's single writer.
func (s *Store) Ping(ctx context.Context) error { return ping(ctx, s.r) }

func ping(ctx context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: database unreachable: %w", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		if e := s.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Dialect returns the database dialect; print it for its name.
func (s *Store) Dialect() Dialect { return s.dialect }

// URL returns the URL the store was opened with.
func (s *Store) URL() string { return s.url }

// querier is what both *sql.DB and *sql.Tx provide, so store functions run
// inside or outside a transaction alike.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// InTx runs fn in a write transaction, committing if it returns nil. fn
// gets the Q bound to the transaction: use it, never the Store, inside fn.
func (s *Store) InTx(ctx context.Context, fn func(q *Q) error) error {
	sqltx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	q := &Q{r: sqltx, w: sqltx, s: s, tx: true, now: s.clock.Now().UTC()}
	err = fn(q)
	if err == nil && q.bumpStats {
		err = bumpStatsVersion(ctx, sqltx)
	}
	if err == nil {
		err = s.commitFault()
	}
	if err != nil {
		sqltx.Rollback()
		return s.settle(err)
	}
	if err := sqltx.Commit(); err != nil {
		return s.settle(fmt.Errorf("store: commit: %w", err))
	}
	s.settle(nil)
	return nil
}

// now is the store's timestamp format: RFC 3339 UTC with fixed-width
// fraction so that text order is time order.
const tsLayout = "2006-01-02T15:04:05.000000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Backup writes a consistent copy of the live database to path: VACUUM
// INTO on SQLite (writers continue meanwhile), pg_dump's custom format on
// PostgreSQL (pg_dump must be installed; restore with pg_restore).
func (s *Store) Backup(ctx context.Context, path string) error {
	// VACUUM INTO refuses an existing file and pg_dump overwrites it: refuse
	// for both, as an old backup is worth keeping.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	// The backup, like the database, holds password hashes and every
	// contract: readable by its owner only. Created 0600 before the dump
	// writes into it would race VACUUM INTO (which refuses an existing
	// file), so it is tightened as soon as the dump is done.
	if err := s.dialect.backup(ctx, s.w, s.url, path); err != nil {
		return err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// privateFile makes the SQLite database file readable by its owner only:
// it creates a missing file 0600 (SQLite then creates the -wal and -shm
// files with the same mode) and tightens an existing one that others can
// read, since it holds password hashes and every contract.
func privateFile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("store: create %s: %w", path, err)
		}
		if f != nil {
			return f.Close()
		}
		return nil
	case err != nil:
		return fmt.Errorf("store: %w", err)
	case fi.Mode().Perm()&0o077 != 0:
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("store: make %s private: %w", path, err)
		}
	}
	return nil
}
