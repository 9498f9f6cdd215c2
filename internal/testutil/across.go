package testutil

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// Fixtures shared by every test binary of the module (SharedAcross,
// CopyAcross). `go test ./...` runs a binary per package, and several of
// them need the same large fixture (the demo city loaded on a day: a
// minute or more of writing on each database); Shared and Copy fill it
// once per binary, these once per machine. The filled database is kept in
// the fixture cache (os.TempDir()/kechuang-test-fixtures: a closed SQLite
// file, or a PostgreSQL template database named kcfx_…), under a name
// made of the key, the database and a hash of the module's files (its
// sources, migrations, templates and data, with the Go version): a change to any
// file makes a new fixture, so a fixture never outlives the code that
// filled it. A file lock serialises the binaries that ask for one fixture
// at once: the first fills it, the others wait and copy it. Fixtures of
// other module hashes older than an hour are removed when a new one is
// made. KECHUANG_TEST_FIXTURE_CACHE=off falls back to Shared and Copy.

// FixtureCacheDir is where the fixtures shared across test binaries live.
func FixtureCacheDir() string { return filepath.Join(os.TempDir(), "kechuang-test-fixtures") }

// SharedAcross is Shared for a fixture shared by every test binary of the
// module: key must name the same fill in every package that uses it (say
// what the fill does, as "demo city loaded today 2026-12-03").
func SharedAcross(tb testing.TB, db, key string, fill func(*store.Store) error) *store.Store {
	tb.Helper()
	if !acrossOn() {
		return Shared(tb, db, key, fill)
	}
	f := fixtureFor(tb, "shared across", db, key)
	f.once.Do(func() {
		var src string
		if src, f.err = across(db, key, fill); f.err != nil {
			return
		}
		f.st, f.err = openCopy(db, src)
	})
	if f.err != nil {
		tb.Fatalf("fixture %s on %s: %v", key, db, f.err)
	}
	return f.st
}

// CopyAcross is Copy for a fixture shared by every test binary of the
// module (key as in SharedAcross).
func CopyAcross(tb testing.TB, db, key string, fill func(*store.Store) error) *store.Store {
	tb.Helper()
	if !acrossOn() {
		return Copy(tb, db, key, fill)
	}
	f := fixtureFor(tb, "copy across", db, key)
	f.once.Do(func() {
		var src string
		src, f.err = across(db, key, fill)
		if db == "sqlite" {
			f.path = src
		} else {
			f.name = src
		}
	})
	if f.err != nil {
		tb.Fatalf("fixture %s on %s: %v", key, db, f.err)
	}
	return copyOf(tb, key, f)
}

// DemoToday and DemoAt are the keys of SharedAcross and CopyAcross for the
// demo city: loaded with the product's clock on today's date in China
// (demo.Load of service.New(st, …) at svc.Now()), or at 10:00 China time
// on a fixed day with the service's clock there. The packages that load
// the same city name it alike, so it is loaded once.
func DemoToday() string { return "demo city loaded today " + domain.DateOf(time.Now()) }

// DemoAt: see DemoToday.
func DemoAt(day string) string { return "demo city loaded at 10:00 China time on " + day }

func acrossOn() bool { return os.Getenv("KECHUANG_TEST_FIXTURE_CACHE") != "off" && canLock }

// openCopy opens a store of the test binary's own (until Main's cleanup)
// on a copy of the cached fixture src: the SQLite file or the PostgreSQL
// template.
func openCopy(db, src string) (*store.Store, error) {
	fixtures.Lock()
	dir, dsn := fixtures.dir, fixtures.dsn
	fixtures.files++
	n := fixtures.files
	fixtures.Unlock()
	var u string
	if db == "sqlite" {
		dst := filepath.Join(dir, fmt.Sprintf("fixture-%d.db", n))
		if err := copySQLite(src, dst); err != nil {
			return nil, err
		}
		u = "sqlite:" + dst
	} else {
		name, err := createDatabase(dsn, "kc_fixture_", src)
		if err != nil {
			return nil, err
		}
		addCleanup(func() { dropDatabase(dsn, name) })
		if u, err = withDatabase(dsn, name); err != nil {
			return nil, err
		}
	}
	return openMigrated(u)
}

