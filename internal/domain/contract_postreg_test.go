package domain

import "testing"

// TestPostRegistrationFlow: each post-registration action by role, by
// registry and by state (a pending request, an open objection), with the
// refusal's code.
func TestPostRegistrationFlow(t *testing.T) {
	const owner, registry, otherRegistry, tax = 10, 20, 21, 30
	applicant := &Actor{UserID: 1, Role: RoleTTO, OrgID: owner}
	registrar := &Actor{UserID: 2, Role: RoleRegistrar, OrgID: registry}
	registrar2 := &Actor{UserID: 3, Role: RoleRegistrar, OrgID: otherRegistry}
	authority := &Actor{UserID: 4, Role: RoleAuthority, OrgID: tax}
	bureau := &Actor{UserID: 5, Role: RoleBureau, OrgID: 40}
	buyer := &Actor{UserID: 6, Role: RoleEnterprise, OrgID: 50}
	mk := func(st ContractStatus, pending string, objection bool) *Contract {
		c := &Contract{Status: st, OwnerOrgID: owner, RegistryID: registry, Seller: Party{OrgID: owner}, Buyer: Party{OrgID: 50}}
		if pending != "" {
			c.Pending = &RegRequest{Kind: pending, Status: RequestPending}
		}
		if objection {
			c.Objection = &Objection{Status: ObjectionOpen}
		}
		return c
	}
	reg, refused := mk(ContractRegistered, "", false), mk(ContractRefused, "", false)
	withChange, withCancel := mk(ContractRegistered, RequestChange, false), mk(ContractRegistered, RequestCancel, false)
	objected := mk(ContractRegistered, "", true)
	cancelled, revoked := mk(ContractCancelled, "", false), mk(ContractRevoked, "", false)
	cases := []struct {
		action string
		a      *Actor
		c      *Contract
		code   string // "" allowed
	}{
		{"change_request", applicant, reg, ""},
		{"change_request", buyer, reg, EFORBIDDEN},
		{"change_request", registrar, reg, EFORBIDDEN},
		{"change_request", authority, reg, EFORBIDDEN},
		{"change_request", applicant, withCancel, ECONFLICT},
		{"change_request", applicant, cancelled, ECONFLICT},
		{"change_approve", registrar, withChange, ""},
		{"change_approve", registrar, reg, ECONFLICT},
		{"change_approve", registrar, withCancel, ECONFLICT},
		{"change_approve", registrar2, withChange, EFORBIDDEN},
		{"change_approve", applicant, withChange, EFORBIDDEN},
		{"change_refuse", registrar, withChange, ""},
		{"cancel_request", applicant, reg, ""},
		{"cancel_request", applicant, withChange, ECONFLICT},
		{"cancel_approve", registrar, withCancel, ""},
		{"cancel_approve", registrar2, withCancel, EFORBIDDEN},
		{"cancel_refuse", registrar, withCancel, ""},
		{"cancel_refuse", bureau, withCancel, EFORBIDDEN},
		{"revoke", registrar, reg, ""},
		{"revoke", registrar2, reg, EFORBIDDEN},
		{"revoke", applicant, reg, EFORBIDDEN},
		{"revoke", authority, reg, EFORBIDDEN},
		{"revoke", registrar, revoked, ECONFLICT},
		{"revoke", registrar, cancelled, ECONFLICT},
		{"object", applicant, reg, ""},
		{"object", applicant, refused, ""},
		{"object", authority, reg, ""},
		{"object", authority, refused, EFORBIDDEN},
		{"object", buyer, reg, EFORBIDDEN},
		{"object", registrar, reg, EFORBIDDEN},
		{"object", applicant, objected, ECONFLICT},
		{"object", applicant, revoked, ECONFLICT},
		{"objection_decide", registrar, objected, ""},
		{"objection_decide", registrar, reg, ECONFLICT},
		{"objection_decide", registrar2, objected, EFORBIDDEN},
		{"objection_decide", authority, objected, EFORBIDDEN},
	}
	for _, tc := range cases {
		err := ContractFlow.Check(tc.action, tc.a, tc.c)
		if got := ErrorCode(err); got != tc.code {
			t.Errorf("%s by %s on %s (pending %v, objection %v): %q (%v), want %q", tc.action, tc.a.Role, tc.c.Status,
				tc.c.Pending != nil, tc.c.Objection != nil, got, err, tc.code)
		}
	}
	// The outcomes the table allows.
	rv, _ := ContractFlow.Find("revoke")
	if !rv.Ends(ContractRegistered, ContractRevoked) || rv.Ends(ContractRegistered, ContractCancelled) {
		t.Error("revoke ends in revoked only")
	}
	ca, _ := ContractFlow.Find("cancel_approve")
	if !ca.Ends(ContractRegistered, ContractCancelled) {
		t.Error("cancel_approve ends in cancelled")
	}
	cr, _ := ContractFlow.Find("change_approve")
	if !cr.Ends(ContractRegistered, ContractRegistered) || cr.Ends(ContractRegistered, ContractRevoked) {
		t.Error("change_approve keeps the contract registered")
	}
}

// TestAuthoritySees: the 财政/税务 authority sees registered, cancelled and
// revoked contracts of any registry, nothing else, and files nothing.
func TestAuthoritySees(t *testing.T) {
	a := &Actor{UserID: 1, Role: RoleAuthority, OrgID: 30}
	for _, st := range ContractStatuses.Codes() {
		c := &Contract{Status: st, OwnerOrgID: 30, RegistryID: 20}
		if got := Contracts.CanSee(a, c); got != st.PostRegistration() {
			t.Errorf("authority sees a %s contract: %v", st, got)
		}
	}
	if Contracts.CanFile(a) || Contracts.CanViewQueue(a) || Contracts.CanImport(a) {
		t.Error("the authority files, works a queue or imports")
	}
	if s, err := Contracts.ListScope(a); err != nil || !s.PostRegistration || s.All {
		t.Errorf("authority scope %+v %v", s, err)
	}
}

func TestCertificateStatus(t *testing.T) {
	for _, tc := range []struct {
		c    Contract
		want string
	}{
		{Contract{Status: ContractRegistered, RegVersion: 1}, "valid"},
		{Contract{Status: ContractRegistered}, "valid"},
		{Contract{Status: ContractRegistered, RegVersion: 3}, "changed"},
		{Contract{Status: ContractCancelled, RegVersion: 2}, "cancelled"},
		{Contract{Status: ContractRevoked}, "revoked"},
	} {
		if got := tc.c.CertificateStatus(); got != tc.want {
			t.Errorf("%s v%d: %s, want %s", tc.c.Status, tc.c.RegVersion, got, tc.want)
		}
	}
	if ChangeNo("2026210100000001", 1) != "2026210100000001" || ChangeNo("2026210100000001", 12) != "2026210100000001-12" {
		t.Error("ChangeNo")
	}
}
