package web

import (
	"net/http"

	"kechuang/internal/domain"
)

// The modules of the spine: sign-in, the contract registry (with its public
// statistics), the audit log and the user's own account.

// coreModule is the spine's own pages: signing in and out, and the error
// page every module's failures render.
func coreModule() Module {
	return Module{
		Name:  "core",
		Pages: []string{"core/login", "core/error"},
		Routes: func(w *Web, mux *http.ServeMux) {
			mux.HandleFunc("GET /login", w.loginPage)
			mux.HandleFunc("POST /login", w.login)
			mux.HandleFunc("POST /logout", w.logout)
		},
	}
}

func contractModule() Module {
	p := domain.Contracts
	return Module{
		Name:     "contract",
		Funcs:    contractFuncs,
		Partials: []string{"contract/partials", "contract/postreg"},
		Pages:    []string{"contract/stats", "contract/list", "contract/form", "contract/detail", "contract/queue", "contract/certificate", "contract/import", "contract/notice", "contract/regime", "contract/verify"},
		Routes: func(w *Web, mux *http.ServeMux) {
			mux.HandleFunc("GET /stats", w.stats)
			mux.HandleFunc("GET /contracts", w.contractList)
			mux.HandleFunc("GET /contracts/new", w.contractNew)
			mux.HandleFunc("GET /contracts/import", w.contractImportPage)
			mux.HandleFunc("POST /contracts/import", w.contractImport)
			mux.HandleFunc("POST /contracts/new", w.contractCreate)
			mux.HandleFunc("GET /contracts/form/categories", w.categoryFragment)
			mux.HandleFunc("GET /contracts/{id}", w.contractDetail)
			mux.HandleFunc("GET /contracts/{id}/edit", w.contractEdit)
			mux.HandleFunc("POST /contracts/{id}/edit", w.contractUpdate)
			mux.HandleFunc("POST /contracts/{id}/document", w.contractUpload)
			mux.HandleFunc("POST /contracts/{id}/attachments", w.attachmentUpload)
			mux.HandleFunc("GET /contracts/{id}/attachments/{aid}", w.attachmentDownload)
			mux.HandleFunc("GET /contracts/{id}/attachments/{aid}/view", w.attachmentView)
			mux.HandleFunc("POST /contracts/{id}/attachments/{aid}/replace", w.attachmentReplace)
			mux.HandleFunc("POST /contracts/{id}/attachments/{aid}/delete", w.attachmentDelete)
			mux.HandleFunc("POST /contracts/{id}/submit", w.contractSubmit)
			mux.HandleFunc("POST /contracts/{id}/withdraw", w.contractWithdraw)
			mux.HandleFunc("POST /contracts/{id}/delete", w.contractDelete)
			mux.HandleFunc("POST /contracts/{id}/accept", w.contractAccept)
			mux.HandleFunc("POST /contracts/{id}/reject", w.contractReject)
			mux.HandleFunc("GET /contracts/{id}/notice/{kind}", w.notice)
			mux.HandleFunc("POST /contracts/{id}/register", w.contractRegister)
			mux.HandleFunc("POST /contracts/{id}/reviewers", w.contractReviewers)
			mux.HandleFunc("POST /contracts/{id}/opinion", w.contractOpinion)
			mux.HandleFunc("POST /contracts/{id}/return", w.contractReturn)
			mux.HandleFunc("POST /contracts/{id}/refuse", w.contractRefuse)
			mux.HandleFunc("POST /contracts/{id}/change-request", w.contractChangeRequest)
			mux.HandleFunc("POST /contracts/{id}/change-decision", w.contractChangeDecision)
			mux.HandleFunc("POST /contracts/{id}/cancel-request", w.contractCancelRequest)
			mux.HandleFunc("POST /contracts/{id}/cancel-decision", w.contractCancelDecision)
			mux.HandleFunc("POST /contracts/{id}/revoke", w.contractRevoke)
			mux.HandleFunc("POST /contracts/{id}/objection", w.contractObject)
			mux.HandleFunc("POST /contracts/{id}/objection-decision", w.contractObjectionDecision)
			mux.HandleFunc("GET /contracts/{id}/certificate", w.certificate)
			mux.HandleFunc("GET /registry/queue", w.queue)
			mux.HandleFunc("GET /certificates", w.verify)
			mux.HandleFunc("GET /admin/regime", w.regimePage)
			mux.HandleFunc("POST /admin/regime", w.regimeSave)
			mux.HandleFunc("POST /admin/regime/calendar", w.regimeCalendar)
		},
		Nav: []NavItem{
			{ID: "nav-stats", Label: "统计公开", Path: "/stats", Active: "stats",
				Icon: `<path d="M3 17h14M5 14V9m4 5V5m4 9v-7m4 7V3" stroke="currentColor" stroke-width="2" fill="none" stroke-linecap="round"/>`},
			{ID: "nav-contracts", Label: "技术合同", Path: "/contracts", Active: "contracts", Show: p.CanList,
				Icon: `<path d="M5 2h7l4 4v12H5z M12 2v4h4 M8 10h6 M8 13h6" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linejoin="round"/>`},
			{ID: "nav-new", Label: "申请登记", Path: "/contracts/new", Active: "new", Show: p.CanFile,
				Icon: `<path d="M10 4v12M4 10h12" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>`},
			{ID: "nav-queue", Label: "登记队列", Path: "/registry/queue", Active: "queue", Show: p.CanViewQueue,
				Icon: `<circle cx="10" cy="10" r="7" stroke="currentColor" stroke-width="1.8" fill="none"/><path d="M10 6v4l3 2" stroke="currentColor" stroke-width="1.8" fill="none" stroke-linecap="round"/>`},
			{ID: "nav-regime", Label: "登记办法", Path: "/admin/regime", Active: "regime", Show: canSeeRegime,
				Icon: `<path d="M4 3h12v14H4z M7 7h6 M7 10h6 M7 13h4" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linejoin="round"/>`},
			{ID: "nav-import", Label: "批量导入", Path: "/contracts/import", Active: "import", Show: p.CanImport,
				Icon: `<path d="M10 3v9m-4-4 4 4 4-4M4 14v3h12v-3" stroke="currentColor" stroke-width="1.8" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`},
		},
		Flash: map[string]string{
			"created": "合同草稿已保存。请上传合同文本（PDF）后提交登记。", "updated": "修改已保存。",
			"uploaded": "合同文本已上传。", "attached": "申请材料已上传。", "replaced": "申请材料已替换。", "detached": "申请材料已删除。",
			"submitted":   "已提交登记机构，待登记机构形式审查后受理。",
			"resubmitted": "补正材料已提交，自今日起重新计算办理时限。",
			"accepted":    "已受理，办理时限自今日起算。", "rejected": "已作出不予受理决定，可打印不予受理通知书。",
			"registered": "已完成认定登记，可打印登记证明。",
			"returned":   "已退回补正，可打印补正通知书。", "regime": "登记办法适用设置已保存。",
			"assigned": "已指派评审专家。", "opined": "评审意见已提交。", "refused": "已作出不予登记决定，可打印不予登记通知书。",
			"withdrawn": "已撤回登记申请，合同回到草稿，可修改后重新提交或删除。", "deleted": "草稿已删除。",
			"change_requested": "变更登记申请已提交，待登记机构审批；批准前登记内容不变。",
			"change_decided":   "已办理变更登记申请。", "cancel_requested": "注销登记申请已提交，待原登记机构审批。",
			"cancel_decided": "已办理注销登记申请。", "revoked": "已撤销登记，该合同不再计入登记统计。",
			"objected": "异议已提交，待登记机构处理。", "objection_decided": "异议处理结果已记录。",
		},
	}
}

