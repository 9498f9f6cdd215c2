package service_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
)

// A filer stays on its own deal when it edits a draft: the seller cannot be
// switched to another organisation after creation.
func TestUpdateKeepsFilerAsSeller(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		c, err := w.svc.Contracts.Create(ctx, w.univ, w.input(w.city.Univ, w.city.Ent, 100_000_00))
		if err != nil {
			t.Fatal(err)
		}
		in := w.input(w.city.Ent2, w.city.Ent, 100_000_00)
		_, err = w.svc.Contracts.Update(ctx, w.univ, c.ID, c.Version, in)
		wantCode(t, err, domain.EINVALID, "seller.org_id")
		got, err := w.svc.Contracts.Get(ctx, w.univ, c.ID)
		if err != nil || got.Seller.OrgID != w.city.Univ.ID || got.Version != c.Version {
			t.Fatalf("contract changed: seller %d version %d, %v", got.Seller.OrgID, got.Version, err)
		}
		// The registrar may correct the seller of a filing it made.
		rc, err := w.svc.Contracts.Create(ctx, w.registrar, w.input(w.city.Univ, w.city.Ent, 100_000_00))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Contracts.Update(ctx, w.registrar, rc.ID, rc.Version, w.input(w.city.Ent2, w.city.Ent, 100_000_00)); err != nil {
			t.Fatalf("registrar edit: %v", err)
		}
	})
}
