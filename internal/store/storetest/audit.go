package storetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"testing"
)

// AuditRow is an audit_log row as stored, as a forger sees it.
type AuditRow struct {
	Seq                                     int64
	At, ActorName, Action, Entity, EntityID string
	ActorID                                 int64
	Before, After, PrevHash, Hash           string
}

// Forgery is what an attacker who can write the database does to the audit
// chain: edit rows, delete the tail, move keyed_from, then recompute every
// hash from the first row touched on and set the head to the new last row,
// so the chain links again. The chain function is written out here from
// its documentation, as an attacker would write it, rather than borrowed
// from the store.
type Forgery struct {
	Edit       map[int64]func(*AuditRow) // rows to change, by seq
	DeleteFrom int64                     // delete rows with seq >= DeleteFrom (0: none)
	KeyedFrom  int64                     // set audit_head.keyed_from (0: leave)
	Key        []byte                    // rehash keyed rows with HMAC under Key; nil: an attacker without the key uses plain SHA-256
}

// ForgeAudit applies f to the database at url.
func ForgeAudit(tb testing.TB, url string, f Forgery) {
	tb.Helper()
	db := RawDB(tb, url)
	db.SetMaxOpenConns(1) // one connection for the whole forgery, however many rows it rewrites
	exec := func(query string, args ...any) {
		tb.Helper()
		if _, err := db.Exec(query, args...); err != nil {
			tb.Fatalf("storetest: forge audit %q: %v", query, err)
		}
	}
	if f.DeleteFrom > 0 {
		exec(`DELETE FROM audit_log WHERE seq >= $1`, f.DeleteFrom)
	}
	if f.KeyedFrom > 0 {
		exec(`UPDATE audit_head SET keyed_from = $1 WHERE id = 1`, f.KeyedFrom)
	}
	var keyedFrom int64
	if err := db.QueryRow(`SELECT keyed_from FROM audit_head WHERE id = 1`).Scan(&keyedFrom); err != nil {
		tb.Fatal(err)
	}
	rows := auditRows(tb, db)
	from := int64(1 << 62)
	for seq := range f.Edit {
		from = min(from, seq)
	}
	if f.KeyedFrom > 0 { // moving keyed_from changes how every row is hashed
		from = 1
	}
	prev := ""
	for _, r := range rows {
		if r.Seq >= from {
			if edit := f.Edit[r.Seq]; edit != nil {
				edit(r)
			}
			r.PrevHash = prev
			r.Hash = forgeHash(r, f.Key, keyedFrom)
			exec(`UPDATE audit_log SET at = $1, actor_id = $2, actor_name = $3, action = $4, entity = $5, entity_id = $6,
				before_json = $7, after_json = $8, prev_hash = $9, hash = $10 WHERE seq = $11`,
				r.At, r.ActorID, r.ActorName, r.Action, r.Entity, r.EntityID, r.Before, r.After, r.PrevHash, r.Hash, r.Seq)
		}
		prev = r.Hash
	}
	var last int64
	if len(rows) > 0 {
		last = rows[len(rows)-1].Seq
	}
	exec(`UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, last, prev)
}

func auditRows(tb testing.TB, db *sql.DB) []*AuditRow {
	tb.Helper()
	rs, err := db.Query(`SELECT seq, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rs.Close()
	var out []*AuditRow
	for rs.Next() {
		r := &AuditRow{}
		if err := rs.Scan(&r.Seq, &r.At, &r.ActorID, &r.ActorName, &r.Action, &r.Entity, &r.EntityID, &r.Before, &r.After, &r.PrevHash, &r.Hash); err != nil {
			tb.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// forgeHash is the chain function: the previous hash and every field,
// each as "len:value;", under HMAC-SHA-256 from keyed_from on when the
// forger holds the key, plain SHA-256 otherwise.
func forgeHash(r *AuditRow, key []byte, keyedFrom int64) string {
	var h hash.Hash = sha256.New()
	if key != nil && r.Seq >= keyedFrom {
		h = hmac.New(sha256.New, key)
	}
	for _, f := range []string{r.PrevHash, strconv.FormatInt(r.Seq, 10), r.At, strconv.FormatInt(r.ActorID, 10),
		r.ActorName, r.Action, r.Entity, r.EntityID, r.Before, r.After} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
