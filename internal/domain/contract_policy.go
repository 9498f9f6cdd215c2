package domain

// ContractPolicy is the contract module's rules of access, written once:
// the service enforces them, the pages and the navigation ask them which
// links and buttons to show, the store turns ListScope into SQL, and
// TestContractPolicyAgreesWithList (store) proves the single-contract rule
// and the list query agree for every role × status × relation.
type ContractPolicy struct{}

// Contracts is the contract module's policy.
var Contracts ContractPolicy

// filerRoles may file contracts: sellers (universities, institutes,
// enterprises, pilot bases, agencies) and the registrar on a seller's
// behalf.
var filerRoles = []Role{RoleAdmin, RoleRegistrar, RoleTTO, RoleEnterprise, RolePilotBase, RoleAgency}

// CanFile reports whether a may file contracts.
func (ContractPolicy) CanFile(a *Actor) bool { return a.Is(filerRoles...) }

// FilesAsSeller reports whether a always files with its own organisation
// as the seller (technology contracts are registered by the seller): every
// role but the registrar and the admin, who file for anyone, and the
// agency, which may also broker.
func (ContractPolicy) FilesAsSeller(a *Actor) bool {
	return !a.Is(RoleRegistrar, RoleAdmin, RoleAgency)
}

// CheckParties keeps a filer to its own deals, on creation and on every
// edit: an agency files as the seller or the broker, registrars and admins
// for anyone, every other role as the seller.
func (p ContractPolicy) CheckParties(a *Actor, c *Contract) error {
	if a.Is(RoleAgency) {
		if c.Seller.OrgID != a.OrgID && c.BrokerID != a.OrgID {
			return FieldErrorf("broker_org_id", "技术转移机构只能登记本机构作为卖方或中介方的合同")
		}
		return nil
	}
	if p.FilesAsSeller(a) && c.Seller.OrgID != a.OrgID {
		return FieldErrorf("seller.org_id", "只能以本机构为卖方申请登记（技术合同由卖方申请认定登记）")
	}
	return nil
}

// CanList reports whether a may list contracts at all (an expert lists
// the contracts assigned to it).
func (p ContractPolicy) CanList(a *Actor) bool {
	_, err := p.ListScope(a)
	return err == nil
}

// ListScope is what a may see in lists; the store turns it into SQL. It
// must agree with CanSee (tested).
func (ContractPolicy) ListScope(a *Actor) (ContractScope, error) {
	if a == nil {
		return ContractScope{}, Errorf(EUNAUTHORIZED, "请先登录")
	}
	switch a.Role {
	case RoleAdmin, RoleBureau:
		return ContractScope{All: true, OrgID: a.OrgID}, nil
	case RoleRegistrar:
		return ContractScope{All: true, OrgID: a.OrgID, RegistryID: a.OrgID}, nil
	case RoleExpert: // only the contracts it is assigned to review
		return ContractScope{ReviewerID: a.UserID}, nil
	case RoleAuthority: // the city's registrations, read-only
		return ContractScope{PostRegistration: true}, nil
	}
	return ContractScope{OrgID: a.OrgID}, nil
}

// CanSee reports whether a may read c. Drafts are private to the
// organisation that owns them.
func (ContractPolicy) CanSee(a *Actor, c *Contract) bool {
	if a == nil {
		return false
	}
	if a.Role == RoleExpert { // experts see only what they are assigned
		return c.Status != ContractDraft && c.ReviewOf(a.UserID) != nil
	}
	if a.Role == RoleAuthority { // 财政/税务: registrations of the city, never a filing in progress
		return c.Status.PostRegistration()
	}
	if c.OwnerOrgID == a.OrgID {
		return true
	}
	if c.Status == ContractDraft {
		return false
	}
	switch a.Role {
	case RoleAdmin, RoleBureau:
		return true
	case RoleRegistrar:
		return c.RegistryID == a.OrgID
	case RoleExpert:
		return false
	}
	return a.OrgID != 0 && (c.Seller.OrgID == a.OrgID || c.Buyer.OrgID == a.OrgID || c.BrokerID == a.OrgID)
}

