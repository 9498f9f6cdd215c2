package anchor_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kechuang/internal/anchor"
	"kechuang/internal/domain"
)

func TestLocate(t *testing.T) {
	cases := []struct{ url, dataDir, key, anchors string }{
		{"sqlite:./data/kechuang.db", "./elsewhere", "data/audit.key", "./data/kechuang.db.audit-anchors"},
		{"sqlite:///srv/kc/kc.db", "", "/srv/kc/audit.key", "/srv/kc/kc.db.audit-anchors"},
		{"postgres://u:pw@db:5432/kechuang?sslmode=disable", "/var/lib/kechuang", "/var/lib/kechuang/audit.key", "/var/lib/kechuang/kechuang.audit-anchors"},
		{"postgres://db/../x y", "d", "d/audit.key", "d/.._x_y.audit-anchors"},
	}
	for _, c := range cases {
		got := anchor.Locate(c.url, c.dataDir)
		if got.KeyFile != filepath.Clean(c.key) || got.AnchorFile != c.anchors {
			t.Errorf("Locate(%q, %q) = %+v", c.url, c.dataDir, got)
		}
	}
}

func TestKeyCreatedOnce0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", anchor.KeyFileName)
	if k, err := anchor.LoadKey(path, "", false); err != nil || k != nil {
		t.Fatalf("no file, no create: %q %v", k, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("LoadKey without create made a file: %v", err)
	}
	k1, err := anchor.LoadKey(path, "", true)
	if err != nil || len(k1) != 64 {
		t.Fatalf("created key %q, %v", k1, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	k2, err := anchor.LoadKey(path, "", true)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second load gave another key: %q %q %v", k1, k2, err)
	}
	if k, err := anchor.LoadKey(path, "an-operator-key-of-at-least-32-bytes", true); err != nil || string(k) != "an-operator-key-of-at-least-32-bytes" {
		t.Fatalf("KECHUANG_AUDIT_KEY not preferred: %q %v", k, err)
	}
}

func TestKeyRefused(t *testing.T) {
	dir := t.TempDir()
	if _, err := anchor.LoadKey("", "short", false); err == nil || !strings.Contains(err.Error(), "KECHUANG_AUDIT_KEY") {
		t.Fatalf("short env key: %v", err)
	}
	open := filepath.Join(dir, "open.key")
	os.WriteFile(open, []byte(strings.Repeat("k", 64)), 0o644)
	os.Chmod(open, 0o644) // whatever the umask
	if _, err := anchor.LoadKey(open, "", true); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key file: %v", err)
	}
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, []byte("abc\n"), 0o600)
	if _, err := anchor.LoadKey(short, "", true); err == nil || !strings.Contains(err.Error(), "至少 32") {
		t.Fatalf("short key file: %v", err)
	}
}

func TestFileAppendRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "kc.db.audit-anchors")
	f := anchor.NewFile(path)
	if got, err := f.Read(); err != nil || got != nil {
		t.Fatalf("missing file: %v %v", got, err)
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := int64(1); i <= 3; i++ {
		if err := f.Append(domain.AuditAnchor{At: at, Seq: i * 10, Hash: strings.Repeat("a", 64), KeyedFrom: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("anchor file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	got, err := f.Read()
	if err != nil || len(got) != 3 || got[2].Seq != 30 || !got[0].At.Equal(at) || got[1].KeyedFrom != 1 {
		t.Fatalf("read back %+v, %v", got, err)
	}
	// A write cut short by a crash leaves a last line without its newline.
	w, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	w.WriteString(`{"at":"2026-12-01T09:0`)
	w.Close()
	if got, err := f.Read(); err != nil || len(got) != 3 {
		t.Fatalf("torn last line: %d anchors, %v", len(got), err)
	}
	os.WriteFile(path, []byte("{\"seq\":1,\"hash\":\"ab\"}\nnot an anchor\n"), 0o600)
	if _, err := f.Read(); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("edited anchor file: %v", err)
	}
}
