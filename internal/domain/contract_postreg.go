package domain

import (
	"slices"
	"strconv"
)

// Post-registration actions (issue 8): 变更登记, 注销登记, 撤销 and 异议,
// per rules/registry-2026-evaluation-empowerment.md §1.2. Only the
// December-2024 征求意见稿 is known for them: art 16 (after a registered
// contract is changed, terminated or revoked, the 登记主体 registers the
// change or cancels at the original registry) and art 17 (the 登记主体, or
// the 财政/税务 authorities reviewing a policy claim, may object; the rest
// of the article, time limits included, is unknown). Revocation grounds
// come from a local rule (上海 沪科技市〔2025〕31号) and are a configurable
// list (setting revocation_grounds), not the law. The pages say so.
//
// A change or a cancellation is a request (RegRequest) the applicant files
// and the registrar of the contract's registry decides; while one is
// pending the contract stays registered (it counts, its certificate is
// valid) and no second request may be filed. An approved change makes a
// new registration version: the superseded version is kept whole as a
// snapshot (contract_reg_versions), the contract row holds the current
// one, and its RegVersion and ChangedOn say which; every request,
// decision and objection is also a step in entity_events with its field
// changes.

// Post-registration statuses: a cancelled (注销) or revoked (撤销)
// registration no longer counts in the statistics and its certificate
// says so.
const (
	ContractCancelled ContractStatus = "cancelled"
	ContractRevoked   ContractStatus = "revoked"
)

// PostRegistration reports whether s is registered, cancelled or revoked:
// a contract that was registered and has a certificate.
func (s ContractStatus) PostRegistration() bool {
	return s == ContractRegistered || s == ContractCancelled || s == ContractRevoked
}

// RegRequest kinds and statuses.
const (
	RequestChange = "change" // 变更登记
	RequestCancel = "cancel" // 注销登记

	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRefused  = "refused"
)

// RegRequest is an applicant's request for 变更登记 or 注销登记 of a
// registered contract, decided by the registrar of its registry.
type RegRequest struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`             // change | cancel
	Status      string     `json:"status"`           // pending | approved | refused
	Ground      string     `json:"ground,omitempty"` // cancellation ground (CancelGrounds)
	Reason      string     `json:"reason"`           // the applicant's statement
	Attachment  string     `json:"attachment,omitempty"`
	Proposal    *RegChange `json:"proposal,omitempty"` // the changed fields (a change)
	RequestedBy string     `json:"requested_by"`
	RequestedOn string     `json:"requested_on"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedOn   string     `json:"decided_on,omitempty"`
	Note        string     `json:"decision_note,omitempty"`
}

// RegChange is the set of fields a 变更登记 may change: the amounts, the
// performance period, the parties' details and the title. A nil field is
// unchanged. Category, registry, signing date and 登记号 never change (a
// different contract is a new registration).
type RegChange struct {
	Title       *string     `json:"title,omitempty"`
	TermStart   *string     `json:"term_start,omitempty"`
	TermEnd     *string     `json:"term_end,omitempty"`
	TurnoverFen *int64      `json:"turnover_fen,omitempty"`
	CostItems   *[]CostItem `json:"cost_items,omitempty"`
	Seller      *Party      `json:"seller,omitempty"`
	Buyer       *Party      `json:"buyer,omitempty"`
}

// Empty reports whether the change changes nothing.
func (r *RegChange) Empty() bool {
	return r == nil || (r.Title == nil && r.TermStart == nil && r.TermEnd == nil && r.TurnoverFen == nil &&
		r.CostItems == nil && r.Seller == nil && r.Buyer == nil)
}

