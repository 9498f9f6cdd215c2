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
	Entity    string
	EntityID  string
	ActorName string    // the login name of who acted ("" any)
	Action    string    // an action code of the audit vocabulary ("" any)
	From, To  time.Time // rows at or after From and before To (zero: unbounded)
	Offset    int
	Limit     int
}

// AuditReport is the result of VerifyAudit.
type AuditReport struct {
	Rows     int64  `json:"rows"`
	OK       bool   `json:"ok"`
	BrokenAt int64  `json:"broken_at,omitempty"` // seq of the first row that fails
	Reason   string `json:"reason,omitempty"`
	// KeyedFrom is the first seq whose hash is keyed (HMAC); the rows
	// before it were written before the chain had a key.
	KeyedFrom int64 `json:"keyed_from"`
	// Anchors is how many anchors kept outside the database were checked,
	// AnchoredSeq the highest seq they record (0: none).
	Anchors     int   `json:"anchors"`
	AnchoredSeq int64 `json:"anchored_seq,omitempty"`
}

// AuditAnchor is the chain head as recorded outside the database: the
// last seq, its hash and the first keyed seq at a moment. Anchors make a
// truncated tail, a moved key start or a rewrite by someone holding the
// key visible, since the database cannot rewrite them.
type AuditAnchor struct {
	At        time.Time `json:"at"`
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	KeyedFrom int64     `json:"keyed_from"`
}
