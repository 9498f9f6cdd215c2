package domain

import "slices"

// EvaluationPolicy is who may do what with an evaluation case. The bureau
// (and the administrator) runs the case; the assigned experts score it;
// the applicant and the co-applicants follow it; once the result is in 公示
// anyone signed in may read it and object (real-name objections: the
// objector is the signed-in user).
type EvaluationPolicy struct{}

// Evaluations is the evaluation module's policy.
var Evaluations EvaluationPolicy

// CanSee reports whether a may see the case: the public (nil included)
// reads a result once it is in 公示 (the 公示 page and the catalogue show
// it; the experts stay anonymous and their comments private).
func (EvaluationPolicy) CanSee(a *Actor, e *Evaluation) bool {
	switch {
	case a == nil:
		return e.Public()
	case a.Is(RoleAdmin, RoleBureau), e.OnPanel(a.UserID):
		return true
	case a.OrgID != 0 && (a.OrgID == e.ApplicantOrgID || slices.Contains(e.CoApplicantOrgIDs, a.OrgID)):
		return true
	}
	return e.Public()
}

// Public reports whether the case's result is public: in 公示, under
// objection, or published.
func (e *Evaluation) Public() bool {
	return e.Status == EvaluationPublicity || e.Status == EvaluationObjection || e.Status == EvaluationFinal
}

// CanCreate reports whether a may open an evaluation case.
func (EvaluationPolicy) CanCreate(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }

// CanList reports whether a may list every case (the bureau's list).
func (EvaluationPolicy) CanList(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }

// CanManagePool reports whether a keeps the expert pool.
func (EvaluationPolicy) CanManagePool(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }

// CanQueue reports whether a has a scoring queue (an expert).
func (EvaluationPolicy) CanQueue(a *Actor) bool { return a.Is(RoleExpert) }

// CanApplyAchievement reports whether a may apply for the evaluation of
// x: its unit's filers or the bureau, once x is filed (备案) and while it
// is in the catalogue or filed; a security-excluded achievement too (the
// result is then never public through the catalogue).
func (EvaluationPolicy) CanApplyAchievement(a *Actor, x *Achievement) bool {
	switch x.Status {
	case AchievementFiled, AchievementPublished, AchievementTransferred:
	default:
		return false
	}
	return a.Is(RoleAdmin, RoleBureau) || (Achievements.CanFile(a) && a.OrgID != 0 && a.OrgID == x.OwnerOrgID)
}

// IsApplicant reports whether a belongs to the case's applicant or a
// co-applicant (who read the experts' comments, never their names).
func (e *Evaluation) IsApplicant(a *Actor) bool {
	return a != nil && a.OrgID != 0 && (a.OrgID == e.ApplicantOrgID || slices.Contains(e.CoApplicantOrgIDs, a.OrgID))
}

// CanManage reports whether a runs the case e (assigns the panel,
// publicises, handles objections, publishes), whatever its status; the
// pages ask EvaluationFlow.Actions for what may be done now.
func (p EvaluationPolicy) CanManage(a *Actor, e *Evaluation) bool { return p.mayManage(a, e) }

// CanScore reports whether a may hand in a scoring form for e now.
func (EvaluationPolicy) CanScore(a *Actor, e *Evaluation) bool {
	return EvaluationFlow.Can("score", a, e)
}

// CanObject reports whether a may object to e's result now.
func (EvaluationPolicy) CanObject(a *Actor, e *Evaluation) bool {
	return EvaluationFlow.Can("object", a, e)
}

func (EvaluationPolicy) mayManage(a *Actor, _ *Evaluation) bool { return a.Is(RoleAdmin, RoleBureau) }

// mayScore: only an expert of the panel scores, each on their own form.
func (EvaluationPolicy) mayScore(a *Actor, e *Evaluation) bool {
	return a.Is(RoleExpert) && e.OnPanel(a.UserID)
}

// mayObject: anyone who reads the 公示 except those who made the result
// (its experts and the bureau that runs the case).
func (EvaluationPolicy) mayObject(a *Actor, e *Evaluation) bool {
	return a != nil && !a.Is(RoleAdmin, RoleBureau) && !e.OnPanel(a.UserID)
}

// EvaluationFlow is the evaluation workflow. The engine (internal/evaluate)
// decides what the table cannot see: whether the panel meets its rules,
// whether every expert has scored, whether an objection came inside the
// 公示 window, and whether the window has closed.
var EvaluationFlow = &Flow[EvaluationStatus, *Evaluation]{
	Status: func(e *Evaluation) EvaluationStatus { return e.Status },
	Label:  EvaluationStatus.Label,
	Transitions: []Transition[EvaluationStatus, *Evaluation]{
		{Action: "assign", From: []EvaluationStatus{EvaluationDraft, EvaluationPanel}, To: []EvaluationStatus{EvaluationPanel},
			Allowed: Evaluations.mayManage, Denied: "组建评价专家组"},
		{Action: "open_scoring", From: []EvaluationStatus{EvaluationPanel}, To: []EvaluationStatus{EvaluationScoring},
			Allowed: Evaluations.mayManage, Denied: "启动专家评分"},
		{Action: "score", From: []EvaluationStatus{EvaluationScoring}, Allowed: Evaluations.mayScore, Denied: "提交评分表"},
		// With a window of 0 days the result is final at once.
		{Action: "publicise", From: []EvaluationStatus{EvaluationScoring}, To: []EvaluationStatus{EvaluationPublicity, EvaluationFinal},
			Allowed: Evaluations.mayManage, Denied: "公示评价结果"},
		{Action: "object", From: []EvaluationStatus{EvaluationPublicity, EvaluationObjection}, To: []EvaluationStatus{EvaluationObjection},
			Allowed: Evaluations.mayObject, Denied: "对评价结果提出异议"},
		// Handling one objection: others may stay open; a dismissed last
		// one returns to 公示 (or to final once the window has closed); an
		// upheld one withdraws the result and sends the case back to its
		// panel, which the bureau may change before a new scoring round.
		{Action: "resolve", From: []EvaluationStatus{EvaluationObjection},
			To:      []EvaluationStatus{EvaluationPublicity, EvaluationObjection, EvaluationFinal, EvaluationPanel},
			Allowed: Evaluations.mayManage, Denied: "处理异议"},
		{Action: "finalise", From: []EvaluationStatus{EvaluationPublicity}, To: []EvaluationStatus{EvaluationFinal},
			Allowed: Evaluations.mayManage, Denied: "发布评价结果"},
	},
}

var evaluationAudit = AuditVocabulary{Module: "evaluation",
	Entities: []Label{{"evaluation", "评价事项"}},
	Actions: map[string]string{
		"evaluation.create": "创建评价", "evaluation.assign": "组建评价专家组", "evaluation.open_scoring": "启动专家评分",
		"evaluation.score": "提交评分表", "evaluation.publicise": "公示评价结果", "evaluation.object": "对评价结果提出异议",
		"evaluation.resolve": "处理异议", "evaluation.finalise": "发布评价结果", "evaluation.expert": "维护专家库条目",
	},
	Values: map[string]func(string) string{"status": func(c string) string { return EvaluationStatus(c).Label() }}}

// NoticeEvaluation is the evaluation module's notice: an evaluation step
// (assignment, scoring, 公示, objection, result).
const NoticeEvaluation NoticeKind = "evaluation"

var evaluationNoticeKinds = []NoticeKindDef{{NoticeEvaluation, "评价办理", "评价“%s”：%s"}}
