package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// TestDataFilesPrivate (probe L1): the SQLite database, its WAL and a
// backup are readable by their owner only; an existing database readable
// by others is tightened when opened.
func TestDataFilesPrivate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "kechuang.db")
	st, err := store.Open(ctx, "sqlite:"+db, store.WithAuditKey([]byte(testutil.AuditKey)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db, db + "-wal", backup} { // the WAL exists while the store is open
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group and others", filepath.Base(p), perm)
		}
	}
	st.Close()
	if fi, _ := os.Stat(filepath.Dir(db)); fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("data directory mode %v", fi.Mode().Perm())
	}
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(ctx, "sqlite:"+db, store.WithAuditKey([]byte(testutil.AuditKey)))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if fi, _ := os.Stat(db); fi.Mode().Perm() != 0o600 {
		t.Errorf("an existing 0644 database was left %v", fi.Mode().Perm())
	}
}
