package store_test

import (
	"context"
	"errors"
	"testing"

	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

func TestNextRegSerial(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		next := func(registry int64, year int) int64 {
			t.Helper()
			var n int64
			if err := inTx(t, st, func(tx *store.Q) (err error) { n, err = tx.NextRegSerial(ctx, registry, year); return }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		r1, r2 := city.Registry.ID, city.Registry2.ID
		for want := int64(1); want <= 3; want++ {
			if got := next(r1, 2022); got != want {
				t.Fatalf("serial %d, want %d", got, want)
			}
		}
		if got := next(r1, 2023); got != 1 {
			t.Fatalf("new year starts at %d", got)
		}
		if got := next(r2, 2022); got != 1 {
			t.Fatalf("other registry starts at %d", got)
		}

		t.Run("RollbackGivesNumberBack", func(t *testing.T) {
			abort := errors.New("registration failed later in the transaction")
			var taken int64
			err := inTx(t, st, func(tx *store.Q) (err error) {
				if taken, err = tx.NextRegSerial(ctx, r1, 2022); err != nil {
					return err
				}
				return abort
			})
			if !errors.Is(err, abort) || taken != 4 {
				t.Fatalf("taken %d, err %v", taken, err)
			}
			if got := next(r1, 2022); got != 4 {
				t.Fatalf("after rollback got %d, want 4 again (no gap)", got)
			}
		})
		t.Run("SetAtLeast", func(t *testing.T) {
			for _, n := range []int64{10, 7} { // never lowers
				if err := inTx(t, st, func(tx *store.Q) error { return tx.SetRegSerialAtLeast(ctx, r1, 2022, n) }); err != nil {
					t.Fatal(err)
				}
			}
			if got := next(r1, 2022); got != 11 {
				t.Fatalf("after import of serial 10 got %d", got)
			}
			if err := inTx(t, st, func(tx *store.Q) error { return tx.SetRegSerialAtLeast(ctx, r2, 2021, 5) }); err != nil {
				t.Fatal(err)
			}
			if got := next(r2, 2021); got != 6 {
				t.Fatalf("new sequence from import got %d", got)
			}
		})
	})
}
