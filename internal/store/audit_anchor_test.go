package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// anchorAt returns the chain head as an anchor.
func anchorAt(t *testing.T, st *store.Store) domain.AuditAnchor {
	t.Helper()
	h, err := st.AuditHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h.At = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	return h
}

// resetAudit empties the chain, keyed from the first row.
func resetAudit(t *testing.T, st *store.Store) {
	t.Helper()
	storetest.Exec(t, st.URL(), `DELETE FROM audit_log`)
	storetest.Exec(t, st.URL(), `UPDATE audit_head SET seq = 0, hash = '', keyed_from = 1 WHERE id = 1`)
}

// TestAuditAnchors: forgeries that leave a chain which links and hashes
// (the attacker recomputed every hash and the head, with the key where it
// has one) pass without anchors and are caught by them.
func TestAuditAnchors(t *testing.T) {
	key := []byte(testutil.AuditKey)
	cases := []struct {
		name     string
		anchorAt []int64 // seqs anchored before the forgery
		forge    storetest.Forgery
		brokenAt int64
		reason   string
	}{
		{"TailDeletedHeadFixed", []int64{6}, storetest.Forgery{DeleteFrom: 5}, 5, "外部锚点（2026-12-01 10:00:00）记录到第 6 条，数据库只有 4 条"},
		{"RewrittenWithKey", []int64{6}, storetest.Forgery{Key: key, Edit: map[int64]func(*storetest.AuditRow){
			3: func(r *storetest.AuditRow) { r.ActorName = "admin" }}}, 1, "第 1 至第 6 条之间有记录被改写"},
		{"RewrittenWithKeyBetweenAnchors", []int64{2, 6}, storetest.Forgery{Key: key, Edit: map[int64]func(*storetest.AuditRow){
			3: func(r *storetest.AuditRow) { r.ActorName = "admin" }}}, 3, "第 3 至第 6 条之间"},
		{"KeyedFromMovedRehashedPlain", []int64{6}, storetest.Forgery{KeyedFrom: 100, Edit: map[int64]func(*storetest.AuditRow){
			2: func(r *storetest.AuditRow) { r.ActorName = "admin" }}}, 1, "密钥起点被改动"},
	}
	eachStore(t, func(t *testing.T, st *store.Store) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				resetAudit(t, st)
				var anchors []domain.AuditAnchor
				for i := int64(1); i <= 6; i++ {
					writeAudit(t, st, 1)
					for _, a := range tc.anchorAt {
						if a == i {
							anchors = append(anchors, anchorAt(t, st))
						}
					}
				}
				if rep, err := st.VerifyAudit(ctx, anchors...); err != nil || !rep.OK || rep.Anchors != len(anchors) || rep.AnchoredSeq != 6 {
					t.Fatalf("before the forgery: %+v, %v", rep, err)
				}
				storetest.ForgeAudit(t, st.URL(), tc.forge)
				// Without its anchors the forgery passes: they are what catch it.
				if rep, err := st.VerifyAudit(ctx); err != nil || !rep.OK {
					t.Fatalf("forgery without anchors: %+v, %v (the case does not test the anchors)", rep, err)
				}
				rep, err := st.VerifyAudit(ctx, anchors...)
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK || rep.BrokenAt != tc.brokenAt || !strings.Contains(rep.Reason, tc.reason) {
					t.Fatalf("report %+v, want broken at %d with %q", rep, tc.brokenAt, tc.reason)
				}
			})
		}
	})
}

// TestAuditKeyedFrom: a database whose rows predate the key still
// verifies, with keyed_from at the first row written after the upgrade;
// the first keyed row's HMAC covers the link to the unkeyed rows, so a
// rehashed old row is still caught, without the key.
func TestAuditKeyedFrom(t *testing.T) {
	t.Parallel()
	for _, ns := range storetest.OpenFresh(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			st := ns.Store
			if _, err := st.MigrateTo(ctx, beforeAuditKey(t, st)); err != nil {
				t.Fatal(err)
			}
			legacyAudit(t, st.URL(), 3)
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			writeAudit(t, st, 2)
			rep, err := st.VerifyAudit(ctx)
			if err != nil || !rep.OK || rep.Rows != 5 || rep.KeyedFrom != 4 {
				t.Fatalf("upgraded chain: %+v, %v", rep, err)
			}
			storetest.ForgeAudit(t, st.URL(), storetest.Forgery{Edit: map[int64]func(*storetest.AuditRow){
				2: func(r *storetest.AuditRow) { r.ActorName = "admin" }}})
			rep, err = st.VerifyAudit(ctx)
			if err != nil || rep.OK || rep.BrokenAt != 4 || !strings.Contains(rep.Reason, "密钥哈希不符") {
				t.Fatalf("rehashed old row: %+v, %v", rep, err)
			}
		})
	}
}

// beforeAuditKey is the migration before the one that keys the chain.
func beforeAuditKey(t *testing.T, st *store.Store) string {
	t.Helper()
	all, err := st.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range all {
		if strings.HasSuffix(v, "_audit_key") && i > 0 {
			return all[i-1]
		}
	}
	t.Fatalf("no audit_key migration after another in %v", all)
	return ""
}

// legacyAudit writes n rows as a release before the key did: plain
// SHA-256, head updated.
func legacyAudit(t *testing.T, url string, n int) {
	t.Helper()
	prev := ""
	for i := int64(1); i <= int64(n); i++ {
		e := &domain.AuditEntry{Seq: i, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ActorName: "system", Action: "org.create",
			Entity: "org", EntityID: "1", Before: []byte("null"), After: []byte(`{"name":"旧"}`), PrevHash: prev}
		e.Hash = store.AuditHash(e)
		storetest.Exec(t, url, `INSERT INTO audit_log (seq, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, prev_hash, hash)
			VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8, $9, $10)`, e.Seq, store.TS(e.At), e.ActorName, e.Action, e.Entity, e.EntityID, string(e.Before), string(e.After), e.PrevHash, e.Hash)
		prev = e.Hash
	}
	storetest.Exec(t, url, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, n, prev)
}

// TestAuditWithoutKey: a store opened without the key appends nothing and
// reports keyed rows as unverifiable, never as intact.
func TestAuditWithoutKey(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		writeAudit(t, st, 2)
		bare, err := store.Open(ctx, st.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer bare.Close()
		err = bare.InTx(ctx, func(q *store.Q) error { return q.Audit(ctx, nil, "stats.view", "stats", "2022", nil, nil) })
		if err == nil || !strings.Contains(err.Error(), "key") {
			t.Fatalf("audit without a key: %v", err)
		}
		rep, err := bare.VerifyAudit(ctx)
		if err != nil || rep.OK || rep.BrokenAt != 1 || !strings.Contains(rep.Reason, "缺少审计密钥") {
			t.Fatalf("verify without a key: %+v, %v", rep, err)
		}
	})
}
