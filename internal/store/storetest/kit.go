package storetest

import (
	"context"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// The builders' kit: a module's builder keeps its record's history in a
// steps value and writes the record with it through insertWithHistory, the
// way the service's workflow would have left it.

// steps is the history a builder records for a record of entity whose
// status is *status: each step moves the status and is kept for Insert.
type steps[S ~string] struct {
	w      *World
	entity string
	status *S
	events []domain.Event
}

func newSteps[S ~string](w *World, entity string, status *S) steps[S] {
	return steps[S]{w: w, entity: entity, status: status}
}

// start records the "create" step, in status s.
func (s *steps[S]) start(st S) {
	*s.status = st
	s.step("create", st)
}

// step records action, from the current status to to, at the world's now.
func (s *steps[S]) step(action string, to S) {
	s.events = append(s.events, domain.Event{Entity: s.entity, At: s.w.Clock.Now(), Action: action, From: string(*s.status), To: string(to)})
	*s.status = to
}

// insertWithHistory writes the record through insert (which returns its
// id) and then its steps, taken by the user of the owner's organisation
// (who also creates the record when createdBy is 0) and, for the actions
// in bureau, by the bureau's.
func (s *steps[S]) insertWithHistory(ownerOrg int64, createdBy *int64, bureau []string, insert func(ctx context.Context, tx *store.Q) (int64, error)) {
	s.w.inTx(func(ctx context.Context, tx *store.Q) error {
		owner := s.w.userOf(ownerOrg)
		if *createdBy == 0 && owner != nil {
			*createdBy = owner.ID
		}
		id, err := insert(ctx, tx)
		if err != nil {
			return err
		}
		staff := s.w.userOf(s.w.Bureau.ID)
		for _, e := range s.events {
			e.EntityID = id
			by := owner
			for _, a := range bureau {
				if e.Action == a {
					by = staff
				}
			}
			if by != nil {
				e.ActorID, e.ActorName = by.ID, by.Username
			}
			if err := tx.AddEvent(ctx, &e); err != nil {
				return err
			}
		}
		return nil
	})
}
