package bench

import (
	"context"
	"encoding/json"
	"reflect"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// TestContractsSmall runs the whole benchmark on a small year, on SQLite and
// on PostgreSQL when configured, and asserts only that the peers agree with
// each other and with the generated totals — never a time.
func TestContractsSmall(t *testing.T) {
	dbs := []string{"sqlite"}
	dsn := testutil.PostgresDSN(t)
	if dsn != "" {
		dbs = append(dbs, "postgres")
	}
	const n = 2000
	o := Options{N: n, Batch: 700, Queries: 5, DBs: dbs, PostgresDSN: dsn, TempDir: t.TempDir()}
	rs, err := RunContracts(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(dbs) {
		t.Fatalf("got %d results, want %d", len(rs), len(dbs))
	}
	for _, r := range rs {
		if r.Bulk.Rows+r.Naive.Rows != n || r.Naive.Rows != 200 {
			t.Errorf("%s: loaded %d batched + %d naive rows, want %d with 200 naive", r.DB, r.Bulk.Rows, r.Naive.Rows, n)
		}
		if len(r.HTTP) != 5 || len(r.Rollup) != 5 || len(r.GroupBy) != 5 {
			t.Errorf("%s: samples %d/%d/%d, want 5 each", r.DB, len(r.HTTP), len(r.Rollup), len(r.GroupBy))
		}
		if !r.OK() {
			t.Errorf("%s: checks failed: %+v", r.DB, r.Checks)
		}
	}
}

func TestAgreement(t *testing.T) {
	base := func() *service.ContractStats {
		return &service.ContractStats{Year: 2023, Count: 3, TurnoverFen: 300, TechTransactionFen: 250,
			ByOutputDistrict: []service.ContractKeyAgg{{Key: "210112", ContractAgg: service.ContractAgg{Count: 3, TurnoverFen: 300}}}}
	}
	want := service.ContractAgg{Count: 3, TurnoverFen: 300, TechTransactionFen: 250}
	tests := []struct {
		name   string
		mutate func(h, r, n *service.ContractStats)
		ok     bool
	}{
		{"Same", func(h, r, n *service.ContractStats) {}, true},
		{"NaiveCountDiffers", func(h, r, n *service.ContractStats) { n.Count = 2 }, false},
		{"HTTPTurnoverDiffers", func(h, r, n *service.ContractStats) { h.TurnoverFen = 299 }, false},
		{"RollupTechDiffers", func(h, r, n *service.ContractStats) { r.TechTransactionFen = 1; n.TechTransactionFen = 1 }, false},
		{"DistrictDiffers", func(h, r, n *service.ContractStats) { n.ByOutputDistrict[0].Key = "210102" }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, r, n := base(), base(), base()
			tc.mutate(h, r, n)
			res := &Result{Checks: agreement(want, h, r, n)}
			if res.OK() != tc.ok {
				t.Errorf("OK() = %v, want %v: %+v", res.OK(), tc.ok, res.Checks)
			}
		})
	}
	if (&Result{}).OK() {
		t.Error("a result without checks must not be OK")
	}
}

func TestGeneratorDeterministic(t *testing.T) {
	batch := func(seed uint64) []byte {
		g := NewGenerator(city.Shenyang(), seed, 2023, 500, 1, 1)
		var all []any
		for !g.Done() {
			cs, err := g.Next(nil, 64)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				all = append(all, c)
			}
		}
		b, _ := json.Marshal(all)
		return b
	}
	a, b, c := batch(7), batch(7), batch(8)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed gave different contracts")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds gave the same contracts")
	}
}

func TestGeneratorSpread(t *testing.T) {
	sy := city.Shenyang()
	g := NewGenerator(sy, 1, 2023, 5000, 1, 1)
	months, local, outsideBuyers, withCosts := map[string]int{}, 0, 0, 0
	chains := map[string]bool{"": true}
	for _, ch := range sy.Chains {
		chains[ch.Code] = true
	}
	var prev string
	for !g.Done() {
		cs, err := g.Next(nil, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.RegisteredOn < prev {
				t.Fatalf("registration dates go backwards: %s after %s", c.RegisteredOn, prev)
			}
			prev = c.RegisteredOn
			if !chains[c.ChainCode] || c.RegNo[4:10] != sy.Registry.Code {
				t.Fatalf("contract %s: chain %q not the city file's, or reg no without registry code %s", c.RegNo, c.ChainCode, sy.Registry.Code)
			}
			months[c.RegisteredOn[:7]]++
			if c.Seller.RegionCode[:4] == "2101" {
				local++
			}
			if c.Buyer.RegionCode[:4] != "2101" {
				outsideBuyers++
			}
			if len(c.CostItems) > 0 {
				withCosts++
			}
		}
	}
	if len(months) != 12 {
		t.Errorf("registrations in %d months, want 12", len(months))
	}
	if months["2023-12"] <= months["2023-01"] {
		t.Errorf("December (%d) should exceed January (%d)", months["2023-12"], months["2023-01"])
	}
	if local == 0 || local == 5000 || outsideBuyers == 0 || withCosts == 0 {
		t.Errorf("local sellers %d, outside buyers %d, with cost items %d: want some of each", local, outsideBuyers, withCosts)
	}
}

// TestDistrictWeights: the weights name exactly the city file's districts,
// so an edit of the file cannot silently flatten the spread.
func TestDistrictWeights(t *testing.T) {
	sy := city.Shenyang()
	for _, d := range sy.Districts {
		if districtWeights[d.Code] == 0 {
			t.Errorf("district %s %s has no weight", d.Code, d.Name)
		}
	}
	if len(districtWeights) != len(sy.Districts) {
		t.Errorf("%d weights for %d districts", len(districtWeights), len(sy.Districts))
	}
}

func TestPercentile(t *testing.T) {
	l := Latency{}
	for i := 100; i >= 1; i-- {
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct{ p, want int }{{50, 50}, {95, 95}, {99, 99}, {100, 100}, {1, 1}} {
		if got := l.Percentile(tc.p); got != time.Duration(tc.want)*time.Millisecond {
			t.Errorf("p%d = %v, want %dms", tc.p, got, tc.want)
		}
	}
	if (Latency{}).Percentile(50) != 0 {
		t.Error("empty sample")
	}
}

// TestPeakRSSSeesATransientPeak: memory taken and given back between two
// samples still counts in the peak (the kernel's high-water mark), so a
// build's peak is not missed by sampling only after it.
func TestPeakRSSSeesATransientPeak(t *testing.T) {
	runtime.GC()
	debug.FreeOSMemory()
	base := rssMB()
	p := startPeak()
	if !p.hwm {
		t.Skip("the kernel's peak resident set cannot be reset here (no /proc/self/clear_refs)")
	}
	func() {
		b := make([]byte, 256<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		runtime.KeepAlive(b)
	}()
	runtime.GC()
	debug.FreeOSMemory()
	if now := rssMB(); now-base > 128 {
		t.Skipf("the 256 MB were not given back (resident %0.f MB above the start)", now-base)
	}
	if got := p.sample() - base; got < 200 {
		t.Fatalf("peak growth %.0f MB, want the 256 MB held between the samples", got)
	}
}
