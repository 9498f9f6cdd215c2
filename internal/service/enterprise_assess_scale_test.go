package service_test

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/rules"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestEnterpriseAssessAt25k (KECHUANG_TEST_25K=1): 25,000 firms filed for
// two years, each year's batch run, then the public statistics, which
// must answer well under 20 ms (they read two rollup rows), and equal the
// records.
func TestEnterpriseAssessAt25k(t *testing.T) {
	if os.Getenv("KECHUANG_TEST_25K") == "" {
		t.Skip("set KECHUANG_TEST_25K=1 to measure the batch run and the statistics at 25,000 firms")
	}
	eachWorld(t, func(t *testing.T, w *world) {
		const n = 25_000
		w.city.SetDay("2024-06-01")
		ctx := t.Context()
		firms := make([]*domain.Enterprise, n)
		for i := range firms {
			firms[i] = w.city.Enterprise().Unlinked(fmt.Sprintf("沈阳测%05d科技有限公司", i)).Build()
		}
		start := time.Now()
		err := w.st.InTx(ctx, func(q *store.Q) error {
			if err := q.BulkInsertEnterprises(ctx, firms); err != nil {
				return err
			}
			var fs []*domain.EnterpriseFiling
			for i, x := range firms {
				for _, y := range []int{2022, 2023} {
					f := storetest.Facts(y)
					if (i+y)%3 == 0 {
						tooBig(&f)
					}
					if i%7 == 0 {
						f.ExpertScores = hnteTop
					}
					raw, yr, err := enterprisefacts.Complete(x, f)
					if err != nil {
						return err
					}
					fs = append(fs, &domain.EnterpriseFiling{EnterpriseID: x.ID, Year: yr, Facts: raw})
				}
			}
			return q.BulkInsertEnterpriseFilings(ctx, fs)
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("inserted %d firms and %d filings in %v", n, 2*n, time.Since(start).Round(time.Millisecond))
		for _, y := range []int{2022, 2023} {
			start := time.Now()
			r, err := w.svc.EnterpriseAssess.Run(ctx, w.bureau, y)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("run %d: %d filings, %d rule sets, %v", y, r.Done, len(r.RuleSets), time.Since(start).Round(time.Millisecond))
		}
		var ds []time.Duration
		var st *service.EnterpriseStats
		for range 50 {
			start := time.Now()
			s, err := w.svc.EnterpriseAssess.Stats(ctx, 2023)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(start))
			st = s
		}
		slices.Sort(ds)
		t.Logf("stats 2023: median %v, max %v; tech %d (+%d), high-tech %d, intake %d", ds[len(ds)/2], ds[len(ds)-1],
			st.TechEnterprises, st.TechEnterprisesAdded, st.HighTech, st.PoolIntake)
		if ds[len(ds)/2] > 5*time.Millisecond {
			t.Errorf("stats median %v: not well under 20 ms", ds[len(ds)/2])
		}
		checkRollup(t, w, 2022, 2023, 2024)
		_ = rules.Pass
	})
}
