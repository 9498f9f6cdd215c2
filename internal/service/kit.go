package service

import (
	"context"
	"strings"

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
	// For deleteDraft: remove deletes the row (store: a draft only) and
	// title is what the history step of the deletion keeps of it.
	remove func(ctx context.Context, q *store.Q, id int64) error
	title  func(T) string
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
	x, err := visible(ctx, q, k, a, id)
	if err != nil {
		return out, err
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
	if err := c.runHooks(ctx, q, a, ev, x); err != nil {
		return out, err
	}
	return x, q.Audit(ctx, a, k.name+"."+action, k.name, k.id(x), before, x)
}

// stepHook runs in the transaction of every workflow step of mutate,
// after its history row ev is written; x is the entity after the step.
// An error rolls the step back.
type stepHook func(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, x any) error

// runHooks runs the step hooks on the step ev of x.
func (c *core) runHooks(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, x any) error {
	for _, h := range c.hooks {
		if err := h(ctx, q, a, ev, x); err != nil {
			return err
		}
	}
	return nil
}

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

// get returns the entity if the actor may see it; a hidden one is "not
// found" (k.notFound), as a missing one.
func get[S ~string, T any](ctx context.Context, c *core, k *entityKind[S, T], a *domain.Actor, id int64) (T, error) {
	return visible(ctx, c.store.Q, k, a, id)
}

// visible loads the entity through q (in a transaction or not) if the
// actor may see it; a hidden one is "not found" (k.notFound), as a
// missing one.
func visible[S ~string, T any](ctx context.Context, q *store.Q, k *entityKind[S, T], a *domain.Actor, id int64) (T, error) {
	x, err := k.load(ctx, q, id)
	if err != nil {
		return x, err
	}
	if !k.canSee(a, x) {
		var zero T
		return zero, domain.Errorf(domain.ENOTFOUND, "%s", domain.Msg(k.notFound))
	}
	return x, nil
}

// history returns the history of x, an entity the actor may see, if
// canSeeHistory lets them (the history names the staff): else the public
// must log in, and a signed-in actor is refused (forbidden(what)).
func history[S ~string, T any](ctx context.Context, c *core, k *entityKind[S, T], a *domain.Actor, x T,
	canSeeHistory func(*domain.Actor, T) bool, what string) ([]*domain.Event, error) {
	if !canSeeHistory(a, x) {
		if err := requireLogin(a); err != nil {
			return nil, err
		}
		return nil, forbidden(what)
	}
	return c.store.Events(ctx, k.name, k.id(x))
}

// created writes, in the transaction that inserted x, the "create" step of
// its history and its audit row.
func created[S ~string, T any](ctx context.Context, q *store.Q, k *entityKind[S, T], a *domain.Actor, x T) error {
	s := string(k.flow.Status(x))
	if err := addEvent(ctx, q, a, k.name, k.id(x), "create", s, s, step{}); err != nil {
		return err
	}
	return q.Audit(ctx, a, k.name+".create", k.name, k.id(x), nil, x)
}

// createdHeard is created for an entity whose creation others hear of
// (an answer received: its challenge's owner is told): the create step
// comes from no status and runs the step hooks (mutate's) before the
// audit row.
func createdHeard[S ~string, T any](ctx context.Context, q *store.Q, c *core, k *entityKind[S, T], a *domain.Actor, x T) error {
	ev := newEvent(a, k.name, k.id(x), "create", "", string(k.flow.Status(x)), step{})
	if err := q.AddEvent(ctx, ev); err != nil {
		return err
	}
	if err := c.runHooks(ctx, q, a, ev, x); err != nil {
		return err
	}
	return q.Audit(ctx, a, k.name+".create", k.name, k.id(x), nil, x)
}

// deleteDraft removes an entity by the workflow's "delete" action: in one
// transaction it loads it, hides it from actors who may not see it,
// checks the version the actor saw (always: a deletion is never blind),
// checks the table, removes the row and writes the history step (with the
// entity's title) and the audit row.
func deleteDraft[S ~string, T any](ctx context.Context, c *core, k *entityKind[S, T], a *domain.Actor, id, version int64) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	return c.store.InTx(ctx, func(q *store.Q) error {
		x, err := visible(ctx, q, k, a, id)
		if err != nil {
			return err
		}
		if version != k.version(x) {
			return staleVersion(k.stale)
		}
		if err := k.flow.Check("delete", a, x); err != nil {
			return err
		}
		if err := k.remove(ctx, q, id); err != nil {
			return err
		}
		s := string(k.flow.Status(x))
		if err := addEvent(ctx, q, a, k.name, id, "delete", s, s, step{Comment: k.title(x)}); err != nil {
			return err
		}
		return q.Audit(ctx, a, k.name+".delete", k.name, id, x, nil)
	})
}

// chainCodes lists the city's chain codes offered for new records (read
// before a transaction).
func (c *core) chainCodes(ctx context.Context) ([]string, error) {
	cs, err := c.store.VisibleChains(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(cs))
	for i, ch := range cs {
		out[i] = ch.Code
	}
	return out, nil
}

// textCleaner checks a record's typed text for control, format and bidi
// characters, collecting the errors by field, and cleans what passes: a
// line with textnorm.Clean, prose (multi-line) trimmed and NFC-normalised
// only, so it keeps its full-width punctuation (Clean folds "，" to ",").
type textCleaner struct{ v domain.Validator }

// line checks and cleans a one-line field.
func (c *textCleaner) line(field string, p *string) { c.clean(field, p, false) }

// prose checks and cleans a multi-line field.
func (c *textCleaner) prose(field string, p *string) { c.clean(field, p, true) }

func (c *textCleaner) clean(field string, p *string, multiline bool) {
	if err := textnorm.CheckField(field, *p, textnorm.Options{Multiline: multiline}); err != nil {
		c.v.Add(field, "%s", domain.ErrorText(err))
		return
	}
	if multiline {
		*p = strings.TrimSpace(textnorm.NFC(*p))
	} else {
		*p = textnorm.Clean(*p)
	}
}

// err is the fields' errors, nil when all passed.
func (c *textCleaner) err() error { return c.v.Err() }

// orEmpty is a list never null in the answers (as read back from the store).
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
