package service

import (
	"context"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// entityKind is what the generic workflow machinery needs to know of one
// module's entity: how to load and save it, who may see it, its workflow
// table and how its history is named.
type entityKind[S ~string, T any] struct {
	name     string // entity_events.entity and the audit entity, e.g. "contract"
	notFound string // the message for a missing or hidden entity
	stale    string // the message for an action on a version since changed ("" for the generic one)
	flow     *domain.Flow[S, T]
	load     func(ctx context.Context, q *store.Q, id int64) (T, error)
	save     func(ctx context.Context, q *store.Q, x T) error
	canSee   func(a *domain.Actor, x T) bool
	id       func(T) int64
	version  func(T) int64
	clone    func(T) T // a snapshot for the audit's before
}

// step is what an action's apply function reports for the history.
type step struct {
	Comment, Reason string
	Changes         []domain.Change
}

// mutate is the one workflow engine: in one transaction it loads the
// entity, hides it from actors who may not see it, checks the version the
// actor saw (0 skips the check, for idempotent uploads), checks the
// workflow table, lets apply change it, checks the outcome against the
// table, saves it, and writes the history step and the audit row.
func mutate[S ~string, T any](ctx context.Context, c *core, k *entityKind[S, T], a *domain.Actor, id, version int64, action string,
	apply func(q *store.Q, x T) (step, error)) (T, error) {
	var out T
	if err := requireLogin(a); err != nil {
		return out, err
	}
	err := c.store.InTx(ctx, func(q *store.Q) (err error) {
		out, err = mutateIn(ctx, q, c, k, a, id, version, action, apply)
		return err
	})
	return out, err
}

// mutateIn is mutate inside a transaction the caller holds (a use case
// that takes several steps at once, such as an import filing its records
// as submitted, runs each step through it).
func mutateIn[S ~string, T any](ctx context.Context, q *store.Q, c *core, k *entityKind[S, T], a *domain.Actor, id, version int64, action string,
	apply func(q *store.Q, x T) (step, error)) (T, error) {
	var out T
	if err := requireLogin(a); err != nil {
		return out, err
	}
	t, ok := k.flow.Find(action)
	if !ok {
		return out, domain.Errorf(domain.EINTERNAL, "未定义的操作“%s”", action)
	}
	x, err := k.load(ctx, q, id)
	if err != nil {
		return out, err
	}
	if !k.canSee(a, x) {
		return out, domain.Errorf(domain.ENOTFOUND, "%s", k.notFound)
	}
	if version != 0 && version != k.version(x) {
		return out, staleVersion(k.stale)
	}
	if err := k.flow.Check(action, a, x); err != nil {
		return out, err
	}
	before, from := k.clone(x), k.flow.Status(x)
	st, err := apply(q, x)
	if err != nil {
		return out, err
	}
	to := k.flow.Status(x)
	if !t.Ends(from, to) {
		return out, domain.Errorf(domain.EINTERNAL, "操作“%s”不能从“%s”转到“%s”", action, from, to)
	}
	if err := k.save(ctx, q, x); err != nil {
		return out, err
	}
	ev := newEvent(a, k.name, k.id(x), action, string(from), string(to), st)
	if err := q.AddEvent(ctx, ev); err != nil {
		return out, err
	}
	// The step's consequences (notifications, mail) in its transaction:
	// a step rolled back never notifies.
	for _, h := range c.hooks {
		if err := h(ctx, q, a, ev, x); err != nil {
			return out, err
		}
	}
	return x, q.Audit(ctx, a, k.name+"."+action, k.name, k.id(x), before, x)
}

// stepHook runs in the transaction of every workflow step of mutate,
// after its history row ev is written; x is the entity after the step.
// An error rolls the step back.
type stepHook func(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, x any) error

// addEvent writes one step of an entity's history.
func addEvent(ctx context.Context, q *store.Q, a *domain.Actor, entity string, id int64, action, from, to string, st step) error {
	return q.AddEvent(ctx, newEvent(a, entity, id, action, from, to, st))
}

// newEvent is one step of an entity's history, by a (nil: the system).
func newEvent(a *domain.Actor, entity string, id int64, action, from, to string, st step) *domain.Event {
	name := "system"
	var actorID int64
	if a != nil {
		name, actorID = a.Username, a.UserID
	}
	return &domain.Event{Entity: entity, EntityID: id, ActorID: actorID, ActorName: name, Action: action,
		From: from, To: to, Comment: st.Comment, Reason: st.Reason, Changes: st.Changes}
}

// staleVersion is the refusal of an action taken on a version the entity
// has moved past (a stale tab): it says plainly that nothing was done
// (walkthrough #10), without internal version numbers.
func staleVersion(msg string) error {
	if msg == "" {
		msg = "已被他人修改，您的操作未执行，请刷新后重试"
	}
	return domain.Errorf(domain.ECONFLICT, "%s", domain.Msg(msg))
}

// ContractStale is the contract module's stale-version refusal.
const ContractStale = "此合同已被他人修改，您的操作未执行，请刷新后重试"

// stepNote checks and cleans the comment, reason or note a workflow step
// carries (required when need), naming field.
func stepNote(field, s string, need bool) (string, error) {
	if err := textnorm.CheckField(field, s, textnorm.Options{Multiline: true}); err != nil {
		return "", err
	}
	s = textnorm.Clean(s)
	var v domain.Validator
	v.Check(!need || s != "", field, "请填写理由")
	v.Check(len([]rune(s)) <= 500, field, "不超过500字")
	return s, v.Err()
}
