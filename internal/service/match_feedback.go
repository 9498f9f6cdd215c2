package service

import (
	"context"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// Feedback records the decision on one suggestion, replacing an earlier
// one on the same pair: by those who may decide on the record's
// suggestions. Accepting an achievement for a need is an intention of the
// chain (dated today) and tells the achievement's unit. Audited.
func (s *Match) Feedback(ctx context.Context, a *domain.Actor, in *domain.MatchFeedback) (*domain.MatchFeedback, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	var c textCleaner
	c.prose("note", &in.Note)
	if err := c.err(); err != nil {
		return nil, err
	}
	f := &domain.MatchFeedback{Surface: in.Surface, SubjectID: in.SubjectID, ItemKind: in.ItemKind, ItemID: in.ItemID,
		Decision: in.Decision, Reason: in.Reason, Note: in.Note, OrgID: a.OrgID, UserID: a.UserID}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	err := s.store.InTx(ctx, func(q *store.Q) error {
		if err := s.mayDecide(ctx, q, a, f); err != nil {
			return err
		}
		ach, err := matchItemExists(ctx, q, f)
		if err != nil {
			return err
		}
		intention := f.Surface == domain.MatchForNeed && f.ItemKind == domain.MatchAchievement && f.Decision == domain.MatchAccept
		if intention {
			f.SignedOn = s.today()
		}
		if err := q.PutMatchFeedback(ctx, f); err != nil {
			return err
		}
		if intention {
			n := domain.Notification{Kind: domain.NoticeMatch, Entity: "achievement", EntityID: ach.ID,
				Link: "/achievements/" + strconv.FormatInt(ach.ID, 10), Title: ach.Title, Detail: "企业接受了该成果的匹配推荐，已形成合作意向",
				Dedup: "match-accept:" + strconv.FormatInt(f.SubjectID, 10) + ":" + strconv.FormatInt(ach.ID, 10)}
			if _, err := (&Notify{core: s.core}).toOrgs(ctx, q, actorID(a), []int64{ach.OwnerOrgID}, n); err != nil {
				return err
			}
		}
		return q.Audit(ctx, a, "match."+string(f.Decision), "match_feedback", f.ID, nil, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// mayDecide loads the feedback's record (hidden from those who may not
// see it) and checks the actor may decide on its suggestions.
func (s *Match) mayDecide(ctx context.Context, q *store.Q, a *domain.Actor, f *domain.MatchFeedback) error {
	switch f.Surface {
	case domain.MatchForNeed:
		x, err := visible(ctx, q, needKind, a, f.SubjectID)
		if err != nil {
			return err
		}
		if !domain.Matches.CanDecideForNeed(a, x) {
			return forbidden("反馈该需求的匹配推荐")
		}
	case domain.MatchForAchievement:
		x, err := visible(ctx, q, achievementKind, a, f.SubjectID)
		if err != nil {
			return err
		}
		if !domain.Matches.CanDecideForAchievement(a, x) {
			return forbidden("反馈该成果的匹配推荐")
		}
	case domain.MatchForChallenge:
		x, err := visible(ctx, q, challengeKind, a, f.SubjectID)
		if err != nil {
			return err
		}
		if !domain.Matches.CanDecideForChallenge(a, x) {
			return forbidden("反馈该榜单的匹配推荐")
		}
	}
	return nil
}

// matchItemExists checks the suggested item is a record of its kind; an
// achievement is returned (it must be published).
func matchItemExists(ctx context.Context, q *store.Q, f *domain.MatchFeedback) (*domain.Achievement, error) {
	missing := func(err error) error {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return domain.FieldErrorf("item_id", "推荐项不存在")
		}
		return err
	}
	switch f.ItemKind {
	case domain.MatchAchievement:
		y, err := q.FindAchievementByID(ctx, f.ItemID)
		if err != nil {
			return nil, missing(err)
		}
		if y.Status != domain.AchievementPublished {
			return nil, domain.FieldErrorf("item_id", "推荐项不存在")
		}
		return y, nil
	case domain.MatchNeed:
		_, err := q.FindNeedByID(ctx, f.ItemID)
		return nil, missing(err)
	case domain.MatchEnterprise:
		_, err := q.FindEnterpriseByID(ctx, f.ItemID)
		return nil, missing(err)
	case domain.MatchExpert, domain.MatchReviewer:
		_, err := q.FindUserByID(ctx, f.ItemID)
		return nil, missing(err)
	default: // teams and pilot bases are organisations
		_, err := q.FindOrgByID(ctx, f.ItemID)
		return nil, missing(err)
	}
}

// Report is the bureau's feedback report: declines by reason and the
// accept rate, counted from the records.
func (s *Match) Report(ctx context.Context, a *domain.Actor) (*domain.MatchReport, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Matches.CanSeeReport(a) {
		return nil, forbidden("查看匹配反馈报告")
	}
	byReason, bySurface, err := s.store.MatchFeedbackCounts(ctx)
	if err != nil {
		return nil, err
	}
	r := &domain.MatchReport{ByReason: []domain.MatchReasonCount{}, BySurface: []domain.MatchReasonCount{}}
	for k, n := range byReason {
		switch domain.MatchDecision(k[0]) {
		case domain.MatchAccept:
			r.Accepted += n
		case domain.MatchDecline:
			r.Declined += n
		}
	}
	for _, it := range domain.MatchDeclineReasons.All() {
		r.ByReason = append(r.ByReason, domain.MatchReasonCount{Code: it.Code, Label: it.Label, Count: byReason[[2]string{string(domain.MatchDecline), it.Code}]})
	}
	for _, it := range domain.MatchSurfaces.All() {
		r.BySurface = append(r.BySurface, domain.MatchReasonCount{Code: string(it.Code), Label: it.Label, Count: bySurface[string(it.Code)]})
	}
	if t := r.Accepted + r.Declined; t > 0 {
		r.AcceptRate = float64(r.Accepted) / float64(t)
	}
	r.Intentions, err = s.store.MatchIntentionCount(ctx, 0, "")
	return r, err
}

// matchChainFigures is the matching module's chain source: the intentions
// made in the year by accepting a matched achievement for a need (summed
// with the events' into the chain's intentions).
func matchChainFigures(ctx context.Context, q *store.Q, year int, chain string) (domain.ChainFigures, error) {
	n, err := q.MatchIntentionCount(ctx, year, chain)
	if err != nil {
		return nil, err
	}
	return domain.ChainFigures{domain.ChainIntentions: n}, nil
}

// matchChainLinks is the matching module's timeline source: each
// intention made by accepting an achievement for a need (on the day
// accepted; the enterprise only for those who may read the need).
func matchChainLinks(ctx context.Context, q *store.Q, ref domain.ChainRef) ([]domain.ChainLink, error) {
	if ref.Kind != "achievement" {
		return nil, nil
	}
	ms, err := q.AchievementMatchIntentions(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	var out []domain.ChainLink
	for _, m := range ms {
		out = append(out, domain.ChainLink{At: dayAt(m.Feedback.SignedOn), Kind: "intention", Step: "intention", Label: "经匹配推荐与企业形成合作意向",
			Ref: domain.ChainRef{Kind: "need", ID: m.Feedback.SubjectID}, Title: m.EnterpriseName + "（" + m.NeedTitle + "）", Public: "匹配推荐"})
	}
	return out, nil
}
