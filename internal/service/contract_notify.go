package service

import (
	"context"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// onContractStep is the applicant's notices of a contract step.
func (s *Notify) onContractStep(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, c *domain.Contract) error {
	byOwner := a != nil && a.OrgID != 0 && a.OrgID == c.OwnerOrgID
	kind := domain.ContractNoticeFor(ev.Action, byOwner, ev.Changes)
	if kind == "" {
		return nil
	}
	n := domain.Notification{Kind: kind, Entity: "contract", EntityID: c.ID, Link: contractLink(c.ID), Title: c.Title,
		Dedup: "event:" + strconv.FormatInt(ev.ID, 10)}
	switch kind {
	case domain.NoticeChanged:
		labels := make([]string, 0, len(ev.Changes))
		for _, ch := range ev.Changes {
			labels = append(labels, ch.Label)
		}
		n.Detail = strings.Join(labels, domain.DetailSep)
	case domain.NoticeStatus:
		n.Detail = domain.AuditActionLabel("contract." + ev.Action)
		if n.Detail == "" && ev.To != ev.From {
			n.Detail = domain.ContractStatus(ev.To).Label()
		}
		if n.Detail == "" {
			n.Detail = ev.Action
		}
	}
	users, err := q.FindUsers(ctx, c.OwnerOrgID)
	if err != nil {
		return err
	}
	if c.CreatedBy != 0 && !hasUser(users, c.CreatedBy) {
		u, err := q.FindUserByID(ctx, c.CreatedBy)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		} else if err == nil {
			users = append(users, u)
		}
	}
	actorID := int64(-1)
	if a != nil {
		actorID = a.UserID
	}
	for _, u := range users {
		if domain.ContractNoticeRecipient(u, c, actorID) {
			if _, err := s.deliver(ctx, q, u, n); err != nil {
				return err
			}
		}
	}
	return nil
}

func contractLink(id int64) string { return "/contracts/" + strconv.FormatInt(id, 10) }
