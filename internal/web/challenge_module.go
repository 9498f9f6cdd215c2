package web

import (
	"html/template"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// challengeModule is the 揭榜挂帅 pages: the public board and detail, 建榜
// by an enterprise or the bureau, 定榜 and 发榜 by the bureau, answers,
// their review, selection, the project and its acceptance; "my answers"
// for the answering organisations. Who sees what is domain.Challenges.
func challengeModule() Module {
	return Module{
		Name:     "challenge",
		Pages:    []string{"challenge/list", "challenge/detail", "challenge/form", "challenge/answers"},
		Partials: []string{"challenge/partials"},
		Routes:   challengeRoutes,
		Nav: []NavItem{
			{ID: "nav-challenges", Label: "揭榜挂帅", Path: "/challenges", Active: "challenges",
				Icon: `<path d="M4 17.5V3.5M4 4h10l-2 3 2 3H4" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`},
		},
		Funcs: challengeFuncs,
		Flash: map[string]string{
			"challenge_created": "榜单草稿已保存，确认无误后请提交定榜。", "challenge_updated": "榜单已保存。",
			"challenge_submitted": "已提交，等待科技局定榜。", "challenge_confirmed": "已定榜，可以发榜。",
			"challenge_returned": "已退回修改，发榜单位会看到退回理由。", "challenge_published": "已发榜，榜单出现在公开榜单中。",
			"challenge_withdrawn": "榜单已撤回。", "challenge_deleted": "榜单草稿已删除。",
			"challenge_closed": "已截止揭榜，可以组织评审。", "challenge_selected": "已确定揭榜方，各揭榜单位会收到结果。",
			"challenge_contracted": "揭榜协议已登记，请安排里程碑。", "challenge_milestone": "里程碑已安排。",
			"challenge_started": "攻关项目已启动。", "challenge_completed": "里程碑已确认完成。",
			"challenge_accepted": "验收结果已记录。", "challenge_failed": "已认定攻关失败。", "challenge_exited": "项目已退出。",
			"challenge_answered": "揭榜方案已提交，发榜单位和科技局可以看到。", "challenge_answer_withdrawn": "揭榜方案已撤回。",
			"challenge_evaluating": "已为该方案开启评审（评价引擎）。", "challenge_defence": "答辩记录已保存。",
		},
	}
}

func challengeRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /challenges", w.challengeList)
	mux.HandleFunc("GET /challenges/new", w.challengeNew)
	mux.HandleFunc("POST /challenges/new", w.challengeCreate)
	mux.HandleFunc("GET /challenges/answers", w.challengeMyAnswers)
	mux.HandleFunc("GET /challenges/{id}", w.challengeDetail)
	mux.HandleFunc("GET /challenges/{id}/edit", w.challengeEdit)
	mux.HandleFunc("POST /challenges/{id}/edit", w.challengeUpdate)
	mux.HandleFunc("POST /challenges/{id}/delete", w.challengeDelete)
	mux.HandleFunc("POST /challenges/{id}/submit", w.challengeStep("submit"))
	mux.HandleFunc("POST /challenges/{id}/confirm", w.challengeStep("confirm"))
	mux.HandleFunc("POST /challenges/{id}/return", w.challengeStep("return"))
	mux.HandleFunc("POST /challenges/{id}/publish", w.challengeStep("publish"))
	mux.HandleFunc("POST /challenges/{id}/withdraw", w.challengeStep("withdraw"))
	mux.HandleFunc("POST /challenges/{id}/close_answers", w.challengeStep("close_answers"))
	mux.HandleFunc("POST /challenges/{id}/select", w.challengeStep("select"))
	mux.HandleFunc("POST /challenges/{id}/contract", w.challengeStep("contract"))
	mux.HandleFunc("POST /challenges/{id}/milestones", w.challengeStep("milestones"))
	mux.HandleFunc("POST /challenges/{id}/start", w.challengeStep("start"))
	mux.HandleFunc("POST /challenges/{id}/complete_milestone", w.challengeStep("complete_milestone"))
	mux.HandleFunc("POST /challenges/{id}/accept", w.challengeStep("accept"))
	mux.HandleFunc("POST /challenges/{id}/fail", w.challengeStep("fail"))
	mux.HandleFunc("POST /challenges/{id}/exit", w.challengeStep("exit"))
	mux.HandleFunc("POST /challenges/{id}/answers", w.challengeAnswer)
	mux.HandleFunc("POST /challenges/{id}/answers/{aid}/withdraw", w.challengeAnswerStep("withdraw"))
	mux.HandleFunc("POST /challenges/{id}/answers/{aid}/evaluate", w.challengeAnswerStep("evaluate"))
	mux.HandleFunc("POST /challenges/{id}/answers/{aid}/defence", w.challengeAnswerStep("defence"))
}

// challengeStatusClass colours a status badge.
func challengeStatusClass(s domain.ChallengeStatus) string {
	switch s {
	case domain.ChallengePublished, domain.ChallengeAccepted:
		return "badge-green"
	case domain.ChallengeSubmitted, domain.ChallengeConfirmed, domain.ChallengeClosed, domain.ChallengeSelected,
		domain.ChallengeContracted, domain.ChallengeInProject:
		return "badge-blue"
	case domain.ChallengeReturned, domain.ChallengeFailed:
		return "badge-amber"
	}
	return "badge-gray"
}

func challengeFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"challenge_status":       func(s domain.ChallengeStatus) string { return tr(s.Label()) },
		"challenge_statusClass":  challengeStatusClass,
		"challenge_answerStatus": func(s domain.AnswerStatus) string { return tr(s.Label()) },
		"challenge_publisher":    func(c string) string { return tr(domain.ChallengePublishers.Label(c)) },
		"challenge_money":        func(fen int64) string { return i18n.Money(l, fen, domain.UnitAuto) },
		"challenge_evalStatus":   func(s domain.EvaluationStatus) string { return tr(s.Label()) },
		"challenge_tenths": func(n int64) string {
			return i18n.T(l, "%d.%d 分", n/10, n%10)
		},
	}
}
