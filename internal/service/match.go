package service

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/match"
	"kechuang/internal/store"
)

// Match is the matching module (精准对接): the suggestions for a need, an
// achievement or a challenge, with the engine's reasons, and the feedback
// on them.
type Match struct {
	*core
	src matchSource // the database feed (match_feed.go)
}

const (
	// matchTop is how many suggestions a list shows.
	matchTop = 10
	// matchDeclined is what a declined suggestion keeps of its score: it
	// drops below the others it matched as well as.
	matchDeclined = 0.2
	// matchTail: records scoring under this share of the best one are not
	// counted for the units they come through.
	matchTail = 0.3
)

// Ready waits until the matching indexes are built (serve builds them in
// the background at start; a query made before then is refused after a
// short wait): for a caller that must not be refused, as a test that
// opens a matching page. ctx bounds the wait.
func (s *Match) Ready(ctx context.Context) error { return s.core.feed.wait(ctx, 0) }

// ForNeed suggests achievements, experts (through the achievements of
// their units) and pilot bases for a need.
func (s *Match) ForNeed(ctx context.Context, a *domain.Actor, id int64) (*domain.MatchResult, error) {
	x, decide, err := matchSubject(ctx, s.core, needKind, a, id, domain.Matches.CanSeeForNeed, domain.Matches.CanDecideForNeed, "查看该需求的匹配推荐")
	if err != nil {
		return nil, err
	}
	res := &domain.MatchResult{Surface: domain.MatchForNeed, SubjectID: x.ID, Title: x.Title,
		Missing: []string{"科技服务平台（平台模块尚未建立，暂不推荐）"}}
	ix, err := s.src.Achievements(ctx)
	if err != nil {
		return nil, err
	}
	hits := ix.SearchOpts(needQuery(x), 3*matchTop, match.Options{Features: s.src.Features(ctx, x.ID, 0)})
	var achs []*domain.Achievement
	var sugg []domain.MatchSuggestion
	for _, h := range hits {
		y, err := s.achievementOf(ctx, h.ID)
		if err != nil {
			return nil, err
		}
		if y == nil || y.OwnerOrgID == x.OwnerOrgID {
			continue
		}
		achs = append(achs, y)
		sugg = append(sugg, domain.MatchSuggestion{Kind: domain.MatchAchievement, ID: y.ID, Title: y.Title,
			Detail: y.OwnerName + " · " + domain.MaturityStages.Label(y.Stage), Link: "/achievements/" + strconv.FormatInt(y.ID, 10),
			Score: h.Score, Reasons: reasonsOf(h.Reasons)})
	}
	fb, err := s.store.MatchFeedbackOf(ctx, domain.MatchForNeed, x.ID)
	if err != nil {
		return nil, err
	}
	sugg = ranked(sugg, fb)
	res.Groups = append(res.Groups, domain.MatchGroup{Kind: domain.MatchAchievement, CanDecide: decide,
		MatchedOn: "需求的名称、关键词和问题描述与成果的名称、关键词和简介（分词与二元组，BM25F），以及结构化特征", Suggestions: top(sugg)})

	experts, err := s.expertsVia(ctx, x.ChainCode, sugg)
	if err != nil {
		return nil, err
	}
	res.Groups = append(res.Groups, domain.MatchGroup{Kind: domain.MatchExpert, CanDecide: decide,
		MatchedOn: "专家库中所在单位拥有上列匹配成果的专家（按成果得分），及研究领域含需求所属产业链的专家", Suggestions: top(ranked(experts, fb))})

	bases, err := s.pilotBases(ctx, x)
	if err != nil {
		return nil, err
	}
	res.Groups = append(res.Groups, domain.MatchGroup{Kind: domain.MatchPilotBase, CanDecide: decide,
		MatchedOn: "中试基地：需求期望的成熟阶段（中试）、与企业同一区县、企业库中登记的产业链", Suggestions: top(ranked(bases, fb))})
	return res, nil
}

