package domain

import (
	"strings"
	"testing"
)

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
	for _, role := range Roles.Codes() {
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

// TestDecisionWaitsForExpertReview (issue 8, done-when): a contract under
// expert review is neither registered nor refused until every assigned
// reviewer has given an opinion: the flow refuses both with ECONFLICT
// and leaves them out of the actions (no button), while 补正 stays open.
func TestDecisionWaitsForExpertReview(t *testing.T) {
	registrar := &Actor{UserID: 1, Role: RoleRegistrar, OrgID: 7}
	c := &Contract{Status: ContractAccepted, RegistryID: 7, ExpertReview: true}
	check := func(stage string, open bool) {
		t.Helper()
		acts := ContractFlow.Actions(registrar, c)
		for _, action := range []string{"register", "refuse"} {
			err := ContractFlow.Check(action, registrar, c)
			if open {
				if e, ok := err.(*Error); !ok || e.Code != ECONFLICT || !strings.Contains(e.Message, "专家评审") {
					t.Errorf("%s: %s: got %v, want ECONFLICT naming the review", stage, action, err)
				}
				if acts[action] {
					t.Errorf("%s: %s offered during the review", stage, action)
				}
			} else if err != nil || !acts[action] {
				t.Errorf("%s: %s refused after the review: %v", stage, action, err)
			}
		}
		if !acts["return"] {
			t.Errorf("%s: return not offered", stage)
		}
	}
	check("no reviewers", true)
	c.Reviews = []Review{{UserID: 2, Opinion: "agree"}, {UserID: 3}}
	check("one opinion missing", true)
	c.Reviews[1].Opinion = "disagree"
	check("decided", false)
	c.ExpertReview, c.Reviews = false, nil
	check("no review needed", false)
}
