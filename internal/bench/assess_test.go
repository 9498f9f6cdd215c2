package bench

import (
	"testing"

	"kechuang/internal/rules"
)

// TestAssessAgreement: the engine and the hand-written peer agree on every
// generated firm under every rule set, and the firms reach every verdict
// the sets can give.
func TestAssessAgreement(t *testing.T) {
	rs, _, err := RunAssess(AssessOptions{N: 3000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Disagreements > 0 {
			t.Errorf("%s: %s", r.RuleSet, r.FirstDisagreement)
		}
		for v := range r.Verdicts {
			seen[r.RuleSet+"/"+v] = true
		}
	}
	for _, want := range []string{"sme/pass", "sme/fail", "sme/not_eligible", "hnte/expert_dependent", "hnte/not_eligible", "hnte/fail",
		"gazelle/pass", "gazelle/fail", "unicorn/pass", "eaglet/pass"} {
		if !seen[want] {
			t.Errorf("no generated firm reached %s: the comparison would not cover it", want)
		}
	}
}

func BenchmarkAssessEngine(b *testing.B) {
	sets, _, err := rules.OpenDir("")
	if err != nil {
		b.Fatal(err)
	}
	firms := GenerateFirms(2000, 1)
	var as []*rules.Assessor
	for _, s := range sets {
		a := rules.NewAssessor(s)
		a.Detail = false
		as = append(as, a)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := &firms[i%len(firms)]
		for _, a := range as {
			if _, err := a.Assess(f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkAssessMulti(b *testing.B) {
	sets, _, err := rules.OpenDir("")
	if err != nil {
		b.Fatal(err)
	}
	firms := GenerateFirms(2000, 1)
	var list []*rules.Set
	for _, s := range sets {
		list = append(list, s)
	}
	m := rules.NewMulti(list, false)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Assess(&firms[i%len(firms)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAssessPeer(b *testing.B) {
	firms := GenerateFirms(2000, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range peers {
			p(&firms[i%len(firms)])
		}
	}
}