// ForAchievement suggests enterprises for an achievement: through their
// open needs, and through the chain of their enterprise profile.
func (s *Match) ForAchievement(ctx context.Context, a *domain.Actor, id int64) (*domain.MatchResult, error) {
	x, decide, err := matchSubject(ctx, s.core, achievementKind, a, id, domain.Matches.CanSeeForAchievement, domain.Matches.CanDecideForAchievement, "查看该成果的匹配推荐")
	if err != nil {
		return nil, err
	}
	res := &domain.MatchResult{Surface: domain.MatchForAchievement, SubjectID: x.ID, Title: x.Title}
	ix, err := s.src.Needs(ctx)
	if err != nil {
		return nil, err
	}
	hits := ix.SearchOpts(achievementQuery(x), 3*matchTop, match.Options{Features: s.src.Features(ctx, 0, x.ID)})
	var sugg []domain.MatchSuggestion
	for _, h := range hits {
		nid, _ := strconv.ParseInt(h.ID, 10, 64)
		n, err := s.store.FindNeedByID(ctx, nid)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if n.Status != domain.NeedPublished || n.OwnerOrgID == x.OwnerOrgID {
			continue
		}
		sugg = append(sugg, domain.MatchSuggestion{Kind: domain.MatchNeed, ID: n.ID, Title: n.Title, Detail: n.OwnerName,
			Link: "/needs/" + strconv.FormatInt(n.ID, 10), Score: h.Score, Reasons: reasonsOf(h.Reasons)})
	}
	fb, err := s.store.MatchFeedbackOf(ctx, domain.MatchForAchievement, x.ID)
	if err != nil {
		return nil, err
	}
	res.Groups = append(res.Groups, domain.MatchGroup{Kind: domain.MatchNeed, CanDecide: decide,
		MatchedOn: "企业发布的开放需求：成果的名称、关键词和简介与需求的名称、关键词和问题描述", Suggestions: top(ranked(sugg, fb))})

	var ents []domain.MatchSuggestion
	if x.ChainCode != "" {
		es, _, err := s.store.FindEnterprises(ctx, domain.EnterpriseFilter{Chain: x.ChainCode, Page: 1, PerPage: 50}, domain.EnterpriseScope{All: true})
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e.OrgID != 0 && e.OrgID == x.OwnerOrgID {
				continue
			}
			rs := []domain.MatchReason{{Term: e.Chain, Kind: "feature", Field: "chain", Origin: match.FromFeature, Contribution: 1}}
			for _, n := range sugg {
				if e.OrgID != 0 && needOwner(ctx, s.store.Q, n.ID) == e.OrgID {
					rs = append(rs, domain.MatchReason{Term: n.Title, Kind: "via", Field: "need", Origin: "via", Contribution: n.Score})
				}
			}
			ents = append(ents, suggestion(domain.MatchEnterprise, e.ID, e.Name, "", "", rs))
		}
	}
	res.Groups = append(res.Groups, domain.MatchGroup{Kind: domain.MatchEnterprise, CanDecide: decide,
		MatchedOn: "企业库中登记的产业链与成果所属产业链相同的企业（有匹配需求者优先）", Suggestions: top(ranked(ents, fb))})
	return res, nil
}

