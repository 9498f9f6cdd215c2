package service_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
)

// When the city's code cannot be read, filing and statistics stop with an
// error instead of filing the contract as non-local for good.
func TestCityCodeReadErrorStopsFiling(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		storetest.Exec(t, w.st.URL(), `ALTER TABLE settings RENAME TO settings_gone`)
		_, err := w.svc.Contracts.Create(ctx, w.registrar, w.input(w.city.Univ, w.city.Ent, 100_000_00)) // a registrar reads no other setting first
		if err == nil || domain.ErrorCode(err) != domain.EINTERNAL {
			t.Fatalf("create with unreadable settings: %v", err)
		}
		if _, err := w.svc.Contracts.Stats(ctx, 2022); err == nil {
			t.Fatal("stats with unreadable settings should fail")
		}
		cs, total, err := w.st.FindContracts(ctx, storeAll(w))
		if err != nil || total != 0 {
			t.Fatalf("%d contracts stored (%v), want none: %v", total, err, cs)
		}
	})
}

func storeAll(w *world) domain.ContractFilter {
	return domain.ContractFilter{Scope: domain.ContractScope{All: true, OrgID: w.city.Univ.ID}}
}
