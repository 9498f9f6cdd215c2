package service

import (
	"context"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/store"
)

// ApplyAchievement opens the evaluation (科技成果评价) of a filed
// achievement for its unit or the bureau, with the default achievement
// set in force today. The application is the achievement's: its unit the
// applicant, its filer named on it, its discipline and chain the fields
// the panel is matched on. A second application while one is open is
// refused, also when both are sent at once.
func (s *Evaluations) ApplyAchievement(ctx context.Context, a *domain.Actor, achievementID int64, resultType string) (*domain.Evaluation, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	x, err := s.store.FindAchievementByID(ctx, achievementID)
	if err != nil {
		return nil, err
	}
	if !domain.Achievements.CanSee(a, x) {
		return nil, domain.Errorf(domain.ENOTFOUND, "成果不存在")
	}
	if !domain.Evaluations.CanApplyAchievement(a, x) {
		if x.Status == domain.AchievementDraft || x.Status == domain.AchievementSubmitted || x.Status == domain.AchievementReturned ||
			x.Status == domain.AchievementWithdrawn {
			return nil, domain.Errorf(domain.ECONFLICT, "成果备案后方可申请评价（当前状态：%s）", domain.Msg(x.Status.Label()))
		}
		return nil, forbidden("申请评价该成果")
	}
	resultType = strings.TrimSpace(resultType)
	if resultType == "" {
		resultType = "applied"
	}
	app := evaluate.Application{Applicant: evaluate.Org{ID: x.OwnerOrgID}}
	if x.CreatedBy != 0 {
		app.People = []int64{x.CreatedBy}
	}
	for _, f := range []string{x.Discipline, x.ChainCode} {
		if f != "" {
			app.Fields = append(app.Fields, f)
		}
	}
	return s.open(ctx, a, "", resultType, "achievement", x.ID, app, func(q *store.Q) error {
		// Two applications at once: the second waits here for the first
		// to commit, then sees its open case.
		if err := q.LockAchievement(ctx, x.ID); err != nil {
			return err
		}
		es, err := q.FindEvaluationsOf(ctx, "achievement", x.ID)
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.Status != domain.EvaluationFinal {
				return domain.Errorf(domain.ECONFLICT, "该成果已有进行中的评价（%s），不能重复申请", domain.Msg(e.Status.Label()))
			}
		}
		return nil
	})
}
