package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestSearchFilterTokens: a search narrowed by a chain, a year or a status
// (which the index answers by intersecting the filter tokens of migration
// 0026 with the query) finds exactly what the LIKE scan with the same
// filters finds, for every combination; a change of status or chain is
// re-tokenised in its transaction, and a rolled-back change is not.
func TestSearchFilterTokens(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		odd := "链-α 1'\"*" // a code that is no token: the token is its hex
		chains := []string{"", w.City.Chains[0].Code, w.City.Chains[1].Code, odd}
		statuses := []func(*storetest.AchievementBuilder) *storetest.AchievementBuilder{
			nil, (*storetest.AchievementBuilder).Filed, (*storetest.AchievementBuilder).Published,
		}
		var ids []int64
		for i := range 24 {
			b := w.Achievement(func(x *domain.Achievement) {
				x.Title = fmt.Sprintf("正极材料第%d号工艺", i)
				x.ChainCode = chains[i%len(chains)]
			})
			if s := statuses[i%len(statuses)]; s != nil {
				b = s(b)
			}
			if i%len(statuses) == 2 { // published
				b.Build().PublishedOn = fmt.Sprintf("%d-03-01", 2020+i%4)
			}
			ids = append(ids, b.Insert(t).ID)
		}
		// one transferred, through an update (re-tokenised in the statement)
		x, _ := st.FindAchievementByID(ctx, ids[2])
		x.Status = domain.AchievementTransferred
		if err := st.InTx(ctx, func(q *store.Q) error { return q.UpdateAchievement(ctx, x) }); err != nil {
			t.Fatal(err)
		}
		scopes := map[string]domain.AchievementScope{"public": {}, "owner": {OrgID: w.Univ.ID}, "all": {All: true, OrgID: w.Univ.ID}}
		compare := func(when string) {
			t.Helper()
			for sn, sc := range scopes {
				for _, chain := range chains {
					for _, year := range []int{0, 2020, 2021, 2023} {
						for _, status := range []domain.AchievementStatus{"", domain.AchievementPublished, domain.AchievementTransferred, domain.AchievementFiled, domain.AchievementDraft} {
							f := domain.AchievementFilter{Query: "正极材料", ChainCode: chain, Year: year, Status: status, PerPage: 200}
							got, n1, err1 := st.FindAchievements(ctx, f, sc)
							want, n2, err2 := st.FindAchievementsNaive(ctx, f, sc)
							if err1 != nil || err2 != nil {
								t.Fatalf("%s %+v: %v %v", when, f, err1, err2)
							}
							if g, w := sortedIDs(got), sortedIDs(want); !slices.Equal(g, w) || n1 != n2 {
								t.Errorf("%s, %s %+v: index %v (%d), LIKE %v (%d)", when, sn, f, g, n1, w, n2)
							}
						}
					}
				}
			}
		}
		compare("after inserts")
		find := func(f domain.AchievementFilter) []int64 {
			t.Helper()
			f.Query, f.PerPage = "正极材料", 200
			got, _, err := st.FindAchievements(ctx, f, domain.AchievementScope{})
			if err != nil {
				t.Fatal(err)
			}
			return sortedIDs(got)
		}
		if got := find(domain.AchievementFilter{Status: domain.AchievementTransferred}); !slices.Equal(got, []int64{ids[2]}) {
			t.Errorf("transferred: %v, want [%d]", got, ids[2])
		}
		// a change of status and chain: found under the new, not the old
		x, _ = st.FindAchievementByID(ctx, ids[2])
		oldChain := x.ChainCode
		x.Status, x.ChainCode = domain.AchievementPublished, odd
		if err := st.InTx(ctx, func(q *store.Q) error { return q.UpdateAchievement(ctx, x) }); err != nil {
			t.Fatal(err)
		}
		if got := find(domain.AchievementFilter{Status: domain.AchievementTransferred}); len(got) != 0 {
			t.Errorf("transferred after the change back: %v", got)
		}
		if got := find(domain.AchievementFilter{ChainCode: oldChain}); slices.Contains(got, ids[2]) {
			t.Errorf("old chain %q still finds %d: %v", oldChain, ids[2], got)
		}
		if got := find(domain.AchievementFilter{ChainCode: odd, Status: domain.AchievementPublished}); !slices.Contains(got, ids[2]) {
			t.Errorf("new chain does not find %d: %v", ids[2], got)
		}
		// a change rolled back leaves the tokens as they were
		x, _ = st.FindAchievementByID(ctx, ids[2])
		x.Status = domain.AchievementTransferred
		boom := fmt.Errorf("roll back")
		if err := st.InTx(ctx, func(q *store.Q) error {
			if err := q.UpdateAchievement(ctx, x); err != nil {
				return err
			}
			return boom
		}); err != boom {
			t.Fatal(err)
		}
		if got := find(domain.AchievementFilter{Status: domain.AchievementTransferred}); len(got) != 0 {
			t.Errorf("transferred after a rollback: %v", got)
		}
		compare("after the changes")
		// a deletion takes the tokens with it
		if err := st.InTx(ctx, func(q *store.Q) error { return q.DeleteAchievement(ctx, ids[0]) }); err != nil {
			t.Fatal(err)
		}
		compare("after a deletion")
		// needs: the chain filter
		n := w.Need(func(x *domain.Need) { x.Title = "共沉淀工艺优化"; x.ChainCode = odd }).Published().Insert(t)
		w.Need(func(x *domain.Need) { x.Title = "共沉淀工艺改进" }).Published().Insert(t)
		got, total, err := st.FindNeeds(ctx, domain.NeedFilter{Query: "共沉淀", ChainCode: odd}, domain.NeedScope{})
		if err != nil || total != 1 || len(got) != 1 || got[0].ID != n.ID {
			t.Fatalf("need search on a chain: %v of %d, %v", got, total, err)
		}
	})
}

