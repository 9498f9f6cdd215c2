package web

import (
	"fmt"
	"html/template"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// contractFuncs are the contract module's template functions, bound to one
// language: labels of its statuses, categories, fields and the rest.
func contractFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"contract_status":       func(s any) string { return tr(domain.ContractStatus(fmt.Sprint(s)).Label()) },
		"contract_statusClass":  contractStatusClass,
		"contract_category":     func(c string) string { return tr(domain.CategoryLabel(c)) },
		"contract_subType":      func(c string) string { return tr(domain.SubTypeLabel(c)) },
		"contract_field":        func(c string) string { return tr(domain.TechFieldLabel(c)) },
		"contract_refusal":      func(c string) string { return tr(domain.RefusalLabel(c)) },
		"contract_intake":       func(c string) string { return tr(domain.IntakeLabel(c)) },
		"contract_opinion":      func(c string) string { return tr(domain.OpinionLabel(c)) },
		"contract_flag":         func(f string) string { return i18n.Text(l, domain.FlagText(f)) },
		"contract_costKind":     func(c string) string { return tr(domain.CostKindLabel(c)) },
		"contract_partyType":    func(p domain.PartyType) string { return tr(p.Label()) },
		"contract_form":         func(f string) string { return tr(contractFormLabel(f)) },
		"contract_action":       func(a string) string { return tr(contractActionLabel(a)) },
		"contract_attachKind":   func(k any) string { return tr(domain.AttachmentKind(fmt.Sprint(k)).Label()) },
		"contract_sortOptions":  func() []struct{ Key, Label string } { return contractSortOptions },
		"contract_partyKeys":    func() []string { return []string{"name", "uscc", "region_code", "type"} },
		"contract_cancelGround": func(c string) string { return tr(domain.CancelGrounds.Label(c)) },
		"contract_revokeGround": func(c string) string { return tr(domain.RevocationGrounds.Label(c)) },
		"contract_certStatus":   func(c string) string { return tr(domain.CertificateStatuses.Label(c)) },
		"contract_objection":    func(c string) string { return tr(domain.ObjectionStatuses.Label(c)) },
		"contract_against": func(c string) string {
			if c == "refusal" {
				return tr("针对不予登记")
			}
			return tr("针对登记结论")
		},
		"contract_requestKind": func(k string) string {
			if k == domain.RequestCancel {
				return tr("注销登记")
			}
			return tr("变更登记")
		},
		"contract_requestStatus": func(s string) string {
			return tr(map[string]string{domain.RequestPending: "待审批", domain.RequestApproved: "已批准", domain.RequestRefused: "不予批准"}[s])
		},
		"contract_role": func(r domain.Role) string { return tr(r.Label()) },
	}
}
