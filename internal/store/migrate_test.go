package store_test

import (
	"context"
	"slices"
	"testing"

	"kechuang/internal/store/storetest"
)

func TestMigrations(t *testing.T) {
	t.Parallel()
	for _, ns := range storetest.OpenFresh(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			st := ns.Store
			if empty, err := st.IsEmpty(ctx); err != nil || !empty {
				t.Fatalf("fresh IsEmpty = %v, %v", empty, err)
			}
			pending, err := st.Pending(ctx)
			if err != nil || len(pending) == 0 || pending[0] != "0001_init" || !slices.IsSorted(pending) {
				t.Fatalf("fresh Pending = %v, %v", pending, err)
			}
			applied, err := st.Migrate(ctx)
			if err != nil || !slices.Equal(applied, pending) {
				t.Fatalf("Migrate = %v, %v (pending was %v)", applied, err, pending)
			}
			if p, err := st.Pending(ctx); err != nil || len(p) != 0 {
				t.Fatalf("Pending after migrate = %v, %v", p, err)
			}
			if empty, _ := st.IsEmpty(ctx); empty {
				t.Fatal("IsEmpty after migrate")
			}
			again, err := st.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second Migrate = %v, %v (want a no-op)", again, err)
			}
			// The schema works: the audit head row exists and the chain is empty and valid.
			rep, err := st.VerifyAudit(ctx)
			if err != nil || !rep.OK || rep.Rows != 0 {
				t.Fatalf("VerifyAudit on a new schema = %+v, %v", rep, err)
			}
		})
	}
}
