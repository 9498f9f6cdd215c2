package service

import (
	"context"
	"encoding/json"

	"kechuang/internal/domain"
)

// Audit is the audit log: reading it and verifying its chain.
type Audit struct{ *core }

// draftRedacted replaces the contents of audit rows about another
// organisation's draft.
var draftRedacted = json.RawMessage(`{"redacted":"草稿内容仅对所属机构可见"}`)

// Find lists audit rows for administrators and bureau staff. Drafts are
// private to the organisation that owns them, in the audit log as
// everywhere else: the before/after of a row that shows another
// organisation's draft is withheld, side by side (the row, its actor, action and hash
// stay, so the chain can still be read and verified).
func (s *Audit) Find(ctx context.Context, a *domain.Actor, f domain.AuditFilter) ([]*domain.AuditEntry, int, error) {
	if err := requireLogin(a); err != nil {
		return nil, 0, err
	}
	if !domain.AuditRules.CanRead(a) {
		return nil, 0, forbidden("查看审计日志")
	}
	rows, total, err := s.store.FindAudit(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	redactors := auditRedactors()
	for _, e := range rows {
		withhold := redactors[e.Entity]
		if withhold == nil {
			continue
		}
		if withhold(e.Before, a) {
			e.Before = draftRedacted
		}
		if withhold(e.After, a) {
			e.After = draftRedacted
		}
	}
	return rows, total, nil
}

// redactor reports whether a snapshot of its entity must be withheld from
// the actor in the audit log.
type redactor func(raw json.RawMessage, a *domain.Actor) bool

// auditRedactors are the modules' audit redaction rules by entity: one
// line a module whose records are private to their owners.
func auditRedactors() map[string]redactor {
	return map[string]redactor{
		"contract": othersDraft,
	}
}

// othersDraft reports whether a contract snapshot is a draft owned by an
// organisation other than the actor's.
func othersDraft(raw json.RawMessage, a *domain.Actor) bool {
	var c struct {
		Status     domain.ContractStatus `json:"status"`
		OwnerOrgID int64                 `json:"owner_org_id"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return false
	}
	return c.Status == domain.ContractDraft && c.OwnerOrgID != a.OrgID
}

// Verify walks the hash chain (administrators and bureau staff).
func (s *Audit) Verify(ctx context.Context, a *domain.Actor) (domain.AuditReport, error) {
	if err := requireLogin(a); err != nil {
		return domain.AuditReport{}, err
	}
	if !domain.AuditRules.CanRead(a) {
		return domain.AuditReport{}, forbidden("校验审计日志")
	}
	return s.store.VerifyAudit(ctx)
}

// VerifySystem walks the chain for the operator (kechuang audit verify).
func (s *Audit) VerifySystem(ctx context.Context) (domain.AuditReport, error) {
	return s.store.VerifyAudit(ctx)
}
