package web

import (
	"html/template"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// needModule is the technology-need board's pages (技术需求): the public
// board and detail, posting by enterprises, the bureau's check before
// publication, closing with an outcome. Who sees what is domain.Needs.
func needModule() Module {
	return Module{
		Name:     "need",
		Pages:    []string{"need/list", "need/detail", "need/form"},
		Partials: []string{"need/partials"},
		Routes:   needRoutes,
		Nav: []NavItem{
			{ID: "nav-needs", Label: "技术需求", Path: "/needs", Active: "needs",
				Icon: `<path d="M10 2.5a5 5 0 0 1 3 9v2.5H7V11.5a5 5 0 0 1 3-9zM7.5 16.5h5M8.5 18.5h3" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`},
		},
		Funcs: needFuncs,
		Flash: map[string]string{
			"need_created": "需求草稿已保存，确认无误后请提交审核。", "need_updated": "需求已保存。",
			"need_submitted": "已提交，等待科技局核实。", "need_published": "需求已发布到公开需求库。",
			"need_returned": "已退回修改，企业会看到退回理由。", "need_closed": "需求已关闭。",
			"need_withdrawn": "需求已撤回。", "need_deleted": "需求草稿已删除。",
		},
	}
}

func needRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /needs", w.needList)
	mux.HandleFunc("GET /needs/new", w.needNew)
	mux.HandleFunc("POST /needs/new", w.needCreate)
	mux.HandleFunc("GET /needs/{id}", w.needDetail)
	mux.HandleFunc("GET /needs/{id}/edit", w.needEdit)
	mux.HandleFunc("POST /needs/{id}/edit", w.needUpdate)
	mux.HandleFunc("POST /needs/{id}/delete", w.needDelete)
	mux.HandleFunc("POST /needs/{id}/submit", w.needStep("submit"))
	mux.HandleFunc("POST /needs/{id}/publish", w.needStep("publish"))
	mux.HandleFunc("POST /needs/{id}/return", w.needStep("return"))
	mux.HandleFunc("POST /needs/{id}/close", w.needStep("close"))
	mux.HandleFunc("POST /needs/{id}/withdraw", w.needStep("withdraw"))
}

// needStatusClass colours a status badge.
func needStatusClass(x *domain.Need) string {
	switch {
	case x.Expired:
		return "badge-amber"
	case x.Status == domain.NeedPublished:
		return "badge-green"
	case x.Status == domain.NeedSubmitted:
		return "badge-blue"
	case x.Status == domain.NeedReturned:
		return "badge-amber"
	case x.Status == domain.NeedClosed:
		return "badge-gray"
	}
	return "badge-gray"
}

func needFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"need_status":      func(x *domain.Need) string { return tr(x.StatusLabel()) },
		"need_statusOf":    func(s domain.NeedStatus) string { return tr(s.Label()) },
		"need_statusClass": needStatusClass,
		"need_stage":       func(c string) string { return tr(domain.MaturityStages.Label(c)) },
		"need_mode":        func(c string) string { return tr(domain.NeedModes.Label(c)) },
		"need_outcome":     func(c string) string { return tr(domain.NeedOutcomes.Label(c)) },
		"need_inc":         func(i int) int { return i + 1 },
		"need_sortOptions": func() []struct{ Key, Label string } { return needSortOptions },
		"need_budget": func(x *domain.Need) string {
			if x.Negotiable() {
				return tr("面议")
			}
			return i18n.Money(l, x.BudgetMinFen, domain.UnitAuto) + " – " + i18n.Money(l, x.BudgetMaxFen, domain.UnitAuto)
		},
	}
}

// needButtons are the detail page's workflow forms, in order.
var needButtons = []stepButton{
	{Action: "submit", Button: "提交审核", Class: "btn-primary"},
	{Action: "publish", Label: "核实意见（可选）", Button: "核实无误，发布", Class: "btn-primary"},
	{Action: "close", ChoiceLabel: "结果", Choices: domain.NeedOutcomes.All(), Label: "结果说明（可选）", Button: "关闭需求"},
	{Action: "return", Label: "退回修改理由", Button: "退回修改", Required: true},
	{Action: "withdraw", Label: "撤回理由", Button: "撤回需求", Class: "btn-danger", Required: true, Confirm: "撤回后需求关闭，结果记为未解决-撤回。确定撤回吗？"},
	deleteButton,
}

var needSortOptions = []struct{ Key, Label string }{
	{"", "最新在前"}, {"deadline", "截止日期从近到远"}, {"-budget_max_fen", "预算从高到低"}, {"title", "名称（拼音）"},
}