// ApplyTo returns a copy of c with the change applied (parties keep their
// organisation link and statistical type; only the details a change may
// correct — name, credit code, region — are taken).
func (r *RegChange) ApplyTo(c *Contract) *Contract {
	n := *c
	n.CostItems = slices.Clone(c.CostItems)
	if r.Title != nil {
		n.Title = *r.Title
	}
	if r.TermStart != nil {
		n.TermStart = *r.TermStart
	}
	if r.TermEnd != nil {
		n.TermEnd = *r.TermEnd
	}
	if r.TurnoverFen != nil {
		n.TurnoverFen = *r.TurnoverFen
	}
	if r.CostItems != nil {
		n.CostItems = slices.Clone(*r.CostItems)
	}
	party := func(dst *Party, p *Party) {
		if p != nil {
			dst.Name, dst.USCC, dst.RegionCode = p.Name, p.USCC, p.RegionCode
		}
	}
	party(&n.Seller, r.Seller)
	party(&n.Buyer, r.Buyer)
	return &n
}

// CancelGrounds are the grounds of 注销登记 (draft art 16: the contract
// was terminated or revoked; plus invalidity, which the Shanghai rule
// treats as a ground to cancel). [A]: the draft's list is not exhaustive.
var CancelGrounds = NewEnum[string](
	Item[string]{"terminated", "合同已解除或终止"}, Item[string]{"voided", "合同被撤销或确认无效"},
	Item[string]{"other", "其他"},
)

// RevocationGrounds is the catalogue of 撤销 grounds a registry may use
// (the Shanghai local rule 沪科技市〔2025〕31号 and 火炬中心 practice; the
// final 2026 text is unknown). The grounds in force are a setting
// (revocation_grounds, codes separated by commas; all by default).
var RevocationGrounds = NewEnum[string](
	Item[string]{"deception", "以欺骗、贿赂等不正当手段取得登记"},
	Item[string]{"false_contract", "合同虚假或登记证明系伪造"},
	Item[string]{"not_technology", "经复核不属于技术合同"},
	Item[string]{"duplicate", "同一合同重复登记"},
	Item[string]{"not_cancelled", "合同被确认无效或解除后未办理注销"},
	Item[string]{"objection_upheld", "异议成立，撤销登记"},
	Item[string]{"other", "其他"},
)

// Objection statuses and outcomes.
const (
	ObjectionOpen      = "open"
	ObjectionUpheld    = "upheld"
	ObjectionDismissed = "dismissed"
)

// Objection is an 异议 against a registration decision (登记 or 不予登记)
// raised by the applicant or by the 财政/税务 authority (draft art 17),
// with the registry's outcome. Upheld against a registration, the registry
// may revoke it in the same step (or the applicant files a change);
// upheld against a refusal, the filing goes back to 已受理 for a new
// decision; dismissed, nothing changes.
type Objection struct {
	ID         int64  `json:"id"`
	Against    string `json:"against"` // registration | refusal
	Reason     string `json:"reason"`
	RaisedBy   string `json:"raised_by"`
	RaiserRole Role   `json:"raiser_role"`
	RaisedOn   string `json:"raised_on"`
	Status     string `json:"status"` // open | upheld | dismissed
	Outcome    string `json:"outcome_note,omitempty"`
	DecidedBy  string `json:"decided_by,omitempty"`
	DecidedOn  string `json:"decided_on,omitempty"`
}

// ObjectionStatuses label the objection's states.
var ObjectionStatuses = NewEnum[string](
	Item[string]{ObjectionOpen, "待处理"}, Item[string]{ObjectionUpheld, "异议成立"}, Item[string]{ObjectionDismissed, "异议不成立"},
)

// RegVersion is one superseded version of a registration, kept whole.
type RegVersion struct {
	Version  int       `json:"version"`
	From     string    `json:"valid_from"` // the registration or 变更 date of this version
	Until    string    `json:"valid_until"`
	Contract *Contract `json:"contract"`
}

// ChangeNo is the 变更 number of a registration's version: the 登记号 and
// the version ("2026210100000001-2"); version 1 is the original.
func ChangeNo(regNo string, version int) string {
	if version <= 1 {
		return regNo
	}
	return regNo + "-" + strconv.Itoa(version)
}

// CertificateStatus is what a certificate verification says of a
// registration: valid, changed (valid, in a later version), cancelled or
// revoked.
func (c *Contract) CertificateStatus() string {
	switch c.Status {
	case ContractCancelled:
		return "cancelled"
	case ContractRevoked:
		return "revoked"
	}
	if c.RegVersion > 1 {
		return "changed"
	}
	return "valid"
}

