package domain

import (
	"fmt"
	"strings"
)

// Change is one field a step changed, shown in the timeline as
// "label: old → new" (walkthrough #11: the registrar's edits of an
// applicant's figures were visible only in the audit log). Label is a
// zh-CN message id; the values are as a reader sees them.
type Change struct {
	Field string `json:"field"`
	Label string `json:"label"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// ContractChanges lists what an edit changed between before and after,
// in the form's order: the figures (成交额, the cost items and the
// resulting 技术交易额), the parties, dates and classification.
func ContractChanges(before, after *Contract) []Change {
	var out []Change
	add := func(field, label, o, n string) {
		if o != n {
			out = append(out, Change{field, label, o, n})
		}
	}
	add("title", "合同名称", before.Title, after.Title)
	add("contract_no", "合同编号", before.ContractNo, after.ContractNo)
	add("seller.name", "卖方", partyText(before.Seller), partyText(after.Seller))
	add("buyer.name", "买方", partyText(before.Buyer), partyText(after.Buyer))
	add("broker_org_id", "中介方", before.BrokerName, after.BrokerName)
	add("signed_on", "签订日期", before.SignedOn, after.SignedOn)
	add("term_start", "合同起始日期", before.TermStart, after.TermStart)
	add("term_end", "合同终止日期", before.TermEnd, after.TermEnd)
	add("category", "合同类别", CategoryLabel(before.Category)+"·"+SubTypeLabel(before.SubType), CategoryLabel(after.Category)+"·"+SubTypeLabel(after.SubType))
	add("form", "合同形式", before.Form, after.Form)
	add("seals_match", "印章", sealsText(before.SealsMatch), sealsText(after.SealsMatch))
	add("tech_field", "技术领域", TechFieldLabel(before.Field), TechFieldLabel(after.Field))
	add("chain_code", "产业链", before.ChainCode, after.ChainCode)
	add("turnover_fen", "合同成交额", FormatYuan(before.TurnoverFen), FormatYuan(after.TurnoverFen))
	add("cost_items", "非技术性费用", costText(before.CostItems), costText(after.CostItems))
	add("tech_transaction_fen", "技术交易额", FormatYuan(before.TechTransactionFen), FormatYuan(after.TechTransactionFen))
	return out
}

func partyText(p Party) string {
	if p.USCC == "" {
		return p.Name
	}
	return p.Name + "（" + p.USCC + "）"
}

func sealsText(ok bool) string {
	if ok {
		return "齐全且与名称一致"
	}
	return "不齐全或与名称不一致"
}

func costText(items []CostItem) string {
	if len(items) == 0 {
		return "无"
	}
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprintf("%s %s %s×%d", CostKindLabel(it.Kind), it.Description, FormatYuan(it.UnitPriceFen), it.Quantity)
	}
	return strings.Join(parts, "；")
}
