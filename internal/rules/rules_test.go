package rules

import (
	"testing"
)

// TestCases runs every rule file's own cases (sets/<id>.cases.json).
func TestCases(t *testing.T) {
	sets, err := LoadDir(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	reps, err := RunCases(Embedded(), sets)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if r.Cases == 0 && len(r.Failures) == 0 {
			t.Errorf("%s: no cases", r.RuleSet)
		}
		for _, f := range r.Failures {
			t.Error(f)
		}
		t.Logf("%s: %d cases", r.RuleSet, r.Cases)
	}
}
