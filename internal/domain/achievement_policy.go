package domain

// AchievementPolicy is the achievement module's rules of access, written
// once: the service enforces them, the pages ask them, the store turns
// ListScope into SQL (agreement tested for every role × status × relation).
type AchievementPolicy struct{}

// Achievements is the achievement module's policy.
var Achievements AchievementPolicy

// CanFile reports whether a may file achievements: a university's or an
// institute's technology-transfer office (its own organisation's), and
// the administrator (imports).
func (AchievementPolicy) CanFile(a *Actor) bool { return a.Is(RoleTTO, RoleAdmin) }

// ListScope is what a may list; the public (nil) sees the catalogue.
func (AchievementPolicy) ListScope(a *Actor) AchievementScope {
	switch {
	case a == nil:
		return AchievementScope{PublishedOnly: true}
	case a.Is(RoleAdmin, RoleBureau):
		return AchievementScope{All: true, OrgID: a.OrgID}
	}
	return AchievementScope{OrgID: a.OrgID, PublishedOnly: true}
}

// public reports whether the status is in the public catalogue (a
// transferred achievement stays readable, marked as no longer available).
func (s AchievementStatus) public() bool {
	return s == AchievementPublished || s == AchievementTransferred
}

// CanSee reports whether a may read x: the catalogue is public; the unit
// sees its own in every status; the bureau everything filed. Drafts are
// the unit's alone.
func (AchievementPolicy) CanSee(a *Actor, x *Achievement) bool {
	if x.Status.public() {
		return true
	}
	if a == nil {
		return false
	}
	if a.OrgID != 0 && x.OwnerOrgID == a.OrgID {
		return true
	}
	return x.Status != AchievementDraft && a.Is(RoleAdmin, RoleBureau)
}

// CanSeeHistory reports whether a may read x's history (who did what and
// when, with the staff's user names): its unit, the bureau and the
// administrator, never the public, even for a published achievement.
func (AchievementPolicy) CanSeeHistory(a *Actor, x *Achievement) bool {
	return a != nil && (a.OrgID != 0 && x.OwnerOrgID == a.OrgID || a.Is(RoleAdmin, RoleBureau))
}

// mayEdit: a filer of the owning unit.
func (p AchievementPolicy) mayEdit(a *Actor, x *Achievement) bool {
	return p.CanFile(a) && a.OrgID != 0 && x.OwnerOrgID == a.OrgID
}

// mayReview: the bureau checks filings (备案).
func (AchievementPolicy) mayReview(a *Actor, _ *Achievement) bool { return a.Is(RoleBureau, RoleAdmin) }

// mayPublish: the unit decides to disclose its own filed achievement; the
// bureau may also publish or withdraw one from the catalogue. An
// achievement excluded for security reasons is never published.
func (p AchievementPolicy) mayPublish(a *Actor, x *Achievement) bool {
	return !x.Excluded && (p.mayEdit(a, x) || p.mayReview(a, x))
}

func (p AchievementPolicy) mayUnpublish(a *Actor, x *Achievement) bool {
	return p.mayEdit(a, x) || p.mayReview(a, x)
}

// CanEdit reports whether a may change x now.
func (AchievementPolicy) CanEdit(a *Actor, x *Achievement) bool {
	return AchievementFlow.Can("update", a, x)
}

// CanReview reports whether a may file or return x now.
func (AchievementPolicy) CanReview(a *Actor, x *Achievement) bool {
	return AchievementFlow.Can("file", a, x)
}

// CanList reports whether a may list achievements beyond the catalogue.
func (AchievementPolicy) CanList(a *Actor) bool { return a != nil }

// CanImport reports whether a may import achievements.
func (AchievementPolicy) CanImport(a *Actor) bool { return a.Is(RoleAdmin, RoleTTO) }

// CanExport reports whether a may export the achievements it can list.
func (AchievementPolicy) CanExport(a *Actor) bool { return a != nil }

