package store_test

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestContractPolicyAgreesWithList: for every role × contract status ×
// relation of the actor's organisation to the contract (owner, seller,
// buyer, broker, the contract's registry, another registry, none), the
// single-contract rule (domain.Contracts.CanSee) and the list query
// (FindContracts over domain.Contracts.ListScope) give the same answer.
func TestContractPolicyAgreesWithList(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		statuses := domain.ContractStatuses.Codes() // every status of the flow
		// Shapes of a contract: who owns it (files it), sells, buys, brokers.
		type shape struct{ owner, seller, buyer, broker *domain.Org }
		shapes := []shape{
			{city.Univ, city.Univ, city.Ent, nil},            // a university files its own sale
			{city.Registry, city.Ent2, city.Other, nil},      // the registrar files for a seller
			{city.Agency, city.Univ, city.Ent2, city.Agency}, // an agency brokers
			{city.Ent, city.Ent, city.Univ, nil},             // an enterprise sells
		}
		var all []*domain.Contract
		serial := int64(0)
		for _, sh := range shapes {
			for _, s := range statuses {
				b := city.Contract().Seller(sh.seller).Buyer(sh.buyer).Turnover(1_000_00)
				if s == domain.ContractRegistered {
					serial++
					b.Registered("2022-05-01", serial)
				}
				c := b.Build()
				c.OwnerOrgID, c.Status = sh.owner.ID, s
				if sh.broker != nil {
					c.BrokerID = sh.broker.ID
				}
				all = append(all, c)
			}
		}
		city.Insert(t, all...)
		// The expert reviews some contracts of every shape: the draft (which
		// it still may not see), the accepted and the registered one.
		expert := city.Actor("expert")
		if err := st.InTx(ctx, func(q *store.Q) error {
			for _, c := range all {
				if c.Status == domain.ContractDraft || c.Status == domain.ContractAccepted || c.Status == domain.ContractRegistered {
					if err := q.AddReview(ctx, c, domain.Review{UserID: expert.UserID, Username: expert.Username, Name: "专家", OrgID: expert.OrgID, AssignedOn: "2022-05-01"}); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		orgs := []*domain.Org{city.Registry, city.Registry2, city.Univ, city.Ent, city.Ent2, city.Other, city.Agency, city.Tax}
		roles := []domain.Role{domain.RoleAdmin, domain.RoleBureau, domain.RoleRegistrar, domain.RoleExpert,
			domain.RoleTTO, domain.RoleEnterprise, domain.RolePilotBase, domain.RoleAgency, domain.RoleAuthority}
		checked := 0
		for _, role := range roles {
			for _, o := range orgs {
				a := &domain.Actor{UserID: 1, Username: "u", Role: role, OrgID: o.ID}
				if role == domain.RoleExpert {
					a.UserID = expert.UserID // assigned to some contracts above
				}
				listed := map[int64]bool{}
				if scope, err := domain.Contracts.ListScope(a); err == nil {
					got, total, err := st.FindContracts(ctx, domain.ContractFilter{Scope: scope, Limit: 1000})
					if err != nil || total != len(got) {
						t.Fatalf("%s@%s: list: %d of %d, %v", role, o.Name, len(got), total, err)
					}
					for _, c := range got {
						listed[c.ID] = true
					}
				}
				for _, c := range all {
					checked++
					see := domain.Contracts.CanSee(a, c)
					if see != listed[c.ID] {
						t.Errorf("%s of %s, %s contract owned by %d (seller %d, buyer %d, broker %d): CanSee=%v, listed=%v",
							role, o.Name, c.Status, c.OwnerOrgID, c.Seller.OrgID, c.Buyer.OrgID, c.BrokerID, see, listed[c.ID])
					}
					checkFilingActions(t, a, o, c, see)
				}
			}
		}
		if want := len(roles) * len(orgs) * len(all); checked != want {
			t.Fatal(fmt.Sprintf("checked %d pairs, want %d", checked, want))
		}
	})
}

// checkFilingActions: editing, uploading and submitting are filing, so the
// workflow allows them only to an actor who may file and may see the
// contract (a bureau or expert user of the owning organisation may not
// take its drafts over), and the single-contract rule agrees with it.
func checkFilingActions(t *testing.T, a *domain.Actor, o *domain.Org, c *domain.Contract, see bool) {
	t.Helper()
	for _, action := range []string{"update", "document", "submit"} {
		can := domain.ContractFlow.Can(action, a, c)
		if can && !(see && domain.Contracts.CanFile(a)) {
			t.Errorf("%s of %s may %s a %s contract owned by %d, but CanFile=%v, CanSee=%v",
				a.Role, o.Name, action, c.Status, c.OwnerOrgID, domain.Contracts.CanFile(a), see)
		}
		if action == "update" && can != domain.Contracts.CanEdit(a, c) {
			t.Errorf("%s of %s on a %s contract: CanEdit disagrees with the flow (%v)", a.Role, o.Name, c.Status, can)
		}
	}
}
