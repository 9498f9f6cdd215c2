package domain

import (
	"encoding/json"
	"time"
)

// AuditEntry is one row of the append-only, hash-chained audit log.
type AuditEntry struct {
	Seq       int64           `json:"seq"`
	At        time.Time       `json:"at"`
	ActorID   int64           `json:"actor_id"`
	ActorName string          `json:"actor_name"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	PrevHash  string          `json:"prev_hash"`
	Hash      string          `json:"hash"`
}

// AuditFilter selects audit rows, newest first.
type AuditFilter struct {
	Entity   string
	EntityID string
	Offset   int
	Limit    int
}

// AuditReport is the result of VerifyAudit.
type AuditReport struct {
	Rows     int64  `json:"rows"`
	OK       bool   `json:"ok"`
	BrokenAt int64  `json:"broken_at,omitempty"` // seq of the first row that fails
	Reason   string `json:"reason,omitempty"`
}
