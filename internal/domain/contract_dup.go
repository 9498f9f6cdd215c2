package domain

import "strings"

// Duplicate filings (walkthrough #7). A registrar treats two filings as the
// same contract when they carry the same 合同编号 (the parties' own number)
// between the same seller and buyer: the same credit code, or, where
// either side lacks a code, the same name. Registering it twice would count
// its 成交额 twice in the statistics and the tax relief, so:
//
//   - filing or editing a contract into a duplicate of one that is not
//     refused is refused, naming contract_no and pointing to the existing
//     filing (the filer continues that one, or deletes its own duplicate
//     draft); a refused filing may be filed anew;
//   - an import row that duplicates such a contract, or an earlier row of
//     the same file, is a bad row (left out under skip-bad), so importing
//     the same file twice adds nothing;
//   - a contract without a 合同编号 is never a duplicate: nothing identifies
//     it beyond its title, which parties reuse for distinct contracts.

// SameDeal reports whether a and b are the same contract for duplicate
// detection (both with a 合同编号).
func SameDeal(a, b *Contract) bool {
	return a.ContractNo != "" && a.ContractNo == b.ContractNo && sameParty(a.Seller, b.Seller) && sameParty(a.Buyer, b.Buyer)
}

func sameParty(p, q Party) bool {
	if p.USCC != "" && q.USCC != "" {
		return strings.EqualFold(p.USCC, q.USCC)
	}
	return strings.TrimSpace(p.Name) == strings.TrimSpace(q.Name)
}
