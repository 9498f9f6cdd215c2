package domain

// Expert review of a large or disputed contract (2026 regime, draft art
// 14): the registrar assigns reviewers — users with the expert role, never
// from the parties' organisations (seller, buyer, broker) — each records
// an opinion, and the contract cannot be registered before every assigned
// reviewer has. The expert role sees the contracts assigned to it and
// nothing else (ContractPolicy.CanSee, ListScope).

// Review is one reviewer's assignment and opinion.
type Review struct {
	UserID     int64  `json:"user_id"`
	Username   string `json:"username"`
	Name       string `json:"name"` // display name
	OrgID      int64  `json:"org_id"`
	AssignedOn string `json:"assigned_on"`
	Opinion    string `json:"opinion,omitempty"` // Opinions; "" until given
	Comment    string `json:"comment,omitempty"`
	OpinedOn   string `json:"opined_on,omitempty"`
}

// Opinions label a reviewer's opinion.
var Opinions = NewEnum[string](
	Item[string]{"agree", "同意认定登记"},
	Item[string]{"disagree", "不同意认定登记"},
	Item[string]{"comment", "提出修改意见"},
)

// OpinionLabel returns the label of an opinion.
func OpinionLabel(code string) string { return Opinions.Label(code) }

// ReviewOf returns the review assigned to the user, or nil.
func (c *Contract) ReviewOf(userID int64) *Review {
	for i := range c.Reviews {
		if c.Reviews[i].UserID == userID {
			return &c.Reviews[i]
		}
	}
	return nil
}

// ReviewComplete reports whether the contract may be decided as far as
// expert review goes: no review needed, or reviewers assigned and every
// one has given an opinion.
func (c *Contract) ReviewComplete() bool {
	if !c.ExpertReview {
		return true
	}
	if len(c.Reviews) == 0 {
		return false
	}
	for _, r := range c.Reviews {
		if r.Opinion == "" {
			return false
		}
	}
	return true
}

// CheckReviewDecided refuses a decision (登记 or 不予登记) while the expert
// review is open, saying how far it is (ECONFLICT); nil when it is decided
// or not needed.
func (c *Contract) CheckReviewDecided() error {
	if c.ReviewComplete() {
		return nil
	}
	done := 0
	for _, r := range c.Reviews {
		if r.Opinion != "" {
			done++
		}
	}
	if len(c.Reviews) == 0 {
		return Errorf(ECONFLICT, "该合同须专家评审，尚未指派评审专家：评审完成前不能予以登记或不予登记")
	}
	return Errorf(ECONFLICT, "该合同须专家评审，评审完成前不能予以登记或不予登记（已指派%d位专家，%d位已提出意见）", len(c.Reviews), done)
}

// IsParty reports whether the organisation is a party of the contract
// (seller, buyer or broker): its experts must not review it.
func (c *Contract) IsParty(orgID int64) bool {
	return orgID != 0 && (c.Seller.OrgID == orgID || c.Buyer.OrgID == orgID || c.BrokerID == orgID)
}

// mayAssign: the contract's registrar, on a contract that goes to expert
// review.
func (p ContractPolicy) mayAssign(a *Actor, c *Contract) bool {
	return p.mayDecide(a, c) && c.ExpertReview
}

// mayOpine: an expert assigned to the contract.
func (ContractPolicy) mayOpine(a *Actor, c *Contract) bool {
	return a.Is(RoleExpert) && c.ReviewOf(a.UserID) != nil
}