// ForChallenge suggests the teams to invite (units whose achievements
// match the challenge) and expert reviewers, conflicts of interest with
// the publisher and the answering units excluded by the evaluation
// engine's rules.
func (s *Match) ForChallenge(ctx context.Context, a *domain.Actor, id int64) (*domain.MatchResult, error) {
	x, decide, err := matchSubject(ctx, s.core, challengeKind, a, id, domain.Matches.CanSeeForChallenge, domain.Matches.CanDecideForChallenge, "查看该榜单的匹配推荐")
	if err != nil {
		return nil, err
	}
	res := &domain.MatchResult{Surface: domain.MatchForChallenge, SubjectID: x.ID, Title: x.Title}
	ix, err := s.src.Achievements(ctx)
	if err != nil {
		return nil, err
	}
	hits := ix.SearchOpts(challengeQuery(x), 5*matchTop, match.Options{})
	var achs []domain.MatchSuggestion
	for _, h := range hits {
		if h.Score < matchTail*hits[0].Score {
			break // the tail: loosely matching records
		}
		y, err := s.achievementOf(ctx, h.ID)
		if err != nil {
			return nil, err
		}
		if y == nil || y.OwnerOrgID == x.OwnerOrgID {
			continue
		}
		achs = append(achs, domain.MatchSuggestion{Kind: domain.MatchAchievement, ID: y.OwnerOrgID, Title: y.Title, Detail: y.OwnerName, Score: h.Score})
	}
	teams := viaOrgs(achs, func(org int64, name string, rs []domain.MatchReason) domain.MatchSuggestion {
		return suggestion(domain.MatchTeam, org, name, "", "", rs)
	})
	fb, err := s.store.MatchFeedbackOf(ctx, domain.MatchForChallenge, x.ID)
	if err != nil {
		return nil, err
	}
	res.Groups = append(res.Groups, domain.MatchGroup{Kind: domain.MatchTeam, CanDecide: decide,
		MatchedOn: "拥有与榜单名称、问题和指标匹配的已发布成果的单位（按其成果得分合计）", Suggestions: top(ranked(teams, fb))})

	app, err := s.challengeApplication(ctx, x)
	if err != nil {
		return nil, err
	}
	pool, err := s.store.FindExperts(ctx)
	if err != nil {
		return nil, err
	}
	g := domain.MatchGroup{Kind: domain.MatchReviewer, CanDecide: decide,
		MatchedOn: "专家库中研究领域含榜单产业链的专家；与发榜单位、揭榜单位有利益冲突者（同单位、申报的关系、共同申请人）已排除"}
	var revs []domain.MatchSuggestion
	for _, e := range pool {
		if cs := evaluate.Conflicts(e, app); len(cs) > 0 {
			ex := domain.MatchExcluded{Kind: domain.MatchReviewer, ID: e.ID, Title: e.Name}
			for _, c := range cs {
				ex.Reasons, ex.Texts = append(ex.Reasons, c.Text.String()), append(ex.Texts, c.Text)
				ex.Conflicts = append(ex.Conflicts, string(c.Kind))
			}
			g.Excluded = append(g.Excluded, ex)
			continue
		}
		var rs []domain.MatchReason
		for _, f := range app.Fields {
			if slices.Contains(e.Fields, f) {
				rs = append(rs, domain.MatchReason{Term: f, Kind: "feature", Field: "fields", Origin: match.FromFeature, Contribution: 1})
			}
		}
		if len(rs) > 0 {
			revs = append(revs, suggestion(domain.MatchReviewer, e.ID, e.Name, e.Org.Name+" · "+evaluate.ExpertKinds.Label(e.Kind), "", rs))
		}
	}
	g.Suggestions = top(ranked(revs, fb))
	res.Groups = append(res.Groups, g)
	return res, nil
}

// matchSubject loads the record a surface is for, if a may see its
// suggestions, and whether a may decide on them.
func matchSubject[S ~string, T any](ctx context.Context, c *core, kind *entityKind[S, T], a *domain.Actor, id int64,
	see, decide func(*domain.Actor, T) bool, what string) (x T, canDecide bool, err error) {
	if x, err = get(ctx, c, kind, a, id); err != nil {
		return x, false, err
	}
	if !see(a, x) {
		return x, false, forbidden(what)
	}
	return x, decide(a, x), nil
}

// challengeApplication is the side of a challenge a reviewer's conflicts
// are checked against: the publisher, every answering unit and the
// answers' authors, the challenge's chain as its field.
func (s *Match) challengeApplication(ctx context.Context, x *domain.Challenge) (evaluate.Application, error) {
	app := evaluate.Application{Applicant: evaluate.Org{ID: x.OwnerOrgID, Name: x.OwnerName}}
	if x.ChainCode != "" {
		app.Fields = []string{x.ChainCode}
	}
	answers, err := s.store.FindChallengeAnswers(ctx, x.ID, 0)
	if err != nil {
		return app, err
	}
	for _, an := range answers {
		app.CoApplicants = append(app.CoApplicants, evaluate.Org{ID: an.OrgID, Name: an.OrgName})
		if an.CreatedBy != 0 { // the answer's author, as the answer's own review checks (Challenges.Evaluate)
			app.People = append(app.People, an.CreatedBy)
		}
	}
	return app, nil
}

// achievementOf is a published achievement of the index (nil: no longer
// published or gone).
func (s *Match) achievementOf(ctx context.Context, docID string) (*domain.Achievement, error) {
	id, _ := strconv.ParseInt(docID, 10, 64)
	y, err := s.store.FindAchievementByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if y.Status != domain.AchievementPublished {
		return nil, nil
	}
	return y, nil
}

