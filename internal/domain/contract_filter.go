package domain

// ContractScope limits what a caller may see. Drafts are only ever visible
// to the organisation that owns them. With All the caller sees every other
// contract (of RegistryID, when set); otherwise only those its organisation
// owns or is a party to (seller, buyer, broker).
type ContractScope struct {
	All        bool
	OrgID      int64
	RegistryID int64
	ReviewerID int64 // an expert: only the contracts it is assigned to review
	// PostRegistration: the 财政/税务 authority sees every registered,
	// cancelled or revoked contract and nothing else.
	PostRegistration bool
}

// ContractFilter selects contracts.
type ContractFilter struct {
	Scope         ContractScope
	Statuses      []ContractStatus
	Year          int // registration year
	Category      string
	Field         string
	Query         string // title, 合同编号, 登记号, parties' names and credit codes
	Overdue       bool   // submitted and accepted before OverdueBefore
	OverdueBefore string
	Sort          string // column name, "-" prefix for descending
	Offset        int
	Limit         int
}

// ListCountCap is where list counts stop: a list answers "more than
// ListCountCap" instead of counting a million rows on every page, and
// pages reach no deeper than it (an OFFSET costs what a count does).
// Exports have no such limit.
const ListCountCap = 10_000

// SearchCountCap is where the count of a search (a list with a query of at
// least one word) stops, and how deep its pages reach: a search ranks only
// its newest SearchCountCap matches (the store's window), so counting on
// to ListCountCap would cost ten times the walk of the ranked page for a
// figure no page shows (docs/search.md). A longer query or a filter
// narrows a search past it.
const SearchCountCap = 1_000

// ContractSortKeys lists the accepted sort keys.
func ContractSortKeys() []string {
	return []string{"id", "signed_on", "turnover_fen", "registered_on", "accepted_on", "due_on", "updated_at", "reg_no", "title", "seller", "buyer"}
}

// ContractTotals are the totals of a filtered list (walkthrough #21):
// how many contracts, and their 合同成交额 and 技术交易额.
type ContractTotals struct {
	Count              int64 `json:"count"`
	TurnoverFen        int64 `json:"turnover_fen"`
	TechTransactionFen int64 `json:"tech_transaction_fen"`
}
