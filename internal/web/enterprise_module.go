package web

import (
	"html/template"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// enterpriseModule is the enterprise registry's pages (企业库): the
// bureau's list with filters and export, a firm's profile with its years
// (filings and qualifications), the yearly facts form, the qualification
// forms, the imports (recordio), and an enterprise user's 我的企业. Who
// sees what is domain.Enterprises.
func enterpriseModule() Module {
	return Module{
		Name:     "enterprise",
		Pages:    []string{"enterprise/list", "enterprise/detail", "enterprise/form", "enterprise/filing", "enterprise/mine"},
		Partials: []string{"enterprise/partials"},
		Routes:   enterpriseRoutes,
		Nav: []NavItem{
			{ID: "nav-enterprises", Label: "企业库", Path: "/enterprises", Active: "enterprises", Show: domain.Enterprises.CanList,
				Icon: `<path d="M3 17.5h14M4.5 17.5V6l5-3 5 3v11.5M8 9h1M11 9h1M8 12h1M11 12h1M9 17.5v-3h2v3" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`},
			{ID: "nav-my-enterprise", Label: "我的企业", Path: "/enterprises/mine", Active: "enterprises", Show: domain.Enterprises.CanSeeMine,
				Icon: `<path d="M3 17.5h14M4.5 17.5V6l5-3 5 3v11.5M9 17.5v-3h2v3" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`},
		},
		Funcs: enterpriseFuncs,
		Flash: map[string]string{
			"enterprise_created": "企业已登记。", "enterprise_updated": "企业信息已保存。",
			"enterprise_filed": "年度数据已保存。", "enterprise_qualified": "资质已登记。", "enterprise_revoked": "资质已撤销。",
		},
	}
}

func enterpriseRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /enterprises", w.enterpriseList)
	mux.HandleFunc("GET /enterprises/mine", w.enterpriseMine)
	mux.HandleFunc("GET /enterprises/new", w.enterpriseNew)
	mux.HandleFunc("POST /enterprises/new", w.enterpriseCreate)
	mux.HandleFunc("GET /enterprises/{id}", w.enterpriseDetail)
	mux.HandleFunc("GET /enterprises/{id}/edit", w.enterpriseEdit)
	mux.HandleFunc("POST /enterprises/{id}/edit", w.enterpriseUpdate)
	mux.HandleFunc("GET /enterprises/{id}/filings/{year}", w.enterpriseFilingForm)
	mux.HandleFunc("POST /enterprises/{id}/filings/{year}", w.enterpriseFile)
	mux.HandleFunc("POST /enterprises/{id}/qualifications", w.enterpriseQualify)
	mux.HandleFunc("POST /enterprises/{id}/qualifications/{qid}/revoke", w.enterpriseRevoke)
}

func enterpriseFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"enterprise_qualKind":    func(k domain.EnterpriseQualKind) string { return tr(k.Label()) },
		"enterprise_sortOptions": func() []struct{ Key, Label string } { return enterpriseSortOptions },
		"enterprise_inc":         func(i int) int { return i + 1 },
	}
}

var enterpriseSortOptions = []struct{ Key, Label string }{
	{"", "最新登记在前"}, {"name", "名称（拼音）"}, {"uscc", "统一社会信用代码"}, {"-registered_on", "成立日期从新到旧"},
	{"district", "所在区县"}, {"-updated_at", "最近修改在前"},
}
