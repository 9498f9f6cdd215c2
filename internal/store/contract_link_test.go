package store_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestContractLinks: a contract's links are replaced whole and read back in
// order; the chain's counts take registered contracts of the year only,
// distinct achievements, the local ones by the buyer's place, and the
// chain filter; deleting a draft deletes its links.
func TestContractLinks(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		x := w.Achievement().Published().Insert(t)
		y := w.Achievement().Published().Insert(t)
		n := w.Need().Published().Insert(t)
		local := w.Contract().Buyer(w.Ent).Registered("2023-05-10", 1).Insert(t)
		outside := w.Contract().Buyer(w.Other).Registered("2023-05-11", 2).Insert(t)
		lastYear := w.Contract().Buyer(w.Ent).Registered("2022-05-11", 3).Insert(t)
		draft := w.Contract().Draft().Insert(t)
		set := func(c *domain.Contract, links ...domain.ContractLink) {
			t.Helper()
			if err := st.InTx(ctx, func(q *store.Q) error { return q.SetContractLinks(ctx, c.ID, links) }); err != nil {
				t.Fatal(err)
			}
		}
		ach := func(id int64) domain.ContractLink { return domain.ContractLink{Kind: "achievement", RefID: id} }
		set(local, ach(y.ID))
		set(local, domain.ContractLink{Kind: "need", RefID: n.ID}, ach(x.ID)) // replaced, in this order
		set(outside, ach(x.ID), ach(y.ID))
		set(lastYear, ach(y.ID))
		set(draft, ach(y.ID))
		got, err := st.FindContractByID(ctx, local.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Links) != 2 || got.Links[0].Kind != "need" || got.Links[1].RefID != x.ID {
			t.Fatalf("links read back: %+v", got.Links)
		}
		f, err := st.ChainContracts(ctx, 2023, "")
		if err != nil {
			t.Fatal(err)
		}
		if f.Linked != 2 || f.Contracted != 2 || f.Local != 1 {
			t.Errorf("2023: %+v, want 2 linked, 2 achievements, 1 local", f)
		}
		if f, _ := st.ChainContracts(ctx, 2022, ""); f.Linked != 1 || f.Local != 1 {
			t.Errorf("2022: %+v", f)
		}
		if f, _ := st.ChainContracts(ctx, 2023, "no_such_chain"); f != (store.ChainContractFigures{}) {
			t.Errorf("another chain: %+v", f)
		}
		cs, err := st.ContractsLinkedTo(ctx, "achievement", y.ID)
		if err != nil || len(cs) != 2 || cs[0].ID != lastYear.ID || cs[1].ID != outside.ID || cs[1].BuyerLocal {
			t.Errorf("contracts naming y: %+v %v", cs, err)
		}
		if err := st.InTx(ctx, func(q *store.Q) error { return q.DeleteDraft(ctx, draft.ID) }); err != nil {
			t.Fatal(err)
		}
		if cs, _ := st.ContractsLinkedTo(ctx, "achievement", y.ID); len(cs) != 2 {
			t.Errorf("after deleting the draft: %d", len(cs))
		}
		var left int
		if err := storetest.RawDB(t, st.URL()).QueryRow(`SELECT COUNT(*) FROM contract_links WHERE contract_id = $1`, draft.ID).Scan(&left); err != nil || left != 0 {
			t.Errorf("the deleted draft's links: %d %v", left, err)
		}
	})
}
