package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/search"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

func TestCatalogueSearch(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		chain2 := w.City.Chains[1].Code
		// in the title; an out-of-dictionary compound and an English word
		cathode := w.Achievement(func(x *domain.Achievement) {
			x.Title = "镍钴锰酸锂正极材料低温合成工艺"
			x.Abstract = "采用溶胶凝胶法在低温下合成正极材料，配合ＬｉＤＡＲ在线检测，循环寿命提升百分之三十。"
			x.Keywords = []string{"正极材料", "锂离子电池"}
			x.ChainCode = chain2
		}).Published()
		cathode.Build().PublishedOn = "2021-04-01"
		a := cathode.Insert(t)
		// the same term only in the abstract, published later
		b := w.Achievement(func(x *domain.Achievement) {
			x.Title = "电池回收中的湿法冶金工艺"
			x.Abstract = "废旧电池中的正极材料经酸浸回收镍钴锰。"
			x.Keywords = []string{"回收"}
		}).Published().Insert(t)
		draft := w.Achievement(func(x *domain.Achievement) { x.Title = "正极材料草稿" }).Insert(t)
		public := domain.AchievementScope{}
		find := func(f domain.AchievementFilter, sc domain.AchievementScope) ([]int64, int) {
			t.Helper()
			got, total, err := st.FindAchievements(ctx, f, sc)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			var out []int64
			for _, x := range got {
				out = append(out, x.ID)
			}
			return out, total
		}
		for _, c := range []struct {
			name string
			f    domain.AchievementFilter
			want []int64
		}{
			{"2-character substring of a title", domain.AchievementFilter{Query: "钴锰"}, []int64{a.ID, b.ID}},
			{"substring across words", domain.AchievementFilter{Query: "酸锂正"}, []int64{a.ID}},
			{"substring at the end of a title", domain.AchievementFilter{Query: "工艺"}, []int64{b.ID, a.ID}},
			{"1 character", domain.AchievementFilter{Query: "镍"}, []int64{a.ID, b.ID}},
			{"English word, any case or width", domain.AchievementFilter{Query: "lidar"}, []int64{a.ID}},
			{"full-width query", domain.AchievementFilter{Query: "ＬＩＤＡＲ"}, []int64{a.ID}},
			{"English prefix", domain.AchievementFilter{Query: "lid"}, []int64{a.ID}},
			{"title ranks first, then the newer", domain.AchievementFilter{Query: "正极材料"}, []int64{a.ID, b.ID}},
			{"two terms, both needed", domain.AchievementFilter{Query: "正极材料 回收"}, []int64{b.ID}},
			{"chain filter", domain.AchievementFilter{Query: "正极材料", ChainCode: chain2}, []int64{a.ID}},
			{"year filter", domain.AchievementFilter{Query: "正极材料", Year: 2021}, []int64{a.ID}},
			{"no match", domain.AchievementFilter{Query: "石墨烯"}, nil},
			{"punctuation only", domain.AchievementFilter{Query: "，。!"}, nil},
			{"quotes and operators are text", domain.AchievementFilter{Query: `"正极" * :( ' \ )`}, []int64{a.ID, b.ID}},
		} {
			if got, _ := find(c.f, public); !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}
		// the owner sees their draft too; the public never
		if got, _ := find(domain.AchievementFilter{Query: "草稿"}, domain.AchievementScope{OrgID: w.Univ.ID}); !slices.Equal(got, []int64{draft.ID}) {
			t.Errorf("owner's draft: %v", got)
		}
		// pagination keeps the ranking
		p1, total := find(domain.AchievementFilter{Query: "正极材料", PerPage: 1, Page: 1}, public)
		p2, _ := find(domain.AchievementFilter{Query: "正极材料", PerPage: 1, Page: 2}, public)
		if total != 2 || !slices.Equal(p1, []int64{a.ID}) || !slices.Equal(p2, []int64{b.ID}) {
			t.Errorf("pages %v %v of %d", p1, p2, total)
		}
		// an explicit sort wins over relevance
		if got, _ := find(domain.AchievementFilter{Query: "正极材料", Sort: "-published_on"}, public); !slices.Equal(got, []int64{b.ID, a.ID}) {
			t.Errorf("sorted by date: %v", got)
		}
		// an edit re-indexes in the same transaction; the old words are gone
		x, _ := st.FindAchievementByID(ctx, b.ID)
		x.Abstract = "废旧电池经酸浸回收有价金属。"
		if err := st.InTx(ctx, func(q *store.Q) error { return q.UpdateAchievement(ctx, x) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := find(domain.AchievementFilter{Query: "正极材料"}, public); !slices.Equal(got, []int64{a.ID}) {
			t.Errorf("after the edit: %v", got)
		}
		// the index finds every row LIKE finds for substrings of titles and
		// for the segmenter's words of abstracts (a substring of an abstract
		// the segmenter cuts apart may be missed: search.BodyTokens)
		for _, q := range []string{"钴锰", "酸锂正", "正极材料", "回收", "工艺"} {
			idx, err1 := st.AchievementMatches(ctx, q, false)
			like, err2 := st.AchievementMatches(ctx, q, true)
			if err1 != nil || err2 != nil || !slices.Equal(idx, like) {
				t.Errorf("%s: index %v, LIKE %v (%v %v)", q, idx, like, err1, err2)
			}
		}
		// reindex rewrites every row and records the tokeniser's version
		if n, err := st.Reindex(ctx, true, 2); err != nil || n < 3 {
			t.Fatalf("reindex: %d, %v", n, err)
		}
		if v, err := st.SearchIndexVersion(ctx, "achievements"); err != nil || v != search.Version {
			t.Errorf("version %d, %v", v, err)
		}
		if got, _ := find(domain.AchievementFilter{Query: "钴锰"}, public); !slices.Equal(got, []int64{a.ID}) {
			t.Errorf("after reindex: %v", got)
		}
	})
}

