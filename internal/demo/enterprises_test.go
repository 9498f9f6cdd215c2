package demo

import (
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/rules"
)

// assessRegistry assesses every filing of the registry with the built-in
// rule sets and returns, per year, the firms (by index) of each tier and
// the verdicts seen.
type tierSets struct {
	tech, high, eaglet, gu map[int]bool
	filings                int
}

func assessRegistry(t testing.TB, reg *Registry) (map[int]*tierSets, map[string]int) {
	t.Helper()
	sets, err := rules.LoadDir(rules.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"sme", "hnte", "eaglet", "gazelle", "unicorn"}
	var ss []*rules.Set
	for _, id := range ids {
		ss = append(ss, sets[id])
	}
	// one worker a CPU, each with its own assessor: a firm's passes by
	// year, as bits (1 sme, 2 hnte, 4 eaglet, 8 gazelle, 16 unicorn)
	passes := make([][]uint8, len(reg.Firms))
	counts := make([]map[string]int, runtime.GOMAXPROCS(0))
	errs := make([]error, len(counts))
	var wg sync.WaitGroup
	for w := range counts {
		counts[w] = map[string]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := rules.NewMulti(ss, false)
			for i := w; i < len(reg.Firms); i += len(counts) {
				f := reg.Firms[i]
				for _, y := range f.Years() {
					facts := f.Facts(y)
					res, err := m.Assess(&facts)
					if err != nil {
						errs[w] = fmt.Errorf("%s %d: %v", f.Name, y, err)
						return
					}
					var bits uint8
					for k, r := range res {
						counts[w][ids[k]+" "+r.Verdict]++
						if len(r.Missing) > 0 { // a verdict the facts could not settle
							counts[w][ids[k]+" missing"]++
						}
						if r.Verdict == rules.Pass {
							bits |= 1 << k
						}
					}
					passes[i] = append(passes[i], bits)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	verdicts := map[string]int{}
	for _, c := range counts {
		for k, n := range c {
			verdicts[k] += n
		}
	}
	for _, v := range []string{"missing", rules.ExpertDependent} {
		for _, id := range ids {
			if n := verdicts[id+" "+v]; n > 0 {
				t.Errorf("%s: %d filings %s", id, n, v)
			}
		}
	}
	by := map[int]*tierSets{}
	for i, f := range reg.Firms {
		for k, y := range f.Years() {
			ts := by[y]
			if ts == nil {
				ts = &tierSets{map[int]bool{}, map[int]bool{}, map[int]bool{}, map[int]bool{}, 0}
				by[y] = ts
			}
			ts.filings++
			bits := passes[i][k]
			if bits&3 != 0 {
				ts.tech[i] = true
			}
			if bits&2 != 0 {
				ts.high[i] = true
			}
			if bits&4 != 0 {
				ts.eaglet[i] = true
			}
			if bits&24 != 0 {
				ts.gu[i] = true
			}
		}
	}
	return by, verdicts
}

// TestEnterpriseFigures: the demo registry's filings, assessed with the
// rules, give the city's figures exactly, every year.
func TestEnterpriseFigures(t *testing.T) {
	const day = "2026-12-02"
	start := time.Now()
	reg, err := Enterprises(day)
	if err != nil {
		t.Fatal(err)
	}
	gen := time.Since(start)
	by, verdicts := assessRegistry(t, reg)
	t.Logf("%d firms; generated in %v, assessed in %v; verdicts %v", len(reg.Firms), gen, time.Since(start)-gen, verdicts)
	if !slices.Equal(reg.Years, []int{2021, 2022, 2023, 2024, 2025, 2026}) {
		t.Fatalf("years %v", reg.Years)
	}
	// the published figures, written out (not read from the table)
	want := map[int]EnterpriseFigures{
		2021: {2021, 11_125, 3_520, 1_065, 152},
		2022: {2022, 15_363, 4_200, 1_385, 235},
	}
	for i, y := range reg.Years {
		w, ok := want[y]
		if !ok {
			w = reg.Targets[i]
		}
		ts := by[y]
		got := EnterpriseFigures{y, len(ts.tech), len(ts.high), len(ts.eaglet), len(ts.gu)}
		if got != w {
			t.Errorf("%d: got %+v, want %+v", y, got, w)
		}
		if i == 0 {
			continue
		}
		prev := by[y-1]
		intake := 0
		for f := range ts.tech {
			if !prev.tech[f] {
				intake++
			}
		}
		added := len(ts.tech) - len(prev.tech)
		t.Logf("%d: filings %d, tech %d (+%d), high-tech %d, eaglet %d, gazelle+unicorn %d, pool intake %d",
			y, ts.filings, len(ts.tech), added, len(ts.high), len(ts.eaglet), len(ts.gu), intake)
		if y == 2022 && added != 4238 {
			t.Errorf("2022: tech enterprises added %d, want 4238", added)
		}
		if intake < MinPoolIntake {
			t.Errorf("%d: pool intake %d < %d", y, intake, MinPoolIntake)
		}
		if len(ts.tech) >= ts.filings {
			t.Errorf("%d: every filing firm is a tech enterprise: fails must be real", y)
		}
	}
	for _, v := range []string{"sme pass", "sme fail", "sme not_eligible", "hnte pass", "hnte fail", "hnte not_eligible",
		"eaglet fail", "gazelle fail", "unicorn pass"} {
		if verdicts[v] == 0 {
			t.Errorf("no %q among the verdicts", v)
		}
	}
}

// TestEnterpriseRegistryFirms: the demo's enterprise organisations come
// first; codes, names, districts and chains are valid; the facts are what
// the rules' parser accepts; the generation is deterministic.
func TestEnterpriseRegistryFirms(t *testing.T) {
	const day = "2024-05-20"
	reg, err := Enterprises(day)
	if err != nil {
		t.Fatal(err)
	}
	orgs := EnterpriseOrgs()
	if len(orgs) != 160 || orgs[0].Name != OrgEnterprise {
		t.Fatalf("%d enterprise organisations, first %+v", len(orgs), orgs[0])
	}
	c := city.Shenyang()
	var districts, chains []string
	for _, d := range c.Districts {
		districts = append(districts, d.Code)
	}
	for _, ch := range c.Chains {
		chains = append(chains, ch.Code)
	}
	seen, names := map[string]bool{}, map[string]bool{}
	moved, revoked, firstHNTE := 0, 0, 0
	for i, f := range reg.Firms {
		if i < len(orgs) {
			if o := orgs[i]; !f.Org || f.USCC != o.USCC || f.Name != o.Name || f.District != o.District || f.First != 2021 ||
				len(f.Years()) != len(reg.Years) {
				t.Fatalf("firm %d %+v is not the organisation %+v filing every year", i, f, o)
			}
		} else if f.Org {
			t.Fatalf("firm %d is marked an organisation", i)
		}
		if err := domain.ValidateUSCC(f.USCC); err != nil || seen[f.USCC] || names[f.Name] {
			t.Fatalf("firm %d %s %s: %v (or repeated)", i, f.USCC, f.Name, err)
		}
		seen[f.USCC], names[f.Name] = true, true
		if !slices.Contains(districts, f.District) || f.Chain != "" && !slices.Contains(chains, f.Chain) {
			t.Fatalf("firm %s: district %s, chain %s", f.Name, f.District, f.Chain)
		}
		if ys := f.Years(); ys[len(ys)-1] < reg.Years[len(reg.Years)-1] {
			moved++
		}
		for _, q := range f.Quals {
			if q.IssuedOn >= day || q.Kind != "hnte" && q.Kind != "sme" {
				t.Fatalf("firm %s: qualification %+v", f.Name, q)
			}
			if q.RevokedOn != "" {
				revoked++
			}
			if q.Kind == "hnte" && q.Year >= 2022 {
				firstHNTE++
			}
		}
		if i%37 == 0 { // the facts as filed pass the parser's checks
			for _, y := range f.Years() {
				x := f.Facts(y)
				b, _ := json.Marshal(x)
				got, err := rules.ParseJSON(b)
				if err != nil || len(got) != 1 {
					t.Fatalf("firm %s %d: %v\n%s", f.Name, y, err, b)
				}
				if at := *x.AssessedOn; at[:4] != f.registeredYear(y) || at >= day {
					t.Fatalf("firm %s %d: assessed on %s", f.Name, y, at)
				}
			}
		}
	}
	if moved == 0 || revoked == 0 || firstHNTE == 0 {
		t.Errorf("firms that left %d, revoked certificates %d, certificates since 2022 %d: want some of each", moved, revoked, firstHNTE)
	}
	again, err := Enterprises(day)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 5000, len(reg.Firms) - 1} {
		a, b := reg.Firms[i], again.Firms[i]
		fa, fb := a.Facts(a.First), b.Facts(b.First)
		ja, _ := json.Marshal(fa)
		jb, _ := json.Marshal(fb)
		if a.USCC != b.USCC || string(ja) != string(jb) {
			t.Fatalf("firm %d differs between two runs", i)
		}
	}
}

// registeredYear is the year (as text) of filing year y's assessment.
func (f *Firm) registeredYear(y int) string { return f.year(y).at.Format("2006") }
