package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// writeAudit appends n rows, each in its own transaction.
func writeAudit(t *testing.T, st *store.Store, n int) {
	t.Helper()
	a := &domain.Actor{UserID: 3, Username: "li", Role: domain.RoleRegistrar, OrgID: 1}
	for i := 1; i <= n; i++ {
		err := inTx(t, st, func(tx *store.Q) error {
			return tx.Audit(context.Background(), a, "contract.register", "contract", i,
				map[string]any{"status": "submitted"}, map[string]any{"status": "registered", "reg_no": fmt.Sprintf("2022210100%06d", i)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditChain(t *testing.T) {
	cases := []struct {
		name       string
		tamper     func(t *testing.T, st *store.Store)
		brokenAt   int64
		reasonPart string
	}{
		{"Intact", func(*testing.T, *store.Store) {}, 0, ""},
		{"AfterJSONChanged", func(t *testing.T, st *store.Store) {
			storetest.Exec(t, st.URL(), `UPDATE audit_log SET after_json = $1 WHERE seq = 4`, `{"status":"registered","reg_no":"2022210100999999"}`)
		}, 4, "篡改"},
		{"ActorChanged", func(t *testing.T, st *store.Store) {
			storetest.Exec(t, st.URL(), `UPDATE audit_log SET actor_name = 'someone' WHERE seq = 2`)
		}, 2, "篡改"},
		{"RowRehashedWithKey", func(t *testing.T, st *store.Store) {
			// A forger with the key who recomputes only the row's own hash
			// breaks the next link.
			rows, _, err := st.FindAudit(context.Background(), domain.AuditFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range rows {
				if e.Seq == 3 {
					e.After = []byte(`{"forged":true}`)
					storetest.Exec(t, st.URL(), `UPDATE audit_log SET after_json = $1, hash = $2 WHERE seq = 3`, string(e.After), store.AuditHMAC([]byte(testutil.AuditKey), e))
				}
			}
		}, 4, "前序哈希"},
		{"ChainRehashedWithoutKey", func(t *testing.T, st *store.Store) {
			// The probe's forgery (M7): change a row, recompute every later
			// hash and the head with plain SHA-256. The key is missing.
			storetest.ForgeAudit(t, st.URL(), storetest.Forgery{Edit: map[int64]func(*storetest.AuditRow){
				3: func(r *storetest.AuditRow) { r.ActorName = "admin" }}})
		}, 3, "篡改"},
		{"ChainRehashedWithWrongKey", func(t *testing.T, st *store.Store) {
			storetest.ForgeAudit(t, st.URL(), storetest.Forgery{Key: []byte("a-guessed-key-of-thirty-two-bytes!!"), Edit: map[int64]func(*storetest.AuditRow){
				5: func(r *storetest.AuditRow) { r.After = `{"status":"registered"}` }}})
		}, 5, "篡改"},
		{"MiddleRowDeleted", func(t *testing.T, st *store.Store) {
			storetest.Exec(t, st.URL(), `DELETE FROM audit_log WHERE seq = 3`)
		}, 3, "缺少第 3 条"},
		{"TailTruncated", func(t *testing.T, st *store.Store) {
			storetest.Exec(t, st.URL(), `DELETE FROM audit_log WHERE seq >= 5`)
		}, 5, "截断"},
		{"FirstRowDeleted", func(t *testing.T, st *store.Store) {
			storetest.Exec(t, st.URL(), `DELETE FROM audit_log WHERE seq = 1`)
		}, 1, "缺少第 1 条"},
	}
	eachStore(t, func(t *testing.T, st *store.Store) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				// Each case starts from an empty chain on the same database.
				storetest.Exec(t, st.URL(), `DELETE FROM audit_log`)
				storetest.Exec(t, st.URL(), `UPDATE audit_head SET seq = 0, hash = '' WHERE id = 1`)
				writeAudit(t, st, 6)
				tc.tamper(t, st)
				rep, err := st.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if tc.brokenAt == 0 {
					if !rep.OK || rep.Rows != 6 {
						t.Fatalf("intact chain reported %+v", rep)
					}
					return
				}
				if rep.OK || rep.BrokenAt != tc.brokenAt || !strings.Contains(rep.Reason, tc.reasonPart) {
					t.Fatalf("report %+v, want broken at %d with %q", rep, tc.brokenAt, tc.reasonPart)
				}
			})
		}
	})
}

func TestAuditFind(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		writeAudit(t, st, 5)
		err := inTx(t, st, func(tx *store.Q) error {
			return tx.Audit(ctx, nil, "stats.view", "stats", "2022", nil, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, total, err := st.FindAudit(ctx, domain.AuditFilter{Entity: "contract", Limit: 2})
		if err != nil || total != 5 || len(rows) != 2 || rows[0].Seq != 5 || rows[1].Seq != 4 {
			t.Fatalf("FindAudit = %d rows, total %d, %v", len(rows), total, err)
		}
		one, total, err := st.FindAudit(ctx, domain.AuditFilter{Entity: "contract", EntityID: "2"})
		if err != nil || total != 1 || one[0].Seq != 2 || !strings.Contains(string(one[0].After), "2022210100000002") {
			t.Fatalf("by entity id = %+v, %d, %v", one, total, err)
		}
		pub, _, _ := st.FindAudit(ctx, domain.AuditFilter{Entity: "stats"})
		if len(pub) != 1 || pub[0].ActorName != "public" || string(pub[0].Before) != "null" {
			t.Fatalf("public row = %+v", pub)
		}
		if rep, err := st.VerifyAudit(ctx); err != nil || !rep.OK || rep.Rows != 6 {
			t.Fatalf("VerifyAudit = %+v, %v", rep, err)
		}
	})
}

// TestAuditFindFilters: the audit log's filters by who, what and when
// (walkthrough finding 14) select exactly the rows that match, on both
// databases; the time range is half-open [From, To).
func TestAuditFindFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clock := domain.NewManualClock(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC))
		cst := st.WithClock(clock)
		alice, bob := &domain.Actor{UserID: 1, Username: "alice"}, &domain.Actor{UserID: 2, Username: "bob"}
		write := func(a *domain.Actor, action string, at time.Time) {
			clock.Set(at)
			if err := cst.InTx(ctx, func(q *store.Q) error { return q.Audit(ctx, a, action, "contract", 7, nil, map[string]int{"v": 1}) }); err != nil {
				t.Fatal(err)
			}
		}
		d := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
		write(alice, "contract.create", d(28, 9))
		write(bob, "contract.register", d(29, 9))
		write(alice, "contract.register", d(30, 9))
		write(alice, "contract.return", d(30, 23))
		for _, tt := range []struct {
			name string
			f    domain.AuditFilter
			want []int64 // seqs, newest first
		}{
			{"All", domain.AuditFilter{}, []int64{4, 3, 2, 1}},
			{"ByUser", domain.AuditFilter{ActorName: "alice"}, []int64{4, 3, 1}},
			{"ByAction", domain.AuditFilter{Action: "contract.register"}, []int64{3, 2}},
			{"UserAndAction", domain.AuditFilter{ActorName: "alice", Action: "contract.register"}, []int64{3}},
			{"FromInclusive", domain.AuditFilter{From: d(29, 9)}, []int64{4, 3, 2}},
			{"ToExclusive", domain.AuditFilter{To: d(30, 9)}, []int64{2, 1}},
			{"OneDay", domain.AuditFilter{From: d(30, 0), To: d(31, 0)}, []int64{4, 3}},
			{"Nothing", domain.AuditFilter{ActorName: "carol"}, nil},
		} {
			rows, total, err := st.FindAudit(ctx, tt.f)
			var got []int64
			for _, r := range rows {
				got = append(got, r.Seq)
			}
			if err != nil || total != len(tt.want) || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s: rows %v (total %d), want %v; %v", tt.name, got, total, tt.want, err)
			}
		}
	})
}
