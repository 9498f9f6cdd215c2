package service_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// submittedBulk stores n submitted contracts of the registry directly (the
// workflow up to submission is tested elsewhere) and returns their ids.
func submittedBulk(t *testing.T, w *world, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	var cs []*domain.Contract
	for i := range n {
		seller, buyer := w.city.Univ, w.city.Ent
		if i%3 == 1 {
			seller, buyer = w.city.Ent2, w.city.Other
		}
		cs = append(cs, w.city.Contract(func(c *domain.Contract) {
			c.Status = domain.ContractAccepted
			c.StartClock("2022-03-01", domain.DefaultRegimeRules(), nil)
		}).Seller(seller).Buyer(buyer).Turnover(int64(100_000_00+i*1_000_00)).Build())
	}
	if err := w.st.InTx(ctx, func(tx *store.Q) error { return tx.BulkInsertContracts(ctx, cs, storetest.CityCode) }); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	err := w.st.EachContract(ctx, domain.ContractFilter{Scope: domain.ContractScope{All: true}}, func(c *domain.Contract) error {
		ids = append(ids, c.ID)
		return nil
	})
	if err != nil || len(ids) != n {
		t.Fatalf("%d ids, %v", len(ids), err)
	}
	return ids
}

// checkRegistered asserts the registered contracts of 2022 carry exactly the
// serials 1..n with distinct numbers, the rollup counts n and equals the
// records, and the audit chain holds.
func checkRegistered(t *testing.T, w *world, n int) {
	t.Helper()
	ctx := context.Background()
	var serials []int64
	nos := map[string]bool{}
	err := w.st.EachContract(ctx, domain.ContractFilter{Scope: domain.ContractScope{All: true}, Statuses: []domain.ContractStatus{domain.ContractRegistered}},
		func(c *domain.Contract) error {
			serials = append(serials, c.RegSerial)
			nos[c.RegNo] = true
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(serials)
	for i, s := range serials {
		if s != int64(i+1) {
			t.Fatalf("serials are not 1..%d: position %d holds %d (%v)", n, i, s, serials)
		}
	}
	if len(serials) != n || len(nos) != n {
		t.Fatalf("%d registered, %d distinct numbers, want %d", len(serials), len(nos), n)
	}
	rolled, err := w.st.RollupRows(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	naive, _ := w.st.RollupRowsNaive(ctx, 2022)
	var total int64
	for _, r := range rolled {
		if r.Dim == "all" {
			total += r.N
		}
	}
	if total != int64(n) || !slices.Equal(rolled, naive) {
		t.Fatalf("rollup counts %d (want %d); equal to naive: %v", total, n, slices.Equal(rolled, naive))
	}
	if rep, err := w.st.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Fatalf("audit %+v, %v", rep, err)
	}
}

// TestConcurrentRegistration: 8 registrars of one registry register 25
// contracts each at the same time. SQLite serialises the writers; on
// PostgreSQL the sequence row lock does.
func TestConcurrentRegistration(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		const registrars, each = 8, 25
		ids := submittedBulk(t, w, registrars*each)
		var wg sync.WaitGroup
		errs := make(chan error, registrars*each)
		for r := range registrars {
			a := &domain.Actor{UserID: int64(200 + r), Username: "registrar", Role: domain.RoleRegistrar, OrgID: w.city.Registry.ID}
			wg.Go(func() {
				for _, id := range ids[r*each : (r+1)*each] {
					if _, err := w.svc.Contracts.Register(context.Background(), a, id, 1, 0, ""); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("registration failed: %v", err)
		}
		checkRegistered(t, w, registrars*each)
		if _, n, _ := w.st.FindAudit(context.Background(), domain.AuditFilter{Entity: "contract"}); n != registrars*each {
			t.Fatalf("%d audit rows", n)
		}
	})
}

// TestConcurrentSameContracts: 8 registrars race for the same 25
// contracts. Exactly one wins each; the losers get a conflict and their
// rolled-back transactions give their numbers back, so no gap appears.
func TestConcurrentSameContracts(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		const registrars, n = 8, 25
		ids := submittedBulk(t, w, n)
		var mu sync.Mutex
		wins := map[int64]string{}
		var wg sync.WaitGroup
		for r := range registrars {
			a := &domain.Actor{UserID: int64(200 + r), Username: "registrar", Role: domain.RoleRegistrar, OrgID: w.city.Registry.ID}
			wg.Go(func() {
				for _, id := range ids {
					c, err := w.svc.Contracts.Register(context.Background(), a, id, 1, 0, "")
					mu.Lock()
					switch {
					case err == nil:
						if prev, dup := wins[id]; dup {
							t.Errorf("contract %d registered twice: %s and %s", id, prev, c.RegNo)
						}
						wins[id] = c.RegNo
					case domain.ErrorCode(err) != domain.ECONFLICT:
						t.Errorf("loser got %v, want a conflict", err)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(wins) != n {
			t.Fatalf("%d contracts registered, want %d", len(wins), n)
		}
		checkRegistered(t, w, n)
	})
}

// TestMoreWritersThanConnections: more concurrent registrations than the
// PostgreSQL pool has connections (16). A transaction that needs a second
// pool connection for a read while holding the sequence lock would wait
// forever for one held by a transaction queued behind that lock; the
// deadline turns such a deadlock into a failure instead of a hang.
func TestMoreWritersThanConnections(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		const writers, each = 40, 3
		ids := submittedBulk(t, w, writers*each)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for r := range writers {
			a := &domain.Actor{UserID: int64(300 + r), Username: "registrar", Role: domain.RoleRegistrar, OrgID: w.city.Registry.ID}
			wg.Go(func() {
				for _, id := range ids[r*each : (r+1)*each] {
					if _, err := w.svc.Contracts.Register(ctx, a, id, 1, 0, ""); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("registration failed (pool deadlock?): %v", err)
		}
		checkRegistered(t, w, writers*each)
	})
}
