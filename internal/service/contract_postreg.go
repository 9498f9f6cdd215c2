package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// Post-registration actions (domain/contract_postreg.go for the rules and
// their sources): 变更登记 and 注销登记 requested by the applicant and
// decided by the registrar of the contract's registry, 撤销 by that
// registry, 异议 by the applicant or the 财政/税务 authority. Every step
// goes through mutate, so it is a step of the contract's history and an
// audit row in the same transaction.
//
// Versions: the contract row is the current version of its registration
// (RegVersion, ChangedOn); an approved 变更 first keeps the superseded
// version whole in contract_reg_versions (a snapshot of the contract, valid
// from its registration or 变更 date until the new 变更), and the step's
// changes list the fields the 变更 changed.
//
// Statistics: the rollup counts what is registered now (store
// RemoveFromRollup). A 注销 or 撤销 takes the registration out of the
// cells of its registration month in the deciding transaction, so it no
// longer counts in any total computed from that day; an approved 变更
// replaces its figures (out with the old, in with the new).

// SettingRevocationGrounds lists the 撤销 grounds in force (codes of
// domain.RevocationGrounds separated by commas; empty: all of them).
const SettingRevocationGrounds = "revocation_grounds"

// RevocationGrounds returns the 撤销 grounds in force (setting
// revocation_grounds), in the catalogue's order.
func (s *Contracts) RevocationGrounds(ctx context.Context) ([]string, error) {
	v, err := s.store.Setting(ctx, SettingRevocationGrounds, "")
	if err != nil {
		return nil, err
	}
	all := domain.RevocationGrounds.Codes()
	if strings.TrimSpace(v) == "" {
		return all, nil
	}
	on := map[string]bool{}
	for _, c := range strings.Split(v, ",") {
		on[strings.TrimSpace(c)] = true
	}
	var out []string
	for _, c := range all {
		if on[c] {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return all, nil
	}
	return out, nil
}

// cleanText checks a required or optional free text of a step (a reason,
// a ground's note) and names the field.
func cleanStepText(field, text string, required bool, what string) (string, error) {
	if err := textnorm.CheckField(field, text, textnorm.Options{Multiline: true}); err != nil {
		return "", err
	}
	text = strings.TrimSpace(textnorm.Clean(text))
	if required && text == "" {
		return "", domain.FieldErrorf(field, "请填写%s", domain.Msg(what))
	}
	if utf8.RuneCountInString(text) > 2000 {
		return "", domain.FieldErrorf(field, "%s不超过2000字", domain.Msg(what))
	}
	return text, nil
}

// ChangeRequest is an applicant's 变更登记 request: the changed fields, the
// reason, and a reference to its supporting material (a document number
// or file name; the platform stores no attachments besides the contract
// text).
type ChangeRequest struct {
	Change     domain.RegChange `json:"change"`
	Reason     string           `json:"reason"`
	Attachment string           `json:"attachment,omitempty"`
}

// cleanChange normalises the typed parts of a change and checks the
// changed contract; it returns the changed contract and what changed.
func cleanChange(c *domain.Contract, ch *domain.RegChange) (*domain.Contract, []domain.Change, error) {
	if ch.Title != nil {
		if err := textnorm.CheckField("title", *ch.Title, textnorm.Options{}); err != nil {
			return nil, nil, err
		}
		t := strings.TrimSpace(textnorm.Clean(*ch.Title))
		ch.Title = &t
	}
	for _, p := range []struct {
		field string
		party *domain.Party
	}{{"seller", ch.Seller}, {"buyer", ch.Buyer}} {
		if p.party == nil {
			continue
		}
		if err := textnorm.CheckField(p.field+".name", p.party.Name, textnorm.Options{}); err != nil {
			return nil, nil, err
		}
		p.party.Name = strings.TrimSpace(textnorm.Clean(p.party.Name))
		p.party.USCC = domain.NormalizeUSCC(p.party.USCC)
	}
	n := ch.ApplyTo(c)
	if err := n.Validate(); err != nil {
		return nil, nil, err // names the contract's field (term_end, turnover_fen…)
	}
	changes := domain.ContractChanges(c, n)
	if len(changes) == 0 {
		return nil, nil, domain.FieldErrorf("change", "变更登记须至少变更一项内容")
	}
	return n, changes, nil
}

// RequestChange files the applicant's 变更登记 request of a registered
// contract. The registration is unchanged until the registrar approves it.
func (s *Contracts) RequestChange(ctx context.Context, a *domain.Actor, id, version int64, in ChangeRequest) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "change_request", func(tx *store.Q, c *domain.Contract) (step, error) {
		reason, err := cleanStepText("reason", in.Reason, true, "变更理由")
		if err != nil {
			return step{}, err
		}
		att, err := cleanStepText("attachment", in.Attachment, false, "证明材料")
		if err != nil {
			return step{}, err
		}
		if utf8.RuneCountInString(att) > 200 {
			return step{}, domain.FieldErrorf("attachment", "证明材料不超过200字")
		}
		ch := in.Change
		_, changes, err := cleanChange(c, &ch)
		if err != nil {
			return step{}, err
		}
		r := &domain.RegRequest{Kind: domain.RequestChange, Reason: reason, Attachment: att, Proposal: &ch,
			RequestedBy: a.Username, RequestedOn: s.today()}
		if err := tx.AddContractRequest(ctx, c, r); err != nil {
			return step{}, err
		}
		return step{Comment: reason, Reason: att, Changes: changes}, nil
	})
}

