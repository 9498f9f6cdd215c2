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