func auditModule() Module {
	return Module{
		Name:  "audit",
		Pages: []string{"audit/log"},
		Routes: func(w *Web, mux *http.ServeMux) {
			mux.HandleFunc("GET /audit", w.audit)
			mux.HandleFunc("GET /audit/export", w.auditExport)
		},
		Nav: []NavItem{{ID: "nav-audit", Label: "审计日志", Path: "/audit", Active: "audit", Show: domain.AuditRules.CanRead,
			Icon: `<path d="M10 2 4 4.5v5c0 4 2.6 6.9 6 8.5 3.4-1.6 6-4.5 6-8.5v-5z M7.3 10l2 2 3.6-4" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linejoin="round" stroke-linecap="round"/>`}},
	}
}

func accountModule() Module {
	return Module{
		Name:  "account",
		Pages: []string{"account/account"},
		Routes: func(w *Web, mux *http.ServeMux) {
			mux.HandleFunc("GET /account", w.account)
			mux.HandleFunc("POST /account/tokens", w.accountToken)
			mux.HandleFunc("POST /account/tokens/{id}/revoke", w.accountRevoke)
			mux.HandleFunc("POST /account/password", w.accountPassword)
		},
		Nav: []NavItem{{ID: "nav-account", Label: "我的账户", Path: "/account", Active: "account", Show: loggedIn,
			Icon: `<circle cx="10" cy="7" r="3.5" stroke="currentColor" stroke-width="1.7" fill="none"/><path d="M3.5 17c.8-3.4 3.4-5 6.5-5s5.7 1.6 6.5 5" stroke="currentColor" stroke-width="1.7" fill="none" stroke-linecap="round"/>`}},
		Flash: map[string]string{
			"password":      "密码已修改，下次登录请使用新密码；您在其他设备上的登录已退出。",
			"token_revoked": "令牌已作废，使用它的程序将无法再访问接口。",
		},
	}
}