// DecideChange approves or refuses the pending 变更登记 request. Approved,
// the superseded version is kept, the registration becomes version n+1
// dated today, and the registrar fixes the 技术性收入 of the new figures
// (nil keeps it, if it is still within the new 技术交易额). Refused, a
// reason is required and nothing changes.
func (s *Contracts) DecideChange(ctx context.Context, a *domain.Actor, id, version int64, approve bool, techIncomeFen *int64, note string) (*domain.Contract, error) {
	city, err := s.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	action := "change_refuse"
	if approve {
		action = "change_approve"
	}
	return s.mutate(ctx, a, id, version, action, func(tx *store.Q, c *domain.Contract) (step, error) {
		note, err := cleanStepText("note", note, !approve, "不予变更的理由")
		if err != nil {
			return step{}, err
		}
		today := s.today()
		if !approve {
			return step{Comment: note}, tx.DecideContractRequest(ctx, c, domain.RequestRefused, a.Username, today, note)
		}
		ch := c.Pending.Proposal
		if ch.Empty() {
			return step{}, domain.Errorf(domain.EINTERNAL, "变更申请没有变更内容")
		}
		n, changes, err := cleanChange(c, ch)
		if err != nil {
			return step{}, err // the request was checked when filed; a rule since changed
		}
		income := c.TechIncomeFen
		if techIncomeFen != nil {
			income = *techIncomeFen
		}
		if err := domain.CheckTechIncome(n, income); err != nil {
			return step{}, err
		}
		old := *c
		old.Pending, old.Objection = nil, nil
		from := c.ChangedOn
		if from == "" {
			from = c.RegisteredOn
		}
		v := max(c.RegVersion, 1)
		if err := tx.AddRegVersion(ctx, domain.RegVersion{Version: v, From: from, Until: today, Contract: &old}); err != nil {
			return step{}, err
		}
		if err := tx.DecideContractRequest(ctx, c, domain.RequestApproved, a.Username, today, note); err != nil {
			return step{}, err
		}
		if err := tx.RemoveFromRollup(ctx, []*domain.Contract{&old}, city); err != nil {
			return step{}, err
		}
		if income != c.TechIncomeFen {
			changes = append(changes, domain.Change{Field: "tech_income_fen", Label: "核定技术性收入",
				Old: domain.FormatYuan(c.TechIncomeFen), New: domain.FormatYuan(income)})
		}
		*c = *n
		c.Pending, c.TechIncomeFen = nil, income
		c.RegVersion, c.ChangedOn = v+1, today
		if err := tx.AddToRollup(ctx, []*domain.Contract{c}, city); err != nil {
			return step{}, err
		}
		return step{Comment: note, Reason: domain.ChangeNo(c.RegNo, c.RegVersion), Changes: changes}, nil
	})
}

