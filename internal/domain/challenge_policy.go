package domain

import "slices"

// ChallengePolicy is the challenge module's rules of access, written once:
// the service enforces them, the pages ask them, the store turns ListScope
// into SQL (agreement tested for every role × status × relation).
type ChallengePolicy struct{}

// Challenges is the challenge module's policy.
var Challenges ChallengePolicy

// CanCreate reports whether a may build a 榜单: an enterprise (for its own
// organisation) or the bureau (for a chain).
func (ChallengePolicy) CanCreate(a *Actor) bool {
	return a.Is(RoleEnterprise, RoleBureau) && a.OrgID != 0
}

// CanList reports whether a may list challenges beyond the public board.
func (ChallengePolicy) CanList(a *Actor) bool { return a != nil }

// CanImport reports whether a may import 榜单 (as drafts of its own
// organisation; the administrator for the one it names).
func (p ChallengePolicy) CanImport(a *Actor) bool { return p.CanCreate(a) || a.Is(RoleAdmin) }

// CanExport reports whether a may export the challenges it can list.
func (ChallengePolicy) CanExport(a *Actor) bool { return a != nil }

// Public reports whether the challenge is on the public board: published
// (发榜) or any later status.
func (x *Challenge) Public() bool { return slices.Contains(ChallengePublicStatuses, x.Status) }

// ListScope is what a may list; the public (nil) sees the board.
func (ChallengePolicy) ListScope(a *Actor) ChallengeScope {
	switch {
	case a == nil:
		return ChallengeScope{}
	case a.Is(RoleAdmin, RoleBureau):
		return ChallengeScope{All: true, OrgID: a.OrgID}
	}
	return ChallengeScope{OrgID: a.OrgID}
}

func (ChallengePolicy) owner(a *Actor, x *Challenge) bool {
	return a != nil && a.OrgID != 0 && x.OwnerOrgID == a.OrgID
}

func (ChallengePolicy) bureau(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }

// CanSee reports whether a may read x: the board is public; the owner sees
// its own in every status; the bureau everything submitted (a draft is the
// owner's alone).
func (p ChallengePolicy) CanSee(a *Actor, x *Challenge) bool {
	if x.Public() || p.owner(a, x) {
		return true
	}
	return a != nil && x.Status != ChallengeDraft && p.bureau(a)
}

// CanSeeHistory reports whether a may read the history (it names the
// staff): the owner and the bureau.
func (p ChallengePolicy) CanSeeHistory(a *Actor, x *Challenge) bool {
	return p.owner(a, x) || a != nil && p.bureau(a) && p.CanSee(a, x)
}

// CanSeeProject reports whether a may read the agreement, its milestones
// and payments and the acceptance report: the owner, the selected
// answering organisation and the bureau.
func (p ChallengePolicy) CanSeeProject(a *Actor, x *Challenge) bool {
	return p.owner(a, x) || a != nil && (a.OrgID != 0 && a.OrgID == x.WinnerOrgID || p.bureau(a))
}

// CanAnswer reports whether a's organisation may hand in an answer to x
// now (the deadline is the service's): a university's or institute's
// transfer office, or an enterprise, never the owner.
func (p ChallengePolicy) CanAnswer(a *Actor, x *Challenge) bool {
	return a.Is(RoleTTO, RoleEnterprise) && a.OrgID != 0 && !p.owner(a, x) && x.Status == ChallengePublished
}

// CanSeeAnswers reports whether a may list every answer of x (the owner
// and the bureau); others list their own organisation's.
func (p ChallengePolicy) CanSeeAnswers(a *Actor, x *Challenge) bool {
	return p.owner(a, x) || a != nil && p.bureau(a)
}

// CanSeeAnswer reports whether a may read the answer: the answering
// organisation, the challenge's owner and the bureau.
func (ChallengePolicy) CanSeeAnswer(a *Actor, x *ChallengeAnswer) bool {
	if a == nil {
		return false
	}
	return a.OrgID != 0 && (a.OrgID == x.OrgID || a.OrgID == x.ChallengeOwnerID) || a.Is(RoleAdmin, RoleBureau)
}

// mayEdit: a user of the owning organisation who may build 榜单.
func (p ChallengePolicy) mayEdit(a *Actor, x *Challenge) bool { return p.CanCreate(a) && p.owner(a, x) }