// AchievementFlow is the achievement workflow table.
var AchievementFlow = &Flow[AchievementStatus, *Achievement]{
	Status: func(x *Achievement) AchievementStatus { return x.Status },
	Label:  AchievementStatus.Label,
	Transitions: []Transition[AchievementStatus, *Achievement]{
		{Action: "update", From: []AchievementStatus{AchievementDraft, AchievementReturned}, Allowed: Achievements.mayEdit, Denied: "修改该成果", StateForbidden: true},
		{Action: "submit", From: []AchievementStatus{AchievementDraft, AchievementReturned}, To: []AchievementStatus{AchievementSubmitted},
			Allowed: Achievements.mayEdit, Denied: "提交该成果备案", StateForbidden: true},
		{Action: "delete", From: []AchievementStatus{AchievementDraft}, Allowed: Achievements.mayEdit, Denied: "删除该草稿", StateForbidden: true},
		{Action: "file", From: []AchievementStatus{AchievementSubmitted}, To: []AchievementStatus{AchievementFiled}, Allowed: Achievements.mayReview, Denied: "办理该成果备案"},
		{Action: "return", From: []AchievementStatus{AchievementSubmitted}, To: []AchievementStatus{AchievementReturned}, Allowed: Achievements.mayReview, Denied: "办理该成果备案"},
		{Action: "publish", From: []AchievementStatus{AchievementFiled}, To: []AchievementStatus{AchievementPublished}, Allowed: Achievements.mayPublish, Denied: "发布该成果"},
		{Action: "unpublish", From: []AchievementStatus{AchievementPublished}, To: []AchievementStatus{AchievementFiled}, Allowed: Achievements.mayUnpublish, Denied: "撤下该成果"},
		{Action: "transfer", From: []AchievementStatus{AchievementPublished, AchievementFiled}, To: []AchievementStatus{AchievementTransferred}, Allowed: Achievements.mayEdit, Denied: "标记该成果已转化"},
		{Action: "withdraw", From: []AchievementStatus{AchievementSubmitted, AchievementFiled, AchievementPublished}, To: []AchievementStatus{AchievementWithdrawn},
			Allowed: Achievements.mayEdit, Denied: "撤回该成果"},
	},
}

var achievementAudit = AuditVocabulary{Module: "achievement",
	Entities: []Label{{"achievement", "科技成果"}, {"achievement_import", "成果导入"}},
	Actions: map[string]string{
		"achievement.create": "创建成果草稿", "achievement.update": "修改成果", "achievement.submit": "提交成果备案",
		"achievement.delete": "删除成果草稿", "achievement.file": "成果备案", "achievement.return": "退回成果修改",
		"achievement.publish": "发布成果", "achievement.unpublish": "撤下成果", "achievement.transfer": "标记成果已转化",
		"achievement.withdraw": "撤回成果", "achievement.import": "批量导入成果",
	},
	Fields: map[string]string{
		"abstract": "成果简介", "keywords": "关键词", "owner_name": "完成单位", "team": "完成团队", "discipline": "学科",
		"trl": "技术成熟度", "trl_evidence": "成熟度依据", "stage": "成熟阶段", "ip": "知识产权", "funding": "经费来源",
		"security_exclusion": "涉密或不宜公开", "empowerment": "赋权", "transfer_modes": "转化方式", "asking_price_fen": "意向价格",
		"filed_on": "备案日期", "published_on": "发布日期", "return_reason": "退回理由", "title": "成果名称", "owner_org_id": "完成单位",
	},
	Values: map[string]func(string) string{"status": func(c string) string { return AchievementStatus(c).Label() }}}

// NoticeAchievement is the achievement module's notice: a step the bureau
// took on a unit's achievement (备案, 退回, 发布, 撤下).
const NoticeAchievement NoticeKind = "achievement"

var achievementNoticeKinds = []NoticeKindDef{{NoticeAchievement, "成果办理", "成果“%s”：%s"}}

// AchievementNoticeRecipient reports whether u hears of a step another
// organisation (the bureau) took on x: the enabled filers of its unit,
// never the one who took it.
func AchievementNoticeRecipient(u *User, x *Achievement, actorID int64) bool {
	if u == nil || u.Disabled || u.ID == actorID || u.OrgID != x.OwnerOrgID {
		return false
	}
	return Achievements.CanFile(&Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: u.OrgID})
}