// mayEdit: a filer of the owning organisation, or the registrar of the
// contract's registry (correcting a filing on the applicant's behalf).
// Editing, uploading and submitting are filing: a role that may not file
// (bureau, expert) may not take over its organisation's drafts either. A
// registrar never edits a draft it cannot see (drafts are the owner's).
func (p ContractPolicy) mayEdit(a *Actor, c *Contract) bool {
	if !p.CanFile(a) || !p.CanSee(a, c) {
		return false
	}
	return c.OwnerOrgID == a.OrgID || (a.Role == RoleRegistrar && c.RegistryID == a.OrgID)
}

// mayWithdraw: the applicant, a filer of the organisation that owns the
// filing (not the registrar, who returns or refuses instead). Deleting a
// draft is the same person's act.
func (p ContractPolicy) mayWithdraw(a *Actor, c *Contract) bool {
	return p.CanFile(a) && a.OrgID != 0 && c.OwnerOrgID == a.OrgID
}

// CanDelete reports whether a may delete c now (a draft of its own).
func (ContractPolicy) CanDelete(a *Actor, c *Contract) bool { return ContractFlow.Can("delete", a, c) }

// CanWithdraw reports whether a may withdraw c now (its own submitted
// filing the registrar has not acted on).
func (ContractPolicy) CanWithdraw(a *Actor, c *Contract) bool {
	return ContractFlow.Can("withdraw", a, c)
}

// CanEdit reports whether a may change c now (its fields or its document).
func (ContractPolicy) CanEdit(a *Actor, c *Contract) bool { return ContractFlow.Can("update", a, c) }

// mayDecide: only the registrar of the contract's registry decides.
func (ContractPolicy) mayDecide(a *Actor, c *Contract) bool {
	return a.Is(RoleRegistrar) && c.RegistryID == a.OrgID
}

// CanDecide reports whether a may register, return or refuse c now.
func (ContractPolicy) CanDecide(a *Actor, c *Contract) bool {
	return ContractFlow.Can("register", a, c)
}

// CanAssign reports whether a may assign expert reviewers to c now.
func (ContractPolicy) CanAssign(a *Actor, c *Contract) bool { return ContractFlow.Can("assign", a, c) }

// CanOpine reports whether a may record its review opinion on c now.
func (ContractPolicy) CanOpine(a *Actor, c *Contract) bool { return ContractFlow.Can("opine", a, c) }

// CanAccept reports whether a may accept (受理) or reject c at intake now.
func (ContractPolicy) CanAccept(a *Actor, c *Contract) bool {
	return ContractFlow.Can("accept", a, c)
}

// CanViewQueue reports whether a works a registry's queue.
func (ContractPolicy) CanViewQueue(a *Actor) bool { return a.Is(RoleRegistrar, RoleAdmin) }

// CanImport reports whether a may import historical contracts.
func (ContractPolicy) CanImport(a *Actor) bool { return a.Is(RoleRegistrar, RoleAdmin) }

// CanExport reports whether a may export the contracts it can list.
func (p ContractPolicy) CanExport(a *Actor) bool { return p.CanList(a) }

