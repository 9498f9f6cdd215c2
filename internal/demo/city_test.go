package demo

import (
	"testing"

	"kechuang/internal/city"
	"kechuang/internal/gb2260"
	"kechuang/internal/service"
)

// TestDemoMatchesCityFile: what the demo keeps of its own (district weights,
// the chains its titles use, the accounts' organisations, the target the
// statistics read) refers to the city file, so an edit of shenyang.yaml
// that would silently change the demo fails here.
func TestDemoMatchesCityFile(t *testing.T) {
	c := city.Shenyang()
	for _, d := range c.Districts {
		if _, ok := districtWeights[d.Code]; !ok {
			t.Errorf("district %s %s has no demo weight", d.Code, d.Name)
		}
	}
	for code := range districtWeights {
		if _, ok := c.District(code); !ok {
			t.Errorf("demo weight for %s, not a district of the city file", code)
		}
	}
	chains := map[string]bool{}
	for _, ch := range c.Chains {
		chains[ch.Code] = true
	}
	for field, w := range fieldWords {
		for _, code := range w.chains {
			if !chains[code] {
				t.Errorf("field %s uses chain %q, not in the city file", field, code)
			}
		}
	}
	if c.Bureau.Name != OrgBureau || c.Registry.Name != OrgRegistry {
		t.Errorf("city file bureau %q, registry %q; the demo accounts belong to %q and %q", c.Bureau.Name, c.Registry.Name, OrgBureau, OrgRegistry)
	}
	if _, ok := city.MetricByCode(service.TargetContractTurnover); !ok {
		t.Errorf("the statistics read target %q, which the city file cannot set", service.TargetContractTurnover)
	}
	if v, ok := c.Target(2023, service.TargetContractTurnover); !ok || v != 5_000_000_000_000 {
		t.Errorf("2023 turnover target = %d, %v; the dashboard's 500亿元", v, ok)
	}
}

// TestDemoOutsideRegionsExist: every region the demo's outside parties sit
// in is a current code of the national table (a party's region must be).
func TestDemoOutsideRegionsExist(t *testing.T) {
	tb := gb2260.Default()
	for _, code := range OutsideCodes() {
		if _, ok := tb.Lookup(code); !ok {
			t.Errorf("the demo's outside region %s is not in the national table %s", code, tb.Version)
		}
	}
}
