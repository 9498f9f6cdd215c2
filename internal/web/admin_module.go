package web

import (
	"net/http"

	"kechuang/internal/domain"
)

// adminModule is the administration module's pages: organisations, users
// and the city's settings, with their import and export. Who sees what is
// domain.AdminRules.
func adminModule() Module {
	p := domain.AdminRules
	return Module{
		Name:   "admin",
		Pages:  []string{"admin/orgs", "admin/org_form", "admin/users", "admin/user_form", "admin/user_password", "admin/settings", "admin/import", "admin/chains"},
		Routes: adminRoutes,
		Nav: []NavItem{
			{ID: "nav-admin-orgs", Label: "机构管理", Path: "/admin/orgs", Active: "admin-orgs", Show: p.CanManageOrgs,
				Icon: `<path d="M3 17V6l7-3 7 3v11M3 17h14M7 9h2m2 0h2M7 12h2m2 0h2M8.5 17v-2.5h3V17" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linejoin="round" stroke-linecap="round"/>`},
			{ID: "nav-admin-users", Label: "用户管理", Path: "/admin/users", Active: "admin-users", Show: p.CanManageUsers,
				Icon: `<circle cx="7.5" cy="7" r="2.8" stroke="currentColor" stroke-width="1.6" fill="none"/><path d="M2.5 16c.6-2.8 2.6-4.2 5-4.2s4.4 1.4 5 4.2M13 4.5a2.6 2.6 0 0 1 0 5M14.5 12c1.6.5 2.6 1.8 3 4" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round"/>`},
			{ID: "nav-admin-settings", Label: "城市设置", Path: "/admin/settings", Active: "admin-settings", Show: p.CanEditSettings,
				Icon: `<circle cx="10" cy="10" r="2.6" stroke="currentColor" stroke-width="1.6" fill="none"/><path d="M10 2.5v2.2M10 15.3v2.2M2.5 10h2.2M15.3 10h2.2M4.7 4.7l1.6 1.6M13.7 13.7l1.6 1.6M4.7 15.3l1.6-1.6M13.7 6.3l1.6-1.6" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>`},
			{ID: "nav-admin-chains", Label: "产业链", Path: "/admin/chains", Active: "admin-chains", Show: p.CanManageChains,
				Icon: `<circle cx="5" cy="10" r="2.2" stroke="currentColor" stroke-width="1.6" fill="none"/><circle cx="15" cy="5" r="2.2" stroke="currentColor" stroke-width="1.6" fill="none"/><circle cx="15" cy="15" r="2.2" stroke="currentColor" stroke-width="1.6" fill="none"/><path d="M7 9l6-3M7 11l6 3" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>`},
		},
		Funcs: adminFuncs,
		Flash: map[string]string{
			"org_created": "机构已创建。", "org_updated": "机构信息已保存。", "org_disabled": "机构已停用。", "org_enabled": "机构已启用。",
			"user_created": "用户已创建，请将用户名和初始密码告知本人。", "user_updated": "用户信息已保存。",
			"user_disabled": "用户已停用：其登录已全部退出，API 令牌已作废。", "user_enabled": "用户已启用，可以重新登录。",
			"user_unlocked": "已解除该用户的登录锁定。", "settings_saved": "城市设置已保存。",
			"chain_created": "产业链已新增。", "chain_updated": "产业链已改名。", "chain_hidden": "产业链已隐藏：新合同不能再选择它，已有合同与统计仍显示其名称。",
			"chain_shown": "产业链已恢复。", "chain_moved": "产业链顺序已调整。", "chain_deleted": "产业链已删除。",
		},
	}
}

func adminRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/orgs", w.adminOrgs)
	mux.HandleFunc("GET /admin/orgs/new", w.adminOrgNew)
	mux.HandleFunc("POST /admin/orgs/new", w.adminOrgCreate)
	mux.HandleFunc("GET /admin/orgs/import", w.adminImportPage)
	mux.HandleFunc("POST /admin/orgs/import", w.adminImport)
	mux.HandleFunc("GET /admin/orgs/{id}/edit", w.adminOrgEdit)
	mux.HandleFunc("POST /admin/orgs/{id}/edit", w.adminOrgUpdate)
	mux.HandleFunc("POST /admin/orgs/{id}/disable", w.adminOrgAction("disable"))
	mux.HandleFunc("POST /admin/orgs/{id}/enable", w.adminOrgAction("enable"))
	mux.HandleFunc("GET /admin/users", w.adminUsers)
	mux.HandleFunc("GET /admin/users/new", w.adminUserNew)
	mux.HandleFunc("POST /admin/users/new", w.adminUserCreate)
	mux.HandleFunc("GET /admin/users/import", w.adminImportPage)
	mux.HandleFunc("POST /admin/users/import", w.adminImport)
	mux.HandleFunc("GET /admin/users/{id}/edit", w.adminUserEdit)
	mux.HandleFunc("POST /admin/users/{id}/edit", w.adminUserUpdate)
	mux.HandleFunc("POST /admin/users/{id}/disable", w.adminUserAction("disable"))
	mux.HandleFunc("POST /admin/users/{id}/enable", w.adminUserAction("enable"))
	mux.HandleFunc("POST /admin/users/{id}/unlock", w.adminUserAction("unlock"))
	mux.HandleFunc("POST /admin/users/{id}/reset-password", w.adminUserReset)
	mux.HandleFunc("GET /admin/settings", w.adminSettings)
	mux.HandleFunc("POST /admin/settings", w.adminSettingsSave)
	mux.HandleFunc("GET /admin/chains", w.adminChains)
	mux.HandleFunc("POST /admin/chains", w.adminChainCreate)
	mux.HandleFunc("POST /admin/chains/{code}/rename", w.adminChainAction("rename"))
	mux.HandleFunc("POST /admin/chains/{code}/up", w.adminChainAction("up"))
	mux.HandleFunc("POST /admin/chains/{code}/down", w.adminChainAction("down"))
	mux.HandleFunc("POST /admin/chains/{code}/hide", w.adminChainAction("hide"))
	mux.HandleFunc("POST /admin/chains/{code}/show", w.adminChainAction("show"))
	mux.HandleFunc("POST /admin/chains/{code}/delete", w.adminChainAction("delete"))
}
