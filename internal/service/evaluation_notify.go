package service

import (
	"context"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// onEvaluationStep is who hears of an evaluation step: each assigned
// expert of their assignment and of scoring opened; the applicant's
// filers of the 公示 opening, of an upheld objection and of the result
// made final; the bureau of an objection filed. Never the one who acted.
func (s *Notify) onEvaluationStep(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, e *domain.Evaluation) error {
	id := strconv.FormatInt(e.ID, 10)
	var users []*domain.User
	var detail, link string
	applicant := func() error {
		us, err := q.FindUsers(ctx, e.ApplicantOrgID)
		for _, u := range us {
			if (u.Role == domain.RoleTTO || u.Role == domain.RoleEnterprise || u.Role == domain.RoleAdmin) && e.IsApplicant(ActorOf(u)) {
				users = append(users, u)
			}
		}
		link = "/evaluations/" + id + "/feedback"
		return err
	}
	panel := func() error {
		for _, uid := range e.PanelUserIDs {
			u, err := q.FindUserByID(ctx, uid)
			if err != nil {
				return err
			}
			users = append(users, u)
		}
		link = "/evaluations/" + id + "/score"
		return nil
	}
	var err error
	switch {
	case ev.Action == "assign":
		detail, err = domain.EvaluationNoticeAssigned, panel()
	case ev.Action == "open_scoring":
		detail, err = domain.EvaluationNoticeScoring, panel()
	case ev.Action == "object":
		detail, link = domain.EvaluationNoticeObjection, "/evaluations/"+id
		var us []*domain.User
		us, _, err = q.FindUsersPage(ctx, domain.UserFilter{Role: domain.RoleBureau, Status: domain.StatusActive, Limit: 1000})
		users = us
	case ev.To == string(domain.EvaluationFinal) && ev.From != ev.To:
		detail, err = domain.EvaluationNoticeFinal, applicant()
	case ev.Action == "publicise":
		detail, err = domain.EvaluationNoticePublicity, applicant()
	case ev.Action == "resolve" && ev.To == string(domain.EvaluationPanel):
		detail, err = domain.EvaluationNoticeReopened, applicant()
	default:
		return nil
	}
	if err != nil {
		return err
	}
	title, _ := evaluationSubject(ctx, q, e)
	n := domain.Notification{Kind: domain.NoticeEvaluation, Entity: "evaluation", EntityID: e.ID, Link: link, Title: title,
		Detail: detail, Dedup: "event:" + strconv.FormatInt(ev.ID, 10)}
	for _, u := range users {
		if u.Disabled || (a != nil && u.ID == a.UserID) {
			continue
		}
		if _, err := s.deliver(ctx, q, u, n); err != nil {
			return err
		}
	}
	return nil
}
