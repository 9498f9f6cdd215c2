package service

import (
	"context"
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// Needs is the technology-need board (技术需求): enterprises post the
// problems they cannot solve alone, the bureau checks that each is
// genuine before the public sees it, and the owner closes it with an
// outcome. A published need past its deadline is shown as expired
// (computed on read from the injected clock, no sweep) until someone
// closes it.
type Needs struct{ *core }

// cleanNeed checks the typed text for control, format and bidi characters
// (naming the field) and stores it cleaned.
func cleanNeed(in *domain.Need) error {
	var c textCleaner
	c.line("title", &in.Title)
	c.prose("problem", &in.Problem)
	c.line("deadline", &in.Deadline)
	c.line("contact_name", &in.ContactName)
	c.line("contact_phone", &in.ContactPhone)
	for i := range in.Keywords {
		c.line(fmt.Sprintf("keywords[%d]", i), &in.Keywords[i])
	}
	for i := range in.Indicators {
		f := fmt.Sprintf("indicators[%d]", i)
		c.line(f+".indicator", &in.Indicators[i].Indicator)
		c.line(f+".target", &in.Indicators[i].Target)
		c.line(f+".unit", &in.Indicators[i].Unit)
	}
	return c.err()
}

// applyNeed copies what a poster may set.
func applyNeed(x, in *domain.Need) {
	x.Title, x.Problem, x.Indicators = in.Title, in.Problem, in.Indicators
	x.BudgetMinFen, x.BudgetMaxFen, x.Deadline, x.ChainCode = in.BudgetMinFen, in.BudgetMaxFen, in.Deadline, in.ChainCode
	x.Keywords, x.Stage, x.Modes, x.ContactName, x.ContactPhone = in.Keywords, in.Stage, in.Modes, in.ContactName, in.ContactPhone
	x.Indicators, x.Keywords, x.Modes = orEmpty(x.Indicators), orEmpty(x.Keywords), orEmpty(x.Modes)
}

// present fills what is computed on read (expired) and hides the contact
// from those who may not read it.
func (s *Needs) present(a *domain.Actor, x *domain.Need) *domain.Need {
	x.Expired = x.Status == domain.NeedPublished && x.PastDeadline(s.today())
	if !domain.Needs.CanSeeContact(a, x) {
		x.ContactName = ""
	}
	if !domain.Needs.CanSeePhone(a, x) {
		x.ContactPhone = ""
	}
	return x
}

// Create posts a draft for the actor's own enterprise.
func (s *Needs) Create(ctx context.Context, a *domain.Actor, in *domain.Need) (*domain.Need, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Needs.CanPost(a) {
		return nil, forbidden("发布技术需求")
	}
	if a.OrgID == 0 {
		return nil, domain.FieldErrorf("owner_org_id", "请以所属企业的账号发布需求")
	}
	if err := cleanNeed(in); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	x := &domain.Need{Status: domain.NeedDraft, OwnerOrgID: a.OrgID, CreatedBy: a.UserID}
	applyNeed(x, in)
	if err := x.Validate(chains, s.today()); err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		o, err := q.FindOrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if o.Kind != domain.OrgEnterprise {
			return domain.FieldErrorf("owner_org_id", "技术需求由企业发布（本单位为%s）", domain.Msg(o.Kind.Label()))
		}
		x.OwnerName = o.Name
		if err := q.InsertNeed(ctx, x); err != nil {
			return err
		}
		return created(ctx, q, needKind, a, x)
	})
	if err != nil {
		return nil, err
	}
	return s.present(a, x), nil
}

// Get returns a need the actor may see (the public: published ones); a
// hidden one is "not found".
func (s *Needs) Get(ctx context.Context, a *domain.Actor, id int64) (*domain.Need, error) {
	x, err := get(ctx, s.core, needKind, a, id)
	if err != nil {
		return nil, err
	}
	return s.present(a, x), nil
}

// List lists what the actor may see (the public: the board).
func (s *Needs) List(ctx context.Context, a *domain.Actor, f domain.NeedFilter) ([]*domain.Need, int, error) {
	var v domain.Validator
	v.Check(f.Status == "" || domain.NeedStatuses.Valid(f.Status), "status", "状态无效")
	v.Check(f.State == "" || f.State == "open" || f.State == "closed", "state", "状态筛选应为 open 或 closed")
	v.Check(f.Stage == "" || domain.MaturityStages.Valid(f.Stage), "stage", "成熟阶段无效")
	v.Check(f.MinBudget >= 0 && f.MinBudget <= domain.MaxAskingFen, "min_budget_fen", "预算下限无效")
	v.Check(f.MaxBudget >= 0 && f.MaxBudget <= domain.MaxAskingFen, "max_budget_fen", "预算上限无效")
	v.Check(f.MaxBudget == 0 || f.MinBudget <= f.MaxBudget, "max_budget_fen", "预算上限不能低于下限")
	v.Check(len([]rune(f.Query)) <= 100, "q", "搜索词不超过100字")
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	if err := textnorm.CheckField("q", f.Query, textnorm.Options{}); err != nil {
		return nil, 0, err
	}
	f.Today = s.today()
	xs, n, err := s.store.FindNeeds(ctx, f, domain.Needs.ListScope(a))
	for _, x := range xs {
		s.present(a, x)
	}
	return xs, n, err
}

