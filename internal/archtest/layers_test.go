// Package archtest holds the architecture tests: the direction of imports
// between Kechuang's layers, checked on every build of the tests.
package archtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const mod = "kechuang/internal/"

// mayImportStore are the only packages allowed to import the store: the
// service (the one door), the loaders of bulk data that write through
// service.Seed (demo, bench), and the test helpers below the service.
var mayImportStore = []string{"service", "demo", "bench", "testutil", "store/storetest"}

// forbidden maps a package to imports it must never have (non-test files).
var forbidden = map[string][]string{
	"httpapi":         {"store"},
	"web":             {"store", "httpapi"},
	"cli":             {"store"},
	"contractio":      {"store", "service"},
	"achievementio":   {"store", "service"},
	"needio":          {"store", "service"},
	"challengeio":     {"store", "service"},
	"eventio":         {"store", "service"},
	"testutil":        {"service"},
	"store/storetest": {"service"},
	"store":           {"service"},
	"httpx":           {"store", "httpapi", "web"},
	"i18n":            {"store", "service"},
	// the tokeniser of the full-text index: below the store, which calls it
	"search": {"store", "service", "domain"},
	// the rule engine: pure, over the standard library and expr
	"rules": {"store", "service", "domain", "httpapi", "web", "i18n"},
	// the registry's bridge to the rule engine: domain and rules only
	"enterprisefacts": {"store", "service", "httpapi", "web"},
}

// imports lists every package of the module with its direct imports
// (test files excluded), through the go command.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "kechuang/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], mod) {
			continue
		}
		var own []string
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, mod) {
				own = append(own, strings.TrimPrefix(imp, mod))
			}
		}
		m[strings.TrimPrefix(f[0], mod)] = own
	}
	if len(m) < 10 {
		t.Fatalf("go list found only %d packages: %v", len(m), m)
	}
	return m
}

func TestLayers(t *testing.T) {
	pkgs := imports(t)
	for pkg, deps := range pkgs {
		for _, d := range deps {
			if slices.Contains(forbidden[pkg], d) {
				t.Errorf("%s imports %s: forbidden (the service is the only door to the store; web and httpapi share internal/httpx)", pkg, d)
			}
			if d == "store" && !slices.Contains(mayImportStore, pkg) {
				t.Errorf("%s imports store: only %v may (transports and codecs go through the service)", pkg, mayImportStore)
			}
		}
		if pkg == "domain" && len(deps) > 0 {
			t.Errorf("domain imports %v: domain imports no internal package", deps)
		}
	}
	for pkg := range forbidden {
		if _, ok := pkgs[pkg]; !ok {
			t.Errorf("rule for %s, which does not exist: update the rules with the tree", pkg)
		}
	}
}
