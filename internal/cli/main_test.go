package cli

import (
	"os"
	"testing"

	"kechuang/internal/testutil"
)

// TestDataDir is KECHUANG_DATA_DIR in the command-line tests, so that
// the anchor files of their PostgreSQL databases land in a temporary
// directory and not in ./data of the package.
var TestDataDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kechuang-cli-test-")
	if err != nil {
		panic(err)
	}
	TestDataDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// EnvForTest is the environment the tests' commands see besides the
// database: the test stores' audit key and the temporary data directory.
func EnvForTest(k string) string {
	switch k {
	case "KECHUANG_AUDIT_KEY":
		return testutil.AuditKey
	case "KECHUANG_DATA_DIR":
		return TestDataDir
	}
	return ""
}
