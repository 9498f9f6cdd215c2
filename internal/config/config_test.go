package config

import (
	"strings"
	"testing"
)

func TestDumpMasksSecrets(t *testing.T) {
	env := map[string]string{
		"KECHUANG_DATABASE_URL": "postgres://kc:p%40ss@db:5432/kc?sslmode=disable",
		"KECHUANG_LOG_LEVEL":    "debug",
	}
	lines, err := Dump(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Join(lines, "\n")
	if strings.Contains(out, "p%40ss") || strings.Contains(out, "p@ss") {
		t.Fatalf("password shown:\n%s", out)
	}
	for _, want := range []string{"KECHUANG_DATABASE_URL=postgres://kc:xxxxx@db:5432/kc?sslmode=disable", "KECHUANG_LOG_LEVEL=debug\n", "KECHUANG_ADDR=127.0.0.1:8080  # 默认值"} {
		if !strings.Contains(out+"\n", want) {
			t.Errorf("dump lacks %q:\n%s", want, out)
		}
	}
	if len(lines) != len(Options) {
		t.Errorf("%d lines for %d options", len(lines), len(Options))
	}
}

func TestMaskSecret(t *testing.T) {
	for in, want := range map[string]string{
		"sqlite:./data/kechuang.db":       "sqlite:./data/kechuang.db",
		"postgres://kc@db/kc":             "postgres://kc@db/kc", // no password
		"postgres://kc:secret@db/kc":      "postgres://kc:xxxxx@db/kc",
		"127.0.0.1:8080":                  "127.0.0.1:8080",
		"postgres://kc:se%2Fcret@db:1/kc": "postgres://kc:xxxxx@db:1/kc",
	} {
		if got := maskSecret(in); got != want {
			t.Errorf("maskSecret(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDumpRefusesInvalid(t *testing.T) {
	_, err := Dump(func(k string) string {
		if k == "KECHUANG_ADDR" {
			return "nowhere"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "KECHUANG_ADDR") {
		t.Fatalf("Dump = %v", err)
	}
}

// TestAuditKeyNeverShown: the audit key is masked in the dump and in the
// error for a key too short to use.
func TestAuditKeyNeverShown(t *testing.T) {
	key := "an-audit-key-of-thirty-two-bytes-or-more"
	lines, err := Dump(func(k string) string { return map[string]string{"KECHUANG_AUDIT_KEY": key}[k] })
	if err != nil || !strings.Contains(strings.Join(lines, "\n"), "KECHUANG_AUDIT_KEY=***") || strings.Contains(strings.Join(lines, "\n"), key) {
		t.Fatalf("dump: %v %v", lines, err)
	}
	_, err = Load(func(k string) string { return map[string]string{"KECHUANG_AUDIT_KEY": "s3cret-but-short"}[k] })
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "KECHUANG_AUDIT_KEY=***: 至少 32 个字符") {
		t.Fatalf("short key: %v", err)
	}
}
