package domain

import "slices"

// Transition is one row of a module's workflow table: an action allowed
// from some statuses, to an outcome, for the actors the module's policy
// admits.
type Transition[S ~string, T any] struct {
	Action string
	From   []S
	// To lists the statuses the action may end in; empty means the status
	// does not change (an edit). The first is the usual outcome (submit ends
	// in submitted, or in refused when the filing is refused at once).
	To []S
	// Allowed is the module's policy for the action, apart from the status.
	Allowed func(a *Actor, x T) bool
	// Denied is the message when Allowed says no (EFORBIDDEN).
	Denied string
	// StateForbidden makes a wrong status an EFORBIDDEN refusal (an owner
	// may not edit a registered contract) rather than an ECONFLICT (a
	// registrar acting on a contract someone else already decided).
	StateForbidden bool
	// Ready, when set, is the last condition on the record itself (a large
	// contract's expert review decided before registration or refusal):
	// its error, usually ECONFLICT with the reason, is the refusal.
	Ready func(x T) error
}

// Flow is a module's whole workflow table.
type Flow[S ~string, T any] struct {
	Status      func(T) S
	Label       func(S) string
	Transitions []Transition[S, T]
}

// Find returns the transition of an action.
func (f *Flow[S, T]) Find(action string) (*Transition[S, T], bool) {
	for i := range f.Transitions {
		if f.Transitions[i].Action == action {
			return &f.Transitions[i], true
		}
	}
	return nil, false
}

// Can reports whether a may take the action on x now.
func (f *Flow[S, T]) Can(action string, a *Actor, x T) bool { return f.Check(action, a, x) == nil }

// Actions is the set of actions a may take on x now: pages render their
// buttons from it.
func (f *Flow[S, T]) Actions(a *Actor, x T) map[string]bool {
	out := map[string]bool{}
	for _, t := range f.Transitions {
		if f.Check(t.Action, a, x) == nil {
			out[t.Action] = true
		}
	}
	return out
}

// Check explains why a may not take the action on x, or returns nil.
func (f *Flow[S, T]) Check(action string, a *Actor, x T) error {
	t, ok := f.Find(action)
	if !ok {
		return Errorf(EINTERNAL, "未定义的操作“%s”", action)
	}
	if a == nil {
		return Errorf(EUNAUTHORIZED, "请先登录")
	}
	st := f.Status(x)
	if t.StateForbidden && !slices.Contains(t.From, st) {
		return Errorf(EFORBIDDEN, "当前状态（%s）下不能%s", Msg(f.Label(st)), Msg(t.Denied))
	}
	if t.Allowed != nil && !t.Allowed(a, x) {
		return Errorf(EFORBIDDEN, "无权%s", Msg(t.Denied))
	}
	if !slices.Contains(t.From, st) {
		return Errorf(ECONFLICT, "当前状态为“%s”，不能%s", Msg(f.Label(st)), Msg(t.Denied))
	}
	if t.Ready != nil {
		return t.Ready(x)
	}
	return nil
}

// Ends reports whether the action may end in status to (from status from).
func (t *Transition[S, T]) Ends(from, to S) bool {
	if len(t.To) == 0 {
		return to == from
	}
	return slices.Contains(t.To, to)
}

// ActionNames lists the table's actions in order.
func (f *Flow[S, T]) ActionNames() []string {
	out := make([]string, len(f.Transitions))
	for i, t := range f.Transitions {
		out[i] = t.Action
	}
	return out
}

// Workflows lists every module's workflow actions by entity, for the
// checks that every action has an audit label and a history label: one
// line a module.
func Workflows() map[string][]string {
	return map[string][]string{
		"contract": ContractFlow.ActionNames(),
		"org":      OrgFlow.ActionNames(), "user": UserFlow.ActionNames(),
		"achievement": AchievementFlow.ActionNames(),
		"evaluation":  EvaluationFlow.ActionNames(),
		"need":        NeedFlow.ActionNames(),
		"challenge":   ChallengeFlow.ActionNames(), "challenge_answer": AnswerFlow.ActionNames(),
		"event":      TechEventFlow.ActionNames(),
		"enterprise": EnterpriseFlow.ActionNames(),
	}
}

// readyWhen is a transition's Ready condition from a predicate: refused
// with ECONFLICT and the message when ok says no.
func readyWhen[T any](ok func(T) bool, refusal string) func(T) error {
	return func(x T) error {
		if ok(x) {
			return nil
		}
		return Errorf(ECONFLICT, "%s", Msg(refusal))
	}
}
