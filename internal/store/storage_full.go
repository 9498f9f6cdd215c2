package store

import (
	"errors"
	"sync/atomic"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"kechuang/internal/domain"
)

// health is what every copy of a Store (WithClock) shares about its
// writes: whether the last transaction failed for want of space, and a
// fault tests inject in place of a commit.
type health struct {
	full  atomic.Bool
	fault atomic.Pointer[func() error]
}

// StorageFull reports whether the last write transaction failed because
// the disk (or the database's quota) was full; the next one that commits
// clears it. /readyz answers 503 meanwhile (L3: it stayed "ready" while
// every write failed).
func (s *Store) StorageFull() bool { return s.health.full.Load() }

// InjectCommitFault makes every commit fail with fault's error instead
// (nil removes it), so tests can replay a full disk through the store's
// own classification; a tmpfs is not at hand in a test.
func (s *Store) InjectCommitFault(fault func() error) {
	if fault == nil {
		s.health.fault.Store(nil)
		return
	}
	s.health.fault.Store(&fault)
}

// errStorageFull is the user's message for a write refused for want of space.
var errStorageFull = domain.Errorf(domain.EUNAVAILABLE, "服务器存储空间已满，暂时无法保存；已保存的数据不受影响，请联系系统管理员")

// isStorageFull reports whether err is a full disk or database: SQLite's
// SQLITE_FULL, PostgreSQL's class 53 disk_full (53100), or ENOSPC from the
// file system.
func isStorageFull(err error) bool {
	var se *sqlite.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &se):
		return se.Code()&0xff == sqlite3.SQLITE_FULL
	case errors.As(err, &pe):
		return pe.Code == "53100"
	}
	return errors.Is(err, syscall.ENOSPC)
}

// settle records the outcome of a write transaction and turns a full-disk
// failure into the error the user sees (503 with a clear message).
func (s *Store) settle(err error) error {
	if err == nil {
		s.health.full.Store(false)
		return nil
	}
	if isStorageFull(err) {
		s.health.full.Store(true)
		return errStorageFull
	}
	return err
}

// commitFault is the injected commit failure, if any.
func (s *Store) commitFault() error {
	if f := s.health.fault.Load(); f != nil {
		return (*f)()
	}
	return nil
}
