package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kechuang/internal/testutil"
)

// TestBackupCommand: `kechuang backup` writes a non-empty copy of either
// database through Store.Backup and will not overwrite it.
func TestBackupCommand(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "kc.backup")
			code, msg := runCLI(t, ns.Store.URL(), "backup", "--out", out)
			fi, err := os.Stat(out)
			if code != 0 || err != nil || fi.Size() == 0 || !strings.Contains(msg, "已备份到 "+out) {
				t.Fatalf("backup: exit %d %s (%v)", code, msg, err)
			}
			if code, msg = runCLI(t, ns.Store.URL(), "backup", "--out", out); code == 0 || !strings.Contains(msg, "不会覆盖") {
				t.Fatalf("backup over an existing file: %d %s", code, msg)
			}
		})
	}
}
