package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// MaxReviewers bounds the reviewers of one contract.
const MaxReviewers = 9

// ExpertCandidates lists the experts the registrar may assign to c: active
// users with the expert role, none of a party's organisation, none already
// assigned.
func (s *Contracts) ExpertCandidates(ctx context.Context, a *domain.Actor, c *domain.Contract) ([]*domain.User, error) {
	if !domain.Contracts.CanAssign(a, c) {
		return nil, forbidden("指派评审专家")
	}
	us, _, err := s.store.FindUsersPage(ctx, domain.UserFilter{Role: domain.RoleExpert, Status: domain.StatusActive, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []*domain.User
	for _, u := range us {
		if !u.Disabled && !c.IsParty(u.OrgID) && c.ReviewOf(u.ID) == nil {
			out = append(out, u)
		}
	}
	return out, nil
}

// AssignReviewers assigns expert reviewers to an accepted contract that
// goes to expert review: each must be an active expert, of no party's
// organisation (seller, buyer, broker), not yet assigned.
func (s *Contracts) AssignReviewers(ctx context.Context, a *domain.Actor, id, version int64, userIDs []int64) (*domain.Contract, error) {
	if len(userIDs) == 0 {
		return nil, domain.FieldErrorf("user_ids", "请选择评审专家")
	}
	return s.mutate(ctx, a, id, version, "assign", func(tx *store.Q, c *domain.Contract) (step, error) {
		if len(c.Reviews)+len(userIDs) > MaxReviewers {
			return step{}, domain.FieldErrorf("user_ids", "每份合同最多指派%d位评审专家", MaxReviewers)
		}
		var names []string
		for _, uid := range userIDs {
			u, err := tx.FindUserByID(ctx, uid)
			if err != nil || u.Role != domain.RoleExpert || u.Disabled {
				return step{}, domain.FieldErrorf("user_ids", "用户 %d 不是可用的评审专家", uid)
			}
			if c.IsParty(u.OrgID) {
				return step{}, domain.FieldErrorf("user_ids", "专家%s所在机构是合同当事方（卖方、买方或中介方），应当回避", u.DisplayName)
			}
			if c.ReviewOf(u.ID) != nil {
				return step{}, domain.FieldErrorf("user_ids", "专家%s已被指派", u.DisplayName)
			}
			if err := tx.AddReview(ctx, c, domain.Review{UserID: u.ID, Username: u.Username, Name: u.DisplayName, OrgID: u.OrgID, AssignedOn: s.today()}); err != nil {
				return step{}, err
			}
			names = append(names, u.DisplayName)
		}
		return step{Comment: strings.Join(names, "、")}, nil
	})
}

// Opine records the acting expert's opinion on a contract it is assigned
// to review; a disagreement or a comment needs its reasons.
func (s *Contracts) Opine(ctx context.Context, a *domain.Actor, id, version int64, opinion, comment string) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "opine", func(tx *store.Q, c *domain.Contract) (step, error) {
		if !domain.Opinions.Valid(opinion) {
			return step{}, domain.FieldErrorf("opinion", "请选择评审意见")
		}
		if err := textnorm.CheckField("comment", comment, textnorm.Options{Multiline: true}); err != nil {
			return step{}, err
		}
		comment = strings.TrimSpace(comment)
		if utf8.RuneCountInString(comment) > 2000 {
			return step{}, domain.FieldErrorf("comment", "评审意见说明不超过2000字")
		}
		if opinion != "agree" && comment == "" {
			return step{}, domain.FieldErrorf("comment", "不同意或提出修改意见时须写明理由")
		}
		r := c.ReviewOf(a.UserID)
		r.Opinion, r.Comment, r.OpinedOn = opinion, comment, s.today()
		if err := tx.SetOpinion(ctx, c, r); err != nil {
			return step{}, err
		}
		return step{Comment: comment, Reason: opinion}, nil
	})
}
