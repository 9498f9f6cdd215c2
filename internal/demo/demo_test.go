package demo_test

import (
	"context"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// TestDemoReproducesPublishedFigures loads the demo city and checks that the
// statistics computed from its records give the seed's figures: 2022 (to
// 22 December) 8416 contracts, 394.28亿元, +20.54%; 2021 327.09亿元.
func TestDemoReproducesPublishedFigures(t *testing.T) {
	for _, db := range testutil.Stores(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := service.New(db.Store, testutil.Log())
			logins, err := demo.Load(ctx, svc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(logins) != 8 {
				t.Fatalf("logins = %d", len(logins))
			}
			// The national table came through its use case.
			if ed, _ := svc.Meta.RegionsEdition(ctx); ed != gb2260.EmbeddedVersion {
				t.Errorf("regions edition = %q, want the embedded %s", ed, gb2260.EmbeddedVersion)
			}
			if rs, _ := svc.Meta.Regions(ctx); len(rs) != gb2260.Default().Len() {
				t.Errorf("the demo has %d regions, want the national table's %d", len(rs), gb2260.Default().Len())
			}
			st, err := svc.Contracts.Stats(ctx, 2022)
			if err != nil {
				t.Fatal(err)
			}
			if st.Count != 8416 || domain.FormatYi(st.TurnoverFen) != "394.28亿元" || st.TurnoverYoYPct == nil || string(*st.TurnoverYoYPct) != "20.54" {
				t.Fatalf("2022: count %d, turnover %s, yoy %v", st.Count, domain.FormatYi(st.TurnoverFen), st.TurnoverYoYPct)
			}
			if st.AsOf != "2022-12-22" {
				t.Errorf("as of %s", st.AsOf)
			}
			if domain.FormatYi(st.Prev.TurnoverFen) != "327.09亿元" {
				t.Errorf("2021 turnover %s", domain.FormatYi(st.Prev.TurnoverFen))
			}
			if st.TechTransactionFen >= st.TurnoverFen || st.TechTransactionFen < st.TurnoverFen*8/10 {
				t.Errorf("tech transaction %d vs turnover %d", st.TechTransactionFen, st.TurnoverFen)
			}
			if len(st.ByCategory) != 5 || len(st.ByOutputDistrict) < 10 || st.Absorb.Count == 0 || st.Local.Count == 0 {
				t.Errorf("breakdowns: %d categories, %d districts, absorb %d", len(st.ByCategory), len(st.ByOutputDistrict), st.Absorb.Count)
			}
			// The statistics come from the records: the rollup equals a GROUP BY.
			fast, err := db.Store.RollupRows(ctx, 2021, 2022)
			if err != nil {
				t.Fatal(err)
			}
			naive, err := db.Store.RollupRowsNaive(ctx, 2021, 2022)
			if err != nil {
				t.Fatal(err)
			}
			if len(fast) != len(naive) {
				t.Fatalf("rollup %d cells, naive %d", len(fast), len(naive))
			}
			for i := range fast {
				if fast[i] != naive[i] {
					t.Fatalf("cell %d: rollup %+v naive %+v", i, fast[i], naive[i])
				}
			}
			if _, err := demo.Load(ctx, svc, nil); err == nil {
				t.Error("second Load should refuse")
			}
			rep, err := db.Store.VerifyAudit(ctx)
			if err != nil || !rep.OK {
				t.Fatalf("audit %+v %v", rep, err)
			}
		})
	}
}