func needOwner(ctx context.Context, q *store.Q, id int64) int64 {
	n, err := q.FindNeedByID(ctx, id)
	if err != nil {
		return 0
	}
	return n.OwnerOrgID
}

// expertsVia: the pool's experts whose unit owns a matched achievement
// (each achievement's score a reason), and those whose fields include the
// chain.
func (s *Match) expertsVia(ctx context.Context, chain string, achs []domain.MatchSuggestion) ([]domain.MatchSuggestion, error) {
	pool, err := s.store.FindExperts(ctx)
	if err != nil {
		return nil, err
	}
	owner := map[int64]int64{} // achievement → unit
	for _, y := range achs {
		if z, err := s.store.FindAchievementByID(ctx, y.ID); err == nil {
			owner[y.ID] = z.OwnerOrgID
		}
	}
	best := 0.0
	for _, y := range achs {
		best = max(best, y.Score)
	}
	var out []domain.MatchSuggestion
	for _, e := range pool {
		var rs []domain.MatchReason
		for _, y := range achs {
			if i := len(rs); i < matchViaMax && e.Org.ID != 0 && owner[y.ID] == e.Org.ID {
				rs = append(rs, domain.MatchReason{Term: y.Title, Kind: "via", Field: "achievement", Origin: "via", Contribution: y.Score * viaWeight(i)})
			}
		}
		if chain != "" && slices.Contains(e.Fields, chain) {
			rs = append(rs, domain.MatchReason{Term: chain, Kind: "feature", Field: "fields", Origin: match.FromFeature, Contribution: max(best/5, 1)})
		}
		if len(rs) > 0 {
			out = append(out, suggestion(domain.MatchExpert, e.ID, e.Name, e.Org.Name+" · "+evaluate.ExpertKinds.Label(e.Kind), "", rs))
		}
	}
	return out, nil
}

// pilotBases: the pilot bases, matched on the stage the need wants
// (中试), the district (the same as the enterprise's) and the chain of
// their profile in the enterprise registry, if they filed one.
func (s *Match) pilotBases(ctx context.Context, x *domain.Need) ([]domain.MatchSuggestion, error) {
	orgs, _, err := s.store.FindOrgs(ctx, domain.OrgFilter{Kind: domain.OrgPilotBase, Status: domain.StatusActive, Limit: 500})
	if err != nil {
		return nil, err
	}
	region := ""
	if o, err := s.store.FindOrgByID(ctx, x.OwnerOrgID); err == nil {
		region = o.RegionCode
	}
	var out []domain.MatchSuggestion
	for _, o := range orgs {
		var rs []domain.MatchReason
		if x.Stage == "pilot" {
			rs = append(rs, domain.MatchReason{Term: "中试", Kind: "feature", Field: "stage", Origin: match.FromFeature, Contribution: 1})
		}
		if region != "" && o.RegionCode == region {
			rs = append(rs, domain.MatchReason{Term: o.RegionCode, Kind: "feature", Field: "district", Origin: match.FromFeature, Contribution: 1})
		}
		if e, err := s.store.FindEnterpriseByOrg(ctx, o.ID); err == nil && e != nil && e.Chain != "" && e.Chain == x.ChainCode {
			rs = append(rs, domain.MatchReason{Term: e.Chain, Kind: "feature", Field: "chain", Origin: match.FromFeature, Contribution: 1})
		}
		if len(rs) > 0 {
			out = append(out, suggestion(domain.MatchPilotBase, o.ID, o.Name, "", "", rs))
		}
	}
	return out, nil
}

// matchViaMax is how many records a suggestion through records (a
// unit's achievements) counts: a large unit does not win by its number of
// loosely matching records.
const matchViaMax = 3

// viaWeight weighs the i-th best record a suggestion comes through (1, ½,
// ¼ …).
func viaWeight(i int) float64 { return 1 / float64(int(1)<<i) }