// CertificateStatuses label the certificate statuses (有效/已变更/已注销/已撤销).
var CertificateStatuses = NewEnum[string](
	Item[string]{"valid", "有效"}, Item[string]{"changed", "已变更"},
	Item[string]{"cancelled", "已注销"}, Item[string]{"revoked", "已撤销"},
)

// isApplicant: a filer of the organisation that filed the registered
// contract (the 登记主体's side).
func (p ContractPolicy) isApplicant(a *Actor, c *Contract) bool {
	return p.CanFile(a) && a.OrgID != 0 && c.OwnerOrgID == a.OrgID && !a.Is(RoleRegistrar, RoleAdmin)
}

// mayRequest: the applicant of a registered contract with no request
// pending.
func (p ContractPolicy) mayRequest(a *Actor, c *Contract) bool { return p.isApplicant(a, c) }

// mayObject: the applicant (against its registration or its refusal) or
// the 财政/税务 authority (against a registration it reviews for a policy
// claim).
func (p ContractPolicy) mayObject(a *Actor, c *Contract) bool {
	if a.Is(RoleAuthority) {
		return c.Status == ContractRegistered
	}
	return p.isApplicant(a, c)
}

func noPending(c *Contract) bool     { return c.Pending == nil }
func changePending(c *Contract) bool { return c.Pending != nil && c.Pending.Kind == RequestChange }
func cancelPending(c *Contract) bool { return c.Pending != nil && c.Pending.Kind == RequestCancel }
func noObjection(c *Contract) bool   { return c.Objection == nil }
func objectionOpen(c *Contract) bool { return c.Objection != nil }

// postRegTransitions are the rows of ContractFlow after registration.
var postRegTransitions = []Transition[ContractStatus, *Contract]{
	{Action: "change_request", From: []ContractStatus{ContractRegistered}, Allowed: Contracts.mayRequest, Denied: "申请变更登记",
		Ready: readyWhen(noPending, "该合同已有待审批的变更或注销申请")},
	{Action: "change_approve", From: []ContractStatus{ContractRegistered}, Allowed: Contracts.mayDecide, Denied: "审批变更登记",
		Ready: readyWhen(changePending, "该合同没有待审批的变更申请")},
	{Action: "change_refuse", From: []ContractStatus{ContractRegistered}, Allowed: Contracts.mayDecide, Denied: "审批变更登记",
		Ready: readyWhen(changePending, "该合同没有待审批的变更申请")},
	{Action: "cancel_request", From: []ContractStatus{ContractRegistered}, Allowed: Contracts.mayRequest, Denied: "申请注销登记",
		Ready: readyWhen(noPending, "该合同已有待审批的变更或注销申请")},
	{Action: "cancel_approve", From: []ContractStatus{ContractRegistered}, To: []ContractStatus{ContractCancelled}, Allowed: Contracts.mayDecide,
		Denied: "审批注销登记", Ready: readyWhen(cancelPending, "该合同没有待审批的注销申请")},
	{Action: "cancel_refuse", From: []ContractStatus{ContractRegistered}, Allowed: Contracts.mayDecide, Denied: "审批注销登记",
		Ready: readyWhen(cancelPending, "该合同没有待审批的注销申请")},
	{Action: "revoke", From: []ContractStatus{ContractRegistered}, To: []ContractStatus{ContractRevoked}, Allowed: Contracts.mayDecide, Denied: "撤销该登记"},
	{Action: "object", From: []ContractStatus{ContractRegistered, ContractRefused}, Allowed: Contracts.mayObject, Denied: "对该登记结论提出异议",
		Ready: readyWhen(noObjection, "该合同已有待处理的异议")},
	{Action: "objection_decide", From: []ContractStatus{ContractRegistered, ContractRefused},
		To:      []ContractStatus{ContractRegistered, ContractRefused, ContractRevoked, ContractAccepted},
		Allowed: Contracts.mayDecide, Denied: "处理异议", Ready: readyWhen(objectionOpen, "该合同没有待处理的异议")},
}