// mayReview: the bureau confirms (定榜), publishes (发榜), closes answers,
// selects and accepts.
func (p ChallengePolicy) mayReview(a *Actor, _ *Challenge) bool { return p.bureau(a) }

// mayRun: the owner or the bureau records the agreement and the project's
// course, or the exit.
func (p ChallengePolicy) mayRun(a *Actor, x *Challenge) bool { return p.mayEdit(a, x) || p.bureau(a) }

// CanEdit reports whether a may change x now.
func (ChallengePolicy) CanEdit(a *Actor, x *Challenge) bool { return ChallengeFlow.Can("update", a, x) }

// CanDecide reports whether a may confirm or return x now.
func (ChallengePolicy) CanDecide(a *Actor, x *Challenge) bool {
	return ChallengeFlow.Can("confirm", a, x)
}

// ChallengeFlow is the challenge workflow table.
var ChallengeFlow = &Flow[ChallengeStatus, *Challenge]{
	Status: func(x *Challenge) ChallengeStatus { return x.Status },
	Label:  ChallengeStatus.Label,
	Transitions: []Transition[ChallengeStatus, *Challenge]{
		{Action: "update", From: []ChallengeStatus{ChallengeDraft, ChallengeReturned}, Allowed: Challenges.mayEdit, Denied: "修改该榜单", StateForbidden: true},
		{Action: "submit", From: []ChallengeStatus{ChallengeDraft, ChallengeReturned}, To: []ChallengeStatus{ChallengeSubmitted},
			Allowed: Challenges.mayEdit, Denied: "提交该榜单", StateForbidden: true},
		{Action: "delete", From: []ChallengeStatus{ChallengeDraft}, Allowed: Challenges.mayEdit, Denied: "删除该草稿", StateForbidden: true},
		{Action: "confirm", From: []ChallengeStatus{ChallengeSubmitted}, To: []ChallengeStatus{ChallengeConfirmed}, Allowed: Challenges.mayReview, Denied: "定榜"},
		{Action: "return", From: []ChallengeStatus{ChallengeSubmitted}, To: []ChallengeStatus{ChallengeReturned}, Allowed: Challenges.mayReview, Denied: "定榜"},
		{Action: "publish", From: []ChallengeStatus{ChallengeConfirmed}, To: []ChallengeStatus{ChallengePublished}, Allowed: Challenges.mayReview, Denied: "发榜"},
		{Action: "withdraw", From: []ChallengeStatus{ChallengeSubmitted, ChallengeReturned, ChallengeConfirmed}, To: []ChallengeStatus{ChallengeWithdrawn},
			Allowed: Challenges.mayEdit, Denied: "撤回该榜单"},
		{Action: "close_answers", From: []ChallengeStatus{ChallengePublished}, To: []ChallengeStatus{ChallengeClosed}, Allowed: Challenges.mayReview, Denied: "截止揭榜"},
		{Action: "select", From: []ChallengeStatus{ChallengeClosed}, To: []ChallengeStatus{ChallengeSelected}, Allowed: Challenges.mayReview, Denied: "确定揭榜方"},
		{Action: "contract", From: []ChallengeStatus{ChallengeSelected}, To: []ChallengeStatus{ChallengeContracted}, Allowed: Challenges.mayRun, Denied: "登记揭榜协议"},
		{Action: "milestone", From: []ChallengeStatus{ChallengeContracted, ChallengeInProject}, Allowed: Challenges.mayRun, Denied: "安排里程碑"},
		{Action: "start", From: []ChallengeStatus{ChallengeContracted}, To: []ChallengeStatus{ChallengeInProject}, Allowed: Challenges.mayRun, Denied: "启动攻关项目"},
		{Action: "complete_milestone", From: []ChallengeStatus{ChallengeInProject}, Allowed: Challenges.mayRun, Denied: "确认里程碑完成"},
		{Action: "accept", From: []ChallengeStatus{ChallengeInProject}, To: []ChallengeStatus{ChallengeAccepted, ChallengeFailed},
			Allowed: Challenges.mayReview, Denied: "组织验收"},
		{Action: "fail", From: []ChallengeStatus{ChallengeInProject}, To: []ChallengeStatus{ChallengeFailed}, Allowed: Challenges.mayReview, Denied: "认定攻关失败"},
		{Action: "exit", From: []ChallengeStatus{ChallengeContracted, ChallengeInProject}, To: []ChallengeStatus{ChallengeExited},
			Allowed: Challenges.mayRun, Denied: "退出攻关项目"},
	},
}

