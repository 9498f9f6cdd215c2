package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"kechuang/internal/search"
)

// Dialect is everything that differs between SQLite and PostgreSQL. The
// rest of the store is shared SQL ($n placeholders, RETURNING, ON CONFLICT
// upserts, TEXT dates) and calls these methods instead of asking which
// database it is on. The methods are unexported: the two implementations
// below are the only ones.
type Dialect interface {
	// String is "sqlite" or "postgres", as in logs.
	String() string
	// migrationsDir is the directory of this dialect's migrations in migrationFS.
	migrationsDir() string
	// tableExistsSQL counts the tables named $1 visible to the connection.
	tableExistsSQL() string
	// bulkInsertRows inserts n rows into t (see bulk_rows.go); on an error,
	// the first row and the size of the failed chunk.
	bulkInsertRows(ctx context.Context, db querier, t bulkTable, n int, values rowValues) (start, size int, err error)
	// backup writes a consistent copy of the live database to path.
	backup(ctx context.Context, db *sql.DB, dbURL, path string) error
	// isUniqueViolation reports whether err is this driver's unique-constraint failure.
	isUniqueViolation(err error) bool
	// bytewise orders a text column by its bytes, whatever the database's
	// collation (the pinyin sort keys are built for byte order).
	bytewise(col string) string
	// forUpdate ends a SELECT that reads a row a transaction is about to
	// change, locking it against concurrent writers ("" on SQLite, whose
	// one writer connection serialises the transactions already).
	forUpdate() string
	// searchValues are the values of a record's search_title and
	// search_body columns for its tokens (search.go).
	searchValues(d search.Doc) (title, body any)
	// filterValue is the value of a record's search_filter column for its
	// filter tokens (search.go, migration 0026).
	filterValue(tokens []string) any
	// renderQuery writes a parsed query in the dialect's full-text syntax.
	renderQuery(q search.Query) string
	// searchParams puts a parsed query and the filter tokens every match
	// must hold into arguments (arg): match is the expression searchJoin
	// tests; rank the placeholder whose argument rankedWindow and
	// titleMatches rank by (a title holding the query first).
	searchParams(q search.Query, filters []string, arg func(any) string) (match, rank string)
	// searchJoin restricts alias (a row of table) to the matches of the
	// match expression (searchParams): a join, a WHERE condition (either
	// may be "").
	searchJoin(table, alias, match string) (join, cond string)
	// matchFrom is the FROM clause of a search's walk over the matches of
	// table (as alias; the WHERE holds searchJoin's condition) and the
	// column whose descending order is newest first (newestMatches).
	matchFrom(table, alias string) (from, order string)
	// rankedWindow is the query of the newest n matches of where (newest
	// first) with, for each, its id, whether its title holds the query
	// (1, 0; always 0 where titleMatches says instead) and its publication
	// date as text ("" when none): the one walk a search's page and its
	// count are taken from (searchPage).
	rankedWindow(table, alias, where, ph string, n int) string
	// idBucketBits is the width in bits of the id buckets whose lexemes
	// search_all holds (0: none; migration 0030): a search's walk then
	// asks for its newest matches a few buckets at a time (newestWindow).
	idBucketBits() int
	// titleMatches is the query ("" when rankedWindow tells) of the ids
	// between $2 and $3 whose title holds the search whose rank argument
	// is $1.
	titleMatches(table string) string
	// optimizeSearch compacts the search index of table after a bulk load.
	optimizeSearch(ctx context.Context, w querier, table string) error
	// suspendSearch stops maintaining the search index of table row by row
	// (before a bulk load); resumeSearch builds it from the rows in one pass
	// and maintains it again.
	suspendSearch(ctx context.Context, w querier, table string) error
	resumeSearch(ctx context.Context, w querier, table string) error
	// afterBulk ends Analyze (after a bulk load).
	afterBulk(ctx context.Context, w querier) error
}

type sqliteDialect struct{}

func (sqliteDialect) String() string             { return "sqlite" }
func (sqliteDialect) bytewise(col string) string { return col } // BINARY is SQLite's default
func (sqliteDialect) forUpdate() string          { return "" }
func (sqliteDialect) migrationsDir() string      { return "migrations/sqlite" }
func (sqliteDialect) tableExistsSQL() string {
	return `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $1`
}

// backup uses VACUUM INTO, which runs as one read transaction: writers
// continue meanwhile. It needs the writer connection because the readers
// are query_only.
func (sqliteDialect) backup(ctx context.Context, db *sql.DB, _, path string) error {
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

func (sqliteDialect) isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

type postgresDialect struct{}

func (postgresDialect) String() string             { return "postgres" }
func (postgresDialect) bytewise(col string) string { return col + ` COLLATE "C"` }
func (postgresDialect) forUpdate() string          { return " FOR UPDATE" }
func (postgresDialect) migrationsDir() string      { return "migrations/postgres" }
func (postgresDialect) tableExistsSQL() string {
	return `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`
}

func (postgresDialect) isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// backup runs pg_dump in its custom format. The password never reaches
// pg_dump's command line, where every local user could read it in the
// process list: it goes in a PGPASSFILE of mode 0600 that is removed
// afterwards.
func (postgresDialect) backup(ctx context.Context, _ *sql.DB, dbURL, path string) error {
	cmd, cleanup, err := pgDumpCommand(ctx, dbURL, path)
	if err != nil {
		return err
	}
	defer cleanup()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return errors.New("store: backup: pg_dump not found (install the PostgreSQL client tools)")
		}
		return fmt.Errorf("store: backup: pg_dump: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// pgDumpCommand returns the pg_dump command for dbURL with the password
// moved out of the URL into a temporary password file; cleanup removes it.
func pgDumpCommand(ctx context.Context, dbURL, path string) (cmd *exec.Cmd, cleanup func(), err error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return nil, nil, fmt.Errorf("store: backup: database URL: %w", err)
	}
	password, hasPassword := u.User.Password()
	if q := u.Query(); q.Has("password") {
		password, hasPassword = q.Get("password"), true
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	if hasPassword {
		u.User = url.User(u.User.Username())
	}
	cmd = exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file="+path, "--dbname="+u.String())
	if !hasPassword {
		return cmd, func() {}, nil
	}
	passfile, err := writePassfile(password)
	if err != nil {
		return nil, nil, err
	}
	// PGPASSWORD would take precedence over the file, so it must not leak in
	// from our own environment.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PGPASSWORD=") && !strings.HasPrefix(kv, "PGPASSFILE=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PGPASSFILE="+passfile)
	return cmd, func() { os.Remove(passfile) }, nil
}

// writePassfile writes a libpq password file matching any host, port,
// database and user; only the one pg_dump we start reads it.
func writePassfile(password string) (string, error) {
	if strings.ContainsAny(password, "\r\n") {
		return "", errors.New("store: backup: the database password contains a line break, which a password file cannot hold")
	}
	f, err := os.CreateTemp("", "kechuang-pgpass-*")
	if err != nil {
		return "", fmt.Errorf("store: backup: password file: %w", err)
	}
	esc := strings.NewReplacer(`\`, `\\`, `:`, `\:`).Replace(password)
	_, err = f.WriteString("*:*:*:*:" + esc + "\n")
	if e := f.Chmod(0o600); err == nil {
		err = e
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("store: backup: password file: %w", err)
	}
	return f.Name(), nil
}

// isUniqueViolation reports whether err is a unique-constraint failure. The
// error's own type names its driver, so callers need no store at hand.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	return postgresDialect{}.isUniqueViolation(err) || sqliteDialect{}.isUniqueViolation(err)
}
