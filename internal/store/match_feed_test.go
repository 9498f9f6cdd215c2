package store_test

import (
	"context"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// The triggers of migration 0028 append a change for every write that
// changes what the matching index holds, and none for the others (a lock,
// the search reindex's token columns); old rows are pruned.
func TestMatchChanges(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		head := func() int64 {
			t.Helper()
			h, err := st.MatchHead(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		h0 := head()
		a := w.Achievement().Published().Insert(t)
		n := w.Need().Published().Insert(t)
		cs, err := st.MatchChanges(ctx, h0, nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int64{}
		for _, c := range cs {
			kinds[c.Kind] = c.EntityID
		}
		if kinds[store.MatchAchievement] != a.ID || kinds[store.MatchNeed] != n.ID {
			t.Fatalf("changes after inserts: %+v", cs)
		}
		h1 := head()
		// No change for what the index does not read.
		if err := st.InTx(ctx, func(q *store.Q) error { return q.LockAchievement(ctx, a.ID) }); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Reindex(ctx, true, 100); err != nil {
			t.Fatal(err)
		}
		if h := head(); h != h1 {
			t.Errorf("a lock or a reindex wrote %d changes", h-h1)
		}
		// An edit of a field it reads, and an organisation's move.
		err = st.InTx(ctx, func(q *store.Q) error {
			x, err := q.FindAchievementByID(ctx, a.ID)
			if err != nil {
				return err
			}
			x.Status = domain.AchievementTransferred
			return q.UpdateAchievement(ctx, x)
		})
		if err != nil {
			t.Fatal(err)
		}
		if cs, _ := st.MatchChanges(ctx, h1, nil, 100); len(cs) != 1 || cs[0].EntityID != a.ID {
			t.Errorf("changes after an edit: %+v", cs)
		}
		// An organisation's move (its records' locality): its public
		// records, the transferred achievement among them.
		h2 := head()
		err = st.InTx(ctx, func(q *store.Q) error {
			o, err := q.FindOrgByID(ctx, a.OwnerOrgID)
			if err != nil {
				return err
			}
			if o.RegionCode == storetest.Heping {
				o.RegionCode = storetest.Hunnan
			} else {
				o.RegionCode = storetest.Heping
			}
			return q.UpdateOrg(ctx, o)
		})
		if err != nil {
			t.Fatal(err)
		}
		moved := false
		cs, _ = st.MatchChanges(ctx, h2, nil, 100)
		for _, c := range cs {
			moved = moved || c.Kind == store.MatchAchievement && c.EntityID == a.ID
		}
		if !moved {
			t.Errorf("changes after the unit's move: %+v", cs)
		}
		// The gap list is read back too.
		if cs, _ := st.MatchChanges(ctx, head(), []int64{h1 + 1}, 100); len(cs) != 1 || cs[0].Seq != h1+1 {
			t.Errorf("a gap re-read: %+v", cs)
		}
		if n, err := st.PruneMatchChanges(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Errorf("pruned %d recent rows: %v", n, err)
		}
		if n, err := st.PruneMatchChanges(ctx, time.Now().Add(time.Minute)); err != nil || n == 0 {
			t.Errorf("pruned %d old rows: %v", n, err)
		}
		if cs, _ := st.MatchChanges(ctx, 0, nil, 100); len(cs) != 0 {
			t.Errorf("rows left after the prune: %+v", cs)
		}
	})
}
