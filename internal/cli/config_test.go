package cli

import (
	"strings"
	"testing"

	"kechuang/internal/testutil"
)

func TestConfigDump(t *testing.T) {
	code, out := runCLI(t, "postgres://kc:s3cret-pw@db.internal:5432/kechuang?sslmode=disable", "config", "dump")
	if code != 0 {
		t.Fatalf("config dump: %d %s", code, out)
	}
	if strings.Contains(out, "s3cret-pw") || strings.Contains(out, testutil.AuditKey) {
		t.Fatalf("password or audit key printed: %s", out)
	}
	for _, want := range []string{"KECHUANG_DATABASE_URL=postgres://kc:xxxxx@db.internal:5432/kechuang?sslmode=disable\n",
		"KECHUANG_ADDR=127.0.0.1:8080  # 默认值\n", "KECHUANG_TRUST_PROXY=false  # 默认值\n",
		"KECHUANG_AUDIT_KEY=***\n", "KECHUANG_DATA_DIR=" + TestDataDir + "\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("config dump lacks %q:\n%s", want, out)
		}
	}
	if code, out := runCLI(t, "mysql://x", "config", "dump"); code == 0 || !strings.Contains(out, "KECHUANG_DATABASE_URL") {
		t.Fatalf("invalid option: %d %s", code, out)
	}
	if code, out := runCLI(t, "sqlite:x.db", "config"); code == 0 || !strings.Contains(out, "config dump") {
		t.Fatalf("bare config: %d %s", code, out)
	}
	if code, out := runCLI(t, "sqlite:x.db", "help"); code != 2 || !strings.Contains(out, "config") || !strings.Contains(out, "serve") ||
		!strings.Contains(out, "KECHUANG_AUDIT_KEY") || !strings.Contains(out, "KECHUANG_DATA_DIR") {
		t.Fatalf("help: %d %s", code, out)
	}
}
