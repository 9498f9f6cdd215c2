package store

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestIsStorageFull: a full disk is told by the driver's code, never by
// the message's text (L3).
func TestIsStorageFull(t *testing.T) {
	for _, tc := range []struct {
		err  error
		full bool
	}{
		{fmt.Errorf("store: commit: %w", &pgconn.PgError{Code: "53100", Message: "could not extend file"}), true},
		{&pgconn.PgError{Code: "23505"}, false},
		{fmt.Errorf("write: %w", syscall.ENOSPC), true},
		{fmt.Errorf("database or disk is full"), false}, // text alone proves nothing
		{nil, false},
	} {
		if got := isStorageFull(tc.err); got != tc.full {
			t.Errorf("isStorageFull(%v) = %v, want %v", tc.err, got, tc.full)
		}
	}
}
