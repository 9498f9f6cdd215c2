package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// auditHash is the chain function of the rows written before the chain
// had a key: SHA-256 over the previous hash and every field of the row,
// each length-prefixed so no two rows encode alike.
func auditHash(e *domain.AuditEntry) string { return chainSum(sha256.New(), e) }

// auditHMAC is the chain function from keyed_from on: the same encoding
// under HMAC-SHA-256, so only a holder of the key can compute a row's hash
// and whoever can write the database cannot rewrite a row and rehash.
func auditHMAC(key []byte, e *domain.AuditEntry) string {
	return chainSum(hmac.New(sha256.New, key), e)
}

func chainSum(h hash.Hash, e *domain.AuditEntry) string {
	for _, f := range []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), ts(e.At), strconv.FormatInt(e.ActorID, 10),
		e.ActorName, e.Action, e.Entity, e.EntityID, string(e.Before), string(e.After)} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func marshalAudit(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	if raw, ok := v.(json.RawMessage); ok {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(strconv.Quote(err.Error()))
	}
	return b
}

// Audit appends a row in the same transaction as the change it records.
// The single audit_head row is updated first, which serialises concurrent
// writers on PostgreSQL and so keeps the chain linear.
func (q *Q) Audit(ctx context.Context, actor *domain.Actor, action, entity string, entityID any, before, after any) error {
	if !q.tx {
		return errors.New("store: audit outside a transaction (the row must commit with the change it records)")
	}
	if len(q.s.auditKey) == 0 {
		return errors.New("store: audit without a key (open the store with WithAuditKey)")
	}
	if actor == nil {
		actor = &domain.Actor{Username: "public"}
	}
	e := &domain.AuditEntry{At: q.Now(), ActorID: actor.UserID, ActorName: actor.Username, Action: action, Entity: entity,
		EntityID: fmt.Sprint(entityID), Before: marshalAudit(before), After: marshalAudit(after)}
	err := q.w.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&e.Seq, &e.PrevHash)
	if err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	e.Hash = auditHMAC(q.s.auditKey, e)
	if _, err := q.w.ExecContext(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, e.Hash); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	_, err = q.w.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, prev_hash, hash)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
		e.Seq, ts(e.At), e.ActorID, e.ActorName, e.Action, e.Entity, e.EntityID, string(e.Before), string(e.After), e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("store: audit insert: %w", err)
	}
	return nil
}

const auditCols = `seq, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (*domain.AuditEntry, error) {
	var e domain.AuditEntry
	var at, before, after string
	if err := row.Scan(&e.Seq, &at, &e.ActorID, &e.ActorName, &e.Action, &e.Entity, &e.EntityID, &before, &after, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At, e.Before, e.After = parseTS(at), json.RawMessage(before), json.RawMessage(after)
	return &e, nil
}

// FindAudit lists audit rows with the total count.
func (q *Q) FindAudit(ctx context.Context, f domain.AuditFilter) ([]*domain.AuditEntry, int, error) {
	var conds []string
	var args []any
	if f.Entity != "" {
		args = append(args, f.Entity)
		conds = append(conds, fmt.Sprintf("entity = $%d", len(args)))
	}
	if f.EntityID != "" {
		args = append(args, f.EntityID)
		conds = append(conds, fmt.Sprintf("entity_id = $%d", len(args)))
	}
	if f.ActorName != "" {
		args = append(args, f.ActorName)
		conds = append(conds, fmt.Sprintf("actor_name = $%d", len(args)))
	}
	if f.Action != "" {
		args = append(args, f.Action)
		conds = append(conds, fmt.Sprintf("action = $%d", len(args)))
	}
	// at is stored as fixed-width UTC text (tsLayout), so text order is time order
	if !f.From.IsZero() {
		args = append(args, ts(f.From))
		conds = append(conds, fmt.Sprintf("at >= $%d", len(args)))
	}
	if !f.To.IsZero() {
		args = append(args, ts(f.To))
		conds = append(conds, fmt.Sprintf("at < $%d", len(args)))
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count audit: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := q.r.QueryContext(ctx, fmt.Sprintf(`SELECT `+auditCols+` FROM audit_log %s ORDER BY seq DESC LIMIT $%d OFFSET $%d`, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find audit: %w", err)
	}
	defer rows.Close()
	var out []*domain.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}
