package store_test

import (
	"context"
	"errors"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestStatsVersion: every committed write that changes what the public
// statistics show bumps the version once; a rolled-back one and writes the
// statistics do not show (a draft) leave it.
func TestStatsVersion(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			w := storetest.New(t, ns.Store)
			version := func() int64 {
				t.Helper()
				v, err := w.St.StatsVersion(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			v := version()
			step := func(name string, bumps bool, fn func(tx *store.Q) error) {
				t.Helper()
				err := w.St.InTx(ctx, fn)
				want := v
				if bumps && err == nil {
					want++
				}
				if got := version(); got != want {
					t.Errorf("%s: version %d, want %d", name, got, want)
				}
				v = version()
			}
			step("draft", false, func(tx *store.Q) error { return tx.InsertContract(ctx, w.Contract().Build(), storetest.CityCode) })
			step("registered import", true, func(tx *store.Q) error {
				return tx.BulkInsertContracts(ctx, []*domain.Contract{w.Contract().Registered("2023-03-01", 1).Build(),
					w.Contract().Registered("2023-03-02", 2).Build()}, storetest.CityCode)
			})
			step("rolled back", false, func(tx *store.Q) error {
				if err := tx.InsertContract(ctx, w.Contract().Registered("2023-03-03", 3).Build(), storetest.CityCode); err != nil {
					return err
				}
				return errors.New("abort")
			})
			step("target", true, func(tx *store.Q) error { return tx.SetTarget(ctx, 2023, "contract_turnover_fen", 1) })
			step("target deleted", true, func(tx *store.Q) error { return tx.DeleteTarget(ctx, 2023, "contract_turnover_fen") })
			if err := w.St.RebuildRollup(ctx); err != nil {
				t.Fatal(err)
			}
			if got := version(); got != v+1 {
				t.Errorf("rebuild: version %d, want %d", got, v+1)
			}
		})
	}
}
