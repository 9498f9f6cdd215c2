package web

import (
	"html/template"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/i18n"
)

// evaluationModule is the evaluation engine's pages: the bureau's case
// list and case page (panel proposal explained, assignment, scoring,
// 公示, objections, publication), the expert's scoring queue and form, the
// public 公示 page, the applicant's feedback and the expert pool. Who may
// do what is domain.Evaluations and domain.EvaluationFlow.
func evaluationModule() Module {
	return Module{
		Name: "evaluation",
		Pages: []string{"evaluation/list", "evaluation/case", "evaluation/queue", "evaluation/score", "evaluation/publicity",
			"evaluation/feedback", "evaluation/experts"},
		Partials: []string{"evaluation/partials"},
		Routes:   evaluationRoutes,
		Nav: []NavItem{
			{ID: "nav-evaluations", Label: "成果评价", Path: "/evaluations", Active: "evaluations", Show: domain.Evaluations.CanList,
				Icon: `<path d="M4 16V9m4 7V5m4 11v-5m4 5V7" stroke="currentColor" stroke-width="1.8" fill="none" stroke-linecap="round"/>`},
			{ID: "nav-evaluation-queue", Label: "评分队列", Path: "/evaluations/queue", Active: "evaluation-queue", Show: domain.Evaluations.CanQueue,
				Icon: `<path d="M5 4h10v12H5zM8 8h4M8 11h4" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linejoin="round"/>`},
			{ID: "nav-evaluation-publicity", Label: "评价公示", Path: "/evaluations/publicity", Active: "evaluation-publicity",
				Icon: `<path d="M3 8l10-4v12L3 12zM13 7h3v6h-3" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linejoin="round"/>`},
		},
		Funcs: evaluationFuncs,
		Flash: map[string]string{
			"evaluation_applied": "已申请评价，科技局将组建专家组。", "evaluation_assigned": "专家组已组建，已通知各位专家。",
			"evaluation_scoring": "已启动专家评分。", "evaluation_scored": "评分表已保存；截止前可以修改。",
			"evaluation_publicised": "评价结果已公示。", "evaluation_objected": "异议已提交，科技局将书面答复。",
			"evaluation_resolved": "异议已处理。", "evaluation_finalised": "评价结果已发布。", "evaluation_expert_saved": "专家库条目已保存。",
		},
	}
}

func evaluationRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /evaluations", w.evaluationList)
	mux.HandleFunc("POST /evaluations/apply", w.evaluationApply)
	mux.HandleFunc("GET /evaluations/publicity", w.evaluationPublicity)
	mux.HandleFunc("GET /evaluations/queue", w.evaluationQueue)
	mux.HandleFunc("GET /evaluations/experts", w.evaluationExperts)
	mux.HandleFunc("POST /evaluations/experts", w.evaluationPutExpert)
	mux.HandleFunc("GET /evaluations/{id}", w.evaluationCase)
	mux.HandleFunc("POST /evaluations/{id}/assign", w.evaluationAssign)
	mux.HandleFunc("POST /evaluations/{id}/open-scoring", w.evaluationStep("open_scoring"))
	mux.HandleFunc("POST /evaluations/{id}/publicise", w.evaluationStep("publicise"))
	mux.HandleFunc("POST /evaluations/{id}/finalise", w.evaluationStep("finalise"))
	mux.HandleFunc("POST /evaluations/{id}/object", w.evaluationObject)
	mux.HandleFunc("POST /evaluations/{id}/resolve", w.evaluationResolve)
	mux.HandleFunc("GET /evaluations/{id}/score", w.evaluationScoreForm)
	mux.HandleFunc("POST /evaluations/{id}/score", w.evaluationScore)
	mux.HandleFunc("GET /evaluations/{id}/feedback", w.evaluationFeedback)
}

func evaluationStatusClass(s domain.EvaluationStatus) string {
	switch s {
	case domain.EvaluationFinal:
		return "badge-green"
	case domain.EvaluationPublicity, domain.EvaluationScoring:
		return "badge-blue"
	case domain.EvaluationObjection:
		return "badge-amber"
	}
	return "badge-gray"
}

func evaluationFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"evaluation_status":      func(s domain.EvaluationStatus) string { return tr(s.Label()) },
		"evaluation_statusClass": evaluationStatusClass,
		"evaluation_kind":        func(k evaluate.ExpertKind) string { return tr(evaluate.ExpertKinds.Label(k)) },
		"evaluation_subjectKind": func(k string) string { return tr(domain.EvaluationSubjectKinds.Label(k)) },
		"evaluation_objStatus":   func(s evaluate.ObjectionStatus) string { return tr(evaluate.ObjectionStatuses.Label(s)) },
		"evaluation_points":      evaluate.FormatTenths,
		"evaluation_permille":    domain.Permille,
		"evaluation_text":        func(t domain.Text) string { return i18n.Text(l, t) },
		"evaluation_action":      func(a string) string { return tr(domain.AuditActionLabel("evaluation." + a)) },
		"evaluation_steps":       func() []string { return []string{"open_scoring", "publicise", "finalise"} },
	}
}
