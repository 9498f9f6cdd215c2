package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCalendarLoad(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "kc.db")
	if code, out := runCLI(t, url, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", out)
	}
	good := filepath.Join(dir, "2027.txt")
	os.WriteFile(good, []byte("# 2027\n2027-01-01 holiday 元旦\n2027-02-20 workday 春节\n"), 0o600)
	if code, out := runCLI(t, url, "calendar", "load", "--file", good); code != 0 || !strings.Contains(out, "[2027]") || !strings.Contains(out, "2 天") {
		t.Fatalf("load: %d %s", code, out)
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("2027-01-04 workday\n"), 0o600)
	if code, out := runCLI(t, url, "calendar", "load", "--file", bad); code == 0 || !strings.Contains(out, "第1行") {
		t.Fatalf("bad file: %d %s", code, out)
	}
	if code, _ := runCLI(t, url, "calendar"); code == 0 {
		t.Fatal("calendar without a subcommand should fail")
	}
}
