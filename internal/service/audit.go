package service

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"kechuang/internal/anchor"
	"kechuang/internal/domain"
)

// Audit is the audit log: reading it, verifying its chain, and anchoring
// the chain's head outside the database.
type Audit struct {
	*core
	anchors *anchor.File // nil: no anchoring

	mu   sync.Mutex
	last domain.AuditAnchor // the head this process anchored last
}

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
		"contract":  othersDraft,
		"challenge": challengeOthersDraft,
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

// Verify walks the hash chain and checks it against the anchors
// (administrators and bureau staff).
func (s *Audit) Verify(ctx context.Context, a *domain.Actor) (domain.AuditReport, error) {
	if err := requireLogin(a); err != nil {
		return domain.AuditReport{}, err
	}
	if !domain.AuditRules.CanRead(a) {
		return domain.AuditReport{}, forbidden("校验审计日志")
	}
	return s.VerifySystem(ctx)
}

// VerifySystem walks the chain for the operator (kechuang audit verify).
// The anchors are read before the chain, so every one is at most as new as
// the head the store reads.
func (s *Audit) VerifySystem(ctx context.Context) (domain.AuditReport, error) {
	var anchors []domain.AuditAnchor
	if s.anchors != nil {
		var err error
		if anchors, err = s.anchors.Read(); err != nil {
			return domain.AuditReport{}, err
		}
	}
	return s.store.VerifyAudit(ctx, anchors...)
}

// AnchorFile is the path of the anchor file, "" when there is none.
func (s *Audit) AnchorFile() string {
	if s.anchors == nil {
		return ""
	}
	return s.anchors.Path()
}

// Anchor appends the chain head to the anchor file and logs it, unless the
// chain is empty or the head is the one this process anchored last. The
// log line is a second copy, for operators who ship logs off the host.
func (s *Audit) Anchor(ctx context.Context) error {
	if s.anchors == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	head, err := s.store.AuditHead(ctx)
	if err != nil {
		return err
	}
	if head.Seq == 0 || (head.Seq == s.last.Seq && head.Hash == s.last.Hash) {
		return nil
	}
	head.At = s.now().UTC()
	if err := s.anchors.Append(head); err != nil {
		return err
	}
	s.log.Info("audit anchor", "seq", head.Seq, "hash", head.Hash, "keyed_from", head.KeyedFrom, "file", s.anchors.Path())
	s.last = head
	return nil
}

// RunAnchors anchors the head on every tick until ctx ends (serve passes a
// one-minute ticker; tests their own channel). A failure is logged and
// retried on the next tick: the server keeps serving.
func (s *Audit) RunAnchors(ctx context.Context, ticks <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			if err := s.Anchor(ctx); err != nil {
				s.log.Warn("service: audit anchor", "err", err)
			}
		}
	}
}