// across returns the cached fixture of key on db (the SQLite file, or the
// PostgreSQL template's name), filling it first if no binary has.
func across(db, key string, fill func(*store.Store) error) (string, error) {
	mod, err := moduleHash()
	if err != nil {
		return "", fmt.Errorf("the module's hash: %w", err)
	}
	dir := FixtureCacheDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	id := acrossID(mod, db, key)
	unlock, err := lockFile(filepath.Join(dir, id+".lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if db == "sqlite" {
		path := filepath.Join(dir, id+".db")
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
		sweep(dir, mod[:12])
		tmp := filepath.Join(dir, id+".filling.db")
		for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			os.Remove(p)
		}
		if err := fillClosed("sqlite:"+tmp, fill); err != nil {
			return "", err
		}
		// Closed: the WAL is checkpointed into the file and removed; one
		// left behind goes with the file, as in Copy. The file is renamed
		// last: its name is the mark of a complete fixture.
		if _, err := os.Stat(tmp + "-wal"); err == nil {
			if err := os.Rename(tmp+"-wal", path+"-wal"); err != nil {
				return "", err
			}
		}
		return path, os.Rename(tmp, path)
	}
	fixtures.Lock()
	dsn := fixtures.dsn
	fixtures.Unlock()
	name := "kcfx_" + id
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	var one int
	switch err := admin.QueryRow(`SELECT 1 FROM pg_database WHERE datname = $1`, name).Scan(&one); {
	case err == nil:
		return name, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("KECHUANG_TEST_POSTGRES=%s: %w", dsn, err)
	}
	sweep(dir, mod[:12])
	tmp, err := createDatabase(dsn, "kcfx_filling_", "")
	if err != nil {
		return "", err
	}
	u, err := withDatabase(dsn, tmp)
	if err == nil {
		err = fillClosed(u, fill)
	}
	if err == nil {
		_, err = admin.Exec(`ALTER DATABASE ` + tmp + ` RENAME TO ` + name)
	}
	if err != nil {
		dropDatabase(dsn, tmp)
		return "", err
	}
	// The marker dates the template for sweep and names it for removal.
	return name, os.WriteFile(filepath.Join(dir, id+".pg"), []byte(dsn+"\n"+name+"\n"), 0o644)
}

// RemoveAcross removes the cached fixture of key on db (SharedAcross,
// CopyAcross) if there is one: for a test's own fixtures.
func RemoveAcross(db, key string) error {
	mod, err := moduleHash()
	if err != nil {
		return err
	}
	base := filepath.Join(FixtureCacheDir(), acrossID(mod, db, key))
	dropMarked(base + ".pg")
	for _, ext := range []string{".pg", ".db", ".db-wal", ".lock"} {
		if err := os.Remove(base + ext); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func acrossID(mod, db, key string) string {
	k := sha256.Sum256([]byte(db + "\x00" + key))
	return mod[:12] + "_" + hex.EncodeToString(k[:6])
}

// fillClosed migrates the new database at u, fills it and closes it.
func fillClosed(u string, fill func(*store.Store) error) error {
	st, err := openMigrated(u)
	if err != nil {
		return err
	}
	if err = fill(st); err != nil {
		err = fmt.Errorf("fill: %w", err)
	}
	if e := st.Close(); err == nil {
		err = e
	}
	return err
}

// sweep removes the cached fixtures of other module hashes than mod that
// were made more than an hour ago (a run of an older checkout still using
// one has long finished).
func sweep(dir, mod string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		info, err := e.Info()
		if err != nil || strings.HasPrefix(name, mod+"_") || time.Since(info.ModTime()) < time.Hour {
			continue
		}
		path := filepath.Join(dir, name)
		if strings.HasSuffix(name, ".pg") {
			dropMarked(path)
		}
		os.Remove(path)
	}
}

// dropMarked drops the PostgreSQL template a marker file names (its
// server's DSN, then its name), if the marker is there.
func dropMarked(marker string) {
	b, err := os.ReadFile(marker)
	if err != nil {
		return
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) == 2 && strings.HasPrefix(lines[1], "kcfx_") {
		dropDatabase(lines[0], lines[1])
	}
}

// hashedFile are the kinds of file that can change what a fill writes:
// sources, migrations, templates and embedded data (not documentation,
// nor a database or a log a run leaves behind).
var hashedFile = map[string]bool{".go": true, ".mod": true, ".sum": true, ".sql": true, ".json": true, ".jsonl": true,
	".html": true, ".css": true, ".js": true, ".svg": true, ".yaml": true, ".txt": true, ".tsv": true, ".csv": true, ".gz": true}

var modHash struct {
	sync.Once
	sum string
	err error
}

// moduleHash is a hash of the module's source and data files (hashedFile;
// the module found from the working directory, which go test sets to the
// package's), of their paths and of the Go version: what fills a fixture.
func moduleHash() (string, error) {
	modHash.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			modHash.err = err
			return
		}
		h := sha256.New()
		io.WriteString(h, runtime.Version()+"\x00")
		modHash.err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			rel, _ := filepath.Rel(root, path)
			if d.IsDir() {
				// Not the product's or the tests' working files (.gitignore's
				// /data/ and /tmp/, where a running serve writes).
				if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || rel == "data" || rel == "tmp") {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || !hashedFile[filepath.Ext(name)] {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", rel, len(b))
			h.Write(b)
			return nil
		})
		modHash.sum = hex.EncodeToString(h.Sum(nil))
	})
	return modHash.sum, modHash.err
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = up
	}
}