// ContractFlow is the contract workflow: 申请 (draft → submitted), 形式审查
// at intake: 受理 (accepted, the clock starts) or 不予受理 (rejected); then
// 登记 (registered) or 不予登记 (refused), or 补正 (returned) at intake or
// after 受理. A returned filing that had been accepted goes back to
// accepted when the corrected materials arrive, the clock restarting from
// that day (2026 draft art 14); one returned at intake goes back to intake.
var ContractFlow = &Flow[ContractStatus, *Contract]{
	Status: func(c *Contract) ContractStatus { return c.Status },
	Label:  ContractStatus.Label,
	// After registration: postRegTransitions (contract_postreg.go).
	Transitions: append([]Transition[ContractStatus, *Contract]{
		{Action: "update", From: []ContractStatus{ContractDraft, ContractReturned}, Allowed: Contracts.mayEdit, Denied: "修改该合同", StateForbidden: true},
		{Action: "document", From: []ContractStatus{ContractDraft, ContractReturned}, Allowed: Contracts.mayEdit, Denied: "上传合同文本", StateForbidden: true},
		// The filing's materials (attachments) change while its fields do.
		{Action: "attach", From: []ContractStatus{ContractDraft, ContractReturned}, Allowed: Contracts.mayEdit, Denied: "上传申请材料", StateForbidden: true},
		{Action: "detach", From: []ContractStatus{ContractDraft, ContractReturned}, Allowed: Contracts.mayEdit, Denied: "删除申请材料", StateForbidden: true},
		{Action: "submit", From: []ContractStatus{ContractDraft, ContractReturned}, To: []ContractStatus{ContractSubmitted, ContractAccepted},
			Allowed: Contracts.mayEdit, Denied: "提交该合同", StateForbidden: true},
		// The applicant deletes its own draft (never anything filed: a
		// submitted filing is withdrawn first), and withdraws a submitted
		// filing back to a draft while the registrar has not acted on it
		// (returned, refused and registered filings are the registrar's).
		// With a separate 受理 step, withdrawal ends at 受理.
		{Action: "delete", From: []ContractStatus{ContractDraft}, Allowed: Contracts.mayWithdraw, Denied: "删除该草稿", StateForbidden: true},
		{Action: "withdraw", From: []ContractStatus{ContractSubmitted}, To: []ContractStatus{ContractDraft}, Allowed: Contracts.mayWithdraw, Denied: "撤回该合同"},
		{Action: "accept", From: []ContractStatus{ContractSubmitted}, To: []ContractStatus{ContractAccepted}, Allowed: Contracts.mayDecide, Denied: "受理该合同"},
		{Action: "reject", From: []ContractStatus{ContractSubmitted}, To: []ContractStatus{ContractRejected}, Allowed: Contracts.mayDecide, Denied: "受理该合同"},
		{Action: "return", From: []ContractStatus{ContractSubmitted, ContractAccepted}, To: []ContractStatus{ContractReturned}, Allowed: Contracts.mayDecide, Denied: "办理该合同的认定登记"},
		// A contract under expert review is neither registered nor refused
		// before every assigned reviewer has given an opinion (2026 draft
		// art 14); it may still be returned for 补正.
		{Action: "refuse", From: []ContractStatus{ContractAccepted}, To: []ContractStatus{ContractRefused}, Allowed: Contracts.mayDecide, Denied: "办理该合同的认定登记",
			Ready: (*Contract).CheckReviewDecided},
		{Action: "register", From: []ContractStatus{ContractAccepted}, To: []ContractStatus{ContractRegistered}, Allowed: Contracts.mayDecide, Denied: "办理该合同的认定登记",
			Ready: (*Contract).CheckReviewDecided},
		{Action: "assign", From: []ContractStatus{ContractAccepted}, Allowed: Contracts.mayAssign, Denied: "指派评审专家"},
		{Action: "opine", From: []ContractStatus{ContractAccepted}, Allowed: Contracts.mayOpine, Denied: "提交评审意见"},
		// The registrar names or corrects the contract's sources (成果来源) of a filing in its hands or registered.
		{Action: "link", From: []ContractStatus{ContractSubmitted, ContractAccepted, ContractRegistered}, Allowed: Contracts.mayDecide, Denied: "修改合同的成果来源"},
	}, postRegTransitions...),
}

// CanEditRegime reports whether a may change the regime settings (the
// cut-over and the expert-review threshold): an administration setting.
func (ContractPolicy) CanEditRegime(a *Actor) bool { return a.Is(RoleAdmin) }

// CanLoadCalendar reports whether a may load a year's working-day
// arrangement: the bureau, and the administrator.
func (ContractPolicy) CanLoadCalendar(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }
