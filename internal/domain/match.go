package domain

import (
	"time"
	"unicode/utf8"
)

// The matching module (精准对接): suggestions the engine (internal/match)
// makes for a need, an achievement or a challenge, with their reasons, and
// the feedback given on each (accept, or decline with a reason). A
// decline demotes the pair in later rankings; accepting an achievement
// for a need is an intention (意向) of the chain, made without an event.

// MatchSurface is what suggestions are made for.
type MatchSurface string

const (
	MatchForNeed        MatchSurface = "need"
	MatchForAchievement MatchSurface = "achievement"
	MatchForChallenge   MatchSurface = "challenge"
)

// MatchSurfaces lists the surfaces with their Chinese names.
var MatchSurfaces = NewEnum[MatchSurface](
	Item[MatchSurface]{MatchForNeed, "技术需求"}, Item[MatchSurface]{MatchForAchievement, "科技成果"},
	Item[MatchSurface]{MatchForChallenge, "揭榜挂帅"},
)

// MatchItemKind is what a suggestion is.
type MatchItemKind string

const (
	MatchAchievement MatchItemKind = "achievement" // a published achievement (for a need)
	MatchExpert      MatchItemKind = "expert"      // an expert of the pool (for a need, through its achievements)
	MatchPilotBase   MatchItemKind = "pilot_base"  // a pilot base (for a need)
	MatchNeed        MatchItemKind = "need"        // an open need, i.e. its enterprise (for an achievement)
	MatchEnterprise  MatchItemKind = "enterprise"  // an enterprise of the registry by its chain (for an achievement)
	MatchTeam        MatchItemKind = "team"        // a unit with matching achievements (for a challenge)
	MatchReviewer    MatchItemKind = "reviewer"    // an expert reviewer without conflicts (for a challenge)
)

// MatchItemKinds lists the kinds with their Chinese names.
var MatchItemKinds = NewEnum[MatchItemKind](
	Item[MatchItemKind]{MatchAchievement, "成果"}, Item[MatchItemKind]{MatchExpert, "专家"},
	Item[MatchItemKind]{MatchPilotBase, "中试基地"}, Item[MatchItemKind]{MatchNeed, "企业需求"},
	Item[MatchItemKind]{MatchEnterprise, "产业链企业"}, Item[MatchItemKind]{MatchTeam, "候选团队"},
	Item[MatchItemKind]{MatchReviewer, "评审专家"},
)

// MatchDecision is the feedback on one suggestion.
type MatchDecision string

const (
	MatchAccept  MatchDecision = "accept"
	MatchDecline MatchDecision = "decline"
)

// MatchDecisions lists the decisions with their Chinese names.
var MatchDecisions = NewEnum[MatchDecision](
	Item[MatchDecision]{MatchAccept, "接受"}, Item[MatchDecision]{MatchDecline, "不采纳"},
)

// MatchDeclineReasons are the structured reasons of a decline.
var MatchDeclineReasons = NewEnum[string](
	Item[string]{"too_early", "太早期"}, Item[string]{"irrelevant", "不相关"}, Item[string]{"price", "价格"},
	Item[string]{"existing", "已有合作"}, Item[string]{"other", "其他"},
)

// MatchReason is one term's or feature's part of a suggestion's score.
type MatchReason struct {
	Term         string  `json:"term"`
	Kind         string  `json:"kind"`   // word, bigram, feature, via (a matched record the suggestion comes through)
	Field        string  `json:"field"`  // title, keywords, abstract, or the feature's name
	Origin       string  `json:"origin"` // query, expansion, feature, via
	Contribution float64 `json:"contribution"`
	Percent      int     `json:"percent"` // the contribution against the suggestion's largest (0–100), for the bars
}

// MatchSuggestion is one suggestion with its reasons and the feedback
// already given on it.
type MatchSuggestion struct {
	Kind     MatchItemKind  `json:"kind"`
	ID       int64          `json:"id"`
	Title    string         `json:"title"`
	Detail   string         `json:"detail,omitempty"`
	Link     string         `json:"link,omitempty"`
	Score    float64        `json:"score"`
	Reasons  []MatchReason  `json:"reasons"`
	Feedback *MatchFeedback `json:"feedback,omitempty"`
}

// MatchExcluded is a candidate left out, with why (a reviewer's conflicts
// of interest).
type MatchExcluded struct {
	Kind    MatchItemKind `json:"kind"`
	ID      int64         `json:"id"`
	Title   string        `json:"title"`
	Reasons []string      `json:"reasons"` // in the reader's language (the API localises them from Texts)
	// Conflicts are the reasons' kinds, one per reason, as codes
	// (evaluate.ConflictKind: same_org, co_org, declared, co_applicant).
	Conflicts []string `json:"conflicts"`
	// Texts are the reasons as messages (the pages translate them).
	Texts []Text `json:"-"`
}

// MatchGroup is one list of suggestions of a surface.
type MatchGroup struct {
	Kind        MatchItemKind     `json:"kind"`
	MatchedOn   string            `json:"matched_on"` // what this list is matched on, in a sentence
	Suggestions []MatchSuggestion `json:"suggestions"`
	Excluded    []MatchExcluded   `json:"excluded,omitempty"`
	CanDecide   bool              `json:"can_decide"`
}

// MatchResult is every list of suggestions for one record.
type MatchResult struct {
	Surface   MatchSurface `json:"surface"`
	SubjectID int64        `json:"subject_id"`
	Title     string       `json:"title"`
	Groups    []MatchGroup `json:"groups"`
	// Missing names what the surface cannot suggest yet (platforms).
	Missing []string `json:"missing,omitempty"`
}

// MatchFeedback is the decision on one suggestion: accept, or decline with
// a reason. One per surface, record and item (a second replaces it).
type MatchFeedback struct {
	ID        int64         `json:"id"`
	Surface   MatchSurface  `json:"surface"`
	SubjectID int64         `json:"subject_id"`
	ItemKind  MatchItemKind `json:"item_kind"`
	ItemID    int64         `json:"item_id"`
	Decision  MatchDecision `json:"decision"`
	Reason    string        `json:"reason,omitempty"` // MatchDeclineReasons (a decline)
	Note      string        `json:"note,omitempty"`
	// SignedOn is the day an accepted achievement for a need became an
	// intention of the chain ("" otherwise).
	SignedOn  string    `json:"signed_on,omitempty"`
	OrgID     int64     `json:"org_id"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
}

// MatchItemsOf are the kinds of suggestion a surface makes.
var MatchItemsOf = map[MatchSurface][]MatchItemKind{
	MatchForNeed:        {MatchAchievement, MatchExpert, MatchPilotBase},
	MatchForAchievement: {MatchNeed, MatchEnterprise},
	MatchForChallenge:   {MatchTeam, MatchReviewer},
}

// Validate checks the feedback's fields, naming each bad one.
func (f *MatchFeedback) Validate() error {
	var v Validator
	v.Check(MatchSurfaces.Valid(f.Surface), "surface", "匹配对象类型无效")
	v.Check(f.SubjectID > 0, "subject_id", "请指明匹配的需求、成果或榜单")
	ok := false
	for _, k := range MatchItemsOf[f.Surface] {
		ok = ok || k == f.ItemKind
	}
	v.Check(ok, "item_kind", "推荐项类型无效")
	v.Check(f.ItemID > 0, "item_id", "请指明推荐项")
	v.Check(MatchDecisions.Valid(f.Decision), "decision", "反馈应为接受或不采纳")
	switch f.Decision {
	case MatchDecline:
		v.Check(MatchDeclineReasons.Valid(f.Reason), "reason", "请选择不采纳的理由（太早期、不相关、价格、已有合作、其他）")
	case MatchAccept:
		v.Check(f.Reason == "", "reason", "接受推荐不需要理由")
	}
	v.Check(utf8.RuneCountInString(f.Note) <= 500, "note", "备注不超过500字")
	return v.Err()
}

// MatchReport is the bureau's view of the feedback: declines by reason
// and the accept rate, counted from the records.
type MatchReport struct {
	Accepted   int64              `json:"accepted"`
	Declined   int64              `json:"declined"`
	AcceptRate float64            `json:"accept_rate"` // accepted / (accepted + declined); 0 with no feedback
	ByReason   []MatchReasonCount `json:"by_reason"`
	BySurface  []MatchReasonCount `json:"by_surface"` // feedback given per surface
	Intentions int64              `json:"intentions"` // accepted achievements for needs
}

// MatchReasonCount is one row of the report.
type MatchReasonCount struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Count int64  `json:"count"`
}