// viaOrgs groups suggestions (ID the unit, Detail its name, best first) by
// unit, each of the best matchViaMax a reason of the unit's, weighed by
// viaWeight.
func viaOrgs(xs []domain.MatchSuggestion, mk func(org int64, name string, rs []domain.MatchReason) domain.MatchSuggestion) []domain.MatchSuggestion {
	var order []int64
	names := map[int64]string{}
	reasons := map[int64][]domain.MatchReason{}
	for _, x := range xs {
		if _, ok := names[x.ID]; !ok {
			order = append(order, x.ID)
			names[x.ID] = x.Detail
		}
		if i := len(reasons[x.ID]); i < matchViaMax {
			reasons[x.ID] = append(reasons[x.ID], domain.MatchReason{Term: x.Title, Kind: "via", Field: "achievement", Origin: "via", Contribution: x.Score * viaWeight(i)})
		}
	}
	out := make([]domain.MatchSuggestion, 0, len(order))
	for _, id := range order {
		out = append(out, mk(id, names[id], reasons[id]))
	}
	return out
}

// suggestion is a suggestion scored by the sum of its reasons.
func suggestion(k domain.MatchItemKind, id int64, title, detail, link string, rs []domain.MatchReason) domain.MatchSuggestion {
	x := domain.MatchSuggestion{Kind: k, ID: id, Title: title, Detail: detail, Link: link, Reasons: rs}
	for _, r := range rs {
		x.Score += r.Contribution
	}
	return x
}

// reasonsOf are the engine's reasons, the largest first.
func reasonsOf(rs []match.Reason) []domain.MatchReason {
	out := make([]domain.MatchReason, 0, len(rs))
	for _, r := range rs {
		out = append(out, domain.MatchReason{Term: r.Term, Kind: r.Kind, Field: r.Field, Origin: r.Origin, Contribution: r.Contribution})
	}
	return out
}

// ranked applies the feedback on the pairs (a decline keeps matchDeclined
// of the score, with a reason of its own saying so), orders the
// suggestions by score and sets each reason's bar (its contribution
// against the largest one's).
func ranked(xs []domain.MatchSuggestion, fb []*domain.MatchFeedback) []domain.MatchSuggestion {
	for i := range xs {
		x := &xs[i]
		for _, f := range fb {
			if f.ItemKind == x.Kind && f.ItemID == x.ID {
				x.Feedback = f
			}
		}
		if x.Feedback != nil && x.Feedback.Decision == domain.MatchDecline && x.Score > 0 {
			cut := x.Score * (1 - matchDeclined)
			x.Reasons = append(x.Reasons, domain.MatchReason{Term: domain.MatchDeclineReasons.Label(x.Feedback.Reason), Kind: "feedback",
				Field: "feedback", Origin: "feedback", Contribution: -cut})
			x.Score -= cut
		}
		slices.SortStableFunc(x.Reasons, func(a, b domain.MatchReason) int { return cmp.Compare(b.Contribution, a.Contribution) })
		top := 0.0
		for _, r := range x.Reasons {
			top = max(top, r.Contribution)
		}
		for j := range x.Reasons {
			if top > 0 && x.Reasons[j].Contribution > 0 {
				x.Reasons[j].Percent = int(100*x.Reasons[j].Contribution/top + 0.5)
			}
		}
	}
	slices.SortStableFunc(xs, func(a, b domain.MatchSuggestion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return xs
}

func top(xs []domain.MatchSuggestion) []domain.MatchSuggestion {
	if len(xs) > matchTop {
		xs = xs[:matchTop]
	}
	return orEmpty(xs)
}

func needQuery(x *domain.Need) string {
	return x.Title + "\n" + strings.Join(x.Keywords, " ") + "\n" + needMatchText(x)
}

func achievementQuery(x *domain.Achievement) string {
	return x.Title + "\n" + strings.Join(x.Keywords, " ") + "\n" + x.Abstract
}

func challengeQuery(x *domain.Challenge) string {
	var b strings.Builder
	b.WriteString(x.Title + "\n" + x.Problem)
	for _, in := range x.Indicators {
		b.WriteString("；" + in.Indicator)
	}
	return b.String()
}

// needMatchText is a need's problem and indicators as one text.
func needMatchText(x *domain.Need) string {
	var b strings.Builder
	b.WriteString(x.Problem)
	for _, in := range x.Indicators {
		b.WriteString("；" + in.Indicator)
	}
	return b.String()
}