// RequestCancel files the applicant's 注销登记 request (the contract was
// terminated, revoked or found void) on a ground with a statement.
func (s *Contracts) RequestCancel(ctx context.Context, a *domain.Actor, id, version int64, ground, reason string) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "cancel_request", func(tx *store.Q, c *domain.Contract) (step, error) {
		if !domain.CancelGrounds.Valid(ground) {
			return step{}, domain.FieldErrorf("ground", "请选择注销登记的理由")
		}
		reason, err := cleanStepText("reason", reason, true, "注销说明")
		if err != nil {
			return step{}, err
		}
		r := &domain.RegRequest{Kind: domain.RequestCancel, Ground: ground, Reason: reason, RequestedBy: a.Username, RequestedOn: s.today()}
		if err := tx.AddContractRequest(ctx, c, r); err != nil {
			return step{}, err
		}
		return step{Comment: reason, Reason: ground}, nil
	})
}

// DecideCancel approves (注销: status cancelled from today, out of the
// statistics) or refuses (with a reason) the pending 注销登记 request. Only
// the registrar of the registry that registered the contract decides.
func (s *Contracts) DecideCancel(ctx context.Context, a *domain.Actor, id, version int64, approve bool, note string) (*domain.Contract, error) {
	action := "cancel_refuse"
	if approve {
		action = "cancel_approve"
	}
	return s.mutate(ctx, a, id, version, action, func(tx *store.Q, c *domain.Contract) (step, error) {
		note, err := cleanStepText("note", note, !approve, "不予注销的理由")
		if err != nil {
			return step{}, err
		}
		today := s.today()
		if !approve {
			return step{Comment: note}, tx.DecideContractRequest(ctx, c, domain.RequestRefused, a.Username, today, note)
		}
		ground, reason := c.Pending.Ground, c.Pending.Reason
		if err := tx.DecideContractRequest(ctx, c, domain.RequestApproved, a.Username, today, note); err != nil {
			return step{}, err
		}
		c.Status, c.EndedOn, c.EndGround, c.EndNote = domain.ContractCancelled, today, ground, reason
		return step{Comment: note, Reason: ground}, nil
	})
}

// Revoke revokes a registration (撤销) on one of the grounds in force,
// by the registrar of its registry: status revoked from today, out of the
// statistics; the applicant sees the ground.
func (s *Contracts) Revoke(ctx context.Context, a *domain.Actor, id, version int64, ground, note string) (*domain.Contract, error) {
	grounds, err := s.RevocationGrounds(ctx) // before the transaction (see mutate)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "revoke", func(tx *store.Q, c *domain.Contract) (step, error) {
		return s.revoke(c, grounds, ground, note)
	})
}

func (s *Contracts) revoke(c *domain.Contract, grounds []string, ground, note string) (step, error) {
	if !contains(grounds, ground) {
		return step{}, domain.FieldErrorf("ground", "请选择撤销登记的理由")
	}
	note, err := cleanStepText("note", note, ground == "other", "撤销说明")
	if err != nil {
		return step{}, err
	}
	c.Status, c.EndedOn, c.EndGround, c.EndNote = domain.ContractRevoked, s.today(), ground, note
	return step{Comment: note, Reason: ground}, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Object raises an 异议 against the registration decision of a contract:
// by the applicant against its registration or its refusal, or by the
// 财政/税务 authority against a registration.
func (s *Contracts) Object(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "object", func(tx *store.Q, c *domain.Contract) (step, error) {
		reason, err := cleanStepText("reason", reason, true, "异议理由")
		if err != nil {
			return step{}, err
		}
		against := "registration"
		if c.Status == domain.ContractRefused {
			against = "refusal"
		}
		o := &domain.Objection{Against: against, Reason: reason, RaisedBy: a.Username, RaiserRole: a.Role, RaisedOn: s.today()}
		if err := tx.AddContractObjection(ctx, c, o); err != nil {
			return step{}, err
		}
		return step{Comment: reason, Reason: against}, nil
	})
}

