package domain

import "sort"

// auditFieldLabels name, in zh-CN (the message ids), the fields of the
// records the audit log keeps before and after each change, so that a
// change reads "登记号、状态" and not "reg_no、status" (walkthrough 14).
var auditFieldLabels = map[string]string{
	// contracts
	"id": "编号", "title": "合同名称", "contract_no": "合同编号", "signed_on": "签订日期", "term_start": "履行期限：起",
	"term_end": "履行期限：止", "category": "合同类别", "sub_type": "子类", "form": "合同形式", "seals_match": "印章",
	"tech_field": "技术领域", "chain_code": "产业链", "seller": "卖方", "buyer": "买方", "broker_org_id": "中介方",
	"broker_name": "中介方", "turnover_fen": "合同成交额", "cost_items": "非技术性费用", "tech_transaction_fen": "技术交易额",
	"tech_income_fen": "核定技术性收入", "status": "状态", "accepted_on": "受理日期", "registered_on": "登记日期",
	"reg_no": "登记号", "reg_year": "登记年度", "reg_serial": "登记序号", "refusal_ground": "不予登记理由",
	"refusal_note": "说明", "document": "合同文本", "registry_id": "登记机构", "owner_org_id": "申请机构", "flags": "需核定事项",
	"description": "说明", "quantity": "数量", "unit_price_fen": "单价",
	"regime": "适用办法", "due_on": "办理期限", "expert_review": "专家评审", "expert_reviews": "评审专家", "corrections": "补正记录",
	"disputed": "有争议", "intake_ground": "不予受理理由", "intake_note": "不予受理说明",
	// organisations, users, tokens
	"name": "名称", "kind": "类型", "type": "类型", "uscc": "统一社会信用代码", "region_code": "行政区划",
	"disabled": "停用", "username": "用户名", "display_name": "姓名", "role": "角色", "org_id": "所属机构",
	"org_name": "所属机构", "user_id": "用户", "scope": "权限范围", "expires_at": "有效期至", "last_used_at": "最近使用",
	"email": "电子邮箱", "lang": "通知语言",
	// bookkeeping
	"version": "版本", "created_at": "创建时间", "updated_at": "更新时间", "created_by": "创建人",
}

// AuditFieldLabel returns the zh-CN label of a field recorded for entity:
// its module's own label first (AuditVocabulary.Fields), then the shared
// table's, or the field's own name when it has none.
func AuditFieldLabel(entity, field string) string {
	if v := auditVocabularyOf(entity); v != nil {
		if l, ok := v.Fields[field]; ok {
			return l
		}
	}
	if l, ok := auditFieldLabels[field]; ok {
		return l
	}
	return field
}

// AuditValueLabel returns the zh-CN label of a code recorded in field for
// entity (a status by its module's enum, a role), or "" when it has none.
func AuditValueLabel(entity, field, code string) string {
	if v := auditVocabularyOf(entity); v != nil {
		if f, ok := v.Values[entity+"."+field]; ok { // a module of two entities: "challenge_answer.status"
			return f(code)
		}
		if f, ok := v.Values[field]; ok {
			return f(code)
		}
	}
	if field == "role" {
		return Role(code).Label()
	}
	return ""
}

// AuditBookkeeping reports whether a field changes with every write
// (version, updated_at) and says nothing about what changed.
func AuditBookkeeping(field string) bool { return field == "version" || field == "updated_at" }

// AuditActions lists every audited action with its label, by code.
func AuditActions() []Label {
	var out []Label
	for _, v := range AuditVocabularies() {
		for code, label := range v.Actions {
			out = append(out, Label{code, label})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
