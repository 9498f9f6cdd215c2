package cli

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// demoOnce is the directory where `kechuang demo` loaded the demo city
// once for the test binary (under TestDataDir, removed by TestMain).
var demoOnce struct {
	sync.Once
	dir string
	out string // the command's output
}

// demoCopy returns the URL of a SQLite database of the test's own in dir
// holding the demo city as `kechuang demo` leaves it on an empty database
// (the database file and its audit anchors beside it), and what the
// command printed: the command runs once per test binary, and each test
// that starts from the demo city copies its files, in seconds instead of a
// load's minute. The tests of the demo command's key, anchors and resumed
// loads run it themselves.
func demoCopy(t *testing.T, dir string) (string, string) {
	t.Helper()
	demoOnce.Do(func() {
		d := filepath.Join(TestDataDir, "demo-city")
		if err := os.Mkdir(d, 0o755); err != nil {
			demoOnce.out = err.Error()
			return
		}
		code, out := runCLI(t, "sqlite:"+filepath.Join(d, "kc.db"), "demo")
		if demoOnce.out = out; code == 0 {
			demoOnce.dir = d
		}
	})
	if demoOnce.dir == "" {
		t.Fatalf("demo: %s", demoOnce.out)
	}
	files, err := os.ReadDir(demoOnce.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(demoOnce.dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return "sqlite:" + filepath.Join(dir, "kc.db"), demoOnce.out
}

// DemoCopy is demoCopy for the tests of package cli_test.
func DemoCopy(t *testing.T, dir string) (string, string) { t.Helper(); return demoCopy(t, dir) }
