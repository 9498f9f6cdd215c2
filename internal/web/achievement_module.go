package web

import (
	"fmt"
	"html/template"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// achievementModule is the achievement catalogue's pages (科技成果): the
// public catalogue and detail, filing by universities and institutes, the
// bureau's 备案 and publication. Who sees what is domain.Achievements.
func achievementModule() Module {
	return Module{
		Name:     "achievement",
		Pages:    []string{"achievement/list", "achievement/detail", "achievement/form"},
		Partials: []string{"achievement/partials"},
		Routes:   achievementRoutes,
		Nav: []NavItem{
			{ID: "nav-achievements", Label: "科技成果", Path: "/achievements", Active: "achievements",
				Icon: `<path d="M10 2.8l2.2 4.5 4.9.7-3.6 3.5.9 4.9L10 14.1l-4.4 2.3.9-4.9L2.9 8l4.9-.7z" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linejoin="round"/>`},
		},
		Funcs: achievementFuncs,
		Flash: map[string]string{
			"achievement_created": "成果草稿已保存，确认无误后请提交备案。", "achievement_updated": "成果已保存。",
			"achievement_submitted": "已提交备案，等待科技局审核。", "achievement_filed": "已备案。",
			"achievement_returned": "已退回修改，备案单位会看到退回理由。", "achievement_published": "成果已发布到公开成果库。",
			"achievement_unpublished": "成果已从公开成果库撤下。", "achievement_transferred": "已标记为已转化。",
			"achievement_withdrawn": "成果已撤回。", "achievement_deleted": "成果草稿已删除。",
		},
	}
}

func achievementRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /achievements", w.achievementList)
	mux.HandleFunc("GET /achievements/new", w.achievementNew)
	mux.HandleFunc("POST /achievements/new", w.achievementCreate)
	mux.HandleFunc("GET /achievements/{id}", w.achievementDetail)
	mux.HandleFunc("GET /achievements/{id}/edit", w.achievementEdit)
	mux.HandleFunc("POST /achievements/{id}/edit", w.achievementUpdate)
	mux.HandleFunc("POST /achievements/{id}/delete", w.achievementDelete)
	mux.HandleFunc("POST /achievements/{id}/submit", w.achievementStep("submit"))
	mux.HandleFunc("POST /achievements/{id}/file", w.achievementStep("file"))
	mux.HandleFunc("POST /achievements/{id}/return", w.achievementStep("return"))
	mux.HandleFunc("POST /achievements/{id}/publish", w.achievementStep("publish"))
	mux.HandleFunc("POST /achievements/{id}/unpublish", w.achievementStep("unpublish"))
	mux.HandleFunc("POST /achievements/{id}/transfer", w.achievementStep("transfer"))
	mux.HandleFunc("POST /achievements/{id}/withdraw", w.achievementStep("withdraw"))
}

// achievementStatusClass colours a status badge.
func achievementStatusClass(s domain.AchievementStatus) string {
	switch s {
	case domain.AchievementPublished:
		return "badge-green"
	case domain.AchievementSubmitted:
		return "badge-blue"
	case domain.AchievementReturned:
		return "badge-amber"
	case domain.AchievementTransferred, domain.AchievementFiled:
		return "badge-blue"
	case domain.AchievementWithdrawn:
		return "badge-red"
	}
	return "badge-gray"
}

func achievementFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"achievement_status":      func(s domain.AchievementStatus) string { return tr(s.Label()) },
		"achievement_statusClass": achievementStatusClass,
		"achievement_stage":       func(c string) string { return tr(domain.MaturityStages.Label(c)) },
		"achievement_ipType":      func(c string) string { return tr(domain.IPTypes.Label(c)) },
		"achievement_mode":        func(c string) string { return tr(domain.TransferModes.Label(c)) },
		"achievement_funding":     func(c string) string { return tr(domain.FundingSources.Label(c)) },
		"achievement_empKind":     func(c string) string { return tr(domain.EmpowermentKinds.Label(c)) },
		"achievement_trl": func(n int) string {
			if n < 1 || n > 9 {
				return ""
			}
			return fmt.Sprintf("TRL %d · %s", n, tr(domain.TRLLevels[n]))
		},
		"achievement_permille":    domain.Permille,
		"achievement_inc":         func(i int) int { return i + 1 },
		"achievement_empDates":    func() []achievementEmpDate { return achievementEmpDates },
		"achievement_trls":        func() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9} },
		"achievement_sortOptions": func() []struct{ Key, Label string } { return achievementSortOptions },
		"achievement_price": func(fen int64) string {
			if fen == 0 {
				return tr("面议")
			}
			return i18n.Money(l, fen, domain.UnitAuto)
		},
	}
}

// achievementButtons are the detail page's workflow forms, in order.
var achievementButtons = []stepButton{
	{Action: "submit", Button: "提交备案", Class: "btn-primary"},
	{Action: "file", Label: "备案意见（可选）", Button: "予以备案", Class: "btn-primary"},
	{Action: "return", Label: "退回修改理由", Button: "退回修改", Required: true},
	{Action: "unpublish", Label: "撤下理由", Button: "从公开成果库撤下", Required: true},
	{Action: "transfer", Label: "转化说明（可选）", Button: "标记为已转化", Confirm: "标记后该成果不再对外提供。确定标记为已转化吗？"},
	{Action: "withdraw", Label: "撤回理由", Button: "撤回成果", Class: "btn-danger", Required: true, Confirm: "确定撤回该成果吗？"},
	{Action: "publish", Button: "发布到公开成果库", Class: "btn-primary"},
	deleteButton,
}

// achievementEmpDate is one date field of the 赋权 fieldset.
type achievementEmpDate struct{ Key, Label string }

var achievementEmpDates = []achievementEmpDate{
	{"use_from", "长期使用权起始日期"}, {"use_to", "长期使用权终止日期"}, {"publicity_from", "公示开始日期"},
	{"publicity_to", "公示结束日期"}, {"agreement_on", "赋权协议签订日期"},
}

// Of is the date's value in e.
func (d achievementEmpDate) Of(e *domain.Empowerment) string {
	switch d.Key {
	case "use_from":
		return e.UseFrom
	case "use_to":
		return e.UseTo
	case "publicity_from":
		return e.PublicityFrom
	case "publicity_to":
		return e.PublicityTo
	}
	return e.AgreementOn
}