func (ChallengePolicy) answerOwn(a *Actor, x *ChallengeAnswer) bool {
	return a.Is(RoleTTO, RoleEnterprise) && a.OrgID != 0 && a.OrgID == x.OrgID
}

func (ChallengePolicy) answerBureau(a *Actor, _ *ChallengeAnswer) bool {
	return a.Is(RoleAdmin, RoleBureau)
}

// AnswerFlow is the answer workflow table (selection itself is the
// challenge's "select", which moves the answers with it).
var AnswerFlow = &Flow[AnswerStatus, *ChallengeAnswer]{
	Status: func(x *ChallengeAnswer) AnswerStatus { return x.Status },
	Label:  AnswerStatus.Label,
	Transitions: []Transition[AnswerStatus, *ChallengeAnswer]{
		{Action: "update", From: []AnswerStatus{AnswerSubmitted}, Allowed: Challenges.answerOwn, Denied: "修改该揭榜方案", StateForbidden: true},
		{Action: "withdraw", From: []AnswerStatus{AnswerSubmitted}, To: []AnswerStatus{AnswerWithdrawn}, Allowed: Challenges.answerOwn, Denied: "撤回该揭榜方案"},
		{Action: "evaluate", From: []AnswerStatus{AnswerSubmitted}, To: []AnswerStatus{AnswerEvaluating}, Allowed: Challenges.answerBureau, Denied: "组织评审"},
		{Action: "defence", From: []AnswerStatus{AnswerEvaluating}, Allowed: Challenges.answerBureau, Denied: "记录答辩"},
		{Action: "select", From: []AnswerStatus{AnswerEvaluating}, To: []AnswerStatus{AnswerSelected}, Allowed: Challenges.answerBureau, Denied: "确定揭榜方"},
		{Action: "not_select", From: []AnswerStatus{AnswerSubmitted, AnswerEvaluating}, To: []AnswerStatus{AnswerNotSelected},
			Allowed: Challenges.answerBureau, Denied: "确定揭榜方"},
	},
}

var challengeAudit = AuditVocabulary{Module: "challenge",
	Entities: []Label{{"challenge", "揭榜挂帅榜单"}, {"challenge_answer", "揭榜方案"}, {"challenge_import", "榜单导入"}},
	Actions: map[string]string{
		"challenge.create": "建榜", "challenge.update": "修改榜单", "challenge.submit": "提交定榜",
		"challenge.delete": "删除榜单草稿", "challenge.confirm": "定榜", "challenge.return": "退回榜单修改",
		"challenge.publish": "发榜", "challenge.withdraw": "撤榜", "challenge.close_answers": "截止揭榜",
		"challenge.select": "确定揭榜方", "challenge.contract": "登记揭榜协议", "challenge.milestone": "安排里程碑",
		"challenge.start": "启动攻关项目", "challenge.complete_milestone": "确认里程碑完成", "challenge.accept": "项目验收",
		"challenge.fail": "认定攻关失败", "challenge.exit": "退出攻关项目", "challenge.import": "批量导入榜单",
		"challenge_answer.create": "提交揭榜方案", "challenge_answer.update": "修改揭榜方案", "challenge_answer.withdraw": "撤回揭榜方案",
		"challenge_answer.evaluate": "组织揭榜方案评审", "challenge_answer.defence": "记录答辩",
		"challenge_answer.select": "揭榜方案入选", "challenge_answer.not_select": "揭榜方案未入选",
	},
	Values: map[string]func(string) string{
		"challenge.status":        func(c string) string { return ChallengeStatus(c).Label() },
		"challenge_answer.status": func(c string) string { return AnswerStatus(c).Label() },
	}}

// NoticeChallenge is the 揭榜挂帅 module's notice: a step on a challenge or
// an answer (定榜, 发榜, 方案, 揭榜结果, 验收…), and a milestone due soon or
// overdue.
const NoticeChallenge NoticeKind = "challenge"

var challengeNoticeKinds = []NoticeKindDef{{NoticeChallenge, "揭榜挂帅", "榜单“%s”：%s"}}
