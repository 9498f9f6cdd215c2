package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// auditHash is the chain function: SHA-256 over the previous hash and every
// field of the row, each length-prefixed so no two rows encode alike.
func auditHash(e *domain.AuditEntry) string {
	h := sha256.New()
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
	if actor == nil {
		actor = &domain.Actor{Username: "public"}
	}
	e := &domain.AuditEntry{At: q.Now(), ActorID: actor.UserID, ActorName: actor.Username, Action: action, Entity: entity,
		EntityID: fmt.Sprint(entityID), Before: marshalAudit(before), After: marshalAudit(after)}
	err := q.w.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&e.Seq, &e.PrevHash)
	if err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	e.Hash = auditHash(e)
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

// VerifyAudit walks the chain from the first row and reports the first
// broken link: a row whose hash does not match its content, whose prev_hash
// is not the previous row's hash, or a missing sequence number.
//
// The chain head is read first and only rows up to it are checked, so rows
// appended while the check runs are neither missed nor taken for tampering.
func (q *Q) VerifyAudit(ctx context.Context) (domain.AuditReport, error) {
	var headSeq int64
	var headHash string
	if err := q.r.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return domain.AuditReport{}, fmt.Errorf("store: audit head: %w", err)
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq <= $1 ORDER BY seq`, headSeq)
	if err != nil {
		return domain.AuditReport{}, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	rep := domain.AuditReport{OK: true}
	prev, want := "", int64(1)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return rep, err
		}
		rep.Rows++
		if !rep.OK {
			continue
		}
		switch {
		case e.Seq != want:
			rep.OK, rep.BrokenAt, rep.Reason = false, want, fmt.Sprintf("缺少第 %d 条记录（下一条为第 %d 条）", want, e.Seq)
		case e.PrevHash != prev:
			rep.OK, rep.BrokenAt, rep.Reason = false, e.Seq, fmt.Sprintf("第 %d 条记录的前序哈希与第 %d 条的哈希不一致", e.Seq, e.Seq-1)
		case auditHash(e) != e.Hash:
			rep.OK, rep.BrokenAt, rep.Reason = false, e.Seq, fmt.Sprintf("第 %d 条记录的内容与其哈希不符（被篡改）", e.Seq)
		}
		prev, want = e.Hash, e.Seq+1
	}
	if err := rows.Err(); err != nil {
		return rep, err
	}
	if rep.OK {
		if headSeq != want-1 || headHash != prev {
			rep.OK, rep.BrokenAt, rep.Reason = false, want, fmt.Sprintf("日志末尾被截断：链头记录到第 %d 条，实际只有 %d 条", headSeq, want-1)
		}
	}
	return rep, nil
}
