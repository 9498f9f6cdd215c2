package domain

// MatchPolicy says who may see suggestions for what and who decides on
// them (matching, 精准对接).
type MatchPolicy struct{}

// Matches is the matching module's policy.
var Matches MatchPolicy

func (MatchPolicy) bureau(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }

func ownOrg(a *Actor, org int64) bool { return a != nil && a.OrgID != 0 && a.OrgID == org }

// CanSeeForNeed: the need's enterprise and the bureau; technology
// transfer agencies too once the need is published (they broker it).
func (p MatchPolicy) CanSeeForNeed(a *Actor, x *Need) bool {
	return p.CanDecideForNeed(a, x) || a.Is(RoleAgency) && x.Status == NeedPublished
}

// CanDecideForNeed: the need's enterprise and the bureau accept or
// decline the suggestions.
func (p MatchPolicy) CanDecideForNeed(a *Actor, x *Need) bool {
	return p.bureau(a) || ownOrg(a, x.OwnerOrgID)
}

// CanSeeForAchievement: the achievement's unit and the bureau; agencies
// for a published achievement.
func (p MatchPolicy) CanSeeForAchievement(a *Actor, x *Achievement) bool {
	return p.CanDecideForAchievement(a, x) || a.Is(RoleAgency) && x.Status == AchievementPublished
}

// CanDecideForAchievement: the achievement's unit and the bureau.
func (p MatchPolicy) CanDecideForAchievement(a *Actor, x *Achievement) bool {
	return p.bureau(a) || ownOrg(a, x.OwnerOrgID)
}

// CanSeeForChallenge: the challenge's publisher and the bureau (the
// reviewers it names are theirs alone).
func (p MatchPolicy) CanSeeForChallenge(a *Actor, x *Challenge) bool {
	return p.bureau(a) || ownOrg(a, x.OwnerOrgID)
}

// CanDecideForChallenge: the same.
func (p MatchPolicy) CanDecideForChallenge(a *Actor, x *Challenge) bool {
	return p.CanSeeForChallenge(a, x)
}

// CanSeeReport: the bureau reads the feedback report.
func (p MatchPolicy) CanSeeReport(a *Actor) bool { return p.bureau(a) }

var matchAudit = AuditVocabulary{Module: "match",
	Entities: []Label{{"match_feedback", "匹配反馈"}},
	Actions: map[string]string{
		"match.accept": "接受匹配推荐", "match.decline": "不采纳匹配推荐",
	},
	Fields: map[string]string{
		"surface": "匹配对象", "subject_id": "匹配记录", "item_kind": "推荐项类型", "item_id": "推荐项",
		"decision": "反馈", "reason": "理由", "note": "备注", "signed_on": "意向日期", "user_id": "反馈人",
	},
	Values: map[string]func(string) string{
		"surface":   func(c string) string { return MatchSurfaces.Label(MatchSurface(c)) },
		"item_kind": func(c string) string { return MatchItemKinds.Label(MatchItemKind(c)) },
		"decision":  func(c string) string { return MatchDecisions.Label(MatchDecision(c)) },
		"reason":    func(c string) string { return MatchDeclineReasons.Label(c) },
	}}

// NoticeMatch is the matching module's notice: an enterprise accepted an
// achievement suggested for its need.
const NoticeMatch NoticeKind = "match"

var matchNoticeKinds = []NoticeKindDef{{NoticeMatch, "匹配推荐", "匹配推荐“%s”：%s"}}
