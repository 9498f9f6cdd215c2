package domain

import "time"

// Event is one step of an entity's history (one table, entity_events, for
// every module's workflow); the hash-chained audit log records the same
// change with its before and after.
type Event struct {
	ID        int64     `json:"id"`
	Entity    string    `json:"entity"`
	EntityID  int64     `json:"entity_id"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id"` // 0 for the system
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	From      string    `json:"from_status"`
	To        string    `json:"to_status"`
	Comment   string    `json:"comment"`
	// Reason is a coded reason of the step (for contracts the refusal
	// ground).
	Reason string `json:"reason,omitempty"`
	// Changes are the fields an edit changed (old → new).
	Changes []Change `json:"changes,omitempty"`
}