// Events returns a need's history.
func (s *Needs) Events(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	x, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return history(ctx, s.core, needKind, a, x, domain.Needs.CanSeeHistory, "查看该需求的办理记录")
}

// NeedStale is the module's stale-version refusal.
const NeedStale = "此需求已被他人修改，您的操作未执行，请刷新后重试"

var needKind = &entityKind[domain.NeedStatus, *domain.Need]{
	name: "need", notFound: "需求不存在", stale: NeedStale, flow: domain.NeedFlow,
	load: func(ctx context.Context, q *store.Q, id int64) (*domain.Need, error) {
		return q.FindNeedByID(ctx, id)
	},
	save:   func(ctx context.Context, q *store.Q, x *domain.Need) error { return q.UpdateNeed(ctx, x) },
	canSee: domain.Needs.CanSee,
	id:     func(x *domain.Need) int64 { return x.ID }, version: func(x *domain.Need) int64 { return x.Version },
	clone:  func(x *domain.Need) *domain.Need { b := *x; return &b },
	remove: func(ctx context.Context, q *store.Q, id int64) error { return q.DeleteNeed(ctx, id) },
	title:  func(x *domain.Need) string { return x.Title },
}

func (s *Needs) mutate(ctx context.Context, a *domain.Actor, id, version int64, action string,
	fn func(q *store.Q, x *domain.Need) (step, error)) (*domain.Need, error) {
	x, err := mutate(ctx, s.core, needKind, a, id, version, action, fn)
	if err != nil {
		return nil, err
	}
	return s.present(a, x), nil
}

// Update changes a draft or a returned need.
func (s *Needs) Update(ctx context.Context, a *domain.Actor, id, version int64, in *domain.Need) (*domain.Need, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if err := cleanNeed(in); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "update", func(q *store.Q, x *domain.Need) (step, error) {
		applyNeed(x, in)
		return step{}, x.Validate(chains, s.today())
	})
}

// Submit sends a draft (or a returned need) to the bureau; it is
// validated again (the deadline may not have passed meanwhile).
func (s *Needs) Submit(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Need, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "submit", func(q *store.Q, x *domain.Need) (step, error) {
		if err := x.Validate(chains, s.today()); err != nil {
			return step{}, err
		}
		x.Status, x.ReturnReason = domain.NeedSubmitted, ""
		return step{}, nil
	})
}

// Publish records the bureau's check that a submitted need is genuine
// and puts it on the public board.
func (s *Needs) Publish(ctx context.Context, a *domain.Actor, id, version int64, comment string) (*domain.Need, error) {
	comment, err := stepNote("comment", comment, false)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "publish", func(q *store.Q, x *domain.Need) (step, error) {
		if x.PastDeadline(s.today()) {
			return step{}, domain.FieldErrorf("deadline", "需求截止日期（%s）已过，请退回企业修改", x.Deadline)
		}
		x.Status, x.PublishedOn = domain.NeedPublished, s.today()
		return step{Comment: comment}, nil
	})
}

// Return sends a submitted need back to its enterprise with a reason.
func (s *Needs) Return(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Need, error) {
	reason, err := stepNote("reason", reason, true)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "return", func(q *store.Q, x *domain.Need) (step, error) {
		x.Status, x.ReturnReason = domain.NeedReturned, reason
		return step{Comment: reason}, nil
	})
}

// Close ends a published need with an outcome (domain.NeedOutcomes) and
// a note.
func (s *Needs) Close(ctx context.Context, a *domain.Actor, id, version int64, outcome, note string) (*domain.Need, error) {
	if !domain.NeedOutcomes.Valid(outcome) {
		return nil, domain.FieldErrorf("outcome", "请选择需求的结果：已解决-签订技术合同、已解决-其他方式、未解决-撤回或过期")
	}
	note, err := stepNote("note", note, false)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "close", func(q *store.Q, x *domain.Need) (step, error) {
		if outcome == "expired" && !x.PastDeadline(s.today()) {
			return step{}, domain.FieldErrorf("outcome", "需求尚未到截止日期（%s），不能以“过期”关闭", x.Deadline)
		}
		x.Status, x.Outcome, x.OutcomeNote, x.ClosedOn = domain.NeedClosed, outcome, note, s.today()
		return step{Comment: domain.NeedOutcomes.Label(outcome) + strings.TrimSuffix("："+note, "：")}, nil
	})
}

// Withdraw takes a submitted or published need back by its enterprise,
// with a reason (closed, outcome 未解决-撤回).
func (s *Needs) Withdraw(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Need, error) {
	reason, err := stepNote("reason", reason, true)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "withdraw", func(q *store.Q, x *domain.Need) (step, error) {
		x.Status, x.Outcome, x.OutcomeNote, x.ClosedOn = domain.NeedClosed, "withdrawn", reason, s.today()
		return step{Comment: reason}, nil
	})
}

// Delete removes the enterprise's own draft.
func (s *Needs) Delete(ctx context.Context, a *domain.Actor, id, version int64) error {
	return deleteDraft(ctx, s.core, needKind, a, id, version)
}