func TestNeedSearch(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		n := w.Need(func(x *domain.Need) { x.Title = "高镍三元前驱体连续共沉淀工艺优化" }).Published().Insert(t)
		w.Need().Published().Insert(t)
		got, total, err := st.FindNeeds(ctx, domain.NeedFilter{Query: "共沉淀"}, domain.NeedScope{})
		if err != nil || total != 1 || got[0].ID != n.ID {
			t.Fatalf("need search: %v of %d, %v", got, total, err)
		}
	})
}

// TestAchievementRollupAgrees: after inserts, status changes, a bulk load
// and a deletion, every cell of the rollup equals the GROUP BY over the
// records, and the chain figure equals the COUNT.
func TestAchievementRollupAgrees(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		p := w.Achievement().Published()
		p.Build().PublishedOn = "2021-06-01"
		old := p.Insert(t)
		w.Achievement().Published().Insert(t)
		w.Achievement(func(x *domain.Achievement) { x.ChainCode = w.City.Chains[1].Code }).Published().Insert(t)
		w.Achievement().Filed().Insert(t)
		draft := w.Achievement().Insert(t)
		var bulk []*domain.Achievement
		for i := range 30 {
			x := w.Achievement().Build()
			x.Status, x.PublishedOn = domain.AchievementPublished, "2022-0"+string(rune('1'+i%9))+"-10"
			x.CreatedAt, x.UpdatedAt = w.Clock.Now(), w.Clock.Now()
			bulk = append(bulk, x)
		}
		check := func(when string) {
			t.Helper()
			rolled, err1 := st.AchievementRollupRows(ctx)
			naive, err2 := st.AchievementRollupRowsNaive(ctx)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(rolled, naive) || len(rolled) == 0 {
				t.Fatalf("%s: rollup %v\nrecords %v (%v %v)", when, rolled, naive, err1, err2)
			}
			for _, y := range []int{2021, 2022, 2023, w.Clock.Now().Year()} {
				for _, c := range []string{"", w.City.Chains[0].Code, w.City.Chains[1].Code} {
					r, _ := st.AchievementsPublishedRollup(ctx, y, c)
					n, _ := st.AchievementsPublishedNaive(ctx, y, c)
					if r != n {
						t.Errorf("%s: %d %q: rollup %d, records %d", when, y, c, r, n)
					}
				}
			}
		}
		check("after inserts")
		if err := st.InTx(ctx, func(q *store.Q) error { return q.BulkInsertAchievements(ctx, bulk) }); err != nil {
			t.Fatal(err)
		}
		check("after a bulk insert")
		x, _ := st.FindAchievementByID(ctx, old.ID)
		x.Status = domain.AchievementTransferred
		x.ChainCode = w.City.Chains[1].Code
		if err := st.InTx(ctx, func(q *store.Q) error { return q.UpdateAchievement(ctx, x) }); err != nil {
			t.Fatal(err)
		}
		check("after a status change")
		if err := st.InTx(ctx, func(q *store.Q) error { return q.DeleteAchievement(ctx, draft.ID) }); err != nil {
			t.Fatal(err)
		}
		check("after a deletion")
		if err := st.RebuildAchievementRollup(ctx); err != nil {
			t.Fatal(err)
		}
		check("after a rebuild")
	})
}
