package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"kechuang/internal/domain"
)

// historyRows is how many rows one INSERT of BulkHistory carries (11
// parameters a row: well under both databases' limits, and short enough
// that SQLite's lookup of $n names stays cheap).
const historyRows = 4

// BulkHistory appends history steps and, for each, the audit row a use
// case writes with it, in the transaction: for loaders that write records
// by the thousand (the demo's registered years) with the history the
// workflow would have given them. Each audit row takes its step's time,
// actor and action (entity.action); detail gives its before and after. The
// steps should come in time order, so the audit chain runs forward in
// time. The chain is extended exactly as Audit does it, row by row, and
// the head is moved once.
func (q *Q) BulkHistory(ctx context.Context, evs []*domain.Event, detail func(i int) (before, after any)) error {
	if !q.tx {
		return errors.New("store: bulk history outside a transaction")
	}
	if len(q.s.auditKey) == 0 {
		return errors.New("store: audit without a key (open the store with WithAuditKey)")
	}
	if len(evs) == 0 {
		return nil
	}
	var seq int64
	var prev string
	// Taking the head row's lock first, as Audit does, serialises writers.
	if err := q.w.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash`).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	entries := make([]*domain.AuditEntry, len(evs))
	for i, ev := range evs {
		before, after := detail(i)
		seq++
		e := &domain.AuditEntry{Seq: seq, At: ev.At, ActorID: ev.ActorID, ActorName: ev.ActorName, Action: ev.Entity + "." + ev.Action,
			Entity: ev.Entity, EntityID: fmt.Sprint(ev.EntityID), Before: marshalAudit(before), After: marshalAudit(after), PrevHash: prev}
		e.Hash = auditHMAC(q.s.auditKey, e)
		prev, entries[i] = e.Hash, e
	}
	// Full chunks reuse one prepared statement per table; the last, shorter
	// one is sent as it is.
	evStmt, auStmt := historyInsert("entity_events", historyEventCols, historyRows), historyInsert("audit_log", historyAuditCols, historyRows)
	var prepared [2]*sql.Stmt
	defer func() {
		for _, st := range prepared {
			if st != nil {
				st.Close()
			}
		}
	}()
	exec := func(i int, full string, partial func() string, rows int, args []any) error {
		if rows < historyRows {
			_, err := q.w.ExecContext(ctx, partial(), args...)
			return err
		}
		if prepared[i] == nil {
			st, err := q.w.PrepareContext(ctx, full)
			if err != nil {
				return err
			}
			prepared[i] = st
		}
		_, err := prepared[i].ExecContext(ctx, args...)
		return err
	}
	for start := 0; start < len(evs); start += historyRows {
		end := min(start+historyRows, len(evs))
		eargs := make([]any, 0, (end-start)*len(historyEventCols))
		aargs := make([]any, 0, (end-start)*len(historyAuditCols))
		for i := start; i < end; i++ {
			e, a := evs[i], entries[i]
			eargs = append(eargs, e.Entity, e.EntityID, ts(e.At), e.ActorID, e.ActorName, e.Action, e.From, e.To, e.Comment, e.Reason)
			aargs = append(aargs, a.Seq, ts(a.At), a.ActorID, a.ActorName, a.Action, a.Entity, a.EntityID, string(a.Before), string(a.After), a.PrevHash, a.Hash)
		}
		if err := exec(0, evStmt, func() string { return historyInsert("entity_events", historyEventCols, end-start) }, end-start, eargs); err != nil {
			return fmt.Errorf("store: bulk history: %w", err)
		}
		if err := exec(1, auStmt, func() string { return historyInsert("audit_log", historyAuditCols, end-start) }, end-start, aargs); err != nil {
			return fmt.Errorf("store: bulk audit: %w", err)
		}
	}
	if _, err := q.w.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, prev); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	return nil
}

var (
	historyEventCols = []string{"entity", "entity_id", "at", "actor_id", "actor_name", "action", "from_status", "to_status", "comment", "reason"}
	historyAuditCols = []string{"seq", "at", "actor_id", "actor_name", "action", "entity", "entity_id", "before_json", "after_json", "prev_hash", "hash"}
)

// historyInsert is an INSERT of rows rows into table.
func historyInsert(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(" + placeholders(len(cols), i*len(cols)+1) + ")")
	}
	return b.String()
}

// RegisteredIDs maps the registration numbers of a year's registered
// contracts to their ids (bulk inserts return none).
func (q *Q) RegisteredIDs(ctx context.Context, year int) (map[string]int64, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, reg_no FROM contracts WHERE reg_year = $1 AND status = 'registered'`, year)
	if err != nil {
		return nil, fmt.Errorf("store: registered ids: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var no string
		if err := rows.Scan(&id, &no); err != nil {
			return nil, err
		}
		out[no] = id
	}
	return out, rows.Err()
}
