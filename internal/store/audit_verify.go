package store

import (
	"context"
	"crypto/hmac"
	"fmt"

	"kechuang/internal/domain"
)

// AuditHead returns the chain's head: its last seq and hash and the first
// keyed seq. At is left zero: whoever anchors the head stamps it.
func (q *Q) AuditHead(ctx context.Context) (domain.AuditAnchor, error) {
	var h domain.AuditAnchor
	err := q.r.QueryRowContext(ctx, `SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.KeyedFrom)
	if err != nil {
		return h, fmt.Errorf("store: audit head: %w", err)
	}
	return h, nil
}

// VerifyAudit walks the chain from the first row and reports the first
// broken link: a missing sequence number, a row whose prev_hash is not the
// previous row's hash, a row whose hash does not match its content (plain
// SHA-256 before keyed_from, HMAC with the store's key from it on), a row
// whose hash differs from an anchor's, or a tail shorter than the head or
// an anchor records.
//
// The chain head is read first and only rows up to it are checked, so rows
// appended while the check runs are neither missed nor taken for tampering.
// Read the anchors before calling, for the same reason: none is then newer
// than the head read here.
func (q *Q) VerifyAudit(ctx context.Context, anchors ...domain.AuditAnchor) (domain.AuditReport, error) {
	head, err := q.AuditHead(ctx)
	if err != nil {
		return domain.AuditReport{}, err
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq <= $1 ORDER BY seq`, head.Seq)
	if err != nil {
		return domain.AuditReport{}, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	w := newAuditWalk(q.s.auditKey, head, anchors)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return w.rep, err
		}
		w.row(e)
	}
	if err := rows.Err(); err != nil {
		return w.rep, err
	}
	w.end(head)
	return w.rep, nil
}

// auditWalk is the state of one verification: the report so far, the
// previous row's hash, the seq expected next, and the anchors by seq.
type auditWalk struct {
	key       []byte
	keyedFrom int64
	anchors   []domain.AuditAnchor
	atSeq     map[int64][]domain.AuditAnchor
	rep       domain.AuditReport
	prev      string
	want      int64
	matched   int64 // the highest seq an anchor confirmed so far
}

func newAuditWalk(key []byte, head domain.AuditAnchor, anchors []domain.AuditAnchor) *auditWalk {
	w := &auditWalk{key: key, keyedFrom: head.KeyedFrom, anchors: anchors, atSeq: map[int64][]domain.AuditAnchor{}, want: 1,
		rep: domain.AuditReport{OK: true, KeyedFrom: head.KeyedFrom, Anchors: len(anchors)}}
	for _, a := range anchors {
		w.atSeq[a.Seq] = append(w.atSeq[a.Seq], a)
		w.rep.AnchoredSeq = max(w.rep.AnchoredSeq, a.Seq)
		// Moving keyed_from forward would let a forger rehash the rows it
		// skips without the key; the anchors recorded where it was.
		if a.KeyedFrom != head.KeyedFrom {
			w.breakAt(min(a.KeyedFrom, head.KeyedFrom), fmt.Sprintf("密钥起点被改动：外部锚点（%s）记载自第 %d 条起以密钥签名，数据库记载第 %d 条",
				anchorTime(a), a.KeyedFrom, head.KeyedFrom))
		}
	}
	return w
}

func anchorTime(a domain.AuditAnchor) string {
	return a.At.In(domain.ChinaTZ).Format("2006-01-02 15:04:05")
}

// breakAt records the first break; later ones are not reported.
func (w *auditWalk) breakAt(seq int64, reason string) {
	if w.rep.OK {
		w.rep.OK, w.rep.BrokenAt, w.rep.Reason = false, seq, reason
	}
}

func (w *auditWalk) row(e *domain.AuditEntry) {
	w.rep.Rows++
	if w.rep.OK {
		w.check(e)
	}
	w.prev, w.want = e.Hash, e.Seq+1
}

func (w *auditWalk) check(e *domain.AuditEntry) {
	keyed := e.Seq >= w.keyedFrom
	switch {
	case e.Seq != w.want:
		w.breakAt(w.want, fmt.Sprintf("缺少第 %d 条记录（下一条为第 %d 条）", w.want, e.Seq))
	case e.PrevHash != w.prev:
		w.breakAt(e.Seq, fmt.Sprintf("第 %d 条记录的前序哈希与第 %d 条的哈希不一致", e.Seq, e.Seq-1))
	case !keyed && auditHash(e) != e.Hash:
		w.breakAt(e.Seq, fmt.Sprintf("第 %d 条记录的内容与其哈希不符（被篡改）", e.Seq))
	case keyed && len(w.key) == 0:
		w.breakAt(e.Seq, fmt.Sprintf("缺少审计密钥：第 %d 条起的记录以密钥签名，无法校验", e.Seq))
	case keyed && !hmac.Equal([]byte(auditHMAC(w.key, e)), []byte(e.Hash)):
		w.breakAt(e.Seq, fmt.Sprintf("第 %d 条记录的内容与其密钥哈希不符（被篡改，或审计密钥不对）", e.Seq))
	}
	if w.rep.OK {
		w.checkAnchors(e)
	}
}

// checkAnchors compares a row with the anchors taken at its seq. A row
// that verifies but differs from its anchor was rewritten by someone with
// the key: the rewrite lies after the last anchor that still held.
func (w *auditWalk) checkAnchors(e *domain.AuditEntry) {
	for _, a := range w.atSeq[e.Seq] {
		if a.Hash != e.Hash {
			w.breakAt(w.matched+1, fmt.Sprintf("第 %d 条记录的哈希与外部锚点（%s）不符：第 %d 至第 %d 条之间有记录被改写",
				e.Seq, anchorTime(a), w.matched+1, e.Seq))
			return
		}
		w.matched = e.Seq
	}
}

// end checks the tail against the head and against the anchors: deleting
// the last rows and resetting the head leaves a chain that links, but not
// one as long as an anchor recorded.
func (w *auditWalk) end(head domain.AuditAnchor) {
	last := w.want - 1
	if head.Seq != last || head.Hash != w.prev {
		w.breakAt(w.want, fmt.Sprintf("日志末尾被截断：链头记录到第 %d 条，实际只有 %d 条", head.Seq, last))
	}
	if w.rep.AnchoredSeq <= last {
		return
	}
	for _, a := range w.atSeq[w.rep.AnchoredSeq] {
		w.breakAt(last+1, fmt.Sprintf("日志末尾被截断：外部锚点（%s）记录到第 %d 条，数据库只有 %d 条", anchorTime(a), a.Seq, last))
	}
}
