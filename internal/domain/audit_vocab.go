package domain

// Label is a code with its zh-CN label (translated at render through the
// message catalogue, which uses the zh-CN text as the message id).
type Label struct{ Code, Label string }

// AuditVocabulary is what one module writes into the audit log: the
// entities it records and the label of each action ("entity.action"). The
// audit page reads labels from it, and TestAuditVocabularyComplete fails
// when a module audits an action (or declares a workflow transition)
// without a label.
type AuditVocabulary struct {
	Module   string
	Entities []Label
	Actions  map[string]string
	// Fields label the recorded fields of the module's entities that the
	// shared table (audit_fields.go) does not name, so a change reads
	// "备案日期" and not "filed_on".
	Fields map[string]string
	// Values label the recorded codes of a field (a status…) by field name,
	// or by "entity.field" in a module of two entities; "" when the code
	// has none.
	Values map[string]func(code string) string
}

// auditVocabularyOf returns the vocabulary of the module that records
// entity (nil when none does).
func auditVocabularyOf(entity string) *AuditVocabulary {
	for _, v := range AuditVocabularies() {
		for _, e := range v.Entities {
			if e.Code == entity {
				return &v
			}
		}
	}
	return nil
}

// AuditVocabularies lists every module's vocabulary: one line a module.
func AuditVocabularies() []AuditVocabulary {
	return []AuditVocabulary{
		contractAudit,
		accountAudit,
		adminAudit,
		evaluationAudit,
		systemAudit,
		achievementAudit,
		needAudit,
		matchAudit,
		challengeAudit,
		techEventAudit,
		enterpriseAudit,
		enterpriseAssessAudit,
	}
}

var contractAudit = AuditVocabulary{Module: "contract",
	Entities: []Label{{"contract", "技术合同"}, {"contract_import", "合同导入"}, {"calendar", "工作日安排"}},
	Actions: map[string]string{
		"contract.create": "创建合同草稿", "contract.update": "修改合同", "contract.document": "上传合同文本",
		"contract.attach": "上传申请材料", "contract.detach": "删除申请材料",
		"contract.submit": "提交登记", "contract.return": "退回补正", "contract.refuse": "不予登记", "contract.register": "认定登记",
		"contract.import": "批量导入合同", "contract.delete": "删除合同草稿", "contract.withdraw": "撤回登记申请",
		"contract.accept": "受理", "contract.reject": "不予受理", "contract.assign": "指派评审专家", "contract.opine": "专家评审意见",
		"contract.change_request": "申请变更登记", "contract.change_approve": "批准变更登记", "contract.change_refuse": "不予变更登记",
		"contract.cancel_request": "申请注销登记", "contract.cancel_approve": "注销登记", "contract.cancel_refuse": "不予注销登记",
		"contract.revoke": "撤销登记", "contract.object": "提出异议", "contract.objection_decide": "处理异议",
		"contract.regime_settings": "修改登记办法适用设置", "contract.link": "修改成果来源", "calendar.load": "载入工作日安排",
	},
	Values: map[string]func(string) string{"status": func(c string) string { return ContractStatus(c).Label() }}}

var accountAudit = AuditVocabulary{Module: "account",
	Entities: []Label{{"user", "用户"}, {"api_token", "API 令牌"}},
	Actions: map[string]string{
		"user.login": "登录", "user.login_failed": "登录失败", "user.lockout": "登录锁定", "user.logout": "退出登录", "user.set_password": "修改密码", "user.set_contact": "修改通知邮箱", "token.create": "创建 API 令牌", "token.revoke": "作废 API 令牌",
	}}

var systemAudit = AuditVocabulary{Module: "system",
	Entities: []Label{{"city", "城市"}},
	Actions:  map[string]string{"demo.load": "载入演示数据", "city.install": "安装城市"},
}

// AuditActionLabel returns the label of an audited action, or "".
func AuditActionLabel(action string) string {
	for _, v := range AuditVocabularies() {
		if l, ok := v.Actions[action]; ok {
			return l
		}
	}
	return ""
}

// AuditEntities lists every audited entity, module by module.
func AuditEntities() []Label {
	var out []Label
	for _, v := range AuditVocabularies() {
		out = append(out, v.Entities...)
	}
	return out
}