func sortedIDs(xs []*domain.Achievement) []int64 {
	var out []int64
	for _, x := range xs {
		out = append(out, x.ID)
	}
	slices.Sort(out)
	return out
}

// TestSearchFilterMigration: a database of rows written before migration
// 0026 (no filter tokens) gets them from the migration, so a search with
// a filter finds its rows right after Migrate, with no reindex.
func TestSearchFilterMigration(t *testing.T) {
	t.Parallel()
	for _, ns := range storetest.OpenFresh(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			st := ns.Store
			if _, err := st.MigrateTo(ctx, "0023_search_filter"); err != nil {
				t.Fatal(err)
			}
			db := storetest.RawDB(t, st.URL())
			tok := func(s string) string { return s } // SQLite: tokens space separated
			if ns.Name == "postgres" {
				tok = func(s string) string { return "'" + s + "':1" }
			}
			if _, err := db.Exec(`INSERT INTO orgs (id, kind, name, region_code, created_at) VALUES (1, 'university', '大学', '210100', '2024-01-01T00:00:00Z')`); err != nil {
				t.Fatal(err)
			}
			rows := []struct {
				chain, status, published string
			}{{"c1", "published", "2021-05-01"}, {"c2", "published", "2021-06-01"}, {"c1", "transferred", "2022-01-01"}, {"c1", "filed", ""}}
			for i, r := range rows {
				if _, err := db.Exec(`INSERT INTO achievements (id, title, abstract, owner_org_id, chain_code, trl, stage, funding, status, published_on, search_title, search_body, created_at, updated_at)
					VALUES ($1, '正极', '', 1, $2, 3, 'lab', 'fiscal', $3, $4, $5, '', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`,
					i+1, r.chain, r.status, r.published, tok("正极")); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			check := func(when string) {
				t.Helper()
				for _, c := range []struct {
					f    domain.AchievementFilter
					want []int64
				}{
					{domain.AchievementFilter{Query: "正极"}, []int64{1, 2, 3}},
					{domain.AchievementFilter{Query: "正极", ChainCode: "c1"}, []int64{1, 3}},
					{domain.AchievementFilter{Query: "正极", Year: 2021}, []int64{1, 2}},
					{domain.AchievementFilter{Query: "正极", Status: domain.AchievementTransferred}, []int64{3}},
					{domain.AchievementFilter{Query: "正极", ChainCode: "c1", Year: 2021}, []int64{1}},
					{domain.AchievementFilter{Query: "正极", ChainCode: "c2", Status: domain.AchievementTransferred}, nil},
				} {
					got, _, err := st.FindAchievements(ctx, c.f, domain.AchievementScope{})
					if err != nil {
						t.Fatal(err)
					}
					if g := sortedIDs(got); !slices.Equal(g, c.want) {
						t.Errorf("%+v %s: %v, want %v", c.f, when, g, c.want)
					}
				}
			}
			check("after the migration")
			// a reindex rewrites the filter tokens too (from the records, by the Go rule)
			if _, err := db.Exec(`UPDATE achievements SET search_filter = $1 WHERE id = 1`, tok("§sfiled")); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Reindex(ctx, true, 2); err != nil {
				t.Fatal(err)
			}
			check("after a reindex")
		})
	}
}

// TestSearchFilterBulkLoad: rows of a bulk load (indexes suspended, then
// rebuilt in one pass, then Analyze) carry their filter tokens: a search
// with a filter finds them, and a row inserted afterwards too (the
// trigger or index is back).
func TestSearchFilterBulkLoad(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		chain := w.City.Chains[1].Code
		var xs []*domain.Achievement
		for i := range 12 {
			x := w.Achievement(func(x *domain.Achievement) {
				x.Title = fmt.Sprintf("共沉淀前驱体第%d批", i)
				if i%3 == 0 {
					x.ChainCode = chain
				}
			}).Build()
			x.Status, x.PublishedOn = domain.AchievementPublished, fmt.Sprintf("%d-05-01", 2021+i%2)
			x.CreatedAt, x.UpdatedAt = w.Clock.Now(), w.Clock.Now()
			xs = append(xs, x)
		}
		err := st.BulkLoad(ctx, func() error {
			return st.InTx(ctx, func(q *store.Q) error { return q.BulkInsertAchievements(ctx, xs) })
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		later := w.Achievement(func(x *domain.Achievement) { x.Title = "共沉淀前驱体补充"; x.ChainCode = chain }).Published()
		later.Build().PublishedOn = "2021-07-01"
		later.Insert(t)
		for _, c := range []struct {
			f    domain.AchievementFilter
			want int
		}{
			{domain.AchievementFilter{Query: "共沉淀"}, 13},
			{domain.AchievementFilter{Query: "共沉淀", ChainCode: chain}, 5},
			{domain.AchievementFilter{Query: "共沉淀", Year: 2021}, 7},
			{domain.AchievementFilter{Query: "共沉淀", Year: 2021, ChainCode: chain}, 3},
			{domain.AchievementFilter{Query: "共沉淀", Status: domain.AchievementTransferred}, 0},
		} {
			_, total, err := st.FindAchievements(ctx, c.f, domain.AchievementScope{})
			_, naive, err2 := st.FindAchievementsNaive(ctx, c.f, domain.AchievementScope{})
			if err != nil || err2 != nil || total != c.want || naive != c.want {
				t.Errorf("%+v: index %d, LIKE %d, want %d (%v %v)", c.f, total, naive, c.want, err, err2)
			}
		}
	})
}
