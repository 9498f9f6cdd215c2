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
	// ActorDisplay and ActorOrg are the actor's name and organisation as
	// people read them (read with the history; "" for the system or a
	// deleted account).
	ActorDisplay string `json:"-"`
	ActorOrg     string `json:"-"`
	Action       string `json:"action"`
	From         string `json:"from_status"`
	To           string `json:"to_status"`
	Comment      string `json:"comment"`
	// Reason is a coded reason of the step (for contracts the refusal
	// ground).
	Reason string `json:"reason,omitempty"`
	// Changes are the fields an edit changed (old → new).
	Changes []Change `json:"changes,omitempty"`
}

// Who is the actor as a timeline names them: "李登记员（沈阳市技术合同登记处）",
// the login name when the account has no record, "" for the system (the
// page says 系统 in the reader's language). Pages only: the API keeps
// actor_name.
func (e *Event) Who() string {
	switch {
	case e.ActorDisplay != "" && e.ActorOrg != "":
		return e.ActorDisplay + "（" + e.ActorOrg + "）"
	case e.ActorDisplay != "":
		return e.ActorDisplay
	case e.ActorID == 0 && (e.ActorName == "" || e.ActorName == "system"):
		return ""
	}
	return e.ActorName
}