// ObjectionDecision is the registry's outcome of an open objection:
// upheld or dismissed, with a note (required); upheld against a
// registration, RevokeGround (optional) revokes it in the same step.
type ObjectionDecision struct {
	Outcome      string `json:"outcome"` // upheld | dismissed
	Note         string `json:"note"`
	RevokeGround string `json:"revoke_ground,omitempty"`
}

// DecideContractObjection records the registry's outcome of the open objection.
// Upheld against a refusal, the filing goes back to 已受理 for a new
// decision (the clock restarting today); upheld against a registration,
// it is revoked when a ground is given (otherwise the outcome is recorded
// and the applicant files the 变更 it calls for); dismissed, nothing
// changes.
func (s *Contracts) DecideObjection(ctx context.Context, a *domain.Actor, id, version int64, d ObjectionDecision) (*domain.Contract, error) {
	grounds, err := s.RevocationGrounds(ctx) // before the transaction (see mutate)
	if err != nil {
		return nil, err
	}
	rules, err := s.regimeRules(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "objection_decide", func(tx *store.Q, c *domain.Contract) (step, error) {
		if d.Outcome != domain.ObjectionUpheld && d.Outcome != domain.ObjectionDismissed {
			return step{}, domain.FieldErrorf("outcome", "请选择异议是否成立")
		}
		note, err := cleanStepText("note", d.Note, true, "处理意见")
		if err != nil {
			return step{}, err
		}
		if d.RevokeGround != "" && (d.Outcome != domain.ObjectionUpheld || c.Status != domain.ContractRegistered) {
			return step{}, domain.FieldErrorf("revoke_ground", "只有异议成立时才能撤销已登记的合同")
		}
		today := s.today()
		if err := tx.DecideContractObjection(ctx, c, d.Outcome, note, a.Username, today); err != nil {
			return step{}, err
		}
		st := step{Comment: note, Reason: d.Outcome}
		if d.Outcome == domain.ObjectionDismissed {
			return st, nil
		}
		switch {
		case c.Status == domain.ContractRefused:
			c.Status, c.RefusalGround, c.RefusalNote = domain.ContractAccepted, "", ""
			c.StartClock(today, rules, cal)
		case d.RevokeGround != "":
			if _, err := s.revoke(c, grounds, d.RevokeGround, note); err != nil {
				return step{}, err
			}
		}
		return st, nil
	})
}

// PostRegistration is a registered contract's record after registration:
// its superseded versions, its 变更/注销 requests and its objections.
type PostRegistration struct {
	Versions   []domain.RegVersion  `json:"versions"`
	Requests   []*domain.RegRequest `json:"requests"`
	Objections []*domain.Objection  `json:"objections"`
}

// PostRegistration returns the record for an actor who may see the
// contract.
func (s *Contracts) PostRegistration(ctx context.Context, a *domain.Actor, id int64) (*PostRegistration, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	var out PostRegistration
	var err error
	if out.Versions, err = s.store.RegVersions(ctx, id); err != nil {
		return nil, err
	}
	if out.Requests, err = s.store.ContractRequests(ctx, id); err != nil {
		return nil, err
	}
	if out.Objections, err = s.store.ContractObjections(ctx, id); err != nil {
		return nil, err
	}
	if out.Versions == nil {
		out.Versions = []domain.RegVersion{}
	}
	if out.Requests == nil {
		out.Requests = []*domain.RegRequest{}
	}
	if out.Objections == nil {
		out.Objections = []*domain.Objection{}
	}
	return &out, nil
}
