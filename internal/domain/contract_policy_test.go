package domain

import "testing"

// TestContractCheckParties: the seller/broker rule holds for every role but
// the registrar and the admin, who file for anyone (H3: a bureau user could
// rename the seller of its organisation's draft to any organisation).
func TestContractCheckParties(t *testing.T) {
	const own, other = 10, 20
	cases := []struct {
		role           Role
		seller, broker int64
		ok             bool
	}{
		{RoleAdmin, other, 0, true},
		{RoleRegistrar, other, 0, true},
		{RoleAgency, own, 0, true},
		{RoleAgency, other, own, true},
		{RoleAgency, other, 0, false},
		{RoleTTO, own, 0, true},
		{RoleTTO, other, own, false},
		{RoleEnterprise, other, 0, false},
		{RolePilotBase, other, 0, false},
		{RoleBureau, other, 0, false},
		{RoleExpert, other, 0, false},
		{RoleBureau, own, 0, true},
	}
	for _, tc := range cases {
		a := &Actor{UserID: 1, Role: tc.role, OrgID: own}
		c := &Contract{Seller: Party{OrgID: tc.seller}, BrokerID: tc.broker}
		if err := Contracts.CheckParties(a, c); (err == nil) != tc.ok {
			t.Errorf("%s of org %d, seller %d, broker %d: %v, want ok=%v", tc.role, own, tc.seller, tc.broker, err, tc.ok)
		}
	}
}

// TestContractFilingNeedsFilingRole: a role that may not file may not
// edit, upload or submit its own organisation's draft either (H3).
func TestContractFilingNeedsFilingRole(t *testing.T) {
	for _, role := range []Role{RoleAdmin, RoleBureau, RoleRegistrar, RoleExpert, RoleTTO, RoleEnterprise, RolePilotBase, RoleAgency} {
		a := &Actor{UserID: 1, Role: role, OrgID: 10}
		for _, st := range []ContractStatus{ContractDraft, ContractReturned} {
			c := &Contract{Status: st, OwnerOrgID: 10, RegistryID: 10, Seller: Party{OrgID: 10}}
			for _, action := range []string{"update", "document", "submit"} {
				if got, want := ContractFlow.Can(action, a, c), Contracts.CanFile(a); got != want {
					t.Errorf("%s may %s its organisation's %s contract: %v, want %v (CanFile)", role, action, st, got, want)
				}
			}
		}
	}
}
