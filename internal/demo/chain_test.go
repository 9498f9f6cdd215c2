package demo_test

import (
	"context"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/testutil"
)

// TestDemoChainFigures: the demo's chain figures come from its records: 2022
// gives exactly the seed's 1700 achievements converted locally, every year
// has needs and linked contracts, on both databases.
func TestDemoChainFigures(t *testing.T) {
	for _, db := range testutil.Stores(t) {
		t.Run(db.Name, func(t *testing.T) {
			svc, _ := loadOn(t, db, "2024-03-15")
			ctx := context.Background()
			for _, y := range []int{2021, 2022, 2023, 2024} {
				st, err := svc.Chain.Stats(ctx, y, "")
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%d: %+v", y, *st)
				if want, ok := demo.LocalConversions[y]; ok && st.LocalConversions != int64(want) {
					t.Errorf("%d: %d achievements converted locally, want %d", y, st.LocalConversions, want)
				}
				if st.LocalConversions == 0 || st.NeedsPublished == 0 || st.ContractsLinked <= st.LocalConversions || st.AchievementsContracted < st.LocalConversions {
					t.Errorf("%d: implausible figures %+v", y, st)
				}
			}
		})
	}
}
